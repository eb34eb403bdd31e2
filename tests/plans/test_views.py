"""Pages of plans, Phụ lục 1, teams and inspections, per persona."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cchc_inspection.models import StatusLog
from cchc_inspection.roles import Role
from plans.models import (
    Inspection,
    InspectionPlan,
    InspectionTeam,
    PlanEntry,
    PlanGroup,
    TeamMember,
)
from tests import factories as f

D = datetime.date
FUTURE = D.today() + datetime.timedelta(days=30)


@pytest.fixture
def office(db):
    return f.UserFactory(username="vanphong", roles=[Role.OFFICE])


def issued(plan):
    InspectionPlan.objects.filter(pk=plan.pk).update(status="issued")
    plan.refresh_from_db()
    return plan


def scheduled(inspection, **changes):
    values = {"status": "scheduled", "start_date": FUTURE, "end_date": FUTURE}
    values.update(changes)
    Inspection.objects.filter(pk=inspection.pk).update(**values)
    inspection.refresh_from_db()
    return inspection


def page(client, user, url, data=None):
    client.force_login(user)
    if data is None:
        return client.get(url)
    return client.post(url, data)


def text(response):
    return response.content.decode()


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


# --- Who gets in -----------------------------------------------------------------------------

STAFF_PAGES = [
    ("plans:plan-create", None),
    ("plans:plan-update", "plan"),
    ("plans:plan-copy", "plan"),
    ("plans:plan-appendix", "plan"),
    ("plans:group-add", "plan"),
    ("plans:group-update", "group"),
    ("plans:entry-add", "plan"),
    ("plans:entry-update", "entry_a"),
    ("plans:team-list", "plan"),
    ("plans:team-create", "plan"),
    ("plans:team-update", "team"),
    ("plans:member-add", "team"),
    ("plans:inspection-create", "plan"),
    ("plans:inspection-update", "inspection_a"),
    ("plans:inspection-deadline", "inspection_a"),
    ("plans:inspection-cancel", "inspection_a"),
]
POST_ONLY = [
    ("plans:plan-issue", "plan"),
    ("plans:plan-close", "plan"),
    ("plans:group-move", "group"),
    ("plans:group-delete", "group"),
    ("plans:entry-delete", "entry_a"),
    ("plans:team-issue", "team"),
    ("plans:inspection-review-done", "inspection_a"),
]
SCHEDULE_PAGES = [
    ("plans:inspection-list", None),
    ("plans:team-detail", "team"),
    ("plans:team-programme", "team"),
    ("plans:inspection-detail", "inspection_a"),
    ("plans:inspection-logistics", "inspection_a"),
]


def url_of(world, name, attr):
    return reverse(name, args=[getattr(world, attr).pk]) if attr else reverse(name)


@pytest.mark.parametrize(("name", "attr"), STAFF_PAGES + POST_ONLY + SCHEDULE_PAGES)
def test_anonymous_goes_to_log_in(client, world, name, attr):
    url = url_of(world, name, attr)
    response = client.post(url) if (name, attr) in POST_ONLY else client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(("name", "attr"), STAFF_PAGES + POST_ONLY)
def test_team_members_and_focal_persons_are_refused_staff_pages(
    client, world, team_member, focal_a, name, attr
):
    url = url_of(world, name, attr)
    for user in (team_member, focal_a):
        client.force_login(user)
        response = client.post(url) if (name, attr) in POST_ONLY else client.get(url)
        assert response.status_code == 403, user


@pytest.mark.parametrize(("name", "attr"), SCHEDULE_PAGES)
def test_focal_person_and_outsider_see_no_schedule_page(
    client, world, focal_a, outsider, name, attr
):
    for user in (focal_a, outsider):
        assert page(client, user, url_of(world, name, attr)).status_code == 403


def test_staff_pages_open_for_staff(client, world, staff):
    issued(world.plan)
    for name, attr in STAFF_PAGES:
        if name in {
            "plans:plan-update",
            "plans:group-add",
            "plans:group-update",
            "plans:entry-add",
            "plans:entry-update",
        }:
            continue  # drafts only; covered below
        assert page(client, staff, url_of(world, name, attr)).status_code == 200, name


# --- Plans -----------------------------------------------------------------------------------


def plan_data(agency, **changes):
    data = {
        "agency": agency.pk,
        "year": 2024,
        "symbol": "KH-SNV",
        "title": "Kiểm tra công tác cải cách hành chính năm 2024",
        "legal_basis": "Thực hiện Quyết định số 10/QĐ-UBND.",
        "purposes": "Đánh giá thực trạng.",
        "requirements": "Khách quan.",
        "subjects": "Các sở, ngành.",
        "forms": "Trực tiếp.",
        "timing": "Theo quyết định thành lập Đoàn.",
        "contents": "Công tác chỉ đạo.",
        "duties_agency": "Phòng CCHC tham mưu.",
        "duties_units": "Gửi báo cáo trước 03 ngày.",
        "report_lead_days": 3,
        "deadline_basis": "working",
        "appendix_title": "Danh sách cơ quan, đơn vị dự kiến thực hiện kiểm tra",
        "signer_title": "GIÁM ĐỐC",
        "signer_name": "Trần Quốc Huy",
        "recipients": "Bộ Nội vụ;\nLưu: VT, CCHC.",
    }
    data.update(changes)
    return data


def test_staff_drafts_a_plan(client, agency, staff):
    response = page(client, staff, reverse("plans:plan-create"))
    assert "Hạn gửi báo cáo của đơn vị" in text(response)
    response = page(client, staff, reverse("plans:plan-create"), plan_data(agency))
    plan = InspectionPlan.objects.get()
    assert response.url == reverse("plans:plan-appendix", args=[plan.pk])
    assert (plan.status, plan.deadline_basis, plan.year) == ("draft", "working", 2024)


def test_plan_form_shows_errors_and_saves_nothing(client, agency, staff):
    response = page(
        client, staff, reverse("plans:plan-create"), plan_data(agency, title="", year=1800)
    )
    assert response.status_code == 200
    assert "Năm kế hoạch không hợp lệ." in text(response)
    assert not InspectionPlan.objects.exists()


def test_issued_plan_is_not_edited(client, world, staff):
    issued(world.plan)
    response = page(client, staff, reverse("plans:plan-update", args=[world.plan.pk]))
    assert response.status_code == 302
    assert "không thể sửa" in messages_of(response)[-1]


def test_leader_issues_and_staff_cannot(client, world, staff, leader):
    url = reverse("plans:plan-issue", args=[world.plan.pk])
    assert page(client, staff, url, {"issued_on": "2023-03-05"}).status_code == 403
    response = page(client, leader, url, {"issued_on": "không phải ngày"})
    assert "Ngày ban hành không hợp lệ." in messages_of(response)
    assert InspectionPlan.objects.get(pk=world.plan.pk).status == "draft"
    response = page(client, leader, url, {"issued_on": "2023-03-05"})
    plan = InspectionPlan.objects.get(pk=world.plan.pk)
    assert (plan.status, plan.number) == ("issued", 1)
    assert "01/KH-SNV" in messages_of(response)[-1]


def test_leader_close_is_refused_with_open_inspections(client, world, leader):
    issued(world.plan)
    response = page(client, leader, reverse("plans:plan-close", args=[world.plan.pk]), {})
    assert "chưa thể kết thúc" in messages_of(response)[-1]
    assert InspectionPlan.objects.get(pk=world.plan.pk).status == "issued"


def test_copy_plan_page(client, world, staff):
    url = reverse("plans:plan-copy", args=[world.plan.pk])
    response = page(client, staff, url, {"year": "2022"})
    assert "Năm của kế hoạch mới phải sau năm 2023." in text(response)
    response = page(client, staff, url, {"year": "2024"})
    new = InspectionPlan.objects.get(year=2024)
    assert response.url == reverse("plans:plan-detail", args=[new.pk])
    assert new.entries.count() == 2


# --- Phụ lục 1 -------------------------------------------------------------------------------


def test_appendix_page_and_group_management(client, world, staff):
    url = reverse("plans:plan-appendix", args=[world.plan.pk])
    response = page(client, staff, url)
    assert "Sở Tư pháp" in text(response) and "Huyện Đông Sơn" in text(response)
    page(
        client,
        staff,
        reverse("plans:group-add", args=[world.plan.pk]),
        {"title": "UBND cấp huyện", "category": "district", "expected_period": "Trong năm 2023"},
    )
    group = PlanGroup.objects.get(title="UBND cấp huyện")
    assert group.order == 2
    page(client, staff, reverse("plans:group-move", args=[group.pk]), {"direction": "up"})
    assert PlanGroup.objects.get(pk=group.pk).order == 1
    page(
        client,
        staff,
        reverse("plans:group-update", args=[group.pk]),
        {"title": "UBND cấp huyện, cấp xã", "category": "district", "expected_period": ""},
    )
    assert PlanGroup.objects.get(pk=group.pk).title == "UBND cấp huyện, cấp xã"
    response = page(client, staff, reverse("plans:group-delete", args=[world.group.pk]), {})
    assert "Nhóm còn đơn vị" in messages_of(response)[-1]
    page(client, staff, reverse("plans:group-delete", args=[group.pk]), {})
    assert not PlanGroup.objects.filter(pk=group.pk).exists()


def test_entry_add_offers_only_current_units_not_in_the_plan(client, world, staff, unit_a):
    new_unit = f.UnitFactory(name="Sở Y tế")
    f.UnitFactory(name="Huyện Đã Giải Thể", valid_to=D(2020, 1, 1))
    url = reverse("plans:entry-add", args=[world.plan.pk])
    body = text(page(client, staff, url))
    assert "Sở Y tế" in body and "Huyện Đã Giải Thể" not in body
    assert "Sở Tư pháp — Sở, ngành cấp tỉnh" not in body
    response = page(client, staff, url, {"group": world.group.pk, "unit": unit_a.pk})
    assert response.status_code == 200 and "is-invalid" in text(response)
    assert PlanEntry.objects.filter(unit=unit_a).count() == 1
    response = page(
        client,
        staff,
        url,
        {
            "group": world.group.pk,
            "unit": new_unit.pk,
            "expected_period": "Quý III năm 2023",
            "note": "",
        },
    )
    assert response.status_code == 302
    assert PlanEntry.objects.get(unit=new_unit).expected_period == "Quý III năm 2023"


def test_entry_update_and_delete(client, world, staff):
    page(
        client,
        staff,
        reverse("plans:entry-update", args=[world.entry_b.pk]),
        {"group": world.group.pk, "expected_period": "Quý IV năm 2023", "note": "Kiểm tra cả xã"},
    )
    assert PlanEntry.objects.get(pk=world.entry_b.pk).note == "Kiểm tra cả xã"
    response = page(client, staff, reverse("plans:entry-delete", args=[world.entry_b.pk]), {})
    assert "đã có cuộc kiểm tra" in messages_of(response)[-1]
    world.inspection_b.delete()
    page(client, staff, reverse("plans:entry-delete", args=[world.entry_b.pk]), {})
    assert not PlanEntry.objects.filter(pk=world.entry_b.pk).exists()


# --- Teams -----------------------------------------------------------------------------------


def test_team_create_with_defaults_from_the_agency(client, world, staff):
    url = reverse("plans:team-create", args=[world.plan.pk])
    body = text(page(client, staff, url))
    assert 'value="QĐ-SNV"' in body and "Trần Quốc Huy" in body
    response = page(client, staff, url, {"name": "", "symbol": "QĐ-SNV"})
    assert response.status_code == 200 and "is-invalid" in text(response)
    response = page(
        client,
        staff,
        url,
        {
            "name": "Đoàn kiểm tra số 3",
            "symbol": "QĐ-SNV",
            "signer_title": "GIÁM ĐỐC",
            "signer_name": "Trần Quốc Huy",
        },
    )
    team = InspectionTeam.objects.get(name="Đoàn kiểm tra số 3")
    assert response.url == reverse("plans:team-detail", args=[team.pk])


def test_team_detail_per_persona(client, world, staff, team_member, other_team_member, office):
    url = reverse("plans:team-detail", args=[world.team.pk])
    assert "Lê Văn Đoàn" in text(page(client, staff, url))
    assert page(client, team_member, url).status_code == 200
    assert page(client, office, url).status_code == 200
    assert page(client, other_team_member, url).status_code == 404


def test_member_add_refuses_a_second_seat_at_the_field(client, world, staff, team_member, outsider):
    url = reverse("plans:member-add", args=[world.team.pk])
    response = page(client, staff, url, {"user": team_member.pk, "role": "member"})
    assert "Người này đã là thành viên của đoàn." in text(response)
    response = page(client, staff, url, {"full_name": "Hà Văn Ngoài", "role": "leader"})
    assert "mỗi đoàn chỉ có một Trưởng đoàn" in text(response)
    assert world.team.members.count() == 1
    response = page(
        client,
        staff,
        url,
        {
            "full_name": "Hà Văn Ngoài",
            "position": "Phó Giám đốc",
            "agency_name": "Sở Tư pháp",
            "role": "deputy",
        },
    )
    assert response.status_code == 302
    member = TeamMember.objects.get(full_name="Hà Văn Ngoài")
    page(client, staff, reverse("plans:member-delete", args=[member.pk]), {})
    assert not TeamMember.objects.filter(pk=member.pk).exists()


def test_team_issue_by_leader_locks_members(client, world, staff, leader):
    issued(world.plan)
    url = reverse("plans:team-issue", args=[world.team.pk])
    assert page(client, staff, url, {"issued_on": "2023-05-02"}).status_code == 403
    page(client, leader, url, {"issued_on": "2023-05-02"})
    assert InspectionTeam.objects.get(pk=world.team.pk).status == "issued"
    response = page(client, staff, reverse("plans:member-add", args=[world.team.pk]))
    assert response.status_code == 302
    assert "không thể sửa đoàn" in messages_of(response)[-1]
    body = text(page(client, staff, reverse("plans:team-detail", args=[world.team.pk])))
    assert "Thêm thành viên" not in body and "01/QĐ-SNV" in body


def test_work_programme(client, world, team_member, other_team_member, office):
    scheduled(world.inspection_a, place="Hội trường Sở Tư pháp", logistics_notes="Xe 36A-123")
    url = reverse("plans:team-programme", args=[world.team.pk])
    body = text(page(client, office, url))
    assert "Hội trường Sở Tư pháp" in body and "Xe 36A-123" in body
    assert reverse("plans:inspection-logistics", args=[world.inspection_a.pk]) in body
    detail = f'href="{reverse("plans:inspection-detail", args=[world.inspection_a.pk])}"'
    assert detail not in body
    body = text(page(client, team_member, url))
    assert detail in body
    assert page(client, other_team_member, url).status_code == 404


def test_office_edits_logistics(client, world, office, team_member):
    url = reverse("plans:inspection-logistics", args=[world.inspection_a.pk])
    assert page(client, team_member, url).status_code == 403
    response = page(client, office, url, {"logistics_notes": "Xe 7 chỗ, khởi hành 7h00"})
    assert response.status_code == 302
    assert Inspection.objects.get(pk=world.inspection_a.pk).logistics_notes.startswith("Xe 7 chỗ")


# --- Inspections -----------------------------------------------------------------------------


def test_inspection_list_per_persona(client, world, staff, team_member, office):
    url = reverse("plans:inspection-list")
    body = text(page(client, staff, url))
    assert "Sở Tư pháp" in body and "Huyện Đông Sơn" in body
    body = text(page(client, team_member, url))
    assert "Sở Tư pháp" in body and "Huyện Đông Sơn" not in body
    body = text(page(client, office, url))
    assert "Huyện Đông Sơn" in body
    assert f'href="{reverse("plans:inspection-detail", args=[world.inspection_b.pk])}"' not in body


def test_inspection_list_filters(client, world, staff):
    scheduled(world.inspection_a)
    url = reverse("plans:inspection-list")
    body = text(page(client, staff, f"{url}?plan={world.plan.pk}&status=scheduled"))
    assert "Sở Tư pháp" in body and "Huyện Đông Sơn" not in body
    other = f.PlanGroupFactory(plan=world.plan, title="UBND cấp huyện")
    PlanEntry.objects.filter(pk=world.entry_b.pk).update(group=other)
    body = text(page(client, staff, f"{url}?plan={world.plan.pk}&group={other.pk}"))
    assert "Huyện Đông Sơn" in body and "Sở Tư pháp" not in body
    Inspection.objects.filter(pk=world.inspection_b.pk).update(
        status="report_requested", report_deadline=D(2020, 1, 1)
    )
    body = text(page(client, staff, f"{url}?overdue=1"))
    assert "Huyện Đông Sơn" in body and "Sở Tư pháp" not in body and "Quá hạn" in body


def _list_queries(client, user, count, world):
    for i in range(count):
        unit = f.UnitFactory()
        f.PlanEntryFactory(plan=world.plan, group=world.group, unit=unit, order=10 + i)
        f.InspectionFactory(plan=world.plan, unit=unit, team=world.team, status="scheduled")
    client.force_login(user)
    client.get(reverse("plans:inspection-list"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("plans:inspection-list") + f"?plan={world.plan.pk}")
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["staff", "team_member"])
def test_inspection_list_query_count_does_not_grow(client, world, request, persona):
    user = request.getfixturevalue(persona)
    small = _list_queries(client, user, 3, world)  # 5 inspections in all
    large = _list_queries(client, user, 45, world)  # 50 (one page of 25 shown)
    assert small == large


def test_inspection_detail_per_persona(
    client, world, staff, team_member, other_team_member, office
):
    url = reverse("plans:inspection-detail", args=[world.inspection_a.pk])
    body = text(page(client, staff, url))
    assert "Lịch sử xử lý" in body and "Lê Văn Đoàn" in body and "Lên lịch" in body
    body = text(page(client, team_member, url))
    assert "Lên lịch" not in body
    assert page(client, other_team_member, url).status_code == 404
    assert page(client, office, url).status_code == 403


def test_inspection_detail_shows_members_in_order_and_the_plan_row(client, world, staff):
    """The team's members in their order (not the order they were added), and the unit's
    Phụ lục 1 group with the expected period, its own or else the group's."""
    f.TeamMemberFactory(team=world.team, full_name="Ngô Thư Ký", role="secretary", order=9)
    f.TeamMemberFactory(team=world.team, full_name="Đỗ Phó Đoàn", role="deputy", order=1)
    url = reverse("plans:inspection-detail", args=[world.inspection_a.pk])
    body = text(page(client, staff, url))
    assert body.index("Lê Văn Đoàn") < body.index("Đỗ Phó Đoàn") < body.index("Ngô Thư Ký")
    assert "Các Sở, ngành cấp tỉnh · dự kiến Trong năm 2023" in body
    PlanEntry.objects.filter(unit=world.inspection_a.unit).update(expected_period="Quý III")
    assert "Các Sở, ngành cấp tỉnh · dự kiến Quý III" in text(client.get(url))
    Inspection.objects.filter(pk=world.inspection_a.pk).update(team=None)
    assert "Chưa giao đoàn kiểm tra." in text(client.get(url))


