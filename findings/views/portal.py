"""The unit portal: the focal person's home page, and reporting remediation with proof."""

from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from cchc_inspection.links import link
from cchc_inspection.queries import instance, precompiled
from cchc_inspection.roles import Role, role_required
from cchc_inspection.workflow import TransitionError, moves
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

# What the home page reads of an inspection, its report, a conclusion and a requirement.
INSPECTION_COLUMNS = (
    "id",
    "form",
    "start_date",
    "end_date",
    "status",
    "report_deadline",
    "report_requested_at",
)
REPORT_COLUMNS = ("id", "status", "submitted_at")
CONCLUSION_FIELDS = ("number", "symbol", "issued_on", "supersedes", "inspection__unit__name")
ACTION_COLUMNS = ("id", "requirement", "deadline", "original_deadline", "status", "review_comment")
UNIT_COLUMNS = ("id", "name", "category")
# Stand-ins of ``PrecompiledQuery``: no constant of a query equals them.
UNIT, CONCLUSION = -8_000_101, -8_000_201


def _optional_link(name, pk):
    """The URL of a document page if it is installed (documents come from another module)."""
    try:
        return link(name, pk)
    except NoReverseMatch:
        return None


@precompiled(units=UNIT)
def _units(units):
    """The units of ``units``, in their order: (pk, name, category)."""
    return Unit.objects.filter(pk__in=units).values_list(*UNIT_COLUMNS)


def _own_units(units):
    """The user's units, as model instances (their names and ``is_district``)."""
    if not units:
        return []
    return [instance(Unit, UNIT_COLUMNS, row) for row in _units(units=units)]


@precompiled(units=UNIT)
def _own_inspections(units):
    """The inspections of ``units`` but the cancelled ones, latest year first: their
    ``INSPECTION_COLUMNS``, year, unit name and their report's ``REPORT_COLUMNS``."""
    return (
        Inspection.objects.exclude(status=Inspection.Status.CANCELLED)
        .filter(unit_id__in=units)
        .order_by("-plan__year", "start_date", "pk")
        .values_list(
            *INSPECTION_COLUMNS,
            "plan__year",
            "unit__name",
            *(f"report__{column}" for column in REPORT_COLUMNS),
        )
    )


# The rows below are plain values, computed once by the models' own properties: a
# template reads a dictionary's key several times faster than a model's attribute (whose
# lookup first fails as a key), and the home page reads a dozen of each row.


def _inspection_rows(units, today):
    if not units:
        return []
    rows = []
    size = len(INSPECTION_COLUMNS)
    for row in _own_inspections(units=units):
        # Model instances for their properties, as ``select_related("report")`` makes them.
        inspection = instance(Inspection, INSPECTION_COLUMNS, row[:size])
        year, unit, *report_row = row[size:]
        report = None
        if report_row[0] is not None:
            report = instance(UnitReport, REPORT_COLUMNS, report_row)
            report.inspection = inspection  # ``is_late`` reads its deadline
        start, end = inspection.start_date, inspection.end_date
        dated = start and not inspection.is_unannounced
        rows.append(
            {
                "year": str(year),  # as text: a number would go through localization
                "unit": unit,
                "form": inspection.get_form_display(),
                "start": start if dated else None,
                "end": end if dated and end and end != start else None,
                "status": inspection.get_status_display(),
                "report": report,
                "report_status": report.get_status_display() if report else "",
                "report_late": report is not None and report.is_late,
                "deadline": deadline_info(inspection.report_deadline, today),
                "open": is_open(inspection, report),
                "edit_url": link("reports:report-edit", inspection.pk),
                "request_pdf": _optional_link("reports:request-pdf", inspection.pk)
                if inspection.report_requested_at
                else None,
            }
        )
    return rows


@precompiled(units=UNIT)
def _commune_inspections(units):
    """The inspections of the units under ``units`` (cancelled ones left out), latest year
    first: (pk, unit name, year, report status or None)."""
    return (
        Inspection.objects.exclude(status=Inspection.Status.CANCELLED)
        .filter(unit__parent_id__in=units)
        .order_by("-plan__year", "start_date", "pk")
        .values_list("pk", "unit__name", "plan__year", "report__status")
    )


