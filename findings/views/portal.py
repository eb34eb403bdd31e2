"""The unit portal: the focal person's home page, and reporting remediation with proof."""

from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cchc_inspection.roles import Role, role_required
from cchc_inspection.workflow import TransitionError, history
from plans.models import Inspection
from reports import access as report_access
from reports.forms import MultipleFileField, MultipleFileInput
from reports.models import ReviewComment, UnitReport
from reports.uploads import (
    ACCEPT_ATTR,
    ALLOWED_HELP,
    UploadRefused,
    attachment_response,
    checks_upload_names,
    max_bytes,
    size_label,
)
from reports.views.unit import deadline_info, is_fetch, is_open, optional_url
from units.models import Unit

from .. import access, services
from ..models import RemediationAction

focal_required = role_required(Role.FOCAL)


def _report(inspection):
    try:
        return inspection.report
    except UnitReport.DoesNotExist:
        return None


def _inspection_rows(inspections, today):
    rows = []
    for inspection in inspections:
        report = _report(inspection)
        rows.append(
            {
                "inspection": inspection,
                "report": report,
                "deadline": deadline_info(inspection.report_deadline, today),
                "open": is_open(inspection, report),
                "request_pdf": optional_url("reports:request-pdf", inspection.pk)
                if inspection.report_requested_at
                else None,
            }
        )
    return rows


def _returned_comments(rows):
    """The latest round of comments of each returned report, by report id (one query)."""
    returned = [r["report"] for r in rows if r["report"] and r["report"].status == "returned"]
    comments = defaultdict(list)
    for comment in ReviewComment.objects.filter(report__in=returned).select_related("item"):
        comments[comment.report_id].append(comment)
    for report_id, items in comments.items():
        last = max(c.round for c in items)
        comments[report_id] = [c for c in items if c.round == last]
    return comments


@focal_required
@require_GET
def unit_home(request):
    """Only the user's own units: inspections and deadlines, requests to answer, returned
    reports with comments, remediation due, documents addressed to the unit; a district's
    focal person also sees the inspections of the communes under it (read only)."""
    today = timezone.localdate()
    own = report_access.own_unit_ids(request.user)
    units = list(Unit.objects.filter(pk__in=own))
    inspections = (
        Inspection.objects.exclude(status=Inspection.Status.CANCELLED)
        .select_related("plan", "unit", "team", "report")
        .order_by("-plan__year", "start_date", "pk")
    )
    rows = _inspection_rows(inspections.filter(unit_id__in=own), today)
    comments = _returned_comments(rows)
    for row in rows:
        row["comments"] = comments.get(row["report"].pk, []) if row["report"] else []
    actions = list(
        access.unit_actions(request.user)
        .exclude(status=RemediationAction.Status.VERIFIED)
        .with_overdue_flag(today)
        .select_related("conclusion__inspection__unit", "item")
        .order_by("deadline", "pk")
    )
    conclusions = [
        (c, optional_url("findings:conclusion-pdf", c.pk))
        for c in access.unit_conclusions(request.user).select_related(
            "inspection__plan", "inspection__unit"
        )
    ]
    districts = [u.pk for u in units if u.is_district]
    communes = (
        _inspection_rows(inspections.filter(unit__parent_id__in=districts), today)
        if districts
        else []
    )
    context = {
        "units": units,
        "rows": rows,
        "to_answer": [r for r in rows if r["open"]],
        "returned": [r for r in rows if r["comments"]],
        "actions": actions,
        "conclusions": conclusions,
        "requests": [r for r in rows if r["request_pdf"]],
        "communes": communes,
        "today": today,
    }
    return render(request, "findings/unit_home.html", context)


class RemediationReportForm(forms.Form):
    text = forms.CharField(
        label="Kết quả khắc phục của đơn vị",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Nêu việc đơn vị đã làm, văn bản đã ban hành (số, ngày), kết quả đạt được.",
    )
    files = MultipleFileField(
        label="Tài liệu chứng minh",
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT_ATTR}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "files"
        ].help_text = (
            f"{ALLOWED_HELP} Tối đa {size_label(max_bytes())} mỗi tệp; chọn được nhiều tệp."
        )


def _action_context(action, form, problems=()):
    labels = dict(RemediationAction.Status.choices)
    return {
        "action": action,
        "inspection": action.conclusion.inspection,
        "form": form,
        "problems": problems,
        "extensions": list(action.extensions.all()),
        "proofs": list(action.proofs.select_related("uploaded_by")),
        "history": [(log, labels.get(log.to_status, log.to_status)) for log in history(action)],
        "conclusion_pdf": optional_url("findings:conclusion-pdf", action.conclusion_id),
    }


@checks_upload_names
@focal_required
def action_report(request, pk):
    """One requirement of the unit's conclusion: its deadline (and extensions), the staff's
    verdict; while open, the unit reports what it did with proof files."""
    action = access.get_unit_action(request.user, pk)
    if request.method != "POST":
        form = RemediationReportForm(
            initial={"version": action.version, "text": action.unit_report}
        )
        return render(request, "findings/unit_action.html", _action_context(action, form))
    form = RemediationReportForm(request.POST, request.FILES)
    problems = []
    if form.is_valid():
        try:
            services.remediation_report(
                action=action,
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
                version=form.cleaned_data["version"],
                refused=request.refused_uploads,
                actor=request.user,
            )
        except UploadRefused as error:
            problems = error.problems
        except TransitionError as error:
            messages.error(request, " ".join(error.messages))
            if is_fetch(request):
                return JsonResponse({"redirect": reverse("findings:action-report", args=[pk])})
            return redirect("findings:action-report", pk=action.pk)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request, "Đã gửi báo cáo kết quả khắc phục. Sở Nội vụ sẽ xem xét, xác nhận."
            )
            if is_fetch(request):
                return JsonResponse({"redirect": reverse("findings:action-report", args=[pk])})
            return redirect("findings:action-report", pk=action.pk)
    if is_fetch(request):
        errors = [{"name": n, "message": m} for n, m in problems] + [
            {"name": "", "message": e} for errs in form.errors.values() for e in errs
        ]
        return JsonResponse({"problems": errors}, status=400)
    action.refresh_from_db()
    form.data = form.data.copy()
    form.data["version"] = str(action.version)  # the page now shows the current state
    return render(
        request, "findings/unit_action.html", _action_context(action, form, problems), status=400
    )


@login_required
@require_GET
def proof_download(request, pk):
    """Any signed-in person, but the file only if ``findings.access`` lets them see it."""
    proof = access.get_proof(request.user, pk)
    return attachment_response(proof.file, proof.original_name, proof.content_type)


urlpatterns = [
    path("don-vi/", unit_home, name="unit-home"),
    path("don-vi/khac-phuc/<int:pk>/", action_report, name="action-report"),
    path("don-vi/tai-lieu-khac-phuc/<int:pk>/tai-ve/", proof_download, name="proof-download"),
]
