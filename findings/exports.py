"""The findings register and the remediation tracker as Excel sheets.

Rows are read as plain tuples in chunks and written to a write-only workbook, so the
whole register (hundreds of thousands of findings) streams out in bounded memory.
"""

from django.utils import timezone
from openpyxl.styles import Font

from cchc_inspection import vn
from cchc_inspection.spreadsheets import BORDER, OVERDUE_FILL, WRAP, SheetWriter
from units.models import Unit

from .models import Finding, RemediationAction

CHUNK = 2000

FINDING_HEADERS = (
    "TT",
    "Năm",
    "Cơ quan, đơn vị",
    "Nhóm đơn vị",
    "Lĩnh vực",
    "Loại",
    "Nội dung",
    "Nguyên nhân",
    "Kiến nghị",
    "Trách nhiệm thuộc về",
    "Hướng xử lý",
    "Ngày ghi nhận",
)
FINDING_WIDTHS = (7, 8, 32, 22, 36, 16, 60, 40, 40, 25, 24, 14)

TRACKER_HEADERS = (
    "TT",
    "Cơ quan, đơn vị",
    "Thông báo kết luận",
    "Lĩnh vực",
    "Yêu cầu khắc phục",
    "Đơn vị, cá nhân thực hiện",
    "Thời hạn khắc phục",
    "Thời hạn ban đầu",
    "Trạng thái",
    "Quá hạn",
    "Kết quả khắc phục do đơn vị báo cáo",
    "Ý kiến của cơ quan kiểm tra",
)
TRACKER_WIDTHS = (7, 32, 18, 36, 60, 25, 14, 14, 20, 16, 50, 40)


def _area(label, title):
    return f"{label}. {title}" if label and label != "-" else title


def _title_rows(writer, title, span):
    writer.title_row(title, span)
    when = f"(Xuất ngày {vn.short_date(timezone.localdate())})"
    writer.title_row(when, span, bold=False, italic=True)


def write_findings(findings):
    """Write the findings register for the queryset ``findings`` (already filtered)."""
    writer = SheetWriter("Sổ kết quả kiểm tra", widths=FINDING_WIDTHS, freeze="D4")
    _title_rows(writer, "SỔ THEO DÕI KẾT QUẢ KIỂM TRA CÔNG TÁC CẢI CÁCH HÀNH CHÍNH", 12)
    writer.header(FINDING_HEADERS)
    kinds = dict(Finding.Kind.choices)
    handlings = dict(Finding.Handling.choices)
    categories = dict(Unit.Category.choices)
    rows = findings.values_list(
        "inspection__plan__year",
        "inspection__unit__name",
        "inspection__unit__category",
        "item__label",
        "item__title",
        "kind",
        "description",
        "cause",
        "recommendation",
        "responsible",
        "handling",
        "created_at",
    )
    for number, row in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
        year, unit, category, label, title, kind, *texts, handling, created = row
        values = [
            number,
            year,
            unit,
            categories.get(category, ""),
            _area(label, title),
            kinds.get(kind, kind),
            *texts,
            handlings.get(handling, ""),
            timezone.localdate(created) if created else None,
        ]
        cells = [writer.cell(v, border=BORDER, alignment=WRAP) for v in values]
        cells[1].number_format = "0"  # a year, not an amount: no thousands separator
        writer.append(cells)
    return writer


def write_tracker(actions, today=None):
    """Write the remediation tracker for ``actions`` (annotated ``with_overdue_flag``);
    overdue rows say by how many days and are filled in red."""
    today = today or timezone.localdate()
    writer = SheetWriter("Theo dõi khắc phục", widths=TRACKER_WIDTHS, freeze="C4")
    _title_rows(writer, "THEO DÕI KẾT QUẢ KHẮC PHỤC SAU KIỂM TRA", len(TRACKER_HEADERS))
    writer.header(TRACKER_HEADERS)
    statuses = dict(RemediationAction.Status.choices)
    rows = actions.values_list(
        "conclusion__inspection__unit__name",
        "conclusion__number",
        "conclusion__symbol",
        "item__label",
        "item__title",
        "requirement",
        "responsible",
        "deadline",
        "original_deadline",
        "status",
        "overdue",
        "unit_report",
        "review_comment",
    )
    bold = Font(bold=True, color="9C0006")
    for number, row in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
        unit, doc_number, symbol, label, title, requirement, responsible = row[:7]
        deadline, original, status, overdue, unit_report, comment = row[7:]
        late = f"Quá hạn {(today - deadline).days} ngày" if overdue else ""
        values = [
            number,
            unit,
            f"{doc_number:02d}/{symbol}" if doc_number else "",
            _area(label, title),
            requirement,
            responsible,
            deadline,
            original if original != deadline else None,
            statuses.get(status, status),
            late,
            unit_report,
            comment,
        ]
        style = {"border": BORDER, "alignment": WRAP}
        if overdue:
            style["fill"] = OVERDUE_FILL
        cells = [writer.cell(v, **style) for v in values]
        if overdue:
            cells[9].font = bold
        writer.append(cells)
    return writer
