"""Who may see which plans, teams and inspections. Views fetch only through here.

- CCHC staff and leaders see and run everything of their agency (Sở Nội vụ; everything
  for a user attached to none: ``roles.in_agency``); another agency's rows are 404. Only
  leaders issue and close.
- A team member sees the inspections, the team page, the programme and the decision
  (PDF) of the teams they sit on; another team's are 404.
- Văn phòng Sở (office) reads every team's page, work programme and decision and the
  schedule of its agency, and notes logistics; it does not open the inspection pages with
  reports and findings.
- Focal persons and everyone else see none of these pages (403).

The README's "Phân quyền" table is the whole picture; ``tests/core/test_access_walk.py``
checks every URL of the project against it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from cchc_inspection.models import Agency
from cchc_inspection.queries import precompiled
from cchc_inspection.roles import (
    Role,
    agency_of,
    has_role,
    in_agency,
    is_leader,
    is_staff_side,
    role_required,
)

from . import inspection_page
from .models import Inspection, InspectionPlan, InspectionTeam, PlanEntry, PlanGroup, TeamMember

# Pages of the schedule (inspection list, work programme): staff side, team members, office.
schedule_required = role_required(Role.STAFF, Role.LEADER, Role.TEAM_MEMBER, Role.OFFICE)


def is_office(user):
    return has_role(user, Role.OFFICE)


def _my_teams(user):
    return TeamMember.objects.filter(user=user).values("team")


def agency_inspections(user):
    """The inspections of the user's agency (every one for a user of no agency)."""
    return in_agency(Inspection.objects.all(), user, "plan__agency")


# The narrowings of ``visible_inspections``: (inspections, value) → the visible ones. They
# are also what ``get_inspection_page`` compiles once each (``inspection_page.load``).
def _every(inspections, value):
    return inspections


def _of_agency(inspections, agency):
    return inspections.filter(plan__agency=agency)


def _of_teams_of(inspections, user):
    # A subquery, not a join: one row per inspection however many seats the user has.
    return inspections.filter(team__in=_my_teams(user))


def _narrowing(user):
    """``(narrowing, value)`` of the inspections the user sees, or None for none: staff
    and leaders their agency's (every one at the national level), a team member their
    teams' ones."""
    if is_staff_side(user):
        agency = agency_of(user)
        return (_every, None) if agency is None else (_of_agency, agency)
    if has_role(user, Role.TEAM_MEMBER):
        return _of_teams_of, user.pk
    return None


def visible_inspections(user):
    narrowing = _narrowing(user)
    if narrowing is None:
        return Inspection.objects.none()
    narrow, value = narrowing
    return narrow(Inspection.objects.all(), value)


def schedule_inspections(user):
    """The inspections a user sees on the schedule: the above, plus all of them for the office."""
    if is_office(user) and not is_staff_side(user):
        return agency_inspections(user)
    return visible_inspections(user)


def schedule_teams(user):
    """The teams a user may filter the schedule by: their agency's for the staff side and
    the office, their own for a team member."""
    teams = InspectionTeam.objects.all()
    if is_staff_side(user) or is_office(user):
        return in_agency(teams, user, "plan__agency")
    return teams.filter(pk__in=_my_teams(user))


def get_inspection(user, pk):
    return get_object_or_404(visible_inspections(user), pk=pk)


def get_inspection_page(user, pk):
    """An inspection with its plan, unit, team and the unit's report, for its page (404 if
    not seen): the rule of ``visible_inspections``, as one query the ORM compiles once per
    process (``inspection_page.load``), since the page is opened all day."""
    narrowing = _narrowing(user)
    inspection = None if narrowing is None else inspection_page.load(pk, *narrowing)
    if inspection is None:
        raise Http404("Không tìm thấy cuộc kiểm tra.")
    return inspection


def get_staff_inspection(user, pk):
    """An inspection for a staff-side action (schedule, deadline, cancel, review done)."""
    if not is_staff_side(user):
        raise PermissionDenied("Chỉ chuyên viên Phòng CCHC và Lãnh đạo Sở được thực hiện việc này.")
    return get_object_or_404(
        agency_inspections(user).select_related("plan__agency", "unit", "team"), pk=pk
    )


