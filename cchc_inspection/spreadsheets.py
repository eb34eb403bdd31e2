"""Excel in and out, the same way for every register.

Out: streamed (write-only) workbooks whose typed text never becomes a formula, with
Vietnamese number and date formats and a bold, frozen header row.
In: real sheets as people keep them — a title above the header, merged cells, blank
lines, stray spaces, text in NFD — cleaned into one plain table, then handed to a
django-import-export resource inside one transaction, so that an import is all or nothing
and every bad row is named with its sheet row number and its reason.
"""

import datetime
import re
import tempfile
import zipfile
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

import openpyxl
import tablib
from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone
from import_export.formats import base_formats
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .text import fold, nfc

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Format codes are stored locale-neutral; Excel shows "6.882" and "84,38%" on a
# Vietnamese system. Dates are always day/month/year.
COUNT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.00%"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"

STYLE_CACHE_SIZE = 256

# A typed value starting with one of these would be taken for a formula by a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@")

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
OVERDUE_FILL = PatternFill("solid", fgColor="F8CBAD")
TOTAL_FILL = PatternFill("solid", fgColor="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


# --------------------------------------------------------------------------- writing


class SheetWriter:
    """One worksheet of a write-only workbook: rows go to disk as they are written.

    Column widths and the frozen pane must be set before the first row (Excel stores
    them ahead of the cells); merged ranges may be added at any time.
    """

    def __init__(self, title, *, widths=(), freeze=None):
        self.workbook = openpyxl.Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(title[:31])
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        if freeze:
            self.sheet.freeze_panes = freeze
        self.rows_written = 0
        self._styles = {}

    # cells ---------------------------------------------------------------------------
    def text(self, value, **style):
        """A text cell that stays text even when it starts with =, +, - or @."""
        cell = WriteOnlyCell(self.sheet)
        cell.value = clean_text(value)
        if cell.value:
            # openpyxl marks a string starting with "=" as a formula; force it back to
            # a string, and set Excel's quote prefix so that editing keeps it text.
            cell.data_type = "s"
            if cell.value.startswith(FORMULA_PREFIXES):
                style["quotePrefix"] = True
        return self._styled(cell, style)

    def number(self, value, number_format=None, **style):
        cell = WriteOnlyCell(self.sheet, value=value)
        if value is not None:
            style["number_format"] = number_format or _default_number_format(value)
        return self._styled(cell, style)

    def date(self, value, **style):
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)
            style["number_format"] = DATETIME_FORMAT
        else:
            style["number_format"] = DATE_FORMAT
        return self._styled(WriteOnlyCell(self.sheet, value=value), style)

    def _styled(self, cell, style):
        """Apply ``style`` (font, fill, border, alignment, number_format, quotePrefix).

        Setting a style attribute hashes the style object each time, which dominates
        the cost of a large sheet; each combination is worked out once and its style
        array copied onto later cells. The cache holds the style objects themselves,
        so the ids in its keys stay unique while it lives.
        """
        if not style:
            return cell
        key = tuple(sorted((name, id(value)) for name, value in style.items()))
        cached = self._styles.get(key)
        if cached is None:
            for name, value in style.items():
                setattr(cell, name, value)
            if len(self._styles) < STYLE_CACHE_SIZE:
                self._styles[key] = (copy(cell._style), tuple(style.values()))
        else:
            cell._style = copy(cached[0])
        return cell

    def cell(self, value, **style):
        """Pick the cell kind from the value: text, number, date, yes/no or blank."""
        if value is None or value == "":
            return self._styled(WriteOnlyCell(self.sheet), style)
        if isinstance(value, bool):
            return self.text("Có" if value else "Không", **style)
        if isinstance(value, (int, float, Decimal)):
            return self.number(value, **style)
        if isinstance(value, (datetime.date, datetime.datetime)):
            return self.date(value, **style)
        return self.text(value, **style)

    # rows ----------------------------------------------------------------------------
    def append(self, cells):
        """Write one row of cells (or plain values, which go through ``cell``)."""
        row = [c if isinstance(c, Cell) else self.cell(c) for c in cells]
        self.sheet.append(row)
        self.rows_written += 1
        return self.rows_written

    def title_row(self, text, span, *, size=13, bold=True, italic=False):
        """A title line merged across ``span`` columns."""
        font = Font(bold=bold, italic=italic, size=size)
        self.append([self.text(text, font=font, alignment=CENTER)])
        if span > 1:
            self.merge(self.rows_written, 1, self.rows_written, span)
        return self.rows_written

    def header(self, labels):
        """The bold, bordered, filled header row."""
        font = Font(bold=True)
        return self.append(
            [
                self.text(label, font=font, fill=HEADER_FILL, border=BORDER, alignment=CENTER)
                for label in labels
            ]
        )

    def merge(self, first_row, first_col, last_row, last_col):
        if (first_row, first_col) != (last_row, last_col):
            start = f"{get_column_letter(first_col)}{first_row}"
            end = f"{get_column_letter(last_col)}{last_row}"
            self.sheet.merged_cells.add(f"{start}:{end}")

    # output --------------------------------------------------------------------------
    def save(self):
        """Write the workbook to a temporary file and return it, rewound."""
        # Returned open: the response streams it and closes it when done.
        handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115
        self.workbook.save(handle)
        handle.seek(0)
        return handle

    def response(self, filename):
        """A streamed download of the workbook."""
        return FileResponse(
            self.save(), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
        )


