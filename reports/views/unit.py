"""The unit's side of a report: the form, saving per item, evidence, submission.

Saving: every item is its own form posted to ``answer-save`` (text and figures of the
item, all or nothing); a figure may also be saved alone through ``value-save`` (the form
script does that as soon as a figure is changed, to show its checks at once). Both carry
the version the editor loaded, so two people of one unit never overwrite each other
silently: a stale save is refused and the page shows theirs and yours. Without
JavaScript the forms post normally and the page comes back with the same messages.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from cchc_inspection.roles import Role, role_required
from plans.models import Inspection

from .. import access, figures, services
from ..forms import EvidenceUploadForm, ItemForm
from ..models import Evidence, Indicator, OutlineItem, ReviewComment
from ..uploads import UploadRefused, attachment_response, checks_upload_names

focal_required = role_required(Role.FOCAL)


def is_fetch(request):
    return request.headers.get("X-Requested-With") == "fetch"


def deadline_info(deadline, today=None):
    """Days left until a deadline (0 = today), or how many days it is past."""
    if deadline is None:
        return None
    days = (deadline - (today or timezone.localdate())).days
    return {"date": deadline, "days_left": max(days, 0), "late_days": max(-days, 0)}


def optional_url(name, *args):
    """A URL if that page exists (documents come from another module), else None."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# --- Assembling the page ---------------------------------------------------------------------


@dataclass
class FigureRow:
    indicator: object
    field: object
    label: str
    messages: list
    previous: str | None
    includes_communes: bool
    value: object
    version_field: object = None
    conflict: object = None

    @property
    def display(self):
        return figures.display(self.indicator, self.value)

    @property
    def unit_of_measure(self):
        kind = self.indicator.kind
        if kind == Indicator.Kind.PERCENT:
            return "%"
        if kind == Indicator.Kind.BOOLEAN:
            return ""
        return self.indicator.unit_of_measure or ("đồng" if kind == Indicator.Kind.AMOUNT else "")


@dataclass
class ItemRow:
    item: object
    form: object = None
    answer: object = None
    figures: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    footnotes: list = field(default_factory=list)
    covers_communes: bool = False
    text_conflict: object = None
    status: int = 200

    @property
    def has_body(self):
        return self.item.answerable or bool(self.figures)


class ReportPage:
    """Everything the report page shows, in a fixed number of queries."""

    def __init__(self, inspection, report, *, editable):
        self.inspection, self.report, self.editable = inspection, report, editable
        unit, outline = inspection.unit, inspection.plan.outline
        self.items = figures.visible_items(outline, unit)
        self.indicators = figures.asked_indicators(outline, unit, self.items)
        self.commune_items = figures.commune_item_ids(outline, self.items)
        self.answers = {a.item_id: a for a in report.answers.select_related("updated_by")}
        self.values = {v.indicator_id: v for v in report.values.select_related("updated_by")}
        rules = figures.outline_rules(outline, self.indicators)
        plain = {pk: row.value for pk, row in self.values.items()}
        self.messages = figures.check_values(self.indicators, rules, plain)
        self.previous_year, self.previous = figures.previous_values(report)
        self.labels = {
            i.pk: figures.figure_label(i, unit, self.commune_items) for i in self.indicators
        }
        self._load_evidence()
        self.comments = list(
            ReviewComment.objects.filter(report=report).select_related("author", "item")
        )
        self.footnotes = figures.outline_parts(outline).footnotes

    def _load_evidence(self):
        every = list(
            Evidence.objects.filter(report=self.report)
            .select_related("uploaded_by")
            .prefetch_related(Prefetch("items", queryset=OutlineItem.objects.only("pk", "label")))
        )
        by_pk = {e.pk: e for e in every}
        newer = {e.previous_id for e in every if e.previous_id}
        self.evidence = [e for e in every if e.pk not in newer]
        counts = Counter(e.sha256 for e in self.evidence)
        for e in self.evidence:
            e.is_duplicate = counts[e.sha256] > 1
            e.earlier = []
            node = by_pk.get(e.previous_id)
            while node is not None:
                e.earlier.append(node)
                node = by_pk.get(node.previous_id)
        self.evidence_by_item = defaultdict(list)
        for e in self.evidence:
            for item in e.items.all():
                self.evidence_by_item[item.pk].append(e)

    @property
    def latest_round(self):
        return max((c.round for c in self.comments), default=0)

    def general_comments(self):
        return [c for c in self.comments if c.item_id is None]

    def completeness(self):
        answerable = [i for i in self.items if i.answerable]
        answered = sum(1 for i in answerable if (self.answers.get(i.pk) or _Empty).text.strip())
        filled = sum(
            1
            for i in self.indicators
            if self.values.get(i.pk) is not None and self.values[i.pk].value is not None
        )
        proven = sum(1 for i in answerable if self.evidence_by_item.get(i.pk))
        return [
            {"label": label, "done": done, "total": total, "left": total - done}
            for label, done, total in [
                ("Mục đã trả lời", answered, len(answerable)),
                ("Số liệu đã nhập", filled, len(self.indicators)),
                ("Mục có tài liệu kiểm chứng", proven, len(answerable)),
            ]
        ]

    def errors_count(self):
        return sum(1 for ms in self.messages.values() for m in ms if m.is_error)

    def row(self, item, data=None, conflicts=()):
        """The row of one item; ``data`` binds its form (after a refused save)."""
        indicators = [i for i in self.indicators if i.item_id == item.pk]
        row = ItemRow(
            item=item,
            answer=self.answers.get(item.pk),
            evidence=self.evidence_by_item.get(item.pk, []),
            comments=[c for c in self.comments if c.item_id == item.pk],
            footnotes=[f for f in self.footnotes if f.item_id == item.pk],
            covers_communes=self.inspection.unit.is_district and item.pk in self.commune_items,
        )
        if self.editable and row.has_body:
            row.form = ItemForm(
                data,
                item=item,
                indicators=indicators,
                labels=self.labels,
                answer=row.answer,
                values=self.values,
            )
            if data is not None:
                row.form.is_valid()
        by_key = {c.key: c for c in conflicts}
        row.text_conflict = by_key.get("text")
        for indicator in indicators:
            stored = self.values.get(indicator.pk)
            previous = self.previous.get(indicator.code)
            row.figures.append(
                FigureRow(
                    indicator=indicator,
                    field=row.form[f"v{indicator.pk}"] if row.form else None,
                    label=self.labels[indicator.pk],
                    messages=self.messages.get(indicator.pk, []),
                    previous=figures.display(indicator, previous) if previous is not None else None,
                    includes_communes=figures.includes_communes(
                        indicator, self.inspection.unit, self.commune_items
                    ),
                    value=stored.value if stored else None,
                    version_field=row.form[f"ver{indicator.pk}"] if row.form else None,
                    conflict=by_key.get(indicator.pk),
                )
            )
        return row

    def rows(self, bound_item=None, data=None, conflicts=()):
        return [
            self.row(item, data, conflicts) if item == bound_item else self.row(item)
            for item in self.items
        ]

    def messages_json(self):
        return {
            str(pk): [{"level": m.level, "text": m.text} for m in ms]
            for pk, ms in self.messages.items()
        }