def test_schedule_page(client, world, staff):
    issued(world.plan)
    url = reverse("plans:inspection-create", args=[world.plan.pk])
    data = {
        "unit": world.inspection_a.unit_id,
        "team": world.team.pk,
        "form": "on_site",
        "start_date": "2020-01-10",
        "place": "Trụ sở",
        "logistics_notes": "",
    }
    response = page(client, staff, url, data)
    assert "đã qua: hãy chọn ngày kiểm tra muộn hơn" in text(response)
    assert Inspection.objects.get(pk=world.inspection_a.pk).status == "planned"
    stranger = f.UnitFactory(name="Sở Y tế")
    response = page(client, staff, url, {**data, "unit": stranger.pk})
    assert "is-invalid" in text(response) and not stranger.inspections.exists()
    response = page(client, staff, url, {**data, "start_date": FUTURE.isoformat()})
    inspection = Inspection.objects.get(pk=world.inspection_a.pk)
    assert response.url == reverse("plans:inspection-detail", args=[inspection.pk])
    assert inspection.status == "scheduled"
    assert inspection.report_deadline == FUTURE - datetime.timedelta(days=3)
    body = text(client.get(response.url))
    assert "Đã lên lịch" in body and "Lên lịch kiểm tra." in body  # status and history row


def test_schedule_page_refused_for_a_draft_plan(client, world, staff):
    response = page(client, staff, reverse("plans:inspection-create", args=[world.plan.pk]))
    assert response.status_code == 302
    assert "kế hoạch đã ban hành" in messages_of(response)[-1]


