"""Pages of the inspections: the list, the inspection page with its history, and the staff's
actions on the schedule (schedule, edit, move the report deadline, cancel, review done)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cchc_inspection import deadlines, vn
from cchc_inspection.roles import Role, has_role, is_staff_side, role_required, staff_required
from cchc_inspection.workflow import moves

from . import access, inspection_page, services
from .filters import InspectionFilter
from .forms import (
    DeadlineMoveForm,
    InspectionUpdateForm,
    LogisticsForm,
    ReasonForm,
    ScheduleForm,
)
from .models import Inspection, InspectionPlan
from .plan_views import apply_errors, error_message, form_page

PAGE_SIZE = 25
S = Inspection.Status
inspection_work_required = role_required(Role.STAFF, Role.LEADER, Role.TEAM_MEMBER)


def _detail(inspection):
    return redirect("plans:inspection-detail", pk=inspection.pk)


@access.schedule_required
def inspection_list(request):
    """Inspections the user may see, filtered by plan, status, team and unit group."""
    user = request.user
    base = access.schedule_inspections(user)
    teams = access.schedule_teams(user).select_related("plan")
    filterset = InspectionFilter(
        request.GET or None,
        queryset=base.select_related("unit", "plan", "team").order_by("start_date", "pk"),
        teams=teams,
        plans=access.visible_plans(user),
    )
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "plans/inspection_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "can_open": is_staff_side(user) or has_role(user, Role.TEAM_MEMBER),
            "can_edit_logistics": access.can_edit_logistics(user),
        },
    )


def _actions(user, inspection):
    """Which of this page's buttons the user sees for the inspection in its present state."""
    staff = is_staff_side(user)
    moves = Inspection.TRANSITIONS.get(inspection.status, set())
    reviewable = inspection.status == S.REPORT_SUBMITTED or (
        inspection.status == S.SCHEDULED and inspection.is_unannounced
    )
    return {
        "can_schedule": staff and inspection.status == S.PLANNED,
        "can_edit": staff and inspection.is_open and inspection.status != S.PLANNED,
        "can_move_deadline": staff
        and not inspection.is_unannounced
        and inspection.status in {S.SCHEDULED, S.REPORT_REQUESTED},
        "can_review_done": staff and reviewable,
        "can_cancel": staff and S.CANCELLED in moves,
    }


@inspection_work_required
def inspection_detail(request, pk):
    """Unit, plan, team and members, dates and deadlines, status and its whole history."""
    inspection = access.get_inspection_page(request.user, pk)
    context = {
        "inspection": inspection,
        "plan": inspection.plan,
        "status_label": inspection.get_status_display(),
        "form_label": inspection.get_form_display(),
        "members": inspection_page.members(inspection),
        "entry": inspection_page.entry(inspection),
        "history": moves(inspection),
        "rule": deadlines.basis_phrase(inspection.plan),
        "deadline_moved": inspection.report_deadline != inspection.report_deadline_computed,
        **_actions(request.user, inspection),
    }
    return render(request, "plans/inspection_detail.html", context)


@staff_required
def inspection_create(request, pk):
    plan = access.get_plan(request.user, pk)
    if plan.status != InspectionPlan.Status.ISSUED:
        messages.error(request, "Chỉ lên lịch kiểm tra theo kế hoạch đã ban hành và chưa kết thúc.")
        return redirect("plans:plan-detail", pk=plan.pk)
    initial = {"unit": request.GET.get("unit"), "team": request.GET.get("team")}
    form = ScheduleForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            inspection = services.inspection_schedule(
                plan=plan, unit=data.pop("unit"), actor=request.user, **data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _scheduled_text(inspection))
            return _detail(inspection)
    return form_page(
        request,
        form,
        title=f"Lên lịch kiểm tra — kế hoạch năm {plan.year}",
        back=reverse("plans:inspection-list") + f"?plan={plan.pk}",
        intro=f"Hạn gửi báo cáo được tính theo kế hoạch: trước ngày kiểm tra ít nhất "
        f"{deadlines.basis_phrase(plan)}. Kiểm tra đột xuất không yêu cầu báo cáo.",
    )


