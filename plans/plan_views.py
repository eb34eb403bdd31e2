"""Pages that draft, copy, issue and close a plan, and edit its Phụ lục 1 (groups, units).

The plan list and the plan page (the document as it reads) are in ``plans.views``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cchc_inspection.roles import leader_required, staff_required

from . import access, services
from .forms import EntryForm, EntryUpdateForm, GroupForm, IssueForm, PlanCopyForm, PlanForm
from .models import PlanEntry, PlanGroup


def apply_errors(form, error):
    """Put a service's ValidationError next to the fields it names (else above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def error_message(request, error):
    messages.error(request, " ".join(error.messages))


def post_action(request, action, *, success, then):
    """Run the service call behind a POST-only button and go back to ``then``.

    A refusal (ValidationError) becomes an error message; otherwise ``success(result)``,
    when given, says what was done.
    """
    try:
        result = action()
    except ValidationError as error:
        error_message(request, error)
    else:
        if success is not None:
            messages.success(request, success(result))
    return redirect(then)


def issue_action(request, issue, *, kind, then):
    """A leader's "issue" button: the date from IssueForm, then ``issue(issued_on=…)``."""
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ngày ban hành không hợp lệ.")
        return redirect(then)
    return post_action(
        request,
        lambda: issue(actor=request.user, issued_on=form.cleaned_data["issued_on"]),
        success=lambda document: f"Đã ban hành {kind} số {document.number_display}.",
        then=then,
    )


def form_page(request, form, *, title, back, intro=""):
    """A page with one crispy form, its title, a short explanation and a way back (a URL)."""
    return render(
        request,
        "plans/object_form.html",
        {"form": form, "title": title, "back": back, "intro": intro},
    )


def appendix_url(plan_id):
    return reverse("plans:plan-appendix", args=[plan_id])


def refuse_unless(request, check, *, then):
    """A redirect with the refusal's message if ``check()`` refuses the edit, else None."""
    try:
        check()
    except ValidationError as error:
        error_message(request, error)
        return redirect(then)
    return None


def refuse_if_issued(request, plan):
    """Redirect with a message when a non-draft plan would be edited."""
    return refuse_unless(
        request,
        lambda: services.ensure_plan_editable(plan),
        then=reverse("plans:plan-detail", args=[plan.pk]),
    )


# --- The plan itself -------------------------------------------------------------------------


@staff_required
def plan_create(request):
    form = PlanForm(request.POST or None, agencies=access.agencies(request.user))
    if request.method == "POST" and form.is_valid():
        plan = services.plan_save(plan=form.save(commit=False), actor=request.user)
        messages.success(request, "Đã lập dự thảo kế hoạch. Hãy thêm các đơn vị vào Phụ lục 1.")
        return redirect("plans:plan-appendix", pk=plan.pk)
    return render(request, "plans/inspectionplan_form.html", {"form": form, "plan": None})


