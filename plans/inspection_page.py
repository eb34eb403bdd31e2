"""What the inspection page reads, each by a ``PrecompiledQuery`` (compiled by the ORM once
per process, see ``cchc_inspection.queries``) of only the columns shown: the inspection with
its plan, unit, team and report in one query (``load``, given the narrowing that
``access`` applies for the user), and the team's members, the unit's Phụ lục 1 row and the
status log, handed to the template as prepared rows.

The last three are plain queries on keys the page already holds: the model orderings are
not used, since they join the team (or sort by the group) only to order one team's members
or the unit's one Phụ lục 1 row.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from cchc_inspection import vn
from cchc_inspection.models import StatusLog
from cchc_inspection.queries import PrecompiledQuery, instance, precompiled

from .models import Inspection, PlanEntry, TeamMember

# Stand-ins no key of a query can equal (the status log's object key is a positive field:
# the ORM reads a negative value there as matching nothing and compiles no SQL).
TEAM, PLAN, UNIT, CONTENT_TYPE = -8_100_001, -8_100_101, -8_100_201, -8_100_301
OBJECT = 8_100_401_000_000


@precompiled(team=TEAM)
def _members(team):
    """The team's members in the decision's order: (name, role, position, agency)."""
    return (
        TeamMember.objects.filter(team_id=team)
        .order_by("order", "pk")
        .values_list("full_name", "role", "position", "agency_name")
    )


@precompiled(plan=PLAN, unit=UNIT)
def _entry(plan, unit):
    """The unit's row of the plan's Phụ lục 1 (at most one): (group title, the row's
    expected period, the group's)."""
    return (
        PlanEntry.objects.filter(plan_id=plan, unit_id=unit)
        .order_by()
        .values_list("group__title", "expected_period", "group__expected_period")
    )


@precompiled(content_type=CONTENT_TYPE, obj=OBJECT)
def _status_log(content_type, obj):
    """The record's status moves, oldest first: (when, from, to, note, and the actor's key,
    first name, last name and user name)."""
    return (
        StatusLog.objects.filter(content_type_id=content_type, object_id=obj)
        .order_by("at", "pk")
        .values_list(
            "at",
            "from_status",
            "to_status",
            "note",
            "actor_id",
            "actor__first_name",
            "actor__last_name",
            "actor__username",
        )
    )


@dataclass
class Member:
    full_name: str
    role_label: str
    position: str
    agency_name: str


@dataclass
class Entry:
    group_title: str
    period: str


@dataclass
class Move:
    at: str  # as the page writes it: "14:05 05/3/2023"
    actor: str  # the actor's name as written, "" for the system
    from_label: str  # "" for the record's creation
    to_label: str
    note: str


@dataclass
class _Name:
    """What ``vn.person`` reads of a user."""

    first_name: str
    last_name: str
    username: str


def members(inspection):
    if not inspection.team_id:
        return []
    roles = dict(TeamMember.Role.choices)
    return [
        Member(name, roles.get(role, role), position, agency)
        for name, role, position, agency in _members(team=inspection.team_id)
    ]


def entry(inspection):
    """The unit's Phụ lục 1 row, or None if the plan does not list the unit."""
    for title, period, group_period in _entry(plan=inspection.plan_id, unit=inspection.unit_id):
        return Entry(title, period or group_period)
    return None


def status_log(inspection):
    """The inspection's status moves, oldest first, with the statuses' labels."""
    labels = dict(Inspection.Status.choices)
    content_type = ContentType.objects.get_for_model(Inspection).pk
    return [
        Move(
            at=vn.date_time(at),
            actor=vn.person(_Name(first, last, username)) if actor else "",
            from_label=labels.get(old, old),
            to_label=labels.get(new, new),
            note=note,
        )
        for at, old, new, note, actor, first, last, username in _status_log(
            content_type=content_type, obj=inspection.pk
        )
    ]


# The inspection's own columns, and what the page shows of its plan, unit, team and report
# (read with it, by joins).
INSPECTION_COLUMNS = tuple(f.attname for f in Inspection._meta.concrete_fields)
RELATED_COLUMNS = {
    "plan": ("id", "agency_id", "year", "title", "status", "deadline_basis", "report_lead_days"),
    "unit": ("id", "name"),
    "team": ("id", "name", "status", "number", "symbol", "issued_on"),
    "report": ("id", "status", "submitted_at"),
}
PK, VALUE = -8_100_501, -8_100_601
_loaders = {}


def _loader(narrow, with_value):
    """The ``PrecompiledQuery`` of the page's inspection among those ``narrow`` leaves."""
    key = (narrow, with_value)
    if key not in _loaders:
        related = [f"{name}__{c}" for name, columns in RELATED_COLUMNS.items() for c in columns]

        def build(pk, value=None):
            rows = narrow(Inspection.objects.filter(pk=pk), value)
            return rows.order_by().values_list(*INSPECTION_COLUMNS, *related)

        stand_ins = {"pk": PK, "value": VALUE} if with_value else {"pk": PK}
        _loaders[key] = PrecompiledQuery(build, stand_ins)
    return _loaders[key]


def load(pk, narrow, value=None):
    """The inspection ``pk`` if ``narrow(queryset, value)`` keeps it, else None, with its
    plan, unit, team and report (each with the columns the page shows), as
    ``select_related`` would give them."""
    values = {"pk": pk} if value is None else {"pk": pk, "value": value}
    rows = _loader(narrow, value is not None)(**values)
    if not rows:
        return None
    row, start = rows[0], len(INSPECTION_COLUMNS)
    inspection = instance(Inspection, INSPECTION_COLUMNS, row[:start])
    for name, columns in RELATED_COLUMNS.items():
        part, start = row[start : start + len(columns)], start + len(columns)
        relation = Inspection._meta.get_field(name)
        related = None if part[0] is None else instance(relation.related_model, columns, part)
        relation.set_cached_value(inspection, related)
        if relation.one_to_one and related is not None:
            # The unit's report, the reverse side of its OneToOneField: it knows its inspection.
            relation.remote_field.set_cached_value(related, inspection)
    return inspection