def clean_text(value):
    """Text as stored in a cell: NFC, without the control characters XML refuses."""
    if value is None:
        return None
    return ILLEGAL_CHARACTERS_RE.sub("", nfc(str(value)))


def _default_number_format(value):
    if isinstance(value, int) or value == int(value):
        return COUNT_FORMAT
    return DECIMAL_FORMAT


def stamp(prefix):
    """A download name such as "so-theo-doi-ket-qua-20230305.xlsx"."""
    return f"{prefix}-{timezone.localdate():%Y%m%d}.xlsx"


class SafeXLSX(base_formats.XLSX):
    """django-import-export's xlsx format, written through ``SheetWriter``.

    The library's own writer would store a typed "=…" as a formula; this one keeps every
    text as text and freezes the header row.
    """

    def export_data(self, dataset, **kwargs):
        writer = SheetWriter(dataset.title or "Danh sách", freeze="A2")
        writer.header(dataset.headers or [])
        for row in dataset:
            writer.append(row)
        buffer = BytesIO()
        writer.workbook.save(buffer)
        return buffer.getvalue()


# --------------------------------------------------------------------------- reading


class SheetError(ValueError):
    """The file cannot be read as the expected table at all."""


@dataclass(frozen=True)
class Column:
    """A column of an import sheet: its key, its header as we write it, other headings
    people use for it, and whether the header row must have it."""

    key: str
    label: str
    aliases: tuple = ()
    required: bool = True

    def matches(self, heading):
        wanted = {_heading_key(self.label), *(_heading_key(a) for a in self.aliases)}
        return _heading_key(heading) in wanted


@dataclass
class SheetRow:
    number: int
    values: dict


@dataclass
class Problem:
    """A bad row (or the whole file when ``row`` is None) and the reason, in Vietnamese."""

    row: int | None
    message: str


@dataclass
class ImportOutcome:
    problems: list = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self):
        return not self.problems


ROW_COLUMN = "Dòng"
HEADER_SEARCH_ROWS = 30


def _heading_key(text):
    folded = fold(str(text or ""))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", folded).split())


