"""Who may see and work on findings, minutes, conclusions and remediation actions.

Staff-side pages: CCHC staff and leaders see their agency's inspections (every one for a
user of no agency: ``roles.in_agency``); a team member sees the
inspections of the teams they sit on (others' are 404). Focal persons and everyone else
get 403 from the decorator. Views fetch only through here.

Unit-side pages (the portal): a focal person reaches only the remediation actions and
proof files of their own unit (active ``units.Membership``); anything else is 404.

Documents (PDF): the minutes go to staff, leaders and the inspection's team; a conclusion
also to the focal persons of its unit once it is issued (never a draft).

The README's "Phân quyền" table is the whole picture; ``tests/core/test_access_walk.py``
checks every URL of the project against it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404

from cchc_inspection.roles import Role, has_role, in_agency, is_staff_side, role_required
from plans.access import visible_inspections
from reports.access import document_inspections, own_unit_ids

from .models import Conclusion, Finding, RemediationAction, RemediationProof, SiteVisitMinutes

# Pages of the inspection work itself: staff, leaders and team members.
inspection_work_required = role_required(Role.STAFF, Role.LEADER, Role.TEAM_MEMBER)


def _visible(qs, user, prefix):
    """Rows of ``qs`` whose inspection (reached through ``prefix``) the user may see."""
    if is_staff_side(user):
        return in_agency(qs, user, f"{prefix}__plan__agency")
    if has_role(user, Role.TEAM_MEMBER):
        # A subquery keeps rows unique without DISTINCT (several team seats, one row).
        return qs.filter(**{f"{prefix}__in": visible_inspections(user).values("pk")})
    return qs.none()


def get_work_inspection(user, pk):
    """An inspection the user may record minutes, findings and conclusions for."""
    return get_object_or_404(
        visible_inspections(user).select_related("plan__agency", "unit", "team"), pk=pk
    )


def visible_findings(user):
    return _visible(Finding.objects.all(), user, "inspection")


def visible_minutes(user):
    return _visible(SiteVisitMinutes.objects.all(), user, "inspection")


def visible_conclusions(user):
    return _visible(Conclusion.objects.all(), user, "inspection")


def visible_actions(user):
    return _visible(RemediationAction.objects.all(), user, "conclusion__inspection")


def get_finding(user, pk):
    return get_object_or_404(
        visible_findings(user).select_related("inspection__unit", "inspection__plan", "item"),
        pk=pk,
    )


def get_minutes(user, pk):
    return get_object_or_404(
        visible_minutes(user).select_related("inspection__unit", "inspection__plan"), pk=pk
    )


def get_conclusion(user, pk):
    return get_object_or_404(
        visible_conclusions(user).select_related(
            "inspection__unit", "inspection__plan__agency", "supersedes"
        ),
        pk=pk,
    )


def get_action(user, pk):
    return get_object_or_404(
        visible_actions(user).select_related(
            "conclusion__inspection__unit", "conclusion__inspection__plan", "item"
        ),
        pk=pk,
    )


# --- Unit side: the focal person's own unit (others' are 404) ------------------------------


def unit_actions(user):
    """Requirements of the conclusions in force for the user's own units."""
    return RemediationAction.objects.current().filter(
        conclusion__inspection__unit_id__in=own_unit_ids(user)
    )


def get_unit_action(user, pk):
    return get_object_or_404(
        unit_actions(user).select_related(
            "conclusion__inspection__unit", "conclusion__inspection__plan", "item"
        ),
        pk=pk,
    )


def visible_proofs(user):
    """Proof files: staff side, the focal persons of the unit, the inspection's team."""
    qs = RemediationProof.objects.all()
    if is_staff_side(user):
        return in_agency(qs, user, "action__conclusion__inspection__plan__agency")
    condition = Q(action__conclusion__inspection__unit_id__in=own_unit_ids(user))
    if has_role(user, Role.TEAM_MEMBER):
        condition |= Q(
            action__conclusion__inspection__team__in=user.team_memberships.values("team_id")
        )
    return qs.filter(condition)


def get_proof(user, pk):
    return get_object_or_404(visible_proofs(user), pk=pk)


def unit_conclusions(user):
    """The issued conclusions addressed to the user's own units."""
    return Conclusion.objects.filter(
        inspection__unit_id__in=own_unit_ids(user), status=Conclusion.Status.ISSUED
    )


# --- Documents (PDF) -----------------------------------------------------------------------


def get_document_minutes(user, pk):
    """Minutes for their PDF: staff, leaders and the inspection's team (others' are 404)."""
    inspections = document_inspections(user, focal=False)
    return get_object_or_404(
        SiteVisitMinutes.objects.select_related(
            "inspection__plan__agency", "inspection__unit", "inspection__team"
        ).filter(inspection__in=inspections.values("pk")),
        pk=pk,
    )


def get_document_conclusion(user, pk):
    """A conclusion for its PDF: staff, leaders, the team's members; the unit's focal
    persons once it is issued. Without one of these roles: 403; others' rows: 404."""
    conclusions = Conclusion.objects.select_related(
        "inspection__plan__agency", "inspection__unit", "inspection__team", "supersedes"
    )
    if is_staff_side(user):
        return get_object_or_404(in_agency(conclusions, user, "inspection__plan__agency"), pk=pk)
    if not has_role(user, Role.TEAM_MEMBER, Role.FOCAL):
        raise PermissionDenied("Bạn không có quyền tải văn bản này.")
    condition = Q(pk__in=[])
    if has_role(user, Role.TEAM_MEMBER):
        condition |= Q(inspection__team__in=user.team_memberships.values("team_id"))
    if has_role(user, Role.FOCAL):
        condition |= Q(pk__in=unit_conclusions(user).values("pk"))
    return get_object_or_404(conclusions.filter(condition), pk=pk)
