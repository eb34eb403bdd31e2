"""The unit roster as an Excel sheet, in the columns the roster import reads back."""

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from cchc_inspection import vn
from cchc_inspection.spreadsheets import BORDER, WRAP, SheetWriter

from .imports import ROSTER_COLUMNS
from .models import Unit

WIDTHS = (6, 45, 30, 14, 30, 18, 35, 16, 28, 25, 14, 14)


def in_roster_order(units):
    """Provincial departments, central agencies, districts, communes; then by name."""
    rank = Case(
        *(When(category=value, then=Value(i)) for i, value in enumerate(Unit.Category.values)),
        output_field=IntegerField(),
    )
    return units.alias(rank=rank).order_by("rank", "name", "pk")


def write_roster(units):
    """Write ``units`` (a queryset) under a title row; returns the ``SheetWriter``."""
    labels = ["TT", *(c.label for c in ROSTER_COLUMNS)]
    writer = SheetWriter("Danh mục đơn vị", widths=WIDTHS, freeze="C4")
    writer.title_row("DANH MỤC CƠ QUAN, ĐƠN VỊ", len(labels))
    writer.title_row(
        f"(Xuất ngày {vn.short_date(timezone.localdate())})", len(labels), bold=False, italic=True
    )
    writer.header(labels)
    categories = dict(Unit.Category.choices)
    kinds = dict(Unit.CommuneKind.choices)
    rows = in_roster_order(units).values_list(
        "name",
        "category",
        "commune_kind",
        "parent__name",
        "agency_code",
        "address",
        "phone",
        "email",
        "head_name",
        "valid_from",
        "valid_to",
    )
    for number, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        name, category, kind, parent, *rest = row
        values = [number, name, categories.get(category, ""), kinds.get(kind, ""), parent, *rest]
        writer.append([writer.cell(v, border=BORDER, alignment=WRAP) for v in values])
    return writer