def get_logistics_inspection(user, pk):
    """An inspection whose logistics notes the user (staff side or office) may edit."""
    if not (is_staff_side(user) or is_office(user)):
        raise PermissionDenied("Chỉ Văn phòng Sở và Phòng CCHC được ghi chú hậu cần.")
    return get_object_or_404(agency_inspections(user).select_related("plan", "unit", "team"), pk=pk)


def agency_plans(user):
    """The plans of the user's agency (every one for a user of no agency)."""
    return in_agency(InspectionPlan.objects.all(), user, "agency")


def agencies(user):
    """The agencies the user may draft plans for: their own, or every one."""
    return in_agency(Agency.objects.all(), user, "pk")


PLAN_ROW = ("id", "year", "title", "status")


@precompiled()
def _every_plan_row():
    return InspectionPlan.objects.order_by("-year", "-pk").values_list(*PLAN_ROW)


@precompiled(agency=-8_000_002)
def _agency_plan_rows(agency):
    return (
        InspectionPlan.objects.filter(agency_id=agency)
        .order_by("-year", "-pk")
        .values_list(*PLAN_ROW)
    )


def plan_rows(user):
    """``PLAN_ROW`` of the plans the user sees (``visible_plans``), newest first: what the
    dashboard and the lists offer to choose from. For the staff side, who open those pages
    all day, the query is compiled once per process (``cchc_inspection.queries``)."""
    if is_staff_side(user):
        agency = agency_of(user)
        return _every_plan_row() if agency is None else _agency_plan_rows(agency=agency)
    return list(visible_plans(user).order_by("-year", "-pk").values_list(*PLAN_ROW))


def visible_plans(user):
    if is_staff_side(user):
        return agency_plans(user)
    if has_role(user, Role.TEAM_MEMBER):
        # A subquery, not a join: one row per plan however many of its teams the user sits on.
        mine = TeamMember.objects.filter(user=user).values("team__plan")
        return InspectionPlan.objects.filter(pk__in=mine)
    if is_office(user):
        return agency_plans(user)
    return InspectionPlan.objects.none()


def get_plan(user, pk):
    """A plan for the staff-side pages (the decorator has checked the role)."""
    return get_object_or_404(agency_plans(user).select_related("agency"), pk=pk)


def get_group(user, pk):
    groups = in_agency(PlanGroup.objects.all(), user, "plan__agency")
    return get_object_or_404(groups.select_related("plan"), pk=pk)


def get_entry(user, pk):
    entries = in_agency(PlanEntry.objects.all(), user, "plan__agency")
    return get_object_or_404(entries.select_related("plan", "group", "unit"), pk=pk)


def get_team(user, pk):
    teams = in_agency(InspectionTeam.objects.all(), user, "plan__agency")
    return get_object_or_404(teams.select_related("plan__agency"), pk=pk)


def get_member(user, pk):
    members = in_agency(TeamMember.objects.all(), user, "team__plan__agency")
    return get_object_or_404(members.select_related("team__plan", "user"), pk=pk)


def get_programme_team(user, pk, queryset=None):
    """A team whose page, work programme and decision the user reads: staff side, office,
    or its members (another team's member: 404)."""
    teams = queryset if queryset is not None else InspectionTeam.objects.all()
    team = get_object_or_404(teams.select_related("plan__agency"), pk=pk)
    staff_side = is_staff_side(user) or is_office(user)
    if staff_side and agency_of(user) in {None, team.plan.agency_id}:
        return team
    if team.members.filter(user=user).exists():
        return team
    raise Http404("Bạn không thuộc đoàn kiểm tra này.")


def get_document_team(user, pk):
    """A team for its decision (PDF), with its members in the decision's order."""
    members = Prefetch("members", queryset=TeamMember.objects.order_by("order", "pk"))
    return get_programme_team(user, pk, InspectionTeam.objects.prefetch_related(members))


def can_issue(user):
    return is_leader(user)


def can_edit_logistics(user):
    return is_staff_side(user) or is_office(user)
