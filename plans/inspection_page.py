"""What the inspection page reads, each by a ``PrecompiledQuery`` (compiled by the ORM once
per process, see ``cchc_inspection.queries``) of only the columns shown: the inspection with
its plan, unit, team and report in one query (``load``, given the narrowing that
``access`` applies for the user), and the team's members and the unit's Phụ lục 1 row,
handed to the template as prepared rows (the status log is ``workflow.moves``).

The last two are plain queries on keys the page already holds: the model orderings are
not used, since they join the team (or sort by the group) only to order one team's members
or the unit's one Phụ lục 1 row.
"""

from dataclasses import dataclass

from cchc_inspection.queries import PrecompiledQuery, instance, precompiled

from .models import Inspection, PlanEntry, TeamMember

# Stand-ins no key of a query can equal.
TEAM, PLAN, UNIT = -8_100_001, -8_100_101, -8_100_201


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
