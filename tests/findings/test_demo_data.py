"""`manage.py load_demo_data`: a year of inspections made through the services.

The seed is loaded before anything else, because its rows carry explicit primary keys;
the accounts come from `create_demo_users`, as in the README.
"""

import hashlib
import os
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from cchc_inspection.models import StatusLog
from findings.models import (
    Conclusion,
    DeadlineExtension,
    Finding,
    RemediationAction,
    RemediationProof,
    SiteVisitMinutes,
)
from plans.models import Inspection, InspectionPlan, InspectionTeam
from reports import figures
from reports.models import Evidence, UnitReport
from units.models import Unit


def history(obj):
    """The status log rows of one record, oldest first."""
    content_type = ContentType.objects.get_for_model(type(obj))
    return StatusLog.objects.filter(content_type=content_type, object_id=obj.pk).order_by(
        "at", "pk"
    )


S = Inspection.Status
# "Concluded" is passed through, never rested in: issuing a conclusion moves the
# inspection on to remediating (or closed) in the same step.
RESTING = set(S) - {S.CONCLUDED, S.PLANNED}


def run(*args):
    out = StringIO()
    call_command("load_demo_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = True
    call_command("loaddata", "thanh_hoa_2023", verbosity=0)
    call_command("create_demo_users", stdout=StringIO(), stderr=StringIO())
    return InspectionPlan.objects.order_by("-year", "-pk").first()


@pytest.fixture
def demo(seeded):
    out = run()
    seeded.refresh_from_db()
    return seeded, out


def unit(name):
    return Unit.objects.search(name).get()


def counts(plan):
    return {
        "inspections": Inspection.objects.filter(plan=plan).count(),
        "teams": InspectionTeam.objects.filter(plan=plan).count(),
        "reports": UnitReport.objects.filter(inspection__plan=plan).count(),
        "evidence": Evidence.objects.filter(report__inspection__plan=plan).count(),
        "findings": Finding.objects.filter(inspection__plan=plan).count(),
        "minutes": SiteVisitMinutes.objects.filter(inspection__plan=plan).count(),
        "conclusions": Conclusion.objects.filter(inspection__plan=plan).count(),
        "actions": RemediationAction.objects.filter(conclusion__inspection__plan=plan).count(),
        "proofs": RemediationProof.objects.filter(
            action__conclusion__inspection__plan=plan
        ).count(),
        "logs": StatusLog.objects.count(),
        # Change history (django-simple-history), where a model keeps one.
        "history": sum(
            model.history.count()
            for model in (InspectionPlan, Inspection, UnitReport, Evidence, Finding, Conclusion)
            if hasattr(model, "history")
        ),
    }


def sha256(field_file):
    with field_file.open("rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_refused_when_debug_is_off(seeded, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG đang tắt"):
        run()
    assert not Inspection.objects.exists()


def test_refused_without_a_plan(db, settings):
    settings.DEBUG = True

    with pytest.raises(CommandError, match="loaddata thanh_hoa_2023"):
        run()


def check_year(plan, out):
    today = timezone.localdate()
    inspections = Inspection.objects.filter(plan=plan)

    assert plan.status == InspectionPlan.Status.ISSUED and plan.number == 1
    teams = InspectionTeam.objects.filter(plan=plan)
    assert teams.count() == 3
    assert all(t.status == InspectionTeam.Status.ISSUED and t.number for t in teams)
    doankiemtra_team = teams.get(members__user__username="doankiemtra")
    assert set(doankiemtra_team.inspections.values_list("unit__name", flat=True)) >= {
        "Sở Tư pháp",
        "Huyện Đông Sơn",
    }

    # Inspections rest in every status but "concluded", which every conclusion passed.
    assert set(inspections.values_list("status", flat=True)) >= RESTING
    concluded_logs = StatusLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Inspection), to_status=S.CONCLUDED
    )
    assert (
        concluded_logs.count()
        == Conclusion.objects.filter(inspection__plan=plan, status=Conclusion.Status.ISSUED).count()
        > 0
    )
    # Each inspection's log ends where the inspection is.
    for inspection in inspections:
        moves = [row for row in history(inspection) if row.from_status != row.to_status]
        assert moves, inspection
        assert moves[-1].to_status == inspection.status, inspection

    # Reports at every status, each with evidence whose stored bytes match the SHA-256.
    reports = UnitReport.objects.filter(inspection__plan=plan)
    assert set(reports.values_list("status", flat=True)) == set(UnitReport.Status)
    for status in UnitReport.Status:
        assert Evidence.objects.filter(report__status=status).exists(), status
    for evidence in Evidence.objects.filter(report__in=reports):
        assert sha256(evidence.file) == evidence.sha256
        assert evidence.file.size == evidence.size
    assert Evidence.objects.filter(previous__isnull=False).exists()  # a replaced version
    assert {e.original_name.rsplit(".", 1)[1] for e in Evidence.objects.all()} == {"pdf", "xlsx"}
    assert sum(1 for r in reports.select_related("inspection") if r.is_late) == 1
    late = next(r for r in reports.select_related("inspection") if r.is_late)
    assert late.status == UnitReport.Status.SUBMITTED
    returned = reports.get(status=UnitReport.Status.RETURNED)
    assert returned.comments.exclude(item=None).exists()
    drafts = reports.filter(status=UnitReport.Status.DRAFT)
    assert any(figures.check_report(r).blocking() for r in drafts)
    for report in reports.exclude(status=UnitReport.Status.DRAFT):
        assert not figures.check_report(report).blocking(), report
        submitted = [row for row in history(report) if row.to_status == "submitted"]
        assert submitted and submitted[0].actor == report.submitted_by
        assert (
            report.submitted_at
            and report.submitted_by.memberships.filter(unit=report.inspection.unit).exists()
        )

    # Minutes for on-site visits, findings of every kind in several areas.
    assert SiteVisitMinutes.objects.filter(inspection__plan=plan).exists()
    findings = Finding.objects.filter(inspection__plan=plan)
    assert set(findings.values_list("kind", flat=True)) == set(Finding.Kind)
    assert findings.values("item").distinct().count() >= 5

    # Remediation: due soon and overdue, reported, verified, rejected, one extended.
    actions = RemediationAction.objects.current().filter(conclusion__inspection__plan=plan)
    for name in ("Sở Tư pháp", "Huyện Đông Sơn"):
        own = actions.filter(conclusion__inspection__unit=unit(name))
        assert own.overdue(today).exists(), name
        assert own.due_within(7, today).exists(), name
    statuses = set(actions.values_list("status", flat=True))
    assert statuses == set(RemediationAction.Status)
    rejected = actions.filter(status=RemediationAction.Status.OPEN).exclude(review_comment="")
    assert rejected.exists()
    extended = DeadlineExtension.objects.get(action__in=actions)
    assert extended.action.original_deadline == extended.old_deadline < extended.new_deadline
    for action in actions.filter(status=RemediationAction.Status.VERIFIED):
        verified = history(action).get(to_status=RemediationAction.Status.VERIFIED)
        assert verified.actor.username == "cchc"
    for proof in RemediationProof.objects.all():
        assert sha256(proof.file) == proof.sha256
    closed = inspections.filter(status=S.CLOSED)
    assert closed.exists()
    assert (
        not actions.filter(conclusion__inspection__in=closed)
        .exclude(status=RemediationAction.Status.VERIFIED)
        .exists()
    )

    assert "Đã nạp dữ liệu thử nghiệm" in out and "quá hạn" in out


