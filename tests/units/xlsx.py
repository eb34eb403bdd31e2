"""Build and read Excel files in tests (no binary fixtures)."""

from io import BytesIO

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile


def make_xlsx(rows, merges=()):
    """An .xlsx (bytes) with ``rows`` from A1 down and the ``merges`` ranges merged."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed text such as '=abc, not a formula
    for merged in merges:
        sheet.merge_cells(merged)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data, name="bang.xlsx"):
    return SimpleUploadedFile(
        name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def read_xlsx(response):
    """The first sheet of a (streamed) download, and its rows as value tuples."""
    content = b"".join(response.streaming_content)
    sheet = openpyxl.load_workbook(BytesIO(content)).worksheets[0]
    return sheet, [tuple(row) for row in sheet.iter_rows(values_only=True)]


def row_starting(rows, *values):
    """The first row whose leading cells are ``values``."""
    for row in rows:
        if tuple(row[: len(values)]) == values:
            return row
    raise AssertionError(f"no row starts with {values!r}")
