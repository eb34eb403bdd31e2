"""Staff-side pages of findings: minutes, findings, conclusion, tracker, register, panels."""

import datetime

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from findings import services
from findings.models import (
    Conclusion,
    DeadlineExtension,
    Finding,
    RemediationAction,
    SiteVisitMinutes,
)
from findings.templatetags.findings_panels import current_actions
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


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


def finding_post(world, **changes):
    data = {
        "item": world.heading.pk,
        "kind": Finding.Kind.SHORTCOMING,
        "description": "Chưa niêm yết thủ tục hành chính tại Thanh Hoá.",
        "cause": "",
        "recommendation": "Niêm yết đầy đủ thủ tục hành chính.",
        "responsible": "Văn phòng Sở",
        "handling": Finding.Handling.UNIT_FIXES,
    }
    data.update(changes)
    return data


@pytest.fixture
def under_way(world):
    return set_status(world.inspection_a, S.REPORT_SUBMITTED)


@pytest.fixture
def finding(world, under_way, team_member):
    return f.FindingFactory(
        inspection=under_way, item=world.heading, created_by=team_member, description="Ban đầu"
    )


@pytest.fixture
def draft(world, staff, team_member):
    inspection = set_status(world.inspection_a, S.REVIEWED)
    f.FindingFactory(inspection=inspection, item=world.heading, created_by=team_member)
    f.FindingFactory(
        inspection=inspection,
        item=world.section,
        kind=Finding.Kind.STRENGTH,
        description="Ban hành kế hoạch CCHC kịp thời.",
    )
    return services.conclusion_draft(inspection=inspection, actor=staff)


@pytest.fixture
def issued(draft, leader):
    services.conclusion_issue(conclusion=draft, actor=leader, issued_on=TODAY)
    draft.refresh_from_db()
    return draft


def check_personas(client, url, *, anonymous_ok=False, focal, other, right):
    response = client.get(url)
    assert response.status_code == 302 and "/dang-nhap/" in response.url
    client.force_login(focal)
    assert client.get(url).status_code == 403
    if other is not None:
        client.force_login(other)
        assert client.get(url).status_code == 404
    client.force_login(right)
    response = client.get(url)
    assert response.status_code == 200
    return response


# --- Minutes -------------------------------------------------------------------------------


def minutes_post(**changes):
    data = {
        "held_on": "2030-06-15",
        "place": "Trụ sở Sở Tư pháp",
        "team_participants": "Lê Văn Đoàn — Trưởng đoàn",
        "unit_participants": "Nguyễn Văn B — Giám đốc Sở",
        "checked": "Hồ sơ giải quyết TTHC năm 2023.",
        "remarks": "",
        "unit_representative": "Nguyễn Văn B",
        "unit_representative_title": "Giám đốc",
    }
    data.update(changes)
    return data


def test_minutes_create_personas_and_save(
    client, under_way, team_member, focal_a, other_team_member
):
    url = reverse("findings:minutes-create", args=[under_way.pk])
    response = check_personas(
        client, url, focal=focal_a, other=other_team_member, right=team_member
    )
    assert "Lê Văn Đoàn" in response.content.decode()  # team prefilled
    response = client.post(url, minutes_post())
    assert response.status_code == 302
    minutes = SiteVisitMinutes.objects.get()
    assert minutes.created_by == team_member and minutes.place == "Trụ sở Sở Tư pháp"


def test_minutes_create_invalid(client, under_way, team_member):
    client.force_login(team_member)
    url = reverse("findings:minutes-create", args=[under_way.pk])
    response = client.post(url, minutes_post(place="", checked=""))
    assert response.status_code == 200
    assert "Trường này là bắt buộc" in response.content.decode()
    assert not SiteVisitMinutes.objects.exists()


