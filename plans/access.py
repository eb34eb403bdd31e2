"""Who may see which plans, teams and inspections. Views fetch only through here."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from cchc_inspection.roles import Role, has_role, is_staff_side

from .models import Inspection, InspectionPlan


def visible_inspections(user):
    """Staff and leaders see every inspection; a team member sees their teams' ones."""
    qs = Inspection.objects.all()
    if is_staff_side(user):
        return qs
    if has_role(user, Role.TEAM_MEMBER):
        return qs.filter(team__members__user=user).distinct()
    return qs.none()


def get_inspection(user, pk):
    return get_object_or_404(visible_inspections(user), pk=pk)


def visible_plans(user):
    if is_staff_side(user):
        return InspectionPlan.objects.all()
    if has_role(user, Role.TEAM_MEMBER):
        return InspectionPlan.objects.filter(Q(teams__members__user=user)).distinct()
    return InspectionPlan.objects.none()