def _scheduled_text(inspection):
    text = f"Đã lên lịch kiểm tra {inspection.unit}."
    if inspection.report_deadline:
        text += f" Hạn gửi báo cáo: {vn.short_date(inspection.report_deadline)}."
    return text


@staff_required
def inspection_update(request, pk):
    inspection = access.get_staff_inspection(request.user, pk)
    form = InspectionUpdateForm(request.POST or None, instance=inspection)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields}
        try:
            if inspection.status == S.PLANNED:
                services.inspection_schedule(
                    plan=inspection.plan, unit=inspection.unit, actor=request.user, **data
                )
            else:
                services.inspection_update(inspection=inspection, actor=request.user, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã lưu cuộc kiểm tra.")
            return _detail(inspection)
    verb = "Lên lịch" if inspection.status == S.PLANNED else "Sửa lịch"
    return form_page(
        request,
        form,
        title=f"{verb} kiểm tra {inspection.unit}",
        back=reverse("plans:inspection-detail", args=[inspection.pk]),
    )


@staff_required
def inspection_deadline(request, pk):
    inspection = access.get_staff_inspection(request.user, pk)
    form = DeadlineMoveForm(request.POST or None, inspection=inspection)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_deadline_move(
                inspection=inspection,
                new_deadline=form.cleaned_data["new_deadline"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã điều chỉnh hạn gửi báo cáo.")
            return _detail(inspection)
    computed = inspection.report_deadline_computed
    return form_page(
        request,
        form,
        title=f"Điều chỉnh hạn gửi báo cáo — {inspection.unit}",
        back=reverse("plans:inspection-detail", args=[inspection.pk]),
        intro=f"Hạn tính theo kế hoạch ({vn.short_date(computed)}) vẫn được lưu lại cùng lý do."
        if computed
        else "",
    )


@staff_required
def inspection_cancel(request, pk):
    inspection = access.get_staff_inspection(request.user, pk)
    form = ReasonForm(request.POST or None, submit="Hủy cuộc kiểm tra")
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_cancel(
                inspection=inspection, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã hủy cuộc kiểm tra {inspection.unit}.")
            return _detail(inspection)
    return form_page(
        request,
        form,
        title=f"Hủy cuộc kiểm tra {inspection.unit}",
        back=reverse("plans:inspection-detail", args=[inspection.pk]),
        intro="Lý do hủy được ghi vào lịch sử của cuộc kiểm tra.",
    )


@require_POST
@staff_required
def inspection_review_done(request, pk):
    inspection = access.get_staff_inspection(request.user, pk)
    try:
        services.inspection_review_done(
            inspection=inspection, actor=request.user, note=request.POST.get("note", "")
        )
    except ValidationError as error:
        error_message(request, error)
    else:
        messages.success(request, "Đã ghi nhận đã kiểm tra.")
    return _detail(inspection)


@access.schedule_required
def inspection_logistics(request, pk):
    """Văn phòng Sở (and CCHC staff) note vehicles and funding for an inspection."""
    inspection = access.get_logistics_inspection(request.user, pk)
    form = LogisticsForm(request.POST or None, instance=inspection)
    back = (
        reverse("plans:team-programme", args=[inspection.team_id])
        if inspection.team_id
        else reverse("plans:inspection-list")
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_logistics_update(
                inspection=inspection,
                logistics_notes=form.cleaned_data["logistics_notes"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã lưu ghi chú hậu cần.")
            return redirect(back)
    return form_page(
        request,
        form,
        title=f"Ghi chú hậu cần — kiểm tra {inspection.unit}",
        back=back,
        intro=_when_where(inspection),
    )


def _when_where(inspection):
    parts = [inspection.get_form_display()]
    if inspection.start_date:
        parts.append(f"ngày {vn.short_date(inspection.start_date)}")
    if inspection.place:
        parts.append(f"tại {inspection.place}")
    return ", ".join(parts) + "."