def test_deadline_move_page(client, world, staff):
    inspection = scheduled(
        world.inspection_a,
        report_deadline=FUTURE - datetime.timedelta(days=3),
        report_deadline_computed=FUTURE - datetime.timedelta(days=3),
    )
    url = reverse("plans:inspection-deadline", args=[inspection.pk])
    new = FUTURE - datetime.timedelta(days=1)
    response = page(client, staff, url, {"new_deadline": new.isoformat(), "reason": ""})
    assert "is-invalid" in text(response)
    response = page(client, staff, url, {"new_deadline": new.isoformat(), "reason": "Đơn vị xin"})
    assert response.status_code == 302
    body = text(client.get(response.url))
    assert "đã điều chỉnh. Lý do: Đơn vị xin" in body


def test_cancel_and_review_done_pages(client, world, staff):
    url = reverse("plans:inspection-cancel", args=[world.inspection_a.pk])
    response = page(client, staff, url, {"reason": ""})
    assert response.status_code == 200 and "is-invalid" in text(response)
    page(client, staff, url, {"reason": "Đơn vị đã được kiểm tra chuyên đề"})
    assert Inspection.objects.get(pk=world.inspection_a.pk).status == "cancelled"
    inspection = scheduled(world.inspection_b, form="unannounced")
    done = reverse("plans:inspection-review-done", args=[inspection.pk])
    assert page(client, staff, done, {}).status_code == 302
    assert StatusLog.objects.filter(object_id=inspection.pk, to_status="reviewed").exists()
    response = page(client, staff, done, {})
    assert "Không thể chuyển" in messages_of(response)[-1]