def test_minutes_update(client, under_way, team_member, staff, other_team_member):
    minutes = services.minutes_create(
        inspection=under_way,
        data={k: v for k, v in minutes_post(held_on=TODAY).items()},
        actor=team_member,
    )
    url = reverse("findings:minutes-update", args=[minutes.pk])
    client.force_login(other_team_member)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.post(url, minutes_post(remarks="Đơn vị thống nhất.")).status_code == 302
    minutes.refresh_from_db()
    assert minutes.remarks == "Đơn vị thống nhất."


# --- Findings ------------------------------------------------------------------------------


def test_finding_create_personas_and_save(
    client, world, under_way, team_member, focal_a, other_team_member
):
    url = reverse("findings:finding-create", args=[under_way.pk])
    response = check_personas(
        client, url, focal=focal_a, other=other_team_member, right=team_member
    )
    assert "Công tác tuyên truyền" in response.content.decode()
    assert client.post(url, finding_post(world)).status_code == 302
    finding = Finding.objects.get()
    assert (finding.created_by, finding.search_description) == (
        team_member,
        "chua niem yet thu tuc hanh chinh tai thanh hoa.",
    )


def test_finding_create_invalid_area_and_blank_description(client, world, under_way, staff):
    client.force_login(staff)
    url = reverse("findings:finding-create", args=[under_way.pk])
    stranger = f.OutlineItemFactory()
    response = client.post(url, finding_post(world, item=stranger.pk, description=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in page or "Lựa chọn không hợp lệ" in page
    assert not Finding.objects.exists()


def test_finding_update_version_conflict_keeps_text(client, world, finding, team_member, staff):
    url = reverse("findings:finding-update", args=[finding.pk])
    client.force_login(team_member)
    form = client.get(url).context["form"]
    assert form.initial["version"] == 1
    services.finding_update(
        finding=finding,
        data={"description": "Bản của chuyên viên"},
        version=1,
        actor=staff,
    )
    response = client.post(url, finding_post(world, description="Bản của đoàn", version=1))
    assert response.status_code == 200
    page = response.content.decode()
    assert "đã được sửa lúc" in page
    assert "Bản của đoàn" in page and "Bản của chuyên viên" in page
    finding.refresh_from_db()
    assert finding.description == "Bản của chuyên viên"
    # The form now carries the newer version: saving again knowingly replaces it.
    assert response.context["form"]["version"].value() == 2
    response = client.post(url, finding_post(world, description="Bản của đoàn", version=2))
    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.description, finding.version) == ("Bản của đoàn", 3)


def test_finding_update_refused_after_conclusion(client, world, issued, team_member):
    finding = Finding.objects.filter(kind=Finding.Kind.SHORTCOMING).get()
    client.force_login(team_member)
    url = reverse("findings:finding-update", args=[finding.pk])
    response = client.post(url, finding_post(world, version=finding.version))
    assert response.status_code == 200
    assert "đã có thông báo kết luận" in response.content.decode()
    finding.refresh_from_db()
    assert finding.description != finding_post(world)["description"]


def test_finding_update_other_team_and_focal(client, finding, other_team_member, focal_a):
    url = reverse("findings:finding-update", args=[finding.pk])
    client.force_login(other_team_member)
    assert client.get(url).status_code == 404
    client.force_login(focal_a)
    assert client.get(url).status_code == 403


def test_finding_delete(client, finding, team_member):
    client.force_login(team_member)
    response = client.post(reverse("findings:finding-delete", args=[finding.pk]))
    assert response.status_code == 302
    assert not Finding.objects.exists()


# --- Conclusion ----------------------------------------------------------------------------


def test_conclusion_create(client, world, staff, team_member):
    inspection = set_status(world.inspection_a, S.REVIEWED)
    f.FindingFactory(inspection=inspection, item=world.heading)
    url = reverse("findings:conclusion-create", args=[inspection.pk])
    assert client.post(url).status_code == 302 and not Conclusion.objects.exists()
    client.force_login(team_member)
    assert client.post(url).status_code == 403
    client.force_login(staff)
    response = client.post(url)
    conclusion = Conclusion.objects.get()
    assert response.url == reverse("findings:conclusion-update", args=[conclusion.pk])
    assert conclusion.actions.count() == 1


def test_conclusion_create_refused_before_review(client, under_way, staff):
    client.force_login(staff)
    response = client.post(reverse("findings:conclusion-create", args=[under_way.pk]))
    assert any("Chỉ lập dự thảo kết luận" in m for m in messages_of(response))
    assert not Conclusion.objects.exists()


def formset_post(conclusion, actions, extra=None, **changes):
    data = {
        "strengths": "- Ban hành đầy đủ kế hoạch.",
        "shortcomings": "- Chưa niêm yết TTHC.",
        "requirements_intro": "Đề nghị đơn vị khắc phục.",
        "signer_authority": "KT. GIÁM ĐỐC",
        "signer_title": "PHÓ GIÁM ĐỐC",
        "signer_name": "Lê Thị Ký",
        "actions-INITIAL_FORMS": len(actions),
        "actions-MIN_NUM_FORMS": 0,
        "actions-MAX_NUM_FORMS": 1000,
    }
    rows = [
        {
            "id": a.pk,
            "item": a.item_id,
            "requirement": a.requirement,
            "responsible": a.responsible,
            "deadline": a.deadline.isoformat(),
        }
        for a in actions
    ]
    if extra is not None:
        rows.append(extra)
    data["actions-TOTAL_FORMS"] = len(rows)
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"actions-{n}-{key}"] = value
    data.update(changes)
    return data


