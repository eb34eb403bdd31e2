"""The unit's side of a report: the form, saving per item, evidence, submission.

The form is shown one part of the outline at a time (``?phan=``), with a navigation that
tells how far each part is, and the list of evidence files as a page of its own; what a
page shows is assembled by ``reports.views.unit_page``.

Saving: every item is its own form posted to ``answer-save`` (text and figures of the
item, all or nothing); a figure may also be saved alone through ``value-save`` (the form
script does that as soon as a figure is changed, to show its checks at once). Both carry
the version the editor loaded, so two people of one unit never overwrite each other
silently: a stale save is refused and the page shows theirs and yours. Without
JavaScript the forms post normally and the page comes back with the same messages.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cchc_inspection.links import link
from cchc_inspection.roles import Role, role_required
from plans.models import Inspection

from .. import access, figures, services
from ..forms import EvidenceUploadForm, ItemForm
from ..models import Evidence, Indicator, OutlineItem
from ..uploads import UploadRefused, attachment_response, checks_upload_names
from .unit_page import EVIDENCE_PART, ReportPage, item_page_url

focal_required = role_required(Role.FOCAL)


def is_fetch(request):
    return request.headers.get("X-Requested-With") == "fetch"


def deadline_info(deadline, today=None):
    """Days left until a deadline (0 = today), or how many days it is past."""
    if deadline is None:
        return None
    days = (deadline - (today or timezone.localdate())).days
    return {"date": deadline, "days_left": max(days, 0), "late_days": max(-days, 0)}


def optional_url(name, *pks):
    """A URL if that page exists (documents come from another module), else None."""
    try:
        return link(name, *pks)
    except NoReverseMatch:
        return None


# --- The page --------------------------------------------------------------------------------


def _load(request, pk, *, for_change=False):
    """``(inspection, report, can_edit)``; 404 unless the user's unit (or, read only, a
    unit under their district). ``report`` is None until the report is requested."""
    if for_change:
        inspection, can_edit = access.get_own_inspection(request.user, pk), True
    else:
        inspection, can_edit = access.get_report_inspection(request.user, pk)
    report = access.report_of(inspection)
    return inspection, report, can_edit


def is_open(inspection, report):
    return (
        report is not None
        and report.is_editable
        and inspection.status == Inspection.Status.REPORT_REQUESTED
    )


def _context(request, inspection, report, can_edit, *, part_key=None, bound_item=None, **extra):
    """The page's context, showing the part ``part_key`` names, or ``bound_item``'s part
    with what was posted for it (``data``, ``conflicts``)."""
    editable = can_edit and is_open(inspection, report)
    context = {
        "inspection": inspection,
        "report": report,
        "can_edit": can_edit,
        "editable": editable,
        "deadline": deadline_info(inspection.report_deadline),
        "request_pdf_url": optional_url("reports:request-pdf", inspection.pk),
    }
    if report is not None:
        whole_evidence = bound_item is None and part_key == EVIDENCE_PART
        page = ReportPage(inspection, report, editable=editable, whole_evidence=whole_evidence)
        part = page.open(part_key, bound_item.id if bound_item else None)
        data, conflicts = extra.pop("data", None), extra.pop("conflicts", ())
        context.update(
            page=page,
            part=part,
            rows=page.rows(part, bound_item, data, conflicts),
            neighbours=page.neighbours(part),
        )
        if "submit_problems" in extra:
            extra["submit_problems"] = page.problem_links(extra["submit_problems"])
    context.update(extra)
    return context


def _render_page(request, inspection, report, can_edit, status=200, **extra):
    context = _context(request, inspection, report, can_edit, **extra)
    return render(request, "reports/unitreport_form.html", context, status=status)


# --- Views -----------------------------------------------------------------------------------


@focal_required
@require_GET
def report_edit(request, pk):
    """The report page, one part of the outline at a time (``?phan=``)."""
    inspection, report, can_edit = _load(request, pk)
    part_key = request.GET.get("phan")
    return _render_page(request, inspection, report, can_edit, part_key=part_key)


def _item_response(request, inspection, report, item, status, data=None, conflicts=()):
    """The item's fragment for the form script; the whole page otherwise."""
    if not is_fetch(request):
        return _render_page(
            request,
            inspection,
            report,
            True,
            status=status,
            bound_item=item,
            data=data,
            conflicts=conflicts,
        )
    page = ReportPage(inspection, report, editable=is_open(inspection, report))
    html = render_to_string(
        "reports/unit_item.html",
        {"rows": [page.row(item, data, conflicts)], "page": page, "inspection": inspection},
        request=request,
    )
    return JsonResponse(
        {
            "html": html,
            "messages": page.messages_json(),
            "completeness": _completeness_html(request, page, page.open(item_id=item.id)),
        },
        status=status,
    )


