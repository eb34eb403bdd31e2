"""Who changed what and when: the change history of the tracked records, as pages show it.

The records of plans, Phụ lục 1 rows, teams and their members, inspections, unit reports,
answers, figures, evidence, minutes, findings, conclusions and remediation actions carry
``history = HistoricalRecords()`` (django-simple-history): every save writes a historical
row, and ``simple_history.middleware.HistoryRequestMiddleware`` records the signed-in
user of the request. Saves that bypass ``save()`` (a guarded ``UPDATE``, ``bulk_create``)
write their rows through ``record_update`` and ``bulk_create_tracked`` below.

``entries(sources)`` turns the historical rows into what the "Lịch sử thay đổi" panel
prints: when, who, which record, and each field that changed from → to under its
Vietnamese ``verbose_name``. One query per source, with the user and every linked record
it names joined in, so a page's query count stays fixed whatever the number of rows.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import models
from simple_history.utils import bulk_create_with_history

from . import vn

PAGE_SIZE = 20
TEXT_LIMIT = 200
PAGE_PARAM = "lich-su"

# Fields that say nothing a reader needs here: keys, counters, the who/when the history row
# itself records, the folded search copy, the stored file's path and checksum.
HIDDEN_FIELDS = {
    "id",
    "version",
    "created_at",
    "updated_at",
    "search_description",
    "search_name",
    "pdf",
    "pdf_sha256",
    "file",
    "created_by",
    "updated_by",
    "uploaded_by",
    "uploaded_at",
}
# Links to the record a row belongs to: the panel already says which record it is.
PARENT_FIELDS = {
    "plan",
    "inspection",
    "report",
    "conclusion",
    "previous",
    "supersedes",
    "agency",
    "based_on",
    "outline",
}
KIND_LABELS = {"+": "Tạo mới", "~": "Sửa", "-": "Xóa"}


def record_update(obj, *, actor):
    """Write a history row for ``obj`` as it now is, after a save that sent no signal."""
    type(obj).history.bulk_history_create([obj], update=True, default_user=actor)


def bulk_create_tracked(model, objs, *, actor):
    """``bulk_create`` that also writes one "created" history row per object."""
    return bulk_create_with_history(list(objs), model, default_user=actor)


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    at: datetime.datetime
    user: object
    kind: str
    subject: str
    changes: list = field(default_factory=list)
    order: int = 0

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, self.kind)


@dataclass(eq=False)
class Source:
    """The historical rows of one model to show, and how to name one of its records."""

    model: type
    rows: object  # a queryset of the model's historical rows
    subject: object = None  # callable(historical row) -> str
    subject_refs: tuple = ()  # linked records the subject names (joined in the same query)


def _shown_fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in HIDDEN_FIELDS and f.name not in PARENT_FIELDS
    ]


def _capital(text):
    text = str(text)
    return text[:1].upper() + text[1:]


def _short(text):
    text = " ".join(str(text).split())
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def _linked_name(obj):
    if hasattr(obj, "get_username"):
        return vn.person(obj)
    return str(obj)


def display(field_obj, row):
    """A field's value on a historical row as a reader reads it: choice labels, Vietnamese
    dates and numbers, linked records by name, long texts cut short."""
    value = getattr(row, field_obj.attname)
    if value is None or value == "":
        return "—"
    if field_obj.choices:
        return str(dict(field_obj.flatchoices).get(value, value))
    if isinstance(field_obj, models.ForeignKey):
        linked = getattr(row, field_obj.name, None)  # joined by select_related
        return _short(_linked_name(linked)) if linked is not None else f"#{value}"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, datetime.datetime):
        return vn.date_time(value)
    if isinstance(value, datetime.date):
        return vn.short_date(value)
    if isinstance(value, Decimal | int):
        return vn.number(value)
    return _short(value)


def _pairs(rows):
    """(row, the same record's previous row or None), oldest first per record."""
    previous = {}
    for row in sorted(rows, key=lambda r: (r.history_date, r.history_id)):
        yield row, previous.get(row.id)
        previous[row.id] = row


def _changes(row, before, fields):
    result = []
    for f in fields:
        new = getattr(row, f.attname)
        if row.history_type == "+" or before is None:
            if new in (None, ""):
                continue
            old = "—"
        else:
            if getattr(before, f.attname) == new:
                continue
            old = display(f, before)
        result.append(Change(label=_capital(f.verbose_name), old=old, new=display(f, row)))
    return result


def _rows(source, fields):
    """The source's rows with the user and every linked record they name, in one query."""
    linked = {f.name for f in fields if isinstance(f, models.ForeignKey)}
    return list(source.rows.select_related("history_user", *linked, *source.subject_refs))


def entries(sources):
    """The change entries of ``sources``, newest first; one query per source."""
    result = []
    for source in sources:
        fields = _shown_fields(source.model)
        default = _capital(source.model._meta.verbose_name)
        for row, before in _pairs(_rows(source, fields)):
            changes = _changes(row, before, fields) if row.history_type != "-" else []
            if row.history_type == "~" and not changes:
                continue  # only counters or stored-file fields moved
            result.append(
                Entry(
                    at=row.history_date,
                    user=row.history_user,
                    kind=row.history_type,
                    subject=source.subject(row) if source.subject else default,
                    changes=changes,
                    order=row.history_id,
                )
            )
    result.sort(key=lambda e: (e.at, e.order), reverse=True)
    return result


def page(request, sources, *, per_page=PAGE_SIZE):
    """One page of the entries (``?lich-su=N``) and the query string for its links."""
    listed = entries(sources)
    current = Paginator(listed, per_page).get_page(request.GET.get(PAGE_PARAM))
    params = request.GET.copy()
    params.pop(PAGE_PARAM, None)
    return {"page": current, "query": params.urlencode(), "param": PAGE_PARAM}
