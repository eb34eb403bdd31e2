"""Who may see which plans, teams and inspections. Views fetch only through here.

- CCHC staff and leaders see and run everything; only leaders issue and close.
- A team member sees the inspections, the team page, the programme and the decision
  (PDF) of the teams they sit on; another team's are 404.
- Văn phòng Sở (office) reads every team's page, work programme and decision and the
  schedule, and notes logistics; it does not open the inspection pages with reports and
  findings.
- Focal persons and everyone else see none of these pages (403).

The README's "Phân quyền" table is the whole picture; ``tests/core/test_access_walk.py``
checks every URL of the project against it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from cchc_inspection.roles import Role, has_role, is_leader, is_staff_side, role_required

from .models import Inspection, InspectionPlan, InspectionTeam, PlanEntry, PlanGroup, TeamMember

# Pages of the schedule (inspection list, work programme): staff side, team members, office.
schedule_required = role_required(Role.STAFF, Role.LEADER, Role.TEAM_MEMBER, Role.OFFICE)


def is_office(user):
    return has_role(user, Role.OFFICE)


def _my_teams(user):
    return TeamMember.objects.filter(user=user).values("team")


def visible_inspections(user):
    """Staff and leaders see every inspection; a team member sees their teams' ones."""
    qs = Inspection.objects.all()
    if is_staff_side(user):
        return qs
    if has_role(user, Role.TEAM_MEMBER):
        # A subquery, not a join: one row per inspection however many seats the user has.
        return qs.filter(team__in=_my_teams(user))
    return qs.none()


def schedule_inspections(user):
    """The inspections a user sees on the schedule: the above, plus all of them for the office."""
    if is_office(user) and not is_staff_side(user):
        return Inspection.objects.all()
    return visible_inspections(user)


def get_inspection(user, pk):
    return get_object_or_404(visible_inspections(user), pk=pk)


def get_inspection_page(user, pk):
    """An inspection with its plan, unit, team and the unit's report, for its page (404 if
    not seen)."""
    return get_object_or_404(
        visible_inspections(user).select_related("plan", "unit", "team", "report"), pk=pk
    )


def get_staff_inspection(user, pk):
    """An inspection for a staff-side action (schedule, deadline, cancel, review done)."""
    if not is_staff_side(user):
        raise PermissionDenied("Chỉ chuyên viên Phòng CCHC và Lãnh đạo Sở được thực hiện việc này.")
    return get_object_or_404(
        Inspection.objects.select_related("plan__agency", "unit", "team"), pk=pk
    )


def get_logistics_inspection(user, pk):
    """An inspection whose logistics notes the user (staff side or office) may edit."""
    if not (is_staff_side(user) or is_office(user)):
        raise PermissionDenied("Chỉ Văn phòng Sở và Phòng CCHC được ghi chú hậu cần.")
    return get_object_or_404(Inspection.objects.select_related("plan", "unit", "team"), pk=pk)


def visible_plans(user):
    if is_staff_side(user):
        return InspectionPlan.objects.all()
    if has_role(user, Role.TEAM_MEMBER):
        return InspectionPlan.objects.filter(teams__in=_my_teams(user))
    if is_office(user):
        return InspectionPlan.objects.all()
    return InspectionPlan.objects.none()


def get_plan(user, pk):
    """A plan for the staff-side pages (the decorator has checked the role)."""
    return get_object_or_404(InspectionPlan.objects.select_related("agency"), pk=pk)


def get_group(user, pk):
    return get_object_or_404(PlanGroup.objects.select_related("plan"), pk=pk)


def get_entry(user, pk):
    return get_object_or_404(PlanEntry.objects.select_related("plan", "group", "unit"), pk=pk)


def get_team(user, pk):
    return get_object_or_404(InspectionTeam.objects.select_related("plan__agency"), pk=pk)


def get_member(user, pk):
    return get_object_or_404(TeamMember.objects.select_related("team__plan", "user"), pk=pk)


def get_programme_team(user, pk, queryset=None):
    """A team whose page, work programme and decision the user reads: staff side, office,
    or its members (another team's member: 404)."""
    teams = queryset if queryset is not None else InspectionTeam.objects.all()
    team = get_object_or_404(teams.select_related("plan__agency"), pk=pk)
    if is_staff_side(user) or is_office(user):
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