def _completeness_html(request, page, part):
    return render_to_string(
        "reports/unit_completeness.html", {"page": page, "part": part}, request=request
    )


@focal_required
@require_POST
def answer_save(request, pk, item_pk):
    inspection, report, _ = _load(request, pk, for_change=True)
    if report is None:
        raise Http404
    outline, unit = inspection.plan.outline, inspection.unit
    item = get_object_or_404(OutlineItem, pk=item_pk, outline=outline)
    items = figures.visible_items(outline, unit)
    if item.id not in {i.id for i in items}:
        raise Http404
    asked = figures.asked_indicators(outline, unit, items)
    indicators = [i for i in asked if i.item_id == item.id]
    form = ItemForm(request.POST, item=item, indicators=indicators)
    if not form.is_valid():
        if not is_fetch(request):
            messages.error(request, "Mục chưa được lưu: có số liệu nhập chưa đúng.")
        return _item_response(request, inspection, report, item, 400, data=request.POST)
    try:
        services.item_save(
            report=report,
            item=item,
            text=form.cleaned_data.get("text") if item.answerable else None,
            text_version=form.cleaned_data.get("text_version") or 0,
            values=form.saved_values(),
            actor=request.user,
        )
    except services.EditConflicts as error:
        data = request.POST.copy()
        for conflict in error.conflicts:
            name = "text_version" if conflict.key == "text" else f"ver{conflict.key}"
            data[name] = str(conflict.version)
        if not is_fetch(request):
            messages.warning(request, _conflict_message())
        return _item_response(request, inspection, report, item, 409, data, error.conflicts)
    except ValidationError as error:
        return _refused(request, inspection, error)
    if is_fetch(request):
        return _item_response(request, inspection, report, item, 200)
    messages.success(request, f"Đã lưu mục “{item}”.")
    return redirect(item_page_url(inspection, items, item.id))


def _conflict_message():
    return (
        "Người khác của đơn vị vừa lưu mục này. Nội dung của bạn vẫn còn trong ô nhập; "
        "hãy đối chiếu với nội dung đã lưu rồi bấm “Lưu mục” lần nữa để giữ nội dung của bạn."
    )


def _refused(request, inspection, error):
    if is_fetch(request):
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    for message in error.messages:
        messages.error(request, message)
    return redirect("reports:report-edit", pk=inspection.pk)


@focal_required
@require_POST
def value_save(request, pk, indicator_pk):
    inspection, report, _ = _load(request, pk, for_change=True)
    if report is None:
        raise Http404
    indicator = get_object_or_404(Indicator, pk=indicator_pk, outline=inspection.plan.outline)
    items = figures.visible_items(inspection.plan.outline, inspection.unit)
    back = item_page_url(inspection, items, indicator.item_id)
    try:
        value = figures.parse_figure(indicator, request.POST.get("value", ""))
        version = int(request.POST.get("version") or 0)
        services.value_save(
            report=report, indicator=indicator, value=value, version=version, actor=request.user
        )
    except services.EditConflict as conflict:
        if not is_fetch(request):
            messages.warning(request, f"{conflict.messages[0]} {_conflict_message()}")
            return redirect(back)
        return JsonResponse(
            {
                "conflict": {
                    "text": conflict.messages[0],
                    "theirs": conflict.theirs,
                    "version": conflict.version,
                }
            },
            status=409,
        )
    except (ValidationError, ValueError) as error:
        text = " ".join(getattr(error, "messages", ["Phiên bản không hợp lệ."]))
        if not is_fetch(request):
            messages.error(request, f"{indicator.label}: {text}")
            return redirect(back)
        return JsonResponse({"error": text}, status=400)
    if not is_fetch(request):
        messages.success(request, f"Đã lưu số liệu “{indicator.label}”.")
        return redirect(back)
    page = ReportPage(inspection, report, editable=True)
    stored = page.values.get(indicator.id)
    return JsonResponse(
        {
            "version": stored.version if stored else 0,
            "value": figures.input_text(indicator, stored.value if stored else None),
            "messages": page.messages_json(),
            "completeness": _completeness_html(request, page, page.open(item_id=indicator.item_id)),
        }
    )


