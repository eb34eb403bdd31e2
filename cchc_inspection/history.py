"""Who changed what and when: the change history of the tracked records, as pages show it.

The records of plans, Phụ lục 1 rows, teams and their members, inspections, unit reports,
answers, figures, evidence, minutes, findings, conclusions and remediation actions carry
``history = HistoricalRecords()`` (django-simple-history): every save writes a historical
row, and ``simple_history.middleware.HistoryRequestMiddleware`` records the signed-in
user of the request. Saves that bypass ``save()`` (a guarded ``UPDATE``, ``bulk_create``)
write their rows through ``record_update`` and ``bulk_create_tracked`` below.

``entries(sources)`` turns the historical rows into what the "Lịch sử thay đổi" panel
prints: when, who, which record, and each field that changed from → to under its
Vietnamese ``verbose_name``. One query for all the sources of a page, with the user and
every linked record it names read in the same query, so a page's query count stays fixed
whatever the number of sources and rows.
"""

import datetime
import functools
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections, models, router
from django.db.models import JSONField
from django.db.models.expressions import RawSQL
from django.utils import timezone
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
# Never read into the panel's query: a linked user's password hash.
UNREAD_FIELDS = {"password"}
# Keys per JSON object in that query, and the key prefix of the parts of a longer one.
JSON_PAIRS = 40
CHUNK = "_part"
# Stand-in values the union's branches are compiled with, found again among the parameters.
SOURCE_STAND_IN = -7001
WHERE_STAND_IN = -7100


class _DecimalDecoder(json.JSONDecoder):
    """Numbers with a fraction come back as Decimal, as a DecimalField holds them."""

    def __init__(self, **kwargs):
        super().__init__(parse_float=Decimal, **kwargs)


ROW = JSONField(decoder=_DecimalDecoder)


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


@functools.cache
def _historical_model(model):
    # Reading ``Model.history`` makes django-simple-history build a new manager class (its
    # descriptor calls ``Manager.from_queryset``, ~0.2 ms); the panels need only the model.
    return model.history.model


@dataclass(eq=False)
class Source:
    """The historical rows of one model to show, and how to name one of its records."""

    model: type
    where: dict  # exact lookups on the model's historical rows: {"inspection_id": 7}
    subject: object = None  # callable(historical row) -> str
    subject_refs: tuple = ()  # linked records the subject names (joined in the same query)

    @property
    def historical(self):
        return _historical_model(self.model)

    @property
    def rows(self):
        """The rows the panel shows, as a queryset."""
        return self.historical._default_manager.filter(**self.where)


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


def _linked_names(source, fields):
    """The foreign keys whose record the panel names: the changed fields' and the subject's."""
    linked = [f.name for f in fields if isinstance(f, models.ForeignKey)]
    return list(dict.fromkeys(["history_user", *linked, *source.subject_refs]))


def _read_fields(model):
    return [f for f in model._meta.concrete_fields if f.name not in UNREAD_FIELDS]


def _object_sql(function, pairs):
    """SQL building a JSON object of ``pairs`` (key, SQL expression), nested in parts of at
    most ``JSON_PAIRS`` keys (PostgreSQL's ``jsonb_build_object`` takes 100 arguments)."""
    if len(pairs) > JSON_PAIRS:
        parts = [pairs[start : start + JSON_PAIRS] for start in range(0, len(pairs), JSON_PAIRS)]
        pairs = [(f"{CHUNK}{n}", _object_sql(function, part)) for n, part in enumerate(parts)]
    arguments = ", ".join(f"'{key}', {sql}" for key, sql in pairs)
    return f"{function}({arguments})"