class _Empty:
    text = ""


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


def _context(request, inspection, report, can_edit, **extra):
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
        page = ReportPage(inspection, report, editable=editable)
        context["page"] = page
        context["rows"] = page.rows(
            extra.pop("bound_item", None), extra.pop("data", None), extra.pop("conflicts", ())
        )
    context.update(extra)
    return context


def _render_page(request, inspection, report, can_edit, status=200, **extra):
    context = _context(request, inspection, report, can_edit, **extra)
    return render(request, "reports/unitreport_form.html", context, status=status)


# --- Views -----------------------------------------------------------------------------------


@focal_required
@require_GET
def report_edit(request, pk):
    inspection, report, can_edit = _load(request, pk)
    return _render_page(request, inspection, report, can_edit)


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
    row = page.row(item, data, conflicts)
    html = render_to_string(
        "reports/unit_item.html",
        {"row": row, "page": page, "inspection": inspection, "editable": page.editable},
        request=request,
    )
    return JsonResponse(
        {
            "html": html,
            "messages": page.messages_json(),
            "completeness": _completeness_html(request, page),
        },
        status=status,
    )


def _completeness_html(request, page):
    return render_to_string("reports/unit_completeness.html", {"page": page}, request=request)


@focal_required
@require_POST
def answer_save(request, pk, item_pk):
    inspection, report, _ = _load(request, pk, for_change=True)
    if report is None:
        raise Http404
    item = get_object_or_404(OutlineItem, pk=item_pk, outline=inspection.plan.outline)
    page = ReportPage(inspection, report, editable=True)
    if item not in page.items:
        raise Http404
    indicators = [i for i in page.indicators if i.item_id == item.pk]
    form = ItemForm(
        request.POST,
        item=item,
        indicators=indicators,
        labels=page.labels,
        answer=page.answers.get(item.pk),
        values=page.values,
    )
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
    return redirect(f"{reverse('reports:report-edit', args=[inspection.pk])}#item-{item.pk}")


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
    back = f"{reverse('reports:report-edit', args=[inspection.pk])}#item-{indicator.item_id}"
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
    stored = page.values.get(indicator.pk)
    return JsonResponse(
        {
            "version": stored.version if stored else 0,
            "value": figures.input_text(indicator, stored.value if stored else None),
            "messages": page.messages_json(),
            "completeness": _completeness_html(request, page),
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
            request, inspection, report, True, status=400, submit_problems=error.problems
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
            return _uploaded(request, inspection, rows, duplicates, replacing)
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


def _uploaded(request, inspection, rows, duplicates, replacing):
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
    target = reverse("reports:report-edit", args=[inspection.pk]) + "#evidence"
    if is_fetch(request):
        return JsonResponse({"redirect": target})
    return redirect(target)


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