@focal_required
@require_POST
def report_submit(request, pk):
    inspection, report, _ = _load(request, pk, for_change=True)
    if report is None:
        raise Http404
    try:
        services.report_submit(report=report, actor=request.user)
    except services.SubmissionRefused as error:
        messages.error(request, "Chưa nộp được báo cáo. Vui lòng xử lý các vấn đề dưới đây.")
        return _render_page(
            request,
            inspection,
            report,
            True,
            status=400,
            part_key=request.POST.get("phan"),
            submit_problems=error.problems,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("reports:report-edit", pk=inspection.pk)
    report.refresh_from_db()
    if report.is_late:
        messages.warning(
            request,
            "Đã nộp báo cáo. Báo cáo được nộp sau hạn gửi báo cáo; Đoàn kiểm tra sẽ thấy "
            "thời điểm nộp.",
        )
    else:
        messages.success(request, "Đã nộp báo cáo. Báo cáo được khóa chờ Đoàn kiểm tra xem xét.")
    return redirect("reports:report-edit", pk=inspection.pk)


# --- Evidence ----------------------------------------------------------------------------------


def _upload_context(inspection, report, form, replacing, problems=()):
    return {
        "inspection": inspection,
        "report": report,
        "form": form,
        "replacing": replacing,
        "problems": problems,
    }


@checks_upload_names
@focal_required
def evidence_upload(request, pk):
    inspection, report, _ = _load(request, pk, for_change=True)
    if not is_open(inspection, report):
        messages.error(request, "Báo cáo không ở trạng thái được bổ sung tài liệu kiểm chứng.")
        return redirect("reports:report-edit", pk=inspection.pk)
    items = figures.visible_items(inspection.plan.outline, inspection.unit)
    answerable = [i for i in items if i.answerable]
    replacing = None
    replace_pk = request.POST.get("replaces") or request.GET.get("replace")
    if replace_pk:
        replacing = get_object_or_404(
            Evidence.objects.current(), pk=_int_or_404(replace_pk), report=report
        )
    initial = {"items": request.GET.getlist("item")}
    if request.method != "POST":
        form = EvidenceUploadForm(items=answerable, replacing=replacing, initial=initial)
        return render(
            request,
            "reports/unit_evidence_form.html",
            _upload_context(inspection, report, form, replacing),
        )
    form = EvidenceUploadForm(request.POST, request.FILES, items=answerable, replacing=replacing)
    problems = []
    if form.is_valid():
        try:
            rows, duplicates = services.evidence_add(
                report=report,
                files=form.cleaned_data["files"],
                items=form.selected_items(),
                description=form.cleaned_data["description"],
                replaces=replacing,
                refused=request.refused_uploads,
                actor=request.user,
            )
        except UploadRefused as error:
            problems = error.problems
        except ValidationError as error:
            problems = [("", message) for message in error.messages]
        else:
            _tell_uploaded(request, rows, duplicates, replacing)
            target = _after_upload(inspection, items, None if replacing else form.selected_items())
            if is_fetch(request):
                return JsonResponse({"redirect": target})
            return redirect(target)
    if is_fetch(request):
        return JsonResponse(
            {"problems": [{"name": n, "message": m} for n, m in problems] or _form_errors(form)},
            status=400,
        )
    return render(
        request,
        "reports/unit_evidence_form.html",
        _upload_context(inspection, report, form, replacing, problems),
        status=400,
    )


def _form_errors(form):
    return [{"name": "", "message": e} for errors in form.errors.values() for e in errors]


def _int_or_404(value):
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise Http404 from error


def _after_upload(inspection, items, proven):
    """Back to the (first) item the new files prove; to the list after a replacement."""
    if proven:
        return item_page_url(inspection, items, proven[0].id)
    return f"{link('reports:report-edit', inspection.pk)}?phan={EVIDENCE_PART}#evidence"


def _tell_uploaded(request, rows, duplicates, replacing):
    if replacing is not None:
        messages.success(
            request,
            f"Đã thay “{replacing.original_name}” bằng “{rows[0].original_name}”; "
            "phiên bản cũ vẫn được lưu.",
        )
    else:
        names = ", ".join(f"“{row.original_name}”" for row in rows)
        messages.success(request, f"Đã tải lên {len(rows)} tệp: {names}.")
    for row, earlier in duplicates:
        messages.warning(
            request,
            f"Tệp “{row.original_name}” có nội dung trùng với tệp “{earlier}” đã có trong báo "
            "cáo (cùng mã SHA-256).",
        )


@login_required
@require_GET
def evidence_download(request, pk):
    """Any signed-in person, but the file only if ``reports.access`` lets them see it."""
    evidence = access.get_evidence(request.user, pk)
    return attachment_response(evidence.file, evidence.original_name, evidence.content_type)


urlpatterns = [
    path("kiem-tra/<int:pk>/bao-cao/", report_edit, name="report-edit"),
    path("kiem-tra/<int:pk>/bao-cao/muc/<int:item_pk>/luu/", answer_save, name="answer-save"),
    path(
        "kiem-tra/<int:pk>/bao-cao/so-lieu/<int:indicator_pk>/luu/",
        value_save,
        name="value-save",
    ),
    path("kiem-tra/<int:pk>/bao-cao/nop/", report_submit, name="report-submit"),
    path("kiem-tra/<int:pk>/bao-cao/tai-lieu/", evidence_upload, name="evidence-upload"),
    path("tai-lieu/<int:pk>/tai-ve/", evidence_download, name="evidence-download"),
]