@functools.cache
def _record_sql(historical, links, using):
    """SQL of one branch's single column, for a historical model: a JSON object holding the
    source's number (the ``%s`` parameter), the historical row, and each linked record
    (``links``, foreign key names) read by a subquery on its key.

    Written as SQL once per model: built from ``F()`` expressions, the few hundred columns of
    an inspection's panel took the ORM ~20 ms to compile on every request.
    """
    connection = connections[using]
    qn = connection.ops.quote_name
    function = "jsonb_build_object" if connection.vendor == "postgresql" else "json_object"
    table = qn(historical._meta.db_table)
    row = _object_sql(
        function, [(f.attname, f"{table}.{qn(f.column)}") for f in historical._meta.concrete_fields]
    )
    linked = []
    for name in links:
        fk = historical._meta.get_field(name)
        target, alias = fk.related_model, qn(f"linked_{name}")
        record = _object_sql(
            function, [(f.attname, f"{alias}.{qn(f.column)}") for f in _read_fields(target)]
        )
        where = f"{alias}.{qn(fk.target_field.column)} = {table}.{qn(fk.column)}"
        subquery = f"(SELECT {record} FROM {qn(target._meta.db_table)} {alias} WHERE {where})"
        linked.append((name, subquery))
    return _object_sql(
        function, [("source", "%s"), ("row", row), ("links", _object_sql(function, linked))]
    )


@functools.cache
def _branch_sql(historical, lookups, links, using):
    """SQL of one branch of the union: the rows of ``historical`` matching the exact
    ``lookups`` (names), each read as one JSON column (``_record_sql``). Its parameters are
    the source's number, then the lookups' values in their order.

    Compiled by the ORM once per model and lookups, with stand-in values, and kept: building
    and compiling the branches of an inspection's panel (through the report or the
    conclusion) cost ~2 ms a request. The stand-ins must come back as the parameters, in
    order; a lookup compiled any other way fails here instead of reading other rows.
    """
    where = {name: WHERE_STAND_IN - n for n, name in enumerate(lookups)}
    rows = historical._default_manager.using(using).filter(**where)
    record = RawSQL(_record_sql(historical, links, using), (SOURCE_STAND_IN,), output_field=ROW)
    query = rows.order_by().values(record=record).query
    sql, params = query.get_compiler(using).as_sql()
    if list(params) != [SOURCE_STAND_IN, *where.values()]:
        raise ValueError(f"{historical.__name__}: {lookups} do not compile to one value each.")
    return sql


def _python(field, raw):
    """A value read from the JSON of a row as the field would hold it after a query."""
    if raw is None:
        return None
    value = field.to_python(raw)
    if isinstance(field, models.DateTimeField) and settings.USE_TZ and timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)  # SQLite keeps UTC without offset
    elif isinstance(field, models.DecimalField):
        value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
    return value


def _instance(model, data, fields):
    if isinstance(data, str):  # SQLite passes an object from a subquery on as text
        data = json.loads(data, cls=_DecimalDecoder)
    if data and next(iter(data)).startswith(CHUNK):
        data = {key: value for part in data.values() for key, value in part.items()}
    values = [_python(f, data[f.attname]) for f in fields]
    return model.from_db(None, [f.attname for f in fields], values)


def _row(source, links, record):
    """The historical row of ``record``, with its linked records attached (None if gone)."""
    historical = source.historical
    row = _instance(historical, record["row"], historical._meta.concrete_fields)
    for name in links:
        fk, data = historical._meta.get_field(name), record["links"][name]
        target = fk.related_model
        fk.set_cached_value(
            row, None if data is None else _instance(target, data, _read_fields(target))
        )
    return row


def _rows(sources):
    """The historical rows of every source, each with the user and the linked records it
    names: one ``UNION ALL`` query, whatever the number of sources and rows.

    The sources' tables have different columns, so each branch returns its row and its
    linked records as one JSON object (``_record_sql``), read back into model instances
    here, with the values converted as a query would have converted them.
    """
    rows = [[] for _ in sources]
    if not sources:
        return rows
    using = router.db_for_read(sources[0].historical)
    links = [_linked_names(source, _shown_fields(source.model)) for source in sources]
    branches, params = [], []
    for n, source in enumerate(sources):
        branches.append(_branch_sql(source.historical, tuple(source.where), tuple(links[n]), using))
        params += [n, *source.where.values()]
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(branches), params)
        records = [ROW.from_db_value(value, None, connection) for (value,) in cursor.fetchall()]
    for record in records:
        n = record["source"]
        rows[n].append(_row(sources[n], links[n], record))
    return rows


def entries(sources):
    """The change entries of ``sources``, newest first; one query for all of them."""
    result = []
    for source, rows in zip(sources, _rows(sources), strict=True):
        fields = _shown_fields(source.model)
        default = _capital(source.model._meta.verbose_name)
        for row, before in _pairs(rows):
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
