"""Staff-side pages of findings: minutes, findings, the conclusion, the remediation tracker
and the findings register."""

import functools
from collections import defaultdict
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.shortcuts import redirect, render
from django.template.defaultfilters import truncatewords
from django.template.loader import render_to_string
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cchc_inspection import history as changes
from cchc_inspection import listcache, vn
from cchc_inspection.links import link
from cchc_inspection.roles import (
    agency_of,
    can_see_history,
    is_leader,
    is_staff_side,
    leader_required,
    staff_required,
)
from cchc_inspection.workflow import moves
from plans.models import Inspection, InspectionPlan
from reports.models import OutlineItem, ReportOutline
from units.models import Unit

from .. import services
from ..access import (
    get_action,
    get_conclusion,
    get_finding,
    get_minutes,
    get_work_inspection,
    inspection_work_required,
    visible_actions,
    visible_findings,
)
from ..filters import FindingFilter, RemediationFilter
from ..forms import (
    ActionFormSet,
    ConclusionForm,
    ExtendForm,
    FindingForm,
    IssueForm,
    MinutesForm,
    RejectForm,
    VerifyForm,
)
from ..history import action_sources, conclusion_sources
from ..models import Conclusion, DeadlineExtension, Finding, RemediationAction, RemediationProof

PAGE_SIZE = 50


def _inspection_page(inspection):
    return redirect("plans:inspection-detail", pk=inspection.pk)


def _errors(error):
    return " ".join(error.messages)


