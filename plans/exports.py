"""Phụ lục 1 of a plan as an Excel sheet, laid out as the appendix prints it.

Title rows, then TT | Các cơ quan, đơn vị | Thời gian dự kiến | Ghi chú; each group opens
with its Roman numeral; the period is merged down the rows that share it. The sheet
reads back through ``plans.imports``.
"""

from django.db.models import Prefetch
from openpyxl.styles import Font

from cchc_inspection import vn
from cchc_inspection.spreadsheets import BORDER, CENTER, GROUP_FILL, WRAP, SheetWriter

from .models import PlanEntry

HEADERS = ("TT", "Các cơ quan, đơn vị", "Thời gian dự kiến", "Ghi chú")
WIDTHS = (7, 50, 28, 22)
HEADER_ROW = 5


def write_appendix(plan):
    """Write the plan's Phụ lục 1; returns the ``SheetWriter``."""
    writer = SheetWriter("Phụ lục 1", widths=WIDTHS, freeze=f"A{HEADER_ROW + 1}")
    span = len(HEADERS)
    writer.title_row("Phụ lục 1", span, size=14)
    writer.title_row(plan.appendix_title, span)
    writer.title_row(_attached_to(plan), span, bold=False, italic=True)
    writer.append([])
    writer.header(HEADERS)
    entries = PlanEntry.objects.select_related("unit").order_by("order", "pk")
    groups = plan.groups.order_by("order").prefetch_related(Prefetch("entries", entries))
    bold = Font(bold=True)
    for position, group in enumerate(groups, start=1):
        writer.append(
            [
                writer.text(vn.roman(position), font=bold, alignment=CENTER, border=BORDER),
                writer.text(group.title, font=bold, fill=GROUP_FILL, border=BORDER),
                writer.text("", fill=GROUP_FILL, border=BORDER),
                writer.text("", fill=GROUP_FILL, border=BORDER),
            ]
        )
        _write_entries(writer, group.entries.all())
    return writer


def _write_entries(writer, entries):
    run_start, run_period = None, None
    for number, entry in enumerate(entries, start=1):
        period = entry.expected_period or entry.group.expected_period
        row = writer.append(
            [
                writer.number(number, alignment=CENTER, border=BORDER),
                writer.text(entry.unit.name, alignment=WRAP, border=BORDER),
                writer.text(period, alignment=CENTER, border=BORDER),
                writer.text(entry.note, alignment=WRAP, border=BORDER),
            ]
        )
        if period != run_period or run_start is None:
            _merge_period(writer, run_start, row - 1)
            run_start, run_period = row, period
    if run_start is not None:
        _merge_period(writer, run_start, writer.rows_written)


def _merge_period(writer, first, last):
    if first is not None and last > first:
        writer.merge(first, 3, last, 3)


def _attached_to(plan):
    text = f"(Kèm theo Kế hoạch số {plan.number_display}"
    if plan.issued_on:
        text += f" ngày {vn.short_date(plan.issued_on)}"
    return text + ")"
