"""The shape of the report form for a unit: what it is asked of the outline and the pages
it is shown in, read once per process while the outline is frozen.

The items a unit is asked, its figures with their labels, the rules that check them, the
footnotes by item and the pages of the form follow from the outline's rows and from what
``applies_to`` reads of the unit: its category, and its key where the outline names a
unit. Working them out took a millisecond of every request of the form. Once the plan is
issued, ``figures.outline_parts`` keeps the outline's rows for the process; the shapes
built on them are kept beside them for as long as those very rows are the ones it
returns (any change to an outline's rows empties its copy, and so drops these). Like
those rows, a shape is shared by every request of the process: read it, never change it.
"""

from dataclasses import dataclass

from .. import figures
from ..models import Audience, OutlineItem, ReportOutline

PART_MAX_ITEMS = 12  # a longer part of the outline is shown one heading at a time
_MAX_OUTLINES = 400  # outlines whose shapes are kept (34 provinces × 10 years ≈ 340)
_shapes = {}  # outline pk → _Entry


@dataclass(frozen=True, eq=False)
class PartShape:
    """One page of the form: a part of the outline (a top item, such as a Roman-numbered
    section, with its branch); or, when the part is long, one of its children with its
    branch (``group`` is then the top item, whose own row goes with the first child)."""

    item: object  # the first item of the page, or the child the page is about
    group: object
    first_in_group: bool
    items: tuple
    indicators: tuple  # the figures the unit is asked on the page's items
    title: str
    full_title: str  # how the report cites the page: "I. CÔNG TÁC…", "II.2. Cải cách…"
    group_title: str
    answerable: int  # items with an answer box


def heading(item):
    """An item's heading as the outline writes it: "I. CÔNG TÁC…", "1. Cải cách…", "- Việc…"."""
    if not item.label:
        return item.title
    if item.kind in (OutlineItem.Kind.SECTION, OutlineItem.Kind.HEADING):
        return f"{item.label}. {item.title}"
    return f"{item.label} {item.title}"


def _part(item, items, indicators, group=None, first_in_group=False):
    title = heading(item)
    full_title = title
    if group is not None and group.label and item.label:
        full_title = f"{group.label}.{item.label}. {item.title}"
    ids = {i.id for i in items}
    return PartShape(
        item=item,
        group=group,
        first_in_group=first_in_group,
        items=tuple(items),
        indicators=tuple(i for i in indicators if i.item_id in ids),
        title=title,
        full_title=full_title,
        group_title=heading(group) if group is not None else "",
        answerable=sum(1 for i in items if i.answerable),
    )


def form_parts(items, indicators=()):
    """The pages of the form, in order, for the visible ``items`` (a parent comes before
    its children): each top item with its branch; but a branch of more than
    ``PART_MAX_ITEMS`` items whose headings have points of their own, one page per
    heading (a child of its top item)."""
    top_of, branches = {}, {}
    for item in items:
        top = top_of[item.id] = top_of[item.parent_id] if item.parent_id else item.id
        branches.setdefault(top, []).append(item)
    parts = []
    for top, *rest in branches.values():
        flat = all(item.parent_id == top.id for item in rest)
        if len(rest) < PART_MAX_ITEMS or flat:
            parts.append(_part(top, [top, *rest], indicators))
            continue
        child_of, pages = {}, {}
        for item in rest:
            child = child_of[item.id] = child_of.get(item.parent_id, item.id)
            pages.setdefault(child, []).append(item)
        for n, (first, *others) in enumerate(pages.values()):
            page_items = [top, first, *others] if n == 0 else [first, *others]
            parts.append(_part(first, page_items, indicators, group=top, first_in_group=n == 0))
    return parts


@dataclass(frozen=True, eq=False)
class FormShape:
    """What a unit is asked of an outline, and the pages of its form."""

    items: list  # visible items, in order
    item_ids: frozenset
    indicators: list  # asked figures, in order
    commune_items: set  # items whose figures include the communes (for a district)
    rules: list  # the rules whose figures are all asked
    labels: dict  # indicator id → its label as the form shows it
    footnotes: list  # every footnote of the outline
    footnotes_by_item: dict  # item id → its footnotes
    parts: list  # of PartShape
    part_index: dict  # item id → index of its page in ``parts``

    @classmethod
    def build(cls, outline, unit):
        items = figures.visible_items(outline, unit)
        indicators = figures.asked_indicators(outline, unit, items)
        commune_items = figures.commune_item_ids(outline, items)
        footnotes = figures.outline_parts(outline).footnotes
        by_item = {}
        for note in footnotes:
            by_item.setdefault(note.item_id, []).append(note)
        parts = form_parts(items, indicators)
        return cls(
            items=items,
            item_ids=frozenset(item.id for item in items),
            indicators=indicators,
            commune_items=commune_items,
            rules=figures.outline_rules(outline, indicators),
            labels={i.id: figures.figure_label(i, unit, commune_items) for i in indicators},
            footnotes=footnotes,
            footnotes_by_item=by_item,
            parts=parts,
            part_index={item.id: n for n, part in enumerate(parts) for item in part.items},
        )


@dataclass(eq=False)
class _Entry:
    rows: object  # the ``figures.OutlineParts`` the shapes were built on
    names_units: bool  # whether an item or a figure applies to one named unit only
    shapes: dict  # (unit category, unit pk if ``names_units``) → FormShape


def form_shape(outline, unit):
    """The ``FormShape`` of ``outline`` for ``unit``: kept while the outline is frozen
    (its rows kept by ``figures.outline_parts``), built afresh otherwise."""
    rows = figures.outline_parts(outline)
    entry = _shapes.get(outline.pk)
    if entry is None or entry.rows is not rows:
        named = any(x.audience == Audience.NAMED_UNIT for x in [*rows.items, *rows.indicators])
        entry = _Entry(rows=rows, names_units=named, shapes={})
        if _is_frozen(outline):
            if len(_shapes) >= _MAX_OUTLINES:
                _shapes.clear()
            _shapes[outline.pk] = entry
    key = (unit.category, unit.pk if entry.names_units else None)
    shape = entry.shapes.get(key)
    if shape is None:
        shape = entry.shapes[key] = FormShape.build(outline, unit)
    return shape


def _is_frozen(outline):
    """As ``figures.outline_parts`` decides it: only with the plan already loaded."""
    plan_loaded = ReportOutline._meta.get_field("plan").is_cached(outline)
    return plan_loaded and outline.is_frozen
