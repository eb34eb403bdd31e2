"""The matrix of figures of a plan (units × indicators) as an Excel sheet.

One row per inspected unit in Phụ lục 1 order, one column per indicator of the plan's
outline; counts and amounts with thousands separators, percentages as percentages,
yes/no as "Có"/"Không"; a total row under each column (and the average of percentage
columns); the header and the unit columns stay frozen while scrolling.
"""

from collections import defaultdict
from decimal import Decimal

from openpyxl.styles import Font

from cchc_inspection.spreadsheets import (
    BORDER,
    CENTER,
    COUNT_FORMAT,
    GROUP_FILL,
    PERCENT_FORMAT,
    TOTAL_FILL,
    WRAP,
    SheetWriter,
)
from plans.models import Inspection, PlanEntry

from .models import Indicator, IndicatorValue, ReportOutline, UnitReport

FIXED_HEADERS = ("TT", "Cơ quan, đơn vị", "Trạng thái báo cáo")
FIXED_COLUMNS = len(FIXED_HEADERS)
K = Indicator.Kind


def _inspections(plan):
    """The plan's inspections (cancelled ones left out) in Phụ lục 1 order."""
    position = {
        unit_id: (group_order, order)
        for unit_id, group_order, order in PlanEntry.objects.filter(plan=plan).values_list(
            "unit_id", "group__order", "order"
        )
    }
    inspections = (
        Inspection.objects.filter(plan=plan)
        .exclude(status=Inspection.Status.CANCELLED)
        .select_related("unit", "report")
    )
    last = (10**6, 10**6)
    return sorted(inspections, key=lambda i: (position.get(i.unit_id, last), i.unit.name))


def _values(plan):
    table = defaultdict(dict)
    rows = IndicatorValue.objects.filter(report__inspection__plan=plan).values_list(
        "report__inspection_id", "indicator_id", "value"
    )
    for inspection_id, indicator_id, value in rows:
        table[inspection_id][indicator_id] = value
    return table


def _header(indicator):
    return (
        f"{indicator.label} ({indicator.unit_of_measure})"
        if indicator.unit_of_measure
        else (indicator.label)
    )


def write_matrix(plan):
    """Write the matrix of figures of ``plan``; returns the ``SheetWriter``."""
    outline = ReportOutline.objects.filter(plan=plan).first()
    indicators = list(outline.indicators.order_by("order")) if outline else []
    inspections = _inspections(plan)
    values = _values(plan)
    widths = (6, 36, 18, *([18] * len(indicators)))
    span = len(widths)
    writer = SheetWriter("Số liệu", widths=widths, freeze="D5")
    writer.title_row(f"TỔNG HỢP SỐ LIỆU BÁO CÁO CÔNG TÁC CẢI CÁCH HÀNH CHÍNH NĂM {plan.year}", span)
    writer.title_row(str(plan), span, bold=False, italic=True)
    writer.append([])
    writer.header([*FIXED_HEADERS, *(_header(i) for i in indicators)])
    totals = _Totals(indicators)
    statuses = dict(UnitReport.Status.choices)
    for number, inspection in enumerate(inspections, start=1):
        report = getattr(inspection, "report", None)
        status = statuses[report.status] if report else "Chưa yêu cầu báo cáo"
        row = [
            writer.number(number, alignment=CENTER, border=BORDER),
            writer.text(inspection.unit.name, alignment=WRAP, border=BORDER),
            writer.text(status, alignment=WRAP, border=BORDER),
        ]
        figures = values.get(inspection.pk, {})
        for indicator in indicators:
            value = figures.get(indicator.pk)
            totals.add(indicator, value)
            row.append(_figure(writer, indicator, value, indicator.applies_to(inspection.unit)))
        writer.append(row)
    totals.write(writer)
    return writer


def _figure(writer, indicator, value, applies):
    style = {"border": BORDER}
    if not applies:
        return writer.text("", fill=GROUP_FILL, **style)
    if value is None:
        return writer.cell(None, **style)
    if indicator.kind == K.BOOLEAN:
        return writer.text("Có" if value else "Không", alignment=CENTER, **style)
    if indicator.kind == K.PERCENT:
        return writer.number(value / 100, PERCENT_FORMAT, **style)
    return writer.number(value, _count_format(value), **style)


def _count_format(value):
    return COUNT_FORMAT if value == value.to_integral_value() else "#,##0.00"


class _Totals:
    """Per column: the sum (counts, amounts), the number of "Có" (yes/no), and the
    average (percentages) of the figures given."""

    def __init__(self, indicators):
        self.indicators = indicators
        self.sums = defaultdict(Decimal)
        self.counts = defaultdict(int)

    def add(self, indicator, value):
        if value is not None:
            self.counts[indicator.pk] += 1
            self.sums[indicator.pk] += Decimal(value)

    def write(self, writer):
        bold = Font(bold=True)
        style = {"border": BORDER, "fill": TOTAL_FILL, "font": bold}
        total = [writer.text(""), writer.text("Tổng cộng"), writer.text("")]
        average = [writer.text(""), writer.text("Bình quân"), writer.text("")]
        for cell in (*total, *average):
            _apply(cell, style)
        for indicator in self.indicators:
            pk = indicator.pk
            given = self.counts[pk]
            if indicator.kind == K.PERCENT:
                total.append(writer.text("", **style))
                mean = self.sums[pk] / given / 100 if given else None
                average.append(writer.number(mean, PERCENT_FORMAT, **style))
            elif indicator.kind == K.BOOLEAN:
                yes = f"Có: {int(self.sums[pk])}/{given}" if given else ""
                total.append(writer.text(yes, alignment=CENTER, **style))
                average.append(writer.text("", **style))
            else:
                total.append(writer.number(self.sums[pk], _count_format(self.sums[pk]), **style))
                mean = self.sums[pk] / given if given else None
                average.append(writer.number(mean, "#,##0.00", **style))
        writer.append(total)
        writer.append(average)


def _apply(cell, style):
    for name, value in style.items():
        setattr(cell, name, value)
