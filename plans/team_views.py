"""Pages of the inspection teams: the decision, its members, and the team's work programme."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cchc_inspection import history
from cchc_inspection.roles import can_see_history, is_staff_side, leader_required, staff_required

from . import access, services
from .forms import IssueForm, MemberForm, TeamForm
from .history import team_sources
from .models import InspectionTeam, TeamMember
from .plan_views import apply_errors, error_message, form_page, issue_action, refuse_unless

MEMBERS = Prefetch("members", queryset=TeamMember.objects.select_related("user"))


@staff_required
def team_list(request, pk):
    """The teams of one plan, with their decision, leader and number of inspections."""
    plan = access.get_plan(request.user, pk)
    teams = plan.teams.annotate(inspection_count=Count("inspections")).prefetch_related(MEMBERS)
    return render(request, "plans/inspectionteam_list.html", {"plan": plan, "teams": teams})


@staff_required
def team_create(request, pk):
    plan = access.get_plan(request.user, pk)
    form = TeamForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(team=form.save(commit=False), actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã lập {team.name}. Hãy thêm thành viên của đoàn.")
            return redirect("plans:team-detail", pk=team.pk)
    return form_page(
        request,
        form,
        title=f"Thành lập đoàn kiểm tra — kế hoạch năm {plan.year}",
        back=reverse("plans:team-list", args=[plan.pk]),
    )


@access.schedule_required
def team_detail(request, pk):
    """The decision (number, date, signer, articles) and the members; staff act here."""
    team = access.get_programme_team(request.user, pk)
    members = team.members.select_related("user")
    staff = is_staff_side(request.user)
    draft = team.status == InspectionTeam.Status.DRAFT
    return render(
        request,
        "plans/inspectionteam_detail.html",
        {
            "team": team,
            "plan": team.plan,
            "members": members,
            "inspections": team.inspections.select_related("unit").order_by("start_date", "pk"),
            "can_edit": staff and draft,
            "can_issue": access.can_issue(request.user) and draft,
            "issue_form": IssueForm(initial={"issued_on": team.issued_on}),
            "history": history.page(request, team_sources(team))
            if can_see_history(request.user)
            else None,
        },
    )


def _editable_team(request, team):
    return refuse_unless(
        request,
        lambda: services.ensure_team_editable(team),
        then=reverse("plans:team-detail", args=[team.pk]),
    )


@staff_required
def team_update(request, pk):
    team = access.get_team(request.user, pk)
    refused = _editable_team(request, team)
    if refused:
        return refused
    form = TeamForm(request.POST or None, instance=team, plan=team.plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_update(team=form.save(commit=False), actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã lưu {team.name}.")
            return redirect("plans:team-detail", pk=team.pk)
    return form_page(
        request, form, title=f"Sửa {team.name}", back=reverse("plans:team-detail", args=[team.pk])
    )


@require_POST
@leader_required
def team_issue(request, pk):
    team = access.get_team(request.user, pk)
    return issue_action(
        request,
        lambda **when: services.team_decision_issue(team=team, **when),
        kind="Quyết định",
        then=reverse("plans:team-detail", args=[team.pk]),
    )


def _member_form(request, team, member, title):
    refused = _editable_team(request, team)
    if refused:
        return refused
    form = MemberForm(request.POST or None, instance=member, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.member_save(member=form.save(commit=False), actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã lưu thành viên {saved.full_name}.")
            return redirect("plans:team-detail", pk=team.pk)
    return form_page(request, form, title=title, back=reverse("plans:team-detail", args=[team.pk]))


@staff_required
def member_add(request, pk):
    team = access.get_team(request.user, pk)
    return _member_form(request, team, TeamMember(team=team), f"Thêm thành viên — {team.name}")


@staff_required
def member_update(request, pk):
    member = access.get_member(request.user, pk)
    return _member_form(request, member.team, member, f"Sửa thành viên {member.full_name}")


@require_POST
@staff_required
def member_delete(request, pk):
    member = access.get_member(request.user, pk)
    try:
        services.member_delete(member=member, actor=request.user)
    except ValidationError as error:
        error_message(request, error)
    else:
        messages.success(request, f"Đã bỏ {member.full_name} khỏi đoàn.")
    return redirect("plans:team-detail", pk=member.team_id)


@access.schedule_required
def team_programme(request, pk):
    """Chương trình làm việc của Đoàn: its inspections in date order, with place and logistics."""
    team = access.get_programme_team(request.user, pk)
    inspections = (
        team.inspections.exclude(status="cancelled")
        .select_related("unit")
        .order_by("start_date", "pk")
    )
    return render(
        request,
        "plans/inspectionteam_programme.html",
        {
            "team": team,
            "plan": team.plan,
            "members": team.members.all(),
            "inspections": inspections,
            "can_edit_logistics": access.can_edit_logistics(request.user),
            "can_open_inspection": is_staff_side(request.user)
            or team.members.filter(user=request.user).exists(),
        },
    )