@staff_required
def plan_update(request, pk):
    plan = access.get_plan(request.user, pk)
    refused = refuse_if_issued(request, plan)
    if refused:
        return refused
    form = PlanForm(request.POST or None, instance=plan, agencies=access.agencies(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_save(plan=form.save(commit=False), actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Đã lưu kế hoạch.")
            return redirect("plans:plan-detail", pk=plan.pk)
    return render(request, "plans/inspectionplan_form.html", {"form": form, "plan": plan})


@staff_required
def plan_copy(request, pk):
    """Start next year's plan from this one (sections, Phụ lục 1 and the report outline).

    The copy also copies the outline, which lives in ``reports``; ``plans`` never imports
    ``reports`` at module level, so the service is looked up here, when the page is used.
    """
    from reports.services import plan_copy as copy_plan

    source = access.get_plan(request.user, pk)
    form = PlanCopyForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        try:
            plan = copy_plan(plan=source, year=form.cleaned_data["year"], actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            left_out = source.entries.count() - plan.entries.count()
            text = f"Đã tạo dự thảo kế hoạch năm {plan.year} từ kế hoạch năm {source.year}."
            if left_out:
                text += f" {left_out} đơn vị không còn hiệu lực nên không được đưa vào Phụ lục 1."
            messages.success(request, text)
            return redirect("plans:plan-detail", pk=plan.pk)
    return form_page(
        request,
        form,
        title=f"Sao kế hoạch năm {source.year} sang năm mới",
        back=reverse("plans:plan-detail", args=[source.pk]),
        intro="Kế hoạch mới là một dự thảo: các phần nội dung, nhóm và đơn vị của Phụ lục 1 "
        "(những đơn vị còn hiệu lực) và đề cương báo cáo được sao sang; số, ngày ban hành, "
        "đoàn kiểm tra và cuộc kiểm tra thì không.",
    )


@require_POST
@leader_required
def plan_issue(request, pk):
    plan = access.get_plan(request.user, pk)
    return issue_action(
        request,
        lambda **when: services.plan_issue(plan=plan, **when),
        kind="Kế hoạch",
        then=reverse("plans:plan-detail", args=[plan.pk]),
    )


@require_POST
@leader_required
def plan_close(request, pk):
    plan = access.get_plan(request.user, pk)
    return post_action(
        request,
        lambda: services.plan_close(plan=plan, actor=request.user),
        success=lambda closed: f"Đã kết thúc kế hoạch năm {closed.year}.",
        then=reverse("plans:plan-detail", args=[plan.pk]),
    )


# --- Phụ lục 1: groups and entries -----------------------------------------------------------


@staff_required
def plan_appendix(request, pk):
    """Edit Phụ lục 1: the groups in order, and the units of each with period and note."""
    plan = access.get_plan(request.user, pk)
    groups = plan.groups.annotate(entry_count=Count("entries")).prefetch_related(
        Prefetch(
            "entries", queryset=PlanEntry.objects.select_related("unit").order_by("order", "pk")
        )
    )
    return render(
        request,
        "plans/planentry_list.html",
        {"plan": plan, "groups": groups, "editable": plan.is_editable},
    )


@staff_required
def group_add(request, pk):
    plan = access.get_plan(request.user, pk)
    refused = refuse_if_issued(request, plan)
    if refused:
        return refused
    form = GroupForm(request.POST or None, instance=PlanGroup(plan=plan))
    if request.method == "POST" and form.is_valid():
        services.group_save(group=form.save(commit=False), actor=request.user)
        messages.success(request, f"Đã thêm nhóm “{form.instance.title}”.")
        return redirect("plans:plan-appendix", pk=plan.pk)
    return form_page(
        request, form, title="Thêm nhóm đơn vị vào Phụ lục 1", back=appendix_url(plan.pk)
    )


@staff_required
def group_update(request, pk):
    group = access.get_group(request.user, pk)
    refused = refuse_if_issued(request, group.plan)
    if refused:
        return refused
    form = GroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        services.group_save(group=form.save(commit=False), actor=request.user)
        messages.success(request, "Đã lưu nhóm.")
        return redirect("plans:plan-appendix", pk=group.plan_id)
    return form_page(
        request, form, title=f"Sửa nhóm “{group.title}”", back=appendix_url(group.plan_id)
    )


@require_POST
@staff_required
def group_move(request, pk):
    group = access.get_group(request.user, pk)
    direction = request.POST.get("direction", "down")
    return post_action(
        request,
        lambda: services.group_move(group=group, direction=direction, actor=request.user),
        success=None,
        then=appendix_url(group.plan_id),
    )


@require_POST
@staff_required
def group_delete(request, pk):
    group = access.get_group(request.user, pk)
    return post_action(
        request,
        lambda: services.group_delete(group=group, actor=request.user),
        success=lambda _: f"Đã xóa nhóm “{group.title}”.",
        then=appendix_url(group.plan_id),
    )


@staff_required
def entry_add(request, pk):
    plan = access.get_plan(request.user, pk)
    refused = refuse_if_issued(request, plan)
    if refused:
        return refused
    if not plan.groups.exists():
        messages.error(request, "Hãy thêm ít nhất một nhóm đơn vị trước khi thêm đơn vị.")
        return redirect("plans:plan-appendix", pk=plan.pk)
    initial = {"group": request.GET.get("group")} if request.GET.get("group") else None
    form = EntryForm(
        request.POST or None, instance=PlanEntry(plan=plan), plan=plan, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_save(entry=form.save(commit=False), actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã thêm {entry.unit} vào Phụ lục 1.")
            if "another" in request.POST:
                return redirect(f"{request.path}?group={entry.group_id}")
            return redirect("plans:plan-appendix", pk=plan.pk)
    return render(request, "plans/planentry_form.html", {"form": form, "plan": plan})


@staff_required
def entry_update(request, pk):
    entry = access.get_entry(request.user, pk)
    refused = refuse_if_issued(request, entry.plan)
    if refused:
        return refused
    form = EntryUpdateForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_save(entry=form.save(commit=False), actor=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã lưu {entry.unit} trong Phụ lục 1.")
            return redirect("plans:plan-appendix", pk=entry.plan_id)
    return form_page(
        request, form, title=f"Sửa dòng “{entry.unit}”", back=appendix_url(entry.plan_id)
    )


@require_POST
@staff_required
def entry_delete(request, pk):
    entry = access.get_entry(request.user, pk)
    return post_action(
        request,
        lambda: services.entry_delete(entry=entry, actor=request.user),
        success=lambda _: f"Đã bỏ {entry.unit} khỏi Phụ lục 1.",
        then=appendix_url(entry.plan_id),
    )