def test_conclusion_update_saves_text_and_actions_together(client, world, draft, staff):
    client.force_login(staff)
    url = reverse("findings:conclusion-update", args=[draft.pk])
    assert client.get(url).status_code == 200
    action = draft.actions.get()
    new_deadline = TODAY + datetime.timedelta(days=60)
    data = formset_post(
        draft,
        [action],
        extra={
            "item": world.section.pk,
            "requirement": "Rà soát quy chế làm việc.",
            "responsible": "Văn phòng Sở",
            "deadline": new_deadline.isoformat(),
        },
    )
    data["actions-0-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.signer_name == "Lê Thị Ký"
    kept = draft.actions.get()
    assert (kept.requirement, kept.deadline, kept.original_deadline) == (
        "Rà soát quy chế làm việc.",
        new_deadline,
        new_deadline,
    )


def test_conclusion_update_invalid_saves_nothing(client, world, draft, staff):
    client.force_login(staff)
    url = reverse("findings:conclusion-update", args=[draft.pk])
    action = draft.actions.get()
    data = formset_post(
        draft,
        [action],
        extra={"item": world.section.pk, "requirement": "", "responsible": "", "deadline": ""},
        strengths="Đã sửa",
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Trường này là bắt buộc" in response.content.decode()
    draft.refresh_from_db()
    assert draft.strengths != "Đã sửa" and draft.actions.count() == 1


def test_conclusion_update_refused_once_issued(client, issued, staff):
    client.force_login(staff)
    response = client.get(reverse("findings:conclusion-update", args=[issued.pk]))
    assert response.status_code == 302
    assert any("đã ban hành, không thể sửa" in m for m in messages_of(response))


def test_conclusion_detail_personas(
    client, draft, staff, leader, team_member, focal_a, other_team_member
):
    url = reverse("findings:conclusion-detail", args=[draft.pk])
    response = check_personas(
        client, url, focal=focal_a, other=other_team_member, right=team_member
    )
    assert "- Ban hành kế hoạch CCHC kịp thời." in response.content.decode()
    assert not response.context["can_issue"] and not response.context["can_edit"]
    client.force_login(staff)
    response = client.get(url)
    assert response.context["can_edit"] and not response.context["can_issue"]
    client.force_login(leader)
    assert reverse("findings:conclusion-issue", args=[draft.pk]) in client.get(url).content.decode()


def test_conclusion_issue_view(client, draft, staff, leader, focal_a):
    url = reverse("findings:conclusion-issue", args=[draft.pk])
    client.force_login(staff)
    assert client.post(url, {"issued_on": TODAY.isoformat()}).status_code == 403
    client.force_login(leader)
    response = client.post(url, {"issued_on": "không phải ngày"})
    assert any("Ngày ban hành không hợp lệ" in m for m in messages_of(response))
    response = client.post(url, {"issued_on": TODAY.isoformat()})
    assert any("Đã ban hành Thông báo kết luận số 01/TB-SNV" in m for m in messages_of(response))
    response = client.post(url, {"issued_on": TODAY.isoformat()})
    assert any("không thể ban hành lại" in m for m in messages_of(response))


def test_conclusion_correct_view(client, issued, staff):
    client.force_login(staff)
    response = client.post(reverse("findings:conclusion-correct", args=[issued.pk]))
    correction = Conclusion.objects.get(supersedes=issued)
    assert response.url == reverse("findings:conclusion-update", args=[correction.pk])


# --- Tracker -------------------------------------------------------------------------------


def build_inspections(world, count, start=0):
    """``count`` inspections, each with an issued conclusion, two actions and two findings."""
    for n in range(start, start + count):
        unit = f.UnitFactory(name=f"Huyện Thử nghiệm {n}", category="district")
        inspection = f.InspectionFactory(
            plan=world.plan, unit=unit, team=world.team, status=S.REMEDIATING
        )
        conclusion = f.ConclusionFactory(
            inspection=inspection, status=Conclusion.Status.ISSUED, number=n + 1, issued_on=TODAY
        )
        f.RemediationActionFactory(
            conclusion=conclusion, item=world.heading, deadline=TODAY - datetime.timedelta(days=3)
        )
        f.RemediationActionFactory(
            conclusion=conclusion,
            item=world.section,
            deadline=TODAY + datetime.timedelta(days=5),
            status=A.REPORTED,
        )
        f.FindingFactory(inspection=inspection, item=world.heading)
        f.FindingFactory(inspection=inspection, item=world.section, kind="strength")


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response


@pytest.mark.parametrize("name", ["findings:tracker", "findings:finding-list"])
def test_list_query_count_same_with_5_and_50_inspections(client, world, staff, name):
    client.force_login(staff)
    url = reverse(name)
    build_inspections(world, 5)
    small, response = queries(client, url)
    assert response.context["page"].paginator.count == 10
    build_inspections(world, 45, start=5)
    large, response = queries(client, url)
    assert response.context["page"].paginator.count == 100
    assert small == large


def test_tracker_personas_and_team_scope(
    client, world, staff, focal_a, team_member, other_team_member
):
    build_inspections(world, 2)  # on world.team
    url = reverse("findings:tracker")
    response = check_personas(client, url, focal=focal_a, other=None, right=other_team_member)
    assert response.context["page"].paginator.count == 0
    client.force_login(team_member)
    response = client.get(url)
    assert response.context["page"].paginator.count == 4
    assert "Xác nhận" not in response.content.decode()  # team members do not verify


def test_tracker_filters(client, world, staff):
    build_inspections(world, 3)
    client.force_login(staff)
    url = reverse("findings:tracker")

    def count(**params):
        return client.get(url, params).context["page"].paginator.count

    assert count() == 6
    assert count(overdue="1") == 3
    assert count(overdue="0") == 3
    assert count(due_within="7") == 3
    assert count(due_within="2") == 0
    assert count(status="reported") == 3
    unit = Inspection.objects.filter(unit__name="Huyện Thử nghiệm 1").get().unit
    assert count(unit=unit.pk) == 2
    assert count(area=world.section.pk) == 6  # the heading sits under the section
    assert count(area=world.heading.pk) == 3
    assert count(group="department") == 0
    assert count(plan=world.plan.pk) == 6
    page = client.get(url, {"overdue": "1"}).content.decode()
    assert "Quá hạn" in page


def test_tracker_draft_actions_hidden(client, draft, staff):
    client.force_login(staff)
    assert client.get(reverse("findings:tracker")).context["page"].paginator.count == 0


def test_verify_and_reject_views(client, issued, staff, team_member):
    action = issued.actions.get()
    RemediationAction.objects.filter(pk=action.pk).update(status=A.REPORTED)
    reject = reverse("findings:action-reject", args=[action.pk])
    verify = reverse("findings:action-verify", args=[action.pk])
    client.force_login(team_member)
    assert client.post(verify).status_code == 403
    client.force_login(staff)
    response = client.post(reject, {"comment": ""})
    assert any("Cần nêu lý do" in m for m in messages_of(response))
    action.refresh_from_db()
    assert action.status == A.REPORTED
    response = client.post(verify, {"comment": "Đạt", "next": "/kiem-tra/khac-phuc/?overdue=1"})
    assert response.url == "/kiem-tra/khac-phuc/?overdue=1"
    action.refresh_from_db()
    assert action.status == A.VERIFIED
    assert Inspection.objects.get(pk=issued.inspection_id).status == S.CLOSED


def test_verify_view_ignores_foreign_next(client, issued, staff):
    action = issued.actions.get()
    RemediationAction.objects.filter(pk=action.pk).update(status=A.REPORTED)
    client.force_login(staff)
    response = client.post(
        reverse("findings:action-verify", args=[action.pk]), {"next": "https://example.com/"}
    )
    assert response.url == reverse("findings:tracker")


def test_extend_view(client, issued, staff, team_member):
    action = issued.actions.get()
    url = reverse("findings:action-extend", args=[action.pk])
    client.force_login(team_member)
    assert client.get(url).status_code == 403
    client.force_login(staff)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"new_deadline": action.deadline.isoformat(), "reason": "Chờ hướng dẫn."}
    )
    assert response.status_code == 200
    assert "phải sau thời hạn hiện tại" in response.content.decode()
    assert not DeadlineExtension.objects.exists()
    later = action.deadline + datetime.timedelta(days=10)
    response = client.post(url, {"new_deadline": later.isoformat(), "reason": "Chờ hướng dẫn."})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.deadline == later and action.original_deadline != later


