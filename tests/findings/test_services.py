"""Services of the findings app: minutes, findings, the conclusion and remediation."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from cchc_inspection.models import RegisterEntry, StatusLog
from cchc_inspection.workflow import TransitionError
from findings import services
from findings.models import Conclusion, DeadlineExtension, Finding, RemediationAction
from plans.models import Inspection
from tests import factories as f

pytestmark = pytest.mark.django_db
S = Inspection.Status
A = RemediationAction.Status
TODAY = timezone.localdate()


def set_status(inspection, status, **fields):
    Inspection.objects.filter(pk=inspection.pk).update(status=status, **fields)
    inspection.refresh_from_db()
    return inspection


def logs(obj):
    return list(
        StatusLog.objects.filter(
            content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
        ).values_list("from_status", "to_status")
    )


def finding_data(world, **changes):
    data = {
        "item": world.heading,
        "kind": Finding.Kind.SHORTCOMING,
        "description": "Chưa ban hành kế hoạch tuyên truyền CCHC.",
        "cause": "",
        "recommendation": "Ban hành kế hoạch tuyên truyền CCHC năm 2023.",
        "responsible": "Văn phòng Sở",
        "handling": Finding.Handling.UNIT_FIXES,
    }
    data.update(changes)
    return data


@pytest.fixture
def reviewed(world):
    return set_status(world.inspection_a, S.REVIEWED)


@pytest.fixture
def with_findings(world, reviewed, team_member):
    services.finding_create(
        inspection=reviewed,
        data=finding_data(
            world, kind=Finding.Kind.STRENGTH, description="Ban hành kế hoạch CCHC kịp thời."
        ),
        actor=team_member,
    )
    services.finding_create(inspection=reviewed, data=finding_data(world), actor=team_member)
    services.finding_create(
        inspection=reviewed,
        data=finding_data(
            world,
            kind=Finding.Kind.VIOLATION,
            item=world.section,
            description="Giải quyết hồ sơ trễ hạn không xin lỗi.",
            recommendation="",
            responsible="",
        ),
        actor=team_member,
    )
    return reviewed


@pytest.fixture
def draft(with_findings, staff):
    return services.conclusion_draft(inspection=with_findings, actor=staff, today=TODAY)


@pytest.fixture
def issued(draft, leader, focal_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.conclusion_issue(conclusion=draft, actor=leader, issued_on=TODAY)
    draft.refresh_from_db()
    return draft


def report(action):
    RemediationAction.objects.filter(pk=action.pk).update(
        status=A.REPORTED, unit_report="Đã ban hành kế hoạch."
    )
    action.refresh_from_db()
    return action


# --- Minutes and findings ------------------------------------------------------------------


def test_minutes_created_while_under_way(world, team_member):
    inspection = set_status(world.inspection_a, S.REPORT_SUBMITTED)
    minutes = services.minutes_create(
        inspection=inspection,
        data={
            "held_on": datetime.date(2030, 6, 15),
            "place": "Trụ sở Sở Tư pháp",
            "team_participants": "Lê Văn Đoàn — Trưởng đoàn",
            "unit_participants": "Nguyễn Văn B — Giám đốc",
            "checked": "Hồ sơ TTHC năm 2023",
        },
        actor=team_member,
    )
    assert minutes.created_by == team_member


def test_minutes_refused_for_document_review(world, team_member):
    inspection = set_status(world.inspection_a, S.REPORT_SUBMITTED, form="documents")
    with pytest.raises(ValidationError, match="xem xét hồ sơ, tài liệu không có biên bản"):
        services.minutes_create(inspection=inspection, data={}, actor=team_member)


def test_finding_area_must_be_in_the_outline(world, reviewed, team_member):
    stranger = f.OutlineItemFactory()  # another plan's outline
    with pytest.raises(ValidationError, match="Lĩnh vực phải là một phần, mục"):
        services.finding_create(
            inspection=reviewed, data=finding_data(world, item=stranger), actor=team_member
        )
    assert not Finding.objects.exists()


def test_finding_update_bumps_version_and_folds_description(world, reviewed, team_member):
    finding = services.finding_create(
        inspection=reviewed, data=finding_data(world), actor=team_member
    )
    services.finding_update(
        finding=finding,
        data=finding_data(world, description="Trễ hạn ở Thanh Hoá"),
        version=1,
        actor=team_member,
    )
    finding.refresh_from_db()
    assert finding.version == 2
    assert finding.search_description == "tre han o thanh hoa"


def test_finding_update_with_stale_version_is_refused(world, reviewed, team_member, staff):
    finding = services.finding_create(
        inspection=reviewed, data=finding_data(world), actor=team_member
    )
    services.finding_update(
        finding=finding, data=finding_data(world, description="Bản của A"), version=1, actor=staff
    )
    with pytest.raises(services.StaleEditError, match="đã được sửa lúc"):
        services.finding_update(
            finding=finding,
            data=finding_data(world, description="Bản của B"),
            version=1,
            actor=team_member,
        )
    finding.refresh_from_db()
    assert finding.description == "Bản của A"


def test_finding_refused_after_conclusion_issued(world, issued, team_member):
    finding = Finding.objects.filter(inspection=issued.inspection).first()
    with pytest.raises(ValidationError, match="đã có thông báo kết luận"):
        services.finding_update(
            finding=finding, data=finding_data(world), version=finding.version, actor=team_member
        )
    with pytest.raises(ValidationError, match="đã có thông báo kết luận"):
        services.finding_create(
            inspection=issued.inspection, data=finding_data(world), actor=team_member
        )


# --- Conclusion ----------------------------------------------------------------------------


def test_draft_from_findings(draft, world):
    assert draft.status == Conclusion.Status.DRAFT
    assert draft.strengths == "- Ban hành kế hoạch CCHC kịp thời."
    assert "- Chưa ban hành kế hoạch tuyên truyền CCHC." in draft.shortcomings
    assert "- Giải quyết hồ sơ trễ hạn không xin lỗi." in draft.shortcomings
    actions = list(draft.actions.order_by("order"))
    assert [a.requirement for a in actions] == [
        "Khắc phục vi phạm: Giải quyết hồ sơ trễ hạn không xin lỗi.",  # section I first
        "Ban hành kế hoạch tuyên truyền CCHC năm 2023.",
    ]
    assert [a.responsible for a in actions] == ["Sở Tư pháp", "Văn phòng Sở"]
    assert {a.deadline for a in actions} == {TODAY + datetime.timedelta(days=30)}
    assert draft.symbol == "TB-SNV"


def test_draft_refused_before_review(world, staff):
    inspection = set_status(world.inspection_a, S.REPORT_SUBMITTED)
    with pytest.raises(TransitionError, match="Chỉ lập dự thảo kết luận khi"):
        services.conclusion_draft(inspection=inspection, actor=staff)
    assert not Conclusion.objects.exists()


def test_issue_numbers_locks_and_moves_inspection(issued, focal_a, leader):
    inspection = Inspection.objects.get(pk=issued.inspection_id)
    assert issued.status == Conclusion.Status.ISSUED
    assert issued.number_display == "01/TB-SNV"
    assert RegisterEntry.objects.get().document == issued
    assert inspection.status == S.REMEDIATING
    assert logs(inspection)[-2:] == [(S.REVIEWED, S.CONCLUDED), (S.CONCLUDED, S.REMEDIATING)]
    assert logs(issued) == [(Conclusion.Status.DRAFT, Conclusion.Status.ISSUED)]
    assert [m.to for m in mail.outbox] == [[focal_a.email]]
    assert "01/TB-SNV" in mail.outbox[0].subject


def test_issue_without_actions_closes_inspection(world, reviewed, staff, leader, team_member):
    services.finding_create(
        inspection=reviewed,
        data=finding_data(world, kind=Finding.Kind.STRENGTH),
        actor=team_member,
    )
    draft = services.conclusion_draft(inspection=reviewed, actor=staff, today=TODAY)
    draft.shortcomings = "Không có."
    draft.save()
    services.conclusion_issue(conclusion=draft, actor=leader, issued_on=TODAY)
    reviewed.refresh_from_db()
    assert reviewed.status == S.CLOSED


def test_issue_only_by_leader(draft, staff):
    with pytest.raises(TransitionError, match="Chỉ Lãnh đạo Sở"):
        services.conclusion_issue(conclusion=draft, actor=staff, issued_on=TODAY)
    draft.refresh_from_db()
    assert draft.status == Conclusion.Status.DRAFT and draft.number is None


def test_issue_twice_refused(issued, leader):
    with pytest.raises(TransitionError, match="đã được ban hành \\(số 01/TB-SNV\\)"):
        services.conclusion_issue(conclusion=issued, actor=leader, issued_on=TODAY)
    assert RegisterEntry.objects.count() == 1


def test_issue_refused_with_deadline_before_issue_date(draft, leader):
    draft.actions.update(
        deadline=TODAY - datetime.timedelta(days=1),
        original_deadline=TODAY - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError, match="sớm hơn ngày ban hành"):
        services.conclusion_issue(conclusion=draft, actor=leader, issued_on=TODAY)
    assert not RegisterEntry.objects.exists()


def test_correction_is_a_new_draft_version(issued, staff, leader):
    action = issued.actions.first()
    report(action)
    correction = services.conclusion_correct(conclusion=issued, actor=staff)
    assert (correction.version, correction.supersedes, correction.status) == (
        2,
        issued,
        Conclusion.Status.DRAFT,
    )
    assert correction.actions.count() == issued.actions.count()
    assert correction.actions.filter(status=A.REPORTED).count() == 1
    with pytest.raises(TransitionError, match="đã có bản đính chính"):
        services.conclusion_correct(conclusion=issued, actor=staff)
    # The tracker follows the issued conclusion until the correction is issued.
    current = RemediationAction.objects.current()
    assert set(current) == set(issued.actions.all())
    services.conclusion_issue(conclusion=correction, actor=leader, issued_on=TODAY)
    assert set(RemediationAction.objects.current()) == set(correction.actions.all())


def test_correction_refused_for_a_draft(draft, staff):
    with pytest.raises(TransitionError, match="Chỉ đính chính thông báo kết luận đã ban hành"):
        services.conclusion_correct(conclusion=draft, actor=staff)


# --- Remediation ---------------------------------------------------------------------------


def test_verify_logs_and_last_one_closes_inspection(issued, staff):
    first, second = issued.actions.order_by("order")
    services.remediation_verify(action=report(first), comment="Đạt.", actor=staff)
    first.refresh_from_db()
    assert first.status == A.VERIFIED and first.verified_at is not None
    assert logs(first) == [(A.REPORTED, A.VERIFIED)]
    inspection = Inspection.objects.get(pk=issued.inspection_id)
    assert inspection.status == S.REMEDIATING

    services.remediation_verify(action=report(second), comment="", actor=staff)
    inspection.refresh_from_db()
    assert inspection.status == S.CLOSED
    closing = StatusLog.objects.filter(object_id=inspection.pk, to_status=S.CLOSED).get()
    assert "Tự động kết thúc" in closing.note and closing.actor == staff


def test_verify_refused_when_not_reported(issued, staff):
    action = issued.actions.first()
    with pytest.raises(TransitionError, match="từ trạng thái “Đang khắc phục” sang"):
        services.remediation_verify(action=action, comment="", actor=staff)


def test_verify_refused_on_a_draft_conclusion(draft, staff):
    action = report(draft.actions.first())
    with pytest.raises(TransitionError, match="không thuộc thông báo kết luận đang có hiệu lực"):
        services.remediation_verify(action=action, comment="", actor=staff)


def test_reject_needs_reason_and_reopens(
    issued, staff, focal_a, django_capture_on_commit_callbacks
):
    action = report(issued.actions.first())
    with pytest.raises(ValidationError, match="Cần nêu lý do"):
        services.remediation_reject(action=action, comment=" ", actor=staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.remediation_reject(action=action, comment="Thiếu văn bản.", actor=staff)
    action.refresh_from_db()
    assert action.status == A.OPEN and action.review_comment == "Thiếu văn bản."
    assert logs(action) == [(A.REPORTED, A.OPEN)]
    assert "Thiếu văn bản." in mail.outbox[0].body


def test_reject_refused_when_open(issued, staff):
    with pytest.raises(TransitionError, match="“Đang khắc phục” sang “Đang khắc phục”"):
        services.remediation_reject(action=issued.actions.first(), comment="x", actor=staff)


def test_extend_keeps_original_and_records_reason(issued, staff):
    action = issued.actions.first()
    original = action.deadline
    new = original + datetime.timedelta(days=15)
    services.remediation_extend(
        action=action, new_deadline=new, reason="Chờ UBND tỉnh.", actor=staff
    )
    action.refresh_from_db()
    assert (action.deadline, action.original_deadline) == (new, original)
    extension = DeadlineExtension.objects.get()
    assert (extension.old_deadline, extension.new_deadline, extension.actor) == (
        original,
        new,
        staff,
    )


def test_extend_refuses_earlier_or_same_deadline_and_blank_reason(issued, staff):
    action = issued.actions.first()
    with pytest.raises(ValidationError, match="phải sau thời hạn hiện tại"):
        services.remediation_extend(
            action=action, new_deadline=action.deadline, reason="Lý do", actor=staff
        )
    with pytest.raises(ValidationError, match="Cần nêu lý do gia hạn"):
        services.remediation_extend(
            action=action,
            new_deadline=action.deadline + datetime.timedelta(days=1),
            reason="",
            actor=staff,
        )
    assert not DeadlineExtension.objects.exists()
