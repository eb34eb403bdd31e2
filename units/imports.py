"""Reading the unit roster from Excel: one place for the staff page and Django admin."""

from cchc_inspection.spreadsheets import (
    Column,
    ImportOutcome,
    Problem,
    SafeXLSX,
    SheetError,
    read_table,
    run_import,
    to_dataset,
)

from .resources import UnitResource

ROSTER_COLUMNS = [
    Column(
        "name",
        "Tên cơ quan, đơn vị",
        aliases=(
            "Cơ quan, đơn vị",
            "Các cơ quan, đơn vị",
            "Tên đơn vị",
            "Đơn vị",
            "Tên cơ quan, đơn vị, địa phương",
        ),
    ),
    Column("category", "Loại", aliases=("Loại đơn vị", "Cấp", "Nhóm")),
    Column("commune_kind", "Loại đơn vị cấp xã", aliases=("Phường/xã/thị trấn",), required=False),
    Column("parent", "Đơn vị cấp trên", aliases=("Thuộc", "Trực thuộc"), required=False),
    Column(
        "agency_code",
        "Mã định danh điện tử",
        aliases=("Mã định danh", "Mã đơn vị"),
        required=False,
    ),
    Column("address", "Địa chỉ", required=False),
    Column("phone", "Điện thoại", aliases=("Số điện thoại",), required=False),
    Column(
        "email", "Thư điện tử", aliases=("Email", "E-mail", "Địa chỉ thư điện tử"), required=False
    ),
    Column("head_name", "Người đứng đầu", aliases=("Thủ trưởng", "Lãnh đạo"), required=False),
    Column("valid_from", "Hiệu lực từ ngày", aliases=("Từ ngày",), required=False),
    Column("valid_to", "Hiệu lực đến ngày", aliases=("Đến ngày",), required=False),
]


def roster_dataset(data):
    """The roster sheet (bytes of an .xlsx) as the clean table ``UnitResource`` reads."""
    return to_dataset(read_table(data, ROSTER_COLUMNS), ROSTER_COLUMNS)


def import_roster(data, *, user=None):
    """Add or update units from a roster sheet, all or nothing."""
    try:
        dataset = roster_dataset(data)
    except SheetError as exc:
        return ImportOutcome(problems=[Problem(None, str(exc))])
    if not len(dataset):
        return ImportOutcome(problems=[Problem(None, "Tệp không có dòng dữ liệu nào.")])
    return run_import(UnitResource(), dataset, user=user)


class RosterXLSX(SafeXLSX):
    """The xlsx format of the Unit admin: real sheets are cleaned before the resource
    sees them."""

    def create_dataset(self, in_stream):
        return roster_dataset(in_stream)