# --- Findings register ---------------------------------------------------------------------


def test_register_search_ignores_diacritics(client, world, staff, focal_a, other_team_member):
    f.FindingFactory(
        inspection=world.inspection_a, item=world.heading, description="Trễ hạn tại Thanh Hoá"
    )
    f.FindingFactory(
        inspection=world.inspection_b, item=world.heading, description="Chưa có kế hoạch"
    )
    url = reverse("findings:finding-list")
    response = check_personas(client, url, focal=focal_a, other=None, right=other_team_member)
    assert response.context["page"].paginator.count == 1  # only their team's inspection
    client.force_login(staff)

    def found(**params):
        return [x["description"] for x in client.get(url, params).context["page"]]

    assert found(q="thanh hóa") == ["Trễ hạn tại Thanh Hoá"]
    assert found(q="THANH HOA") == ["Trễ hạn tại Thanh Hoá"]
    assert found(q="đông sơn") == ["Chưa có kế hoạch"]  # the unit's name
    assert found(group="district") == ["Chưa có kế hoạch"]
    assert found(unit=world.inspection_a.unit_id) == ["Trễ hạn tại Thanh Hoá"]
    assert len(found(year=2023, kind="shortcoming", area=world.section.pk)) == 2
    assert found(year=2022) == []


def test_register_invalid_filter_shows_error(client, staff):
    client.force_login(staff)
    response = client.get(reverse("findings:finding-list"), {"kind": "khong-co"})
    assert response.status_code == 200
    assert "Lựa chọn không hợp lệ" in response.content.decode() or "hợp lệ" in (
        response.content.decode()
    )


