"""Importing the unit roster from real-world Excel sheets: all or nothing."""

import datetime
import unicodedata

import pytest

from cchc_inspection.spreadsheets import SheetError, read_table
from tests import factories as f
from units.imports import ROSTER_COLUMNS, import_roster
from units.models import Unit

from .xlsx import make_xlsx

HEADER = ["TT", "Tên cơ quan, đơn vị", "Loại", "Đơn vị cấp trên", "Hiệu lực từ ngày"]

pytestmark = pytest.mark.django_db


def nfd(text):
    return unicodedata.normalize("NFD", text)


def test_clean_roster_imports_every_row():
    data = make_xlsx(
        [
            HEADER,
            [1, "Sở Giáo dục và Đào tạo", "Sở, ngành cấp tỉnh", None, None],
            [2, "Huyện Đông Sơn", "UBND cấp huyện", None, None],
            [3, "Xã Đông Hoàng", "UBND cấp xã", "Huyện Đông Sơn", "01/01/2020"],
        ]
    )
    outcome = import_roster(data)
    assert outcome.ok, outcome.problems
    assert outcome.created == 3
    commune = Unit.objects.get(name="Xã Đông Hoàng")
    assert commune.category == Unit.Category.COMMUNE
    assert commune.parent.name == "Huyện Đông Sơn"
    assert commune.valid_from == datetime.date(2020, 1, 1)


def test_real_sheet_quirks_are_accepted():
    """A title row (merged) above the header, blank lines, trailing spaces, NFD text, the
    other tone-mark placement of an existing unit's name."""
    existing = f.UnitFactory(name="Thành phố Thanh Hóa", category="district")
    data = make_xlsx(
        [
            ["DANH MỤC CƠ QUAN, ĐƠN VỊ NĂM 2023", None, None, None, None],
            [None, None, None, None, None],
            ["TT ", " Tên cơ quan, đơn vị  ", "Loại", "Đơn vị cấp trên", "Hiệu lực từ ngày"],
            [None, None, None, None, None],
            [1, "Thành phố Thanh Hoá", "cấp huyện", None, None],
            [2, nfd("Sở Tư pháp   "), nfd("Sở, ngành cấp tỉnh "), None, None],
            [None, "   ", None, None, None],
            [3, "Phường Điện Biên", "UBND cấp xã", nfd("thành phố thanh hoá"), None],
        ],
        merges=["A1:E1"],
    )
    outcome = import_roster(data)
    assert outcome.ok, outcome.problems
    assert Unit.objects.count() == 3  # Thanh Hoá matched the existing unit, no duplicate
    existing.refresh_from_db()
    assert existing.name == "Thành phố Thanh Hóa"  # the roster's spelling is kept
    sotuphap = Unit.objects.get(search_name="so tu phap")
    assert sotuphap.name == unicodedata.normalize("NFC", "Sở Tư pháp")
    ward = Unit.objects.get(name="Phường Điện Biên")
    assert ward.parent == existing


def test_one_bad_row_imports_nothing_and_names_the_row():
    data = make_xlsx(
        [
            ["Danh mục đơn vị"],
            HEADER,
            [1, "Sở Giáo dục và Đào tạo", "Sở, ngành cấp tỉnh", None, None],
            [2, "Huyện Đông Sơn", "Cấp tỉnh lẻ", None, None],
            [3, "Huyện Vĩnh Lộc", "UBND cấp huyện", None, None],
        ]
    )
    outcome = import_roster(data)
    assert not outcome.ok
    assert Unit.objects.count() == 0
    [problem] = outcome.problems
    assert problem.row == 4  # the row number in the sheet, counting the title row
    assert "Loại" in problem.message and "“Cấp tỉnh lẻ” không hợp lệ" in problem.message


def test_every_bad_row_is_named():
    data = make_xlsx(
        [
            HEADER,
            [1, "Xã Đông Hoàng", "UBND cấp xã", "Huyện Không Có", None],
            [2, "Sở Tư pháp", "Sở, ngành cấp tỉnh", None, "31/02/2023"],
            [3, "Sở Tư Pháp", "Sở, ngành cấp tỉnh", None, None],
            [4, "Sở Tư pháp", "Sở, ngành cấp tỉnh", None, None],
        ]
    )
    outcome = import_roster(data)
    assert Unit.objects.count() == 0
    by_row = {p.row: p.message for p in outcome.problems}
    assert "Không tìm thấy cơ quan, đơn vị “Huyện Không Có”" in by_row[2]
    assert "không phải là ngày hợp lệ" in by_row[3]
    assert by_row[5] == "Tên cơ quan, đơn vị: Đơn vị này đã có ở dòng 4 của tệp."


def test_missing_header_and_wrong_file_are_reported():
    outcome = import_roster(make_xlsx([["Họ tên", "Chức vụ"], ["A", "B"]]))
    assert outcome.problems[0].row is None
    assert "Không tìm thấy dòng tiêu đề" in outcome.problems[0].message
    outcome = import_roster(b"day khong phai excel")
    assert "không phải là bảng tính Excel" in outcome.problems[0].message
    with pytest.raises(SheetError):
        read_table(b"", ROSTER_COLUMNS)


def test_reimport_of_unchanged_roster_changes_nothing():
    rows = [HEADER, [1, "Sở Tư pháp", "Sở, ngành cấp tỉnh", None, None]]
    assert import_roster(make_xlsx(rows)).created == 1
    outcome = import_roster(make_xlsx(rows))
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 1)
    assert Unit.objects.count() == 1