def clean_value(value):
    """Trim, collapse and NFC-normalise text; an empty string is a blank."""
    if isinstance(value, str):
        value = nfc(" ".join(value.split()))
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def load_sheet(data):
    """The first worksheet of an .xlsx file, with every merged range filled in.

    A merged cell keeps its value only in its top-left cell; a period merged down a
    group's rows belongs to each of them, so the value is copied into the whole range.
    """
    try:
        workbook = openpyxl.load_workbook(BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SheetError("Tệp tải lên không phải là bảng tính Excel (.xlsx) hợp lệ.") from exc
    sheet = workbook.worksheets[0]
    for merged in list(sheet.merged_cells.ranges):
        value = sheet.cell(merged.min_row, merged.min_col).value
        sheet.unmerge_cells(str(merged))
        for row in range(merged.min_row, merged.max_row + 1):
            for col in range(merged.min_col, merged.max_col + 1):
                sheet.cell(row, col).value = value
    return sheet


def read_table(data, columns):
    """Read an uploaded sheet into ``SheetRow``s keyed by ``Column.key``.

    The header is the first row (among the first 30) that holds every required column;
    rows above it (titles) are ignored, blank rows are skipped, and each row keeps its
    number in the sheet so that problems can be reported where the user will look.
    """
    sheet = load_sheet(data)
    rows = sheet.iter_rows(values_only=True)
    positions = None
    header_number = 0
    for header_number, row in enumerate(rows, start=1):
        positions = _match_header(row, columns)
        if positions is not None or header_number >= HEADER_SEARCH_ROWS:
            break
    if positions is None:
        labels = ", ".join(f"“{c.label}”" for c in columns if c.required)
        raise SheetError(f"Không tìm thấy dòng tiêu đề có các cột {labels}.")
    result = []
    for number, row in enumerate(rows, start=header_number + 1):
        values = {
            key: clean_value(row[index]) if index < len(row) else None
            for key, index in positions.items()
        }
        if any(value is not None for value in values.values()):
            result.append(SheetRow(number, values))
    return result


def _match_header(row, columns):
    positions = {}
    for index, heading in enumerate(row):
        if heading is None:
            continue
        for column in columns:
            if column.key not in positions and column.matches(heading):
                positions[column.key] = index
                break
    if all(c.key in positions for c in columns if c.required):
        return positions
    return None


def to_dataset(rows, columns):
    """The clean table django-import-export reads: the sheet row number, then the columns
    under their canonical labels."""
    dataset = tablib.Dataset(headers=[ROW_COLUMN, *(c.label for c in columns)])
    for row in rows:
        dataset.append([row.number, *(row.values.get(c.key) for c in columns)])
    return dataset


def run_import(resource, dataset, *, user=None, dry_run=False, **kwargs):
    """Import ``dataset`` through ``resource`` all or nothing.

    Every row is validated (model ``full_clean`` included) inside one transaction; if any
    row is bad, the transaction is rolled back and each bad row comes back as a
    ``Problem`` carrying its sheet row number.
    """
    with transaction.atomic():
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
            user=user,
            **kwargs,
        )
    outcome = ImportOutcome(problems=problems_of(result, resource, dataset))
    if outcome.ok:
        totals = result.totals
        outcome.created = totals.get("new", 0)
        outcome.updated = totals.get("update", 0)
        outcome.unchanged = totals.get("skip", 0)
    return outcome


def problems_of(result, resource, dataset):
    """Turn an import-export result into ``Problem``s named by sheet row."""
    labels = {f.attribute: f.column_name for f in resource.get_import_fields() if f.attribute}
    row_numbers = dataset[ROW_COLUMN] if ROW_COLUMN in (dataset.headers or []) else range(1, 10**9)
    row_numbers = list(row_numbers)

    def sheet_row(index):
        return row_numbers[index - 1] if 0 < index <= len(row_numbers) else index

    problems = [Problem(None, _message(error.error)) for error in result.base_errors]
    for index, errors in result.row_errors():
        for error in errors:
            problems.append(Problem(sheet_row(index), _message(error.error)))
    for invalid in result.invalid_rows:
        for name, messages in invalid.error_dict.items():
            label = labels.get(name)
            for message in messages:
                text = f"{label}: {message}" if label and name != "__all__" else message
                problems.append(Problem(sheet_row(invalid.number), text))
    problems.sort(key=lambda p: (p.row is not None, p.row or 0))
    return problems


def _message(error):
    if isinstance(error, ValidationError):
        return "; ".join(error.messages)
    return str(error) or error.__class__.__name__


# --------------------------------------------------------------------------- upload form

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class UploadForm(forms.Form):
    """The one field of an import page: an .xlsx file of reasonable size."""

    file = forms.FileField(
        label="Tệp Excel (.xlsx)",
        help_text="Dòng tiêu đề có thể nằm dưới các dòng tên bảng; dòng trống được bỏ qua.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX_CONTENT_TYPE}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Chỉ nhận tệp Excel định dạng .xlsx.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("Tệp lớn hơn 5 MB; hãy tách thành nhiều tệp.")
        return upload