# --- Inspection panels ---------------------------------------------------------------------


def render_panels(user, inspection):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load findings_panels %}{% inspection_panels inspection %}")
    return template.render(Context({"request": request, "inspection": inspection}))


def test_panels_offer_the_next_step(world, staff, team_member):
    inspection = set_status(
        world.inspection_a, S.SCHEDULED, report_deadline=datetime.date(2030, 6, 12)
    )
    html = render_panels(staff, inspection)
    assert reverse("reports:report-request", args=[inspection.pk]) in html
    assert reverse("reports:report-request", args=[inspection.pk]) not in render_panels(
        team_member, inspection
    )
    set_status(inspection, S.REVIEWED)
    html = render_panels(staff, inspection)
    assert reverse("findings:conclusion-create", args=[inspection.pk]) in html
    assert reverse("findings:finding-create", args=[inspection.pk]) in html


def test_panels_query_count_fixed(world, staff, issued):
    inspection = issued.inspection
    render_panels(staff, inspection)  # the user's roles are read once, then cached
    with CaptureQueriesContext(connection) as small:
        render_panels(staff, inspection)
    for _ in range(10):
        f.FindingFactory(inspection=inspection, item=world.heading)
        f.RemediationActionFactory(conclusion=issued, item=world.heading)
    with CaptureQueriesContext(connection) as large:
        html = render_panels(staff, inspection)
    assert len(small) == len(large)
    assert "01/TB-SNV" in html


