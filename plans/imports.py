"""Reading Phụ lục 1 from Excel: one place for the staff page and Django admin.

Two layouts are accepted. The appendix's own (as the plan prints it and as
``plans.exports`` writes it): TT | Các cơ quan, đơn vị | Thời gian dự kiến | Ghi chú, with
a row "I | Các Sở, ngành cấp tỉnh" opening each group and the period written once per
group (merged down its rows, or only on the first row). And a flat table with a "Nhóm"
column, as the admin export writes it.
"""

import re

from cchc_inspection.spreadsheets import (
    Column,
    ImportOutcome,
    Problem,
    SafeXLSX,
    SheetError,
    SheetRow,
    read_table,
    run_import,
    to_dataset,
)

from .resources import GROUP_COLUMN, PERIOD_COLUMN, UNIT_COLUMN, PlanEntryResource

APPENDIX_COLUMNS = [
    Column("tt", "TT", aliases=("STT", "Số TT", "Số thứ tự"), required=False),
    Column("group", GROUP_COLUMN, aliases=("Nhóm đơn vị",), required=False),
    Column(
        "unit",
        UNIT_COLUMN,
        aliases=(
            "Cơ quan, đơn vị",
            "Tên cơ quan, đơn vị",
            "Các cơ quan, đơn vị, địa phương",
            "Cơ quan, đơn vị, địa phương",
            "Đơn vị",
        ),
    ),
    Column(
        "period",
        PERIOD_COLUMN,
        aliases=("Thời gian", "Thời gian kiểm tra", "Thời gian kiểm tra dự kiến"),
        required=False,
    ),
    Column("note", "Ghi chú", required=False),
]

ROMAN_ROW = re.compile(r"^(?=[IVXLC]+\b)([IVXLC]+)\s*[.):]?\s*(.*)$", re.IGNORECASE)


def _group_title(row):
    """The title of a group row ("I | Các Sở, ngành cấp tỉnh"), or None for a unit row.

    A merged group row (the numeral and the title in one cell spread across the table)
    reads "I. Các Sở, ngành cấp tỉnh" in every column once unmerged.
    """
    tt = row.values.get("tt")
    if not isinstance(tt, str):
        return None
    match = ROMAN_ROW.match(tt)
    if not match:
        return None
    unit = row.values.get("unit")
    rest = match.group(2).strip()
    if unit is None or unit == tt:
        return rest or None
    return unit


def arrange(rows):
    """Turn appendix rows into one row per unit carrying its group and period."""
    result = []
    group = None
    period = None
    position = 0
    for row in rows:
        title = None if row.values.get("group") else _group_title(row)
        if title is not None:
            group, period, position = title, None, 0
            continue
        values = dict(row.values)
        if values.get("unit") is None and values.get("tt") is None:
            continue  # a blank line that a merged period or note runs through
        position += 1
        if values.get("group") and values["group"] != group:
            group, period = values["group"], None
        values["group"] = group
        # The period is written once per group: a blank cell repeats the one above.
        if values.get("period") is None:
            values["period"] = period
        else:
            period = values["period"]
        if values.get("tt") is None or not str(values["tt"]).strip().rstrip(".").isdigit():
            values["tt"] = position
        result.append(SheetRow(row.number, values))
    return result


def appendix_dataset(data):
    """The Phụ lục 1 sheet (bytes of an .xlsx) as the table ``PlanEntryResource`` reads."""
    return to_dataset(arrange(read_table(data, APPENDIX_COLUMNS)), APPENDIX_COLUMNS)


def import_appendix(plan, data, *, user=None):
    """Add or update the plan's Phụ lục 1 rows from a sheet, all or nothing."""
    try:
        dataset = appendix_dataset(data)
    except SheetError as exc:
        return ImportOutcome(problems=[Problem(None, str(exc))])
    if not len(dataset):
        return ImportOutcome(problems=[Problem(None, "Tệp không có dòng đơn vị nào.")])
    return run_import(PlanEntryResource(plan=plan), dataset, user=user)


class AppendixXLSX(SafeXLSX):
    """The xlsx format of the PlanEntry admin: the appendix layout is flattened before
    the resource sees it."""

    def create_dataset(self, in_stream):
        return appendix_dataset(in_stream)
