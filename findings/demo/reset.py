"""Which plan the demo may fill, whether it did already, and wiping it again."""

import contextlib

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, signals

from cchc_inspection.models import RegisterCounter, RegisterEntry, StatusLog
from findings.models import (
    Conclusion,
    DeadlineExtension,
    Finding,
    RemediationAction,
    RemediationProof,
    SiteVisitMinutes,
)
from plans.models import Inspection, InspectionPlan, InspectionTeam, TeamMember
from reports.models import (
    Evidence,
    IndicatorValue,
    ItemAnswer,
    ReviewComment,
    UnitReport,
)

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
    inspections and everything under them, their files, register numbers, status-log and
    history rows. Only for a plan that carries the loader's mark (people's work is never
    touched); returns the number of inspections removed."""
    marker = marker_of(plan)
    if marker is None:
        raise DemoError(
            f"{plan} không mang dấu dữ liệu thử nghiệm của lệnh này; không xóa dữ liệu của "
            "người dùng."
        )
    rows = _demo_rows(plan)
    files = [
        *Evidence.objects.filter(pk__in=rows[Evidence]).values_list("file", flat=True),
        *RemediationProof.objects.filter(pk__in=rows[RemediationProof]).values_list(
            "file", flat=True
        ),
        *Conclusion.objects.filter(pk__in=rows[Conclusion]).values_list("pdf", flat=True),
        *InspectionTeam.objects.filter(pk__in=rows[InspectionTeam]).values_list("pdf", flat=True),
        plan.pdf.name,
    ]
    with _locks_lifted():
        # Rows that protect each other go first: later versions, corrections, then the rest.
        Evidence.objects.filter(pk__in=rows[Evidence]).update(previous=None)
        conclusions = Conclusion.objects.filter(pk__in=rows[Conclusion])
        conclusions.update(supersedes=None)
        conclusions.delete()
        Inspection.objects.filter(pk__in=rows[Inspection]).delete()
        InspectionTeam.objects.filter(pk__in=rows[InspectionTeam]).delete()
    InspectionPlan.objects.filter(pk=plan.pk).update(
        status=InspectionPlan.Status.DRAFT, number=None, issued_on=None, pdf="", pdf_sha256=""
    )
    _forget(rows, plan, marker)
    _recount_registers(plan.agency)

    def delete_files():
        for name in files:
            if name:
                default_storage.delete(name)

    transaction.on_commit(delete_files)  # never lose a file whose rows roll back
    return len(rows[Inspection])


def _demo_rows(plan):
    """``{model: [pk, …]}`` of every row the loader made under ``plan`` (and the plan)."""
    inspections = Inspection.objects.filter(plan=plan)
    reports = UnitReport.objects.filter(inspection__in=inspections)
    conclusions = Conclusion.objects.filter(inspection__in=inspections)
    actions = RemediationAction.objects.filter(conclusion__in=conclusions)
    teams = InspectionTeam.objects.filter(plan=plan)
    querysets = {
        InspectionPlan: InspectionPlan.objects.filter(pk=plan.pk),
        InspectionTeam: teams,
        TeamMember: TeamMember.objects.filter(team__in=teams),
        Inspection: inspections,
        UnitReport: reports,
        ItemAnswer: ItemAnswer.objects.filter(report__in=reports),
        IndicatorValue: IndicatorValue.objects.filter(report__in=reports),
        Evidence: Evidence.objects.filter(report__in=reports),
        ReviewComment: ReviewComment.objects.filter(report__in=reports),
        SiteVisitMinutes: SiteVisitMinutes.objects.filter(inspection__in=inspections),
        Finding: Finding.objects.filter(inspection__in=inspections),
        Conclusion: conclusions,
        RemediationAction: actions,
        DeadlineExtension: DeadlineExtension.objects.filter(action__in=actions),
        RemediationProof: RemediationProof.objects.filter(action__in=actions),
    }
    return {model: list(qs.values_list("pk", flat=True)) for model, qs in querysets.items()}


def _forget(rows, plan, marker):
    """Remove the status-log, register and change-history rows of the wiped records; for
    the plan itself, only those written since the loader's mark."""
    for model, pks in rows.items():
        content_type = ContentType.objects.get_for_model(model)
        logs = StatusLog.objects.filter(content_type=content_type, object_id__in=pks)
        RegisterEntry.objects.filter(content_type=content_type, object_id__in=pks).delete()
        history = getattr(model, "history", None)  # django-simple-history, where tracked
        if model is InspectionPlan:
            logs = logs.filter(pk__gte=marker.pk)
            if history is not None:
                history.filter(id=plan.pk, history_date__gte=marker.at).delete()
        elif history is not None:
            history.filter(id__in=pks).delete()
        logs.delete()


@contextlib.contextmanager
def _locks_lifted():
    """``cchc_inspection.integrity`` refuses to delete issued and submitted records, rightly
    for everyone but this command, which deletes only its own demo (``wipe`` checks the
    mark first). Its delete checks are disconnected for the block and connected again."""
    try:
        from cchc_inspection import integrity
    except ImportError:  # pragma: no cover - no integrity checks installed
        yield
        return
    for model in list(integrity.LOCKS):
        signals.pre_delete.disconnect(sender=model, dispatch_uid=f"integrity-{model._meta.label}")
    try:
        yield
    finally:
        integrity.connect()


def _recount_registers(agency):
    """Set each register counter back to the last number still on record."""
    for counter in RegisterCounter.objects.filter(agency=agency):
        last = RegisterEntry.objects.filter(
            agency=agency, year=counter.year, doc_type=counter.doc_type
        ).aggregate(m=Max("number"))["m"]
        counter.last_number = last or 0
        counter.save(update_fields=["last_number"])