def test_runs_once_and_reset_starts_over(demo, django_capture_on_commit_callbacks):
    plan, _ = demo
    before = counts(plan)
    old_files = [e.file.path for e in Evidence.objects.all()]

    err = StringIO()
    call_command("load_demo_data", stdout=StringIO(), stderr=err)
    assert "đã có dữ liệu thử nghiệm" in err.getvalue() and "--reset" in err.getvalue()
    assert counts(plan) == before

    with django_capture_on_commit_callbacks(execute=True):
        out = run("--reset")

    plan.refresh_from_db()
    assert counts(plan) == before  # nothing left over from the first load
    assert plan.number == 1  # the register was wound back, not continued
    assert "Đã xóa dữ liệu thử nghiệm cũ" in out
    current = {e.file.path for e in Evidence.objects.all()}
    assert set(old_files) - current
    assert not any(os.path.exists(path) for path in set(old_files) - current)


def test_reset_refuses_a_plan_the_loader_did_not_fill(seeded):
    with pytest.raises(CommandError, match="không mang dấu dữ liệu thử nghiệm"):
        run("--reset")


def test_missing_accounts_are_made_by_create_demo_users(db, settings):
    from django.contrib.auth import get_user_model

    from findings.management.commands.load_demo_data import PERSONAS, Command

    settings.DEBUG = True
    call_command("loaddata", "thanh_hoa_2023", verbosity=0)

    users = Command().demo_users(force=False)

    assert set(users) == set(PERSONAS)
    assert get_user_model().objects.get(username="sotuphap").memberships.get().unit == unit(
        "Sở Tư pháp"
    )


