"""Who may see which unit reports and evidence. Unit-side views fetch only through here.

A focal person (``Role.FOCAL`` with an active ``units.Membership``) works on the reports
of their own unit(s) only; anything of another unit is 404, never 403, so that nobody
learns what exists elsewhere.

District rule (DESIGN §1 and seed footnote 2): a district (UBND cấp huyện) reports for
its communes too. It does so in its own report: on the items footnote 2 covers, the
district's figures are the totals of the district and its communes, labelled
"(gồm cả cấp xã)" (see ``reports.figures``). Its focal person may also READ the reports
and evidence of the units whose parent is the district (a commune inspected in its own
right), but never edit or submit them.

Evidence files, and the letter requesting the report (PDF), are served to: the focal
persons of the report's unit (and of its district), CCHC staff and leaders of the plan's
agency (``roles.in_agency``), and the members of the inspection's team.

Minutes and conclusions are ``findings.access``'s; plans, teams and inspections are
``plans.access``'s. The README's "Phân quyền" table is the whole picture.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from cchc_inspection.queries import instance, precompiled
from cchc_inspection.roles import Role, has_role, in_agency, is_staff_side
from plans.models import Inspection, InspectionPlan, TeamMember
from units.models import Membership, Unit

from .models import Evidence, ReportOutline, UnitReport

# Stand-ins of ``PrecompiledQuery``: no constant of a query equals them. A list of units
# is compiled with UNIT, UNIT - 1, UNIT - 2…: far below the others.
USER, INSPECTION, UNIT = -8_000_301, -8_000_302, -8_100_000


@precompiled(user=USER)
def _own_units(user):
    """(id, category) of the units ``user`` is an active focal person of."""
    return Membership.objects.active().filter(user_id=user).values_list("unit_id", "unit__category")


@precompiled(districts=UNIT)
def _units_under(districts):
    return Unit.objects.filter(parent_id__in=districts).order_by().values_list("pk")


def own_unit_ids(user):
    """Ids of the units the user is an active focal person of (cached on the user, with
    those of them that are districts)."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_cchc_own_units"):
        rows = _own_units(user=user.pk)
        user._cchc_own_districts = sorted(
            pk for pk, category in rows if category == Unit.Category.DISTRICT
        )
        user._cchc_own_units = frozenset(pk for pk, _ in rows)
    return user._cchc_own_units


def readable_unit_ids(user):
    """Own units plus the units under an own district (the district rule)."""
    own = own_unit_ids(user)
    if not own:
        return own
    if not hasattr(user, "_cchc_readable_units"):
        districts = user._cchc_own_districts
        children = _units_under(districts=districts) if districts else []
        user._cchc_readable_units = own | frozenset(pk for (pk,) in children)
    return user._cchc_readable_units


def own_inspections(user):
    return Inspection.objects.filter(unit_id__in=own_unit_ids(user))


# What the unit's report pages read of an inspection: the unit, the plan's year and status
# (an issued outline is frozen: ``figures.outline_parts``), the outline's heading, and the
# report. The plan's thirty text columns, its agency and the team are other pages'
# business: reading them cost a millisecond in Django and another of PostgreSQL planning
# on every request. Services reload the report with what they need, so nothing here is
# saved back. One ``PrecompiledQuery``: building it through the ORM cost more than running it.
INSPECTION_COLUMNS = (
    "id",
    "plan_id",
    "unit_id",
    "form",
    "status",
    "report_deadline",
    "report_requested_at",
)
PLAN_COLUMNS = ("id", "year", "status")
OUTLINE_COLUMNS = ("id", "title", "period_start", "period_end")
UNIT_COLUMNS = ("id", "name", "category")
REPORT_COLUMNS = tuple(field.attname for field in UnitReport._meta.concrete_fields)
GROUPS = (INSPECTION_COLUMNS, PLAN_COLUMNS, OUTLINE_COLUMNS, UNIT_COLUMNS, REPORT_COLUMNS)
REPORT_PAGE_FIELDS = (
    *INSPECTION_COLUMNS,
    *(f"plan__{column}" for column in PLAN_COLUMNS),
    *(f"plan__outline__{column}" for column in OUTLINE_COLUMNS),
    *(f"unit__{column}" for column in UNIT_COLUMNS),
    *(f"report__{column}" for column in REPORT_COLUMNS),
)