def _action_line(html, requirement):
    """The remediation panel's line of one requirement."""
    return next(line for line in html.split("</li>") if requirement in line)


def test_panels_list_the_actions_in_force(world, issued, staff, leader):
    """The issued conclusion's actions until an issued correction replaces them: a draft
    correction changes nothing yet. The same actions as the tracker's ``current()``."""
    inspection = Inspection.objects.get(pk=issued.inspection_id)

    def shown():
        in_force = RemediationAction.objects.current().filter(conclusion__inspection=inspection)
        listed = current_actions(list(inspection.conclusions.all()))
        assert listed == list(in_force.order_by("order", "pk"))
        return {a.conclusion_id for a in listed}

    assert shown() == {issued.pk}
    correction = services.conclusion_correct(conclusion=issued, actor=staff)
    first = correction.actions.order_by("order", "pk")[:1]
    RemediationAction.objects.filter(pk__in=first).update(requirement="Theo bản đính chính.")
    assert shown() == {issued.pk}
    assert "Theo bản đính chính." not in render_panels(staff, inspection)
    services.conclusion_issue(conclusion=correction, actor=leader, issued_on=TODAY)
    assert shown() == {correction.pk}
    assert "Theo bản đính chính." in render_panels(staff, inspection)


def test_panels_list_no_actions_before_a_conclusion_is_issued(draft, staff):
    with CaptureQueriesContext(connection) as queries:
        html = render_panels(staff, draft.inspection)
    assert "Chưa có yêu cầu khắc phục đã ban hành." in html
    assert not [q for q in queries if "remediationaction" in q["sql"]]


def test_panels_flag_overdue_actions(world, issued, staff):
    yesterday = TODAY - datetime.timedelta(days=1)
    with f.unlocked():
        for requirement, status in [("Trễ, chưa xong.", A.OPEN), ("Trễ, đã xong.", A.VERIFIED)]:
            f.RemediationActionFactory(
                conclusion=issued,
                item=world.heading,
                requirement=requirement,
                deadline=yesterday,
                status=status,
            )
    html = render_panels(staff, Inspection.objects.get(pk=issued.inspection_id))
    assert "Quá hạn" in _action_line(html, "Trễ, chưa xong.")
    assert "Quá hạn" not in _action_line(html, "Trễ, đã xong.")