def _get(client, url):
    response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return response


def check_pages(client, plan):
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    tu_phap = Inspection.objects.get(plan=plan, unit=unit("Sở Tư pháp"))
    dong_son = Inspection.objects.get(plan=plan, unit=unit("Huyện Đông Sơn"))
    with_reports = Inspection.objects.filter(plan=plan, report__isnull=False)
    draft = Conclusion.objects.get(inspection__plan=plan, status=Conclusion.Status.DRAFT)
    issued = Conclusion.objects.filter(inspection=tu_phap).get()
    open_action = issued.actions.filter(status=RemediationAction.Status.OPEN).first()

    client.force_login(users["cchc"])
    staff_pages = [
        reverse("home"),
        reverse("findings:dashboard"),
        reverse("findings:tracker"),
        reverse("findings:tracker") + "?overdue=1",
        reverse("findings:finding-list"),
        reverse("plans:plan-detail", args=[plan.pk]),
        reverse("plans:inspection-list"),
        reverse("findings:conclusion-detail", args=[issued.pk]),
        reverse("findings:conclusion-detail", args=[draft.pk]),
        *(reverse("plans:team-detail", args=[t.pk]) for t in plan.teams.all()),
        *(reverse("plans:inspection-detail", args=[i.pk]) for i in plan.inspections.all()),
        *(reverse("reports:report-review", args=[i.pk]) for i in with_reports),
    ]
    home = _get(client, reverse("home"))
    assert "Sở Tư pháp" in home.content.decode()
    for url in staff_pages:
        _get(client, url)

    client.force_login(users["lanhdao"])
    for url in [
        reverse("home"),
        reverse("findings:dashboard"),
        reverse("findings:conclusion-detail", args=[draft.pk]),
        reverse("plans:inspection-detail", args=[tu_phap.pk]),
    ]:
        _get(client, url)

    client.force_login(users["doankiemtra"])
    for url in [
        reverse("home"),
        reverse("plans:inspection-list"),
        reverse("plans:inspection-detail", args=[tu_phap.pk]),
        reverse("plans:inspection-detail", args=[dong_son.pk]),
        reverse("reports:report-review", args=[tu_phap.pk]),
    ]:
        _get(client, url)

    client.force_login(users["sotuphap"])
    home = _get(client, reverse("home")).content.decode()
    assert "Sở Tư pháp" in home and "Huyện Đông Sơn" not in home
    _get(client, reverse("reports:report-edit", args=[tu_phap.pk]))
    _get(client, reverse("findings:action-report", args=[open_action.pk]))
    evidence = Evidence.objects.filter(report__inspection=tu_phap).first()
    download = client.get(reverse("reports:evidence-download", args=[evidence.pk]))
    assert download.status_code == 200
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == evidence.sha256
    assert client.get(reverse("reports:report-edit", args=[dong_son.pk])).status_code == 404

    client.force_login(users["dongson"])
    home = _get(client, reverse("home")).content.decode()
    assert "Huyện Đông Sơn" in home
    _get(client, reverse("reports:report-edit", args=[dong_son.pk]))


def test_a_year_in_autumn_that_every_persona_can_open(demo, client):
    """The data a new user meets (statuses, reports, evidence, remediation), then each
    persona's pages over it: every one answers 200, none 500."""
    plan, out = demo
    check_year(plan, out)
    check_pages(client, plan)


def test_a_plan_people_already_work_on_is_left_alone(seeded):
    from django.contrib.auth import get_user_model

    from plans.services import plan_issue

    plan_issue(plan=seeded, actor=get_user_model().objects.get(username="lanhdao"))
    err = StringIO()

    call_command("load_demo_data", stdout=StringIO(), stderr=err)

    assert "đã được ban hành hoặc đã có đoàn kiểm tra" in err.getvalue()
    assert not Inspection.objects.exists() and not InspectionTeam.objects.exists()
    assert not StatusLog.objects.filter(note__startswith="Nạp dữ liệu thử nghiệm").exists()