@precompiled(pk=INSPECTION, units=UNIT)
def _report_inspection(pk, units):
    return Inspection.objects.filter(pk=pk, unit_id__in=units).values_list(*REPORT_PAGE_FIELDS)


def _split(row, *groups):
    start = 0
    for columns in groups:
        yield row[start : start + len(columns)]
        start += len(columns)


def get_report_inspection(user, pk):
    """``(inspection, can_edit)`` for the report page: own unit (may edit) or a unit under
    the user's district (read only); anything else is 404. Read with its plan, outline,
    unit and report (``report_of``): only ``REPORT_PAGE_FIELDS``."""
    units = sorted(readable_unit_ids(user))
    rows = _report_inspection(pk=pk, units=units) if units else []
    if not rows:
        raise Http404
    inspection_row, plan_row, outline_row, unit_row, report_row = _split(rows[0], *GROUPS)
    inspection = instance(Inspection, INSPECTION_COLUMNS, inspection_row)
    inspection.plan = plan = instance(InspectionPlan, PLAN_COLUMNS, plan_row)
    if outline_row[0] is not None:
        plan.outline = instance(ReportOutline, OUTLINE_COLUMNS, outline_row)
    inspection.unit = instance(Unit, UNIT_COLUMNS, unit_row)
    report = instance(UnitReport, REPORT_COLUMNS, report_row) if report_row[0] else None
    # As ``select_related("report")`` leaves it: ``inspection.report`` (or its absence).
    UnitReport.inspection.field.remote_field.set_cached_value(inspection, report)
    return inspection, inspection.unit_id in own_unit_ids(user)


def get_own_inspection(user, pk):
    """An inspection of the user's own unit, for changes (save, upload, submit)."""
    inspection, can_edit = get_report_inspection(user, pk)
    if not can_edit:
        raise Http404
    return inspection


def report_of(inspection):
    """The unit's report once the inspection has asked for one (created with the request);
    None before that. An older request without its draft row gets one here."""
    try:
        report = inspection.report  # read with it by ``get_report_inspection``, or now
    except UnitReport.DoesNotExist:
        report = None
    if report is None and inspection.report_requested_at is not None:
        report, _ = UnitReport.objects.get_or_create(inspection=inspection)
    if report is not None:
        report.inspection = inspection  # already loaded with its plan and unit
    return report


def visible_evidence(user):
    """Evidence rows the user may download (one query, whatever the role)."""
    qs = Evidence.objects.all()
    if is_staff_side(user):
        return in_agency(qs, user, "report__inspection__plan__agency")
    condition = Q(report__inspection__unit_id__in=readable_unit_ids(user))
    if has_role(user, Role.TEAM_MEMBER):
        condition |= Q(report__inspection__team__in=user.team_memberships.values("team_id"))
    return qs.filter(condition)


def get_evidence(user, pk):
    return get_object_or_404(
        visible_evidence(user).select_related("report__inspection__unit"), pk=pk
    )


# --- Documents of an inspection (the request letter here; minutes in findings.access) -------


def document_inspections(user, *, focal):
    """Inspections whose documents ``user`` may download.

    Staff and leaders: their agency's. A team member: their teams' inspections. With ``focal``, a
    unit's focal person: their own unit's inspections and, read only, those of the units
    under their district. Others' rows are simply absent (404); a user with none of these
    roles is refused (403).
    """
    qs = Inspection.objects.all()
    if is_staff_side(user):
        return in_agency(qs, user, "plan__agency")
    allowed = [Role.TEAM_MEMBER, Role.FOCAL] if focal else [Role.TEAM_MEMBER]
    if not has_role(user, *allowed):
        raise PermissionDenied("Bạn không có quyền tải văn bản này.")
    condition = Q(pk__in=[])
    if has_role(user, Role.TEAM_MEMBER):
        condition |= Q(team__in=user.team_memberships.values("team_id"))
    if focal and has_role(user, Role.FOCAL):
        condition |= Q(unit_id__in=readable_unit_ids(user))
    return qs.filter(condition)


def get_request_inspection(user, pk):
    """An inspection for its letter requesting the report (PDF)."""
    return get_object_or_404(
        document_inspections(user, focal=True)
        .select_related("plan__agency", "unit", "team")
        .prefetch_related(Prefetch("team__members", queryset=TeamMember.objects.all())),
        pk=pk,
    )