def test_update_page_recomputes_deadline(client, world, staff):
    issued(world.plan)
    inspection = scheduled(
        world.inspection_a, report_deadline=FUTURE, report_deadline_computed=FUTURE
    )
    later = FUTURE + datetime.timedelta(days=10)
    response = page(
        client,
        staff,
        reverse("plans:inspection-update", args=[inspection.pk]),
        {
            "team": world.team.pk,
            "form": "documents",
            "start_date": later.isoformat(),
            "end_date": "",
            "place": "",
            "logistics_notes": "",
        },
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.report_deadline == later - datetime.timedelta(days=3)
    assert inspection.form == "documents"


def test_plan_page_buttons_by_role(client, world, staff, leader):
    url = reverse("plans:plan-detail", args=[world.plan.pk])
    body = text(page(client, staff, url))
    assert reverse("plans:plan-update", args=[world.plan.pk]) in body
    assert reverse("plans:plan-issue", args=[world.plan.pk]) not in body
    body = text(page(client, leader, url))
    assert reverse("plans:plan-issue", args=[world.plan.pk]) in body
    issued(world.plan)
    body = text(page(client, leader, url))
    assert reverse("plans:plan-update", args=[world.plan.pk]) not in body
    assert reverse("plans:plan-close", args=[world.plan.pk]) in body
    assert reverse("plans:inspection-create", args=[world.plan.pk]) in body
    assert reverse("plans:plan-create") in text(page(client, staff, reverse("plans:plan-list")))