def _apply_error(form, error):
    """Put a service's ValidationError on the form: at its fields if named, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --- Minutes -------------------------------------------------------------------------------


def _minutes_initial(inspection):
    members = inspection.team.members.all() if inspection.team_id else []
    return {
        "held_on": inspection.start_date,
        "place": inspection.place or str(inspection.unit),
        "team_participants": "\n".join(
            f"{m.full_name}, {m.position or m.get_role_display()}"
            f"{', ' + m.agency_name if m.agency_name else ''} — {m.get_role_display()}"
            for m in members
        ),
    }


def _minutes_form_page(request, inspection, form, minutes=None):
    context = {"inspection": inspection, "form": form, "minutes": minutes}
    return render(request, "findings/sitevisitminutes_form.html", context)


@inspection_work_required
def minutes_create(request, pk):
    inspection = get_work_inspection(request.user, pk)
    form = MinutesForm(request.POST or None, initial=_minutes_initial(inspection))
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_create(
                inspection=inspection, data=form.cleaned_data, actor=request.user
            )
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "Đã lưu biên bản kiểm tra.")
            return _inspection_page(inspection)
    return _minutes_form_page(request, inspection, form)


@inspection_work_required
def minutes_update(request, pk):
    minutes = get_minutes(request.user, pk)
    inspection = minutes.inspection
    form = MinutesForm(request.POST or None, instance=minutes)
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_update(minutes=minutes, data=form.cleaned_data, actor=request.user)
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "Đã cập nhật biên bản kiểm tra.")
            return _inspection_page(inspection)
    return _minutes_form_page(request, inspection, form, minutes)


# --- Findings ------------------------------------------------------------------------------


def _finding_form_page(request, inspection, form, finding=None, current=None):
    context = {"inspection": inspection, "form": form, "finding": finding, "current": current}
    return render(request, "findings/finding_form.html", context)


@inspection_work_required
def finding_create(request, pk):
    inspection = get_work_inspection(request.user, pk)
    areas = services.area_items(inspection)
    initial = {"item": request.GET.get("item"), "responsible": str(inspection.unit)}
    form = FindingForm(request.POST or None, areas=areas, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_create(
                inspection=inspection, data=form.data_for_service(), actor=request.user
            )
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "Đã ghi nhận kết quả kiểm tra.")
            if "save_add" in request.POST:
                return redirect("findings:finding-create", pk=inspection.pk)
            return _inspection_page(inspection)
    return _finding_form_page(request, inspection, form)


@inspection_work_required
def finding_update(request, pk):
    finding = get_finding(request.user, pk)
    inspection = finding.inspection
    areas = services.area_items(inspection)
    form = FindingForm(request.POST or None, instance=finding, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_update(
                finding=finding,
                data=form.data_for_service(),
                version=form.cleaned_data["version"],
                actor=request.user,
            )
        except services.StaleEditError as error:
            # Keep the user's text; the next save knowingly replaces the newer version.
            current = Finding.objects.select_related("item").get(pk=finding.pk)
            data = request.POST.copy()
            data["version"] = current.version
            # The form writes into its instance while validating: give it its own copy.
            form = FindingForm(data, instance=Finding.objects.get(pk=finding.pk), areas=areas)
            form.is_valid()
            form.add_error(None, error)
            return _finding_form_page(request, inspection, form, finding, current)
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "Đã cập nhật kết quả kiểm tra.")
            return _inspection_page(inspection)
    return _finding_form_page(request, inspection, form, finding)


@require_POST
@inspection_work_required
def finding_delete(request, pk):
    finding = get_finding(request.user, pk)
    try:
        services.finding_delete(finding=finding, actor=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, "Đã xóa kết quả kiểm tra.")
    return _inspection_page(finding.inspection)


# --- Conclusion ----------------------------------------------------------------------------


@require_POST
@staff_required
def conclusion_create(request, pk):
    inspection = get_work_inspection(request.user, pk)
    try:
        conclusion = services.conclusion_draft(inspection=inspection, actor=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return _inspection_page(inspection)
    messages.success(
        request,
        "Đã lập dự thảo thông báo kết luận từ các kết quả kiểm tra; hãy rà soát nội dung và "
        "thời hạn khắc phục.",
    )
    return redirect("findings:conclusion-update", pk=conclusion.pk)


@inspection_work_required
def conclusion_detail(request, pk):
    conclusion = get_conclusion(request.user, pk)
    actions = conclusion.actions.select_related("item").prefetch_related(
        Prefetch("extensions", queryset=DeadlineExtension.objects.select_related("actor"))
    )
    context = {
        "conclusion": conclusion,
        "inspection": conclusion.inspection,
        "actions": actions.order_by("order", "pk"),
        "issue_form": IssueForm(),
        "can_edit": conclusion.is_editable and is_staff_side(request.user),
        "can_issue": conclusion.is_editable and is_leader(request.user),
        "can_correct": (
            conclusion.status == Conclusion.Status.ISSUED
            and is_staff_side(request.user)
            and not Conclusion.objects.filter(supersedes=conclusion).exists()
        ),
        "newer": Conclusion.objects.filter(supersedes=conclusion).first(),
        "log": moves(conclusion),
        "history": changes.page(request, conclusion_sources(conclusion))
        if can_see_history(request.user)
        else None,
    }
    return render(request, "findings/conclusion_detail.html", context)


@staff_required
def conclusion_update(request, pk):
    conclusion = get_conclusion(request.user, pk)
    if not conclusion.is_editable:
        messages.error(
            request, "Thông báo kết luận đã ban hành, không thể sửa; hãy lập bản đính chính."
        )
        return redirect("findings:conclusion-detail", pk=conclusion.pk)
    inspection = conclusion.inspection
    area_qs = _area_queryset(services.area_items(inspection))
    form = ConclusionForm(request.POST or None, instance=conclusion)
    formset = ActionFormSet(
        request.POST or None,
        instance=conclusion,
        queryset=conclusion.actions.order_by("order", "pk"),
        form_kwargs={"areas": area_qs},
        prefix="actions",
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.conclusion_save(
                conclusion=conclusion, form=form, formset=formset, actor=request.user
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, "Đã lưu dự thảo thông báo kết luận.")
            return redirect("findings:conclusion-detail", pk=conclusion.pk)
    context = {
        "conclusion": conclusion,
        "inspection": inspection,
        "form": form,
        "formset": formset,
    }
    return render(request, "findings/conclusion_form.html", context)


def _area_queryset(areas):
    return OutlineItem.objects.filter(pk__in=[a.pk for a in areas]).order_by("order")


@require_POST
@leader_required
def conclusion_issue(request, pk):
    conclusion = get_conclusion(request.user, pk)
    form = IssueForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ngày ban hành không hợp lệ.")
        return redirect("findings:conclusion-detail", pk=conclusion.pk)
    try:
        services.conclusion_issue(
            conclusion=conclusion, actor=request.user, issued_on=form.cleaned_data["issued_on"]
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        conclusion.refresh_from_db()
        messages.success(
            request,
            f"Đã ban hành Thông báo kết luận số {conclusion.number_display}; đơn vị đã được "
            "thông báo.",
        )
    return redirect("findings:conclusion-detail", pk=conclusion.pk)


@require_POST
@staff_required
def conclusion_correct(request, pk):
    conclusion = get_conclusion(request.user, pk)
    try:
        new = services.conclusion_correct(conclusion=conclusion, actor=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("findings:conclusion-detail", pk=conclusion.pk)
    messages.success(request, f"Đã lập dự thảo đính chính (phiên bản {new.version}).")
    return redirect("findings:conclusion-update", pk=new.pk)


# --- Long lists: the remediation tracker and the findings register -----------------------


def _page(request, queryset, rows):
    """The requested page of the filtered, ordered ``queryset`` with its rows built by
    ``rows(pks)``, and the query string of the filters (for the page links).

    The page is found on primary keys alone, then only its rows are read: sorting the
    ~100,000 findings of a national register with every column of the finding, its
    inspection, plan, unit and area spilled the sort to disk on PostgreSQL and took 25 ms
    of SQLite's time on a province. The count is a query of its own: it needs none of the
    joins the order does, and the keys' query stops after the first plans' rows (reading
    the keys with ``COUNT(*) OVER ()`` instead joined every row of a Sở: 7 → 11 ms)."""
    page = Paginator(queryset.values_list("pk", flat=True), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    pks = list(page.object_list)
    found = {row["pk"]: row for row in rows(pks)}
    page.object_list = [found[pk] for pk in pks if pk in found]  # unless deleted meanwhile
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


# Everything the register and the tracker show or filter by: a write to any of these tables
# changes the versions their kept parts are read under.
_LIST_MODELS = (
    Finding,
    RemediationAction,
    RemediationProof,
    Conclusion,
    Inspection,
    InspectionPlan,
    Unit,
    OutlineItem,
    ReportOutline,
)


def _list_page(request, template, name, context):
    """The register's or the tracker's page: ``template`` around its main part (counts,
    filters, table, pages), written in ``_<template name>_main.html`` from ``context()``.

    The staff side of an agency all read the same lists, again and again between two
    writes: for them the part is kept in the cache (``cchc_inspection.listcache``, exact
    to the last write), by agency and role flags. A team member's rows are those of their
    teams: rendered every time."""
    part = template.replace("findings/", "findings/_").replace(".html", "_main.html")
    user = request.user
    if not is_staff_side(user):
        return render(request, template, context())
    # The agency (None: every agency's) and what the part's template reads of the roles:
    # the export button and the review column (``can_verify``) both follow is_staff_side.
    flags = (agency_of(user), is_staff_side(user))

    def render_part():
        values = {**context(), "csrf_token": listcache.CSRF_PLACEHOLDER}
        return render_to_string(part, values, request)

    main = listcache.cached(name, request, models=_LIST_MODELS, parts=flags, render=render_part)
    return render(request, template, {"main": main})


# The register's and the tracker's rows are plain dicts of what a row shows, read with
# ``values()``: building and rendering a page of model instances (five or six per row)
# cost more than the rest of the page.


@functools.lru_cache(maxsize=4096)
def _area_text(label, title):
    """An area (outline item) as the item itself prints it (kept: a page repeats a few)."""
    return str(OutlineItem(label=label, title=title))


# --- Remediation tracker -------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _conclusion_number(number, symbol):
    """ "05/TB-SNV", as the conclusion prints its number."""
    return Conclusion(number=number, symbol=symbol).number_display


def _proofs(pks):
    """Proof files of the actions ``pks``: ``{action pk: [{"url", "name"}]}``."""
    found = defaultdict(list)
    proofs = RemediationProof.objects.filter(action__in=pks)
    for action, pk, name in proofs.values_list("action_id", "pk", "original_name"):
        found[action].append({"url": link("findings:proof-download", pk), "name": name})
    return found


def _tracker_rows(pks, *, back, can_verify):
    """The tracker's rows; ``back`` is the page's own address, where the review buttons
    return, ``can_verify`` whether the user gets them."""
    statuses = dict(RemediationAction.Status.choices)
    proofs = _proofs(pks)
    rows = (
        RemediationAction.objects.with_overdue_flag()
        .filter(pk__in=pks)
        .order_by()
        .values(
            "pk",
            "conclusion_id",
            "requirement",
            "responsible",
            "deadline",
            "original_deadline",
            "status",
            "unit_report",
            "reported_at",
            "review_comment",
            "version",
            "overdue",
            number=F("conclusion__number"),
            symbol=F("conclusion__symbol"),
            issued_on=F("conclusion__issued_on"),
            inspection_id=F("conclusion__inspection_id"),
            unit=F("conclusion__inspection__unit__name"),
            year=F("conclusion__inspection__plan__year"),
            item_label=F("item__label"),
            item_title=F("item__title"),
        )
    )
    for row in rows:
        pk, status, moved = row["pk"], row["status"], row["deadline"] != row["original_deadline"]
        row.update(
            year=str(row["year"]),  # as written, not through the number localization
            area=_area_text(row.pop("item_label"), row.pop("item_title")),
            number=_conclusion_number(row["number"], row.pop("symbol")),
            issued_on=vn.short_date(row["issued_on"]),
            deadline=vn.short_date(row["deadline"]),
            original_deadline=vn.short_date(row["original_deadline"]) if moved else "",
            status_label=statuses[status],
            unit_report=truncatewords(row["unit_report"], 40) if row["unit_report"] else "",
            reported_at=vn.date_time(row["reported_at"]),
            proofs=proofs[pk],
            inspection_url=link("plans:inspection-detail", row["inspection_id"]),
            conclusion_url=link("findings:conclusion-detail", row["conclusion_id"]),
        )
        if can_verify and status == RemediationAction.Status.REPORTED:
            row["verify_url"] = link("findings:action-verify", pk)
            row["reject_url"] = link("findings:action-reject", pk)
        if can_verify and status != RemediationAction.Status.VERIFIED:
            row["extend_url"] = f"{link('findings:action-extend', pk)}?next={quote(back)}"
        yield row


@inspection_work_required
def tracker(request):
    def context():
        actions = visible_actions(request.user).current().with_overdue_flag()
        filterset = RemediationFilter(
            request.GET or None, queryset=actions.order_by("deadline", "pk"), request=request
        )
        here, can_verify = request.get_full_path(), is_staff_side(request.user)
        page, query = _page(
            request,
            filterset.qs,
            lambda pks: _tracker_rows(pks, back=here, can_verify=can_verify),
        )
        return {
            "filter": filterset,
            "page": page,
            "query": query,
            "can_verify": can_verify,
            "here": here,
        }

    return _list_page(request, "findings/remediationaction_list.html", "tracker", context)


def _back(request, default="findings:tracker"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


def _review_action(request, pk, form_class, service, done):
    action = get_action(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(ValidationError(form.errors["comment"])))
        return _back(request)
    comment = form.cleaned_data["comment"]
    try:
        service(
            action=action,
            comment=comment,
            actor=request.user,
            version=form.cleaned_data["version"],
        )
    except services.StaleEditError as error:
        # The page is reloaded with the current state; what was typed is given back.
        kept = f" Ý kiến bạn đã nhập: “{comment.strip()}”." if comment.strip() else ""
        messages.error(request, _errors(error) + kept)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, done)
    return _back(request)


@require_POST
@staff_required
def action_verify(request, pk):
    return _review_action(
        request, pk, VerifyForm, services.remediation_verify, "Đã xác nhận hoàn thành khắc phục."
    )


@require_POST
@staff_required
def action_reject(request, pk):
    return _review_action(
        request,
        pk,
        RejectForm,
        services.remediation_reject,
        "Đã trả lại kết quả khắc phục; đơn vị đã được thông báo.",
    )


@staff_required
def action_extend(request, pk):
    action = get_action(request.user, pk)
    form = ExtendForm(request.POST or None, initial={"version": action.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.remediation_extend(
                action=action,
                new_deadline=form.cleaned_data["new_deadline"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
                version=form.cleaned_data["version"],
            )
        except services.StaleEditError as error:
            # Keep what was typed; the form now carries the current version, so sending it
            # again is a decision taken knowing the newer state shown above it.
            _apply_error(form, error)
            data = form.data.copy()
            data["version"] = action.version
            form.data = data
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, "Đã gia hạn thời hạn khắc phục.")
            return _back(request)
    extensions = action.extensions.select_related("actor")
    back = request.POST.get("next") or request.GET.get("next", "")
    context = {
        "action": action,
        "form": form,
        "extensions": extensions,
        "next": back,
        "history": changes.page(request, action_sources(action)),
    }
    return render(request, "findings/remediationaction_form.html", context)


# --- Findings register ---------------------------------------------------------------------


_KIND_BADGES = {
    Finding.Kind.STRENGTH: "text-bg-success",
    Finding.Kind.SHORTCOMING: "text-bg-warning",
    Finding.Kind.VIOLATION: "text-bg-danger",
}


def _register_rows(pks):
    """The register's rows: the finding with its year, unit and area."""
    kinds, handlings = dict(Finding.Kind.choices), dict(Finding.Handling.choices)
    rows = (
        Finding.objects.filter(pk__in=pks)
        .order_by()
        .values(
            "pk",
            "inspection_id",
            "kind",
            "description",
            "cause",
            "recommendation",
            "handling",
            year=F("inspection__plan__year"),
            unit=F("inspection__unit__name"),
            item_label=F("item__label"),
            item_title=F("item__title"),
        )
    )
    for row in rows:
        row.update(
            year=str(row["year"]),
            area=_area_text(row.pop("item_label"), row.pop("item_title")),
            kind_label=kinds[row["kind"]],
            badge=_KIND_BADGES[row["kind"]],
            handling_label=handlings.get(row["handling"], ""),
            inspection_url=link("plans:inspection-detail", row["inspection_id"]),
        )
        yield row


