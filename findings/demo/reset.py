"""Which plan the demo may fill, whether it did already, and wiping it again."""

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max

from cchc_inspection.models import RegisterCounter, RegisterEntry, StatusLog
from findings.models import Conclusion, RemediationAction, RemediationProof, SiteVisitMinutes
from plans.models import Inspection, InspectionPlan, InspectionTeam
from reports.models import Evidence, UnitReport

# The first row the loader writes: its presence marks a plan as filled with demo data.
MARKER = "Nạp dữ liệu thử nghiệm (lệnh load_demo_data)."


class DemoError(Exception):
    """The demo cannot be loaded; the message says why, in Vietnamese."""


def marker_of(plan):
    """The status-log row that marks ``plan`` as filled by the loader, or None."""
    return (
        StatusLog.objects.filter(
            content_type=ContentType.objects.get_for_model(InspectionPlan),
            object_id=plan.pk,
            note=MARKER,
        )
        .order_by("pk")
        .first()
    )


def check_loadable(plan):
    """Refuse a plan that was filled already, or that people have started working on."""
    if marker_of(plan) is not None:
        raise DemoError(
            f"{plan} đã có dữ liệu thử nghiệm (lệnh này đã chạy trước đó). Không nạp lại để "
            "tránh trùng lặp; muốn nạp lại từ đầu, chạy lệnh với tùy chọn --reset."
        )
    if (
        plan.status != InspectionPlan.Status.DRAFT
        or plan.teams.exists()
        or (plan.inspections.exists())
    ):
        raise DemoError(
            f"{plan} đã được ban hành hoặc đã có đoàn kiểm tra, cuộc kiểm tra do người dùng "
            "tạo. Dữ liệu thử nghiệm chỉ nạp vào kế hoạch dự thảo vừa nạp từ dữ liệu gốc "
            "(python manage.py loaddata thanh_hoa_2023)."
        )
    if not hasattr(plan, "outline"):
        raise DemoError(f"{plan} chưa có đề cương báo cáo (Phụ lục 2).")


def wipe(plan):
    """Delete what the loader made on ``plan`` and return the plan to its draft: the teams,
    inspections and everything under them, their files, register numbers and log rows.
    Only for a plan that carries the loader's mark; returns the number of inspections."""
    marker = marker_of(plan)
    if marker is None:
        raise DemoError(
            f"{plan} không mang dấu dữ liệu thử nghiệm của lệnh này; không xóa dữ liệu của "
            "người dùng."
        )
    inspections = Inspection.objects.filter(plan=plan)
    conclusions = Conclusion.objects.filter(inspection__in=inspections)
    actions = RemediationAction.objects.filter(conclusion__in=conclusions)
    reports = UnitReport.objects.filter(inspection__in=inspections)
    teams = InspectionTeam.objects.filter(plan=plan)
    files = [
        *Evidence.objects.filter(report__in=reports).values_list("file", flat=True),
        *RemediationProof.objects.filter(action__in=actions).values_list("file", flat=True),
        *(name for qs in (conclusions, teams) for name in qs.values_list("pdf", flat=True)),
        plan.pdf.name,
    ]
    logged = {
        InspectionPlan: [plan.pk],
        InspectionTeam: list(teams.values_list("pk", flat=True)),
        Inspection: list(inspections.values_list("pk", flat=True)),
        UnitReport: list(reports.values_list("pk", flat=True)),
        Conclusion: list(conclusions.values_list("pk", flat=True)),
        RemediationAction: list(actions.values_list("pk", flat=True)),
    }
    count = len(logged[Inspection])
    for model, pks in logged.items():
        content_type = ContentType.objects.get_for_model(model)
        logs = StatusLog.objects.filter(content_type=content_type, object_id__in=pks)
        if model is InspectionPlan:
            logs = logs.filter(pk__gte=marker.pk)
        logs.delete()
        RegisterEntry.objects.filter(content_type=content_type, object_id__in=pks).delete()
    # Rows that protect each other go first: later versions, corrections, then the rest.
    Evidence.objects.filter(report__in=reports).update(previous=None)
    conclusions.update(supersedes=None)
    conclusions.delete()
    SiteVisitMinutes.objects.filter(inspection__in=inspections).delete()
    inspections.delete()
    teams.delete()
    InspectionPlan.objects.filter(pk=plan.pk).update(
        status=InspectionPlan.Status.DRAFT, number=None, issued_on=None, pdf="", pdf_sha256=""
    )
    _recount_registers(plan.agency)

    def delete_files():
        for name in files:
            if name:
                default_storage.delete(name)

    transaction.on_commit(delete_files)  # never lose a file whose rows roll back
    return count


def _recount_registers(agency):
    """Set each register counter back to the last number still on record."""
    for counter in RegisterCounter.objects.filter(agency=agency):
        last = RegisterEntry.objects.filter(
            agency=agency, year=counter.year, doc_type=counter.doc_type
        ).aggregate(m=Max("number"))["m"]
        counter.last_number = last or 0
        counter.save(update_fields=["last_number"])