def _commune_rows(districts):
    """The communes' inspections under the user's districts, read only: the commune, the
    year and the report's status, as plain values (a district has dozens of them)."""
    statuses = dict(UnitReport.Status.choices)
    return [
        {
            "unit": unit,
            "year": str(year),
            "report_status": statuses.get(status, status).lower() if status else None,
            "url": link("reports:report-edit", pk),
        }
        for pk, unit, year, status in _commune_inspections(units=districts)
    ]


def _returned_comments(rows):
    """The latest round of comments of each returned report, by report id (one query, none
    when no report is returned)."""
    returned = [r["report"] for r in rows if r["report"] and r["report"].status == "returned"]
    if not returned:
        return {}
    comments = defaultdict(list)
    for comment in ReviewComment.objects.filter(report__in=returned).select_related("item"):
        comments[comment.report_id].append(comment)
    for report_id, items in comments.items():
        last = max(c.round for c in items)
        comments[report_id] = [c for c in items if c.round == last]
    return comments


def _conclusion_rows(conclusions):
    return [
        {
            "url": _optional_link("findings:conclusion-pdf", c.pk),
            "number": c.number_display,
            "issued_on": c.issued_on,
            "unit": c.inspection.unit.name,
        }
        for c in conclusions
    ]


@precompiled(conclusions=CONCLUSION)
def _open_actions(conclusions):
    """The requirements of ``conclusions`` not yet verified, by deadline."""
    return (
        RemediationAction.objects.filter(conclusion__in=conclusions)
        .exclude(status=RemediationAction.Status.VERIFIED)
        .order_by("deadline", "pk")
        .values_list(*ACTION_COLUMNS)
    )


def _actions_to_do(conclusions):
    """The requirements not yet verified of the conclusions in force: those of the unit's
    issued ``conclusions`` that no issued correction replaced. The rule of
    ``RemediationAction.objects.current()`` (and so of ``access.unit_actions``), applied to
    the conclusions the page lists anyway (a correction belongs to the inspection it
    corrects): a plain query on their keys, and none while nothing is issued."""
    replaced = {c.supersedes_id for c in conclusions}
    in_force = [c.pk for c in conclusions if c.pk not in replaced]
    if not in_force:
        return []
    actions = [
        instance(RemediationAction, ACTION_COLUMNS, row)
        for row in _open_actions(conclusions=in_force)
    ]
    return [
        {
            "url": link("findings:action-report", action.pk),
            "requirement": action.requirement,
            "deadline": action.deadline,
            "overdue": action.is_overdue,
            "status": action.get_status_display(),
            # The staff's reason for not confirming a report, while the unit works on it.
            "rejection": action.review_comment
            if action.status == RemediationAction.Status.OPEN
            else "",
            "extended_from": action.original_deadline
            if action.deadline != action.original_deadline
            else None,
        }
        for action in actions
    ]


@focal_required
@require_GET
def unit_home(request):
    """Only the user's own units: inspections and deadlines, requests to answer, returned
    reports with comments, remediation due, documents addressed to the unit; a district's
    focal person also sees the inspections of the communes under it (read only).

    Each query reads only the columns the page shows: plans, teams and documents have
    long text columns that a home page listing a dozen inspections does not need. Those
    that are not the access helpers' are ``PrecompiledQuery``s (see there why)."""
    today = timezone.localdate()
    own = sorted(report_access.own_unit_ids(request.user))
    units = _own_units(own)
    rows = _inspection_rows(own, today)
    comments = _returned_comments(rows)
    for row in rows:
        row["comments"] = comments.get(row["report"].pk, []) if row["report"] else []
    conclusions = list(
        access.unit_conclusions(request.user)
        .select_related("inspection__unit")
        .only(*CONCLUSION_FIELDS)
    )
    districts = [u.pk for u in units if u.is_district]
    context = {
        "units": units,
        "rows": rows,
        "to_answer": [r for r in rows if r["open"]],
        "returned": [r for r in rows if r["comments"]],
        "actions": _actions_to_do(conclusions),
        "conclusions": _conclusion_rows(conclusions),
        "requests": [r for r in rows if r["request_pdf"]],
        "communes": _commune_rows(districts) if districts else [],
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
    return {
        "action": action,
        "inspection": action.conclusion.inspection,
        "form": form,
        "problems": problems,
        "extensions": list(action.extensions.all()),
        "proofs": list(action.proofs.select_related("uploaded_by")),
        "history": moves(action),
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