@inspection_work_required
def finding_list(request):
    def context():
        findings = visible_findings(request.user).in_register_order()
        filterset = FindingFilter(request.GET or None, queryset=findings, request=request)
        page, query = _page(request, filterset.qs, _register_rows)
        return {"filter": filterset, "page": page, "query": query}

    return _list_page(request, "findings/finding_list.html", "register", context)


urlpatterns = [
    path("ket-qua/", finding_list, name="finding-list"),
    path("cuoc-kiem-tra/<int:pk>/ket-qua/them/", finding_create, name="finding-create"),
    path("ket-qua/<int:pk>/sua/", finding_update, name="finding-update"),
    path("ket-qua/<int:pk>/xoa/", finding_delete, name="finding-delete"),
    path("cuoc-kiem-tra/<int:pk>/bien-ban/them/", minutes_create, name="minutes-create"),
    path("bien-ban/<int:pk>/sua/", minutes_update, name="minutes-update"),
    path("cuoc-kiem-tra/<int:pk>/ket-luan/", conclusion_create, name="conclusion-create"),
    path("ket-luan/<int:pk>/", conclusion_detail, name="conclusion-detail"),
    path("ket-luan/<int:pk>/sua/", conclusion_update, name="conclusion-update"),
    path("ket-luan/<int:pk>/ban-hanh/", conclusion_issue, name="conclusion-issue"),
    path("ket-luan/<int:pk>/dinh-chinh/", conclusion_correct, name="conclusion-correct"),
    path("khac-phuc/", tracker, name="tracker"),
    path("khac-phuc/<int:pk>/xac-nhan/", action_verify, name="action-verify"),
    path("khac-phuc/<int:pk>/tra-lai/", action_reject, name="action-reject"),
    path("khac-phuc/<int:pk>/gia-han/", action_extend, name="action-extend"),
]
