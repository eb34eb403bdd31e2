"""Services of the plans app: each allowed move, an illegal source with its message, the log."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cchc_inspection.models import RegisterEntry, StatusLog
from cchc_inspection.roles import Role, has_role
from cchc_inspection.workflow import TransitionError
from plans import services
from plans.models import (
    Inspection,
    InspectionPlan,
    InspectionTeam,
    PlanEntry,
    PlanGroup,
    TeamMember,
)
from reports.models import Footnote, IndicatorRule, OutlineItem, UnitReport
from reports.services import plan_copy
from tests import factories as f

D = datetime.date
BEFORE = D(2023, 6, 1)  # "today" for scheduling tests: before the 15/6/2023 start


def last_log(obj):
    return StatusLog.objects.filter(object_id=obj.pk).order_by("pk").last()


def issue(plan):
    InspectionPlan.objects.filter(pk=plan.pk).update(status="issued")
    plan.refresh_from_db()
    return plan


# --- Plans -----------------------------------------------------------------------------------


def test_plan_issue_takes_a_number_and_logs(world, leader):
    plan = services.plan_issue(plan=world.plan, actor=leader, issued_on=D(2023, 3, 5))
    plan.refresh_from_db()
    assert plan.status == "issued"
    assert plan.number == 1 and plan.issued_on == D(2023, 3, 5)
    assert plan.number_display == "01/KH-SNV"
    assert RegisterEntry.objects.filter(object_id=plan.pk, doc_type="KH").count() == 1
    log = last_log(plan)
    assert (log.from_status, log.to_status, log.actor) == ("draft", "issued", leader)


def test_plan_issue_twice_is_refused_without_taking_a_number(world, leader):
    services.plan_issue(plan=world.plan, actor=leader)
    with pytest.raises(TransitionError, match="từ trạng thái “Đã ban hành” sang “Đã ban hành”"):
        services.plan_issue(plan=world.plan, actor=leader)
    assert RegisterEntry.objects.count() == 1


def test_staff_cannot_issue_and_empty_appendix_is_refused(world, staff, leader):
    with pytest.raises(PermissionDenied):
        services.plan_issue(plan=world.plan, actor=staff)
    empty = f.PlanFactory(agency=world.plan.agency)
    with pytest.raises(ValidationError, match="Phụ lục 1 chưa có đơn vị"):
        services.plan_issue(plan=empty, actor=leader)
    assert InspectionPlan.objects.get(pk=empty.pk).status == "draft"


def test_plan_close_needs_every_inspection_finished(world, leader):
    issue(world.plan)
    with pytest.raises(ValidationError, match="còn 2 cuộc kiểm tra"):
        services.plan_close(plan=world.plan, actor=leader)
    Inspection.objects.update(status="cancelled")
    services.plan_close(plan=world.plan, actor=leader)
    assert InspectionPlan.objects.get(pk=world.plan.pk).status == "closed"
    assert last_log(world.plan).to_status == "closed"


def test_plan_close_from_draft_is_illegal(world, leader):
    with pytest.raises(TransitionError, match="từ trạng thái “Dự thảo” sang “Đã kết thúc”"):
        services.plan_close(plan=world.plan, actor=leader)


def test_issued_plan_cannot_be_edited(world, staff):
    issue(world.plan)
    world.plan.title = "Khác"
    with pytest.raises(ValidationError, match="đã ban hành"):
        services.plan_save(plan=world.plan, actor=staff)
    with pytest.raises(ValidationError):
        services.entry_delete(entry=world.entry_a, actor=staff)


def test_new_plan_is_logged_as_drafted(agency, staff):
    plan = f.PlanFactory.build(agency=agency)
    services.plan_save(plan=plan, actor=staff)
    log = last_log(plan)
    assert (log.from_status, log.to_status) == ("", "draft")


# --- Groups and entries ----------------------------------------------------------------------


def test_groups_move_and_only_empty_ones_go(world, staff):
    second = services.group_save(
        group=PlanGroup(plan=world.plan, title="UBND cấp huyện"), actor=staff
    )
    assert second.order == 2
    services.group_move(group=second, direction="up", actor=staff)
    orders = dict(PlanGroup.objects.values_list("title", "order"))
    assert orders == {"UBND cấp huyện": 1, "Các Sở, ngành cấp tỉnh": 2}
    with pytest.raises(ValidationError, match="Nhóm còn đơn vị"):
        services.group_delete(group=world.group, actor=staff)
    services.group_delete(group=second, actor=staff)
    assert not PlanGroup.objects.filter(pk=second.pk).exists()


def test_entry_once_per_plan_and_kept_while_inspected(world, staff, unit_a):
    twice = PlanEntry(plan=world.plan, group=world.group, unit=unit_a)
    with pytest.raises(ValidationError) as error:
        services.entry_save(entry=twice, actor=staff)
    assert "đã có trong Phụ lục 1" in error.value.message_dict["unit"][0]
    with pytest.raises(ValidationError, match="đã có cuộc kiểm tra"):
        services.entry_delete(entry=world.entry_a, actor=staff)
    new = services.entry_save(
        entry=PlanEntry(plan=world.plan, group=world.group, unit=f.UnitFactory()), actor=staff
    )
    assert new.order == 2


# --- Teams -----------------------------------------------------------------------------------


def test_member_rules_name_the_field(world, staff, team_member):
    team = world.team
    with pytest.raises(ValidationError) as error:
        services.member_save(
            member=TeamMember(team=team, user=team_member, role="member"), actor=staff
        )
    assert "user" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.member_save(
            member=TeamMember(team=team, full_name="lê  văn đoàn", role="member"), actor=staff
        )
    assert "full_name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.member_save(
            member=TeamMember(team=team, full_name="Trần Văn Mới", role="leader"), actor=staff
        )
    assert "một Trưởng đoàn" in error.value.message_dict["role"][0]


def test_a_user_added_to_a_team_gets_the_team_role(world, staff, outsider):
    member = services.member_save(
        member=TeamMember(team=world.team, user=outsider, role="secretary"), actor=staff
    )
    assert member.full_name == "Nguyễn Văn A"
    outsider.refresh_from_db()
    assert has_role(type(outsider).objects.get(pk=outsider.pk), Role.TEAM_MEMBER)
    # A staff user keeps their own role only.
    staff.first_name, staff.last_name = "Thị Bình", "Trần"
    services.member_save(member=TeamMember(team=world.team, user=staff, role="member"), actor=staff)
    assert not staff.groups.filter(name="Thành viên Đoàn kiểm tra").exists()


def test_team_decision_issue(world, leader, staff):
    with pytest.raises(ValidationError, match="Kế hoạch chưa ban hành"):
        services.team_decision_issue(team=world.team, actor=leader)
    issue(world.plan)
    with pytest.raises(PermissionDenied):
        services.team_decision_issue(team=world.team, actor=staff)
    with pytest.raises(ValidationError, match="chưa có Trưởng đoàn"):
        services.team_decision_issue(team=world.other_team, actor=leader)
    team = services.team_decision_issue(team=world.team, actor=leader, issued_on=D(2023, 5, 2))
    assert (team.status, team.number_display, team.issued_on) == (
        "issued",
        "01/QĐ-SNV",
        D(2023, 5, 2),
    )
    log = last_log(team)
    assert (log.from_status, log.to_status) == ("draft", "issued")
    with pytest.raises(ValidationError, match="không thể sửa đoàn"):
        services.member_save(
            member=TeamMember(team=team, full_name="Người Mới", role="member"), actor=staff
        )
    with pytest.raises(TransitionError, match="“Đã ban hành quyết định” sang"):
        services.team_decision_issue(team=team, actor=leader)


# --- Inspections -----------------------------------------------------------------------------


def schedule(world, staff, unit=None, **changes):
    details = {
        "team": world.team,
        "form": "on_site",
        "start_date": D(2023, 6, 15),
        "end_date": D(2023, 6, 15),
        "place": "Trụ sở đơn vị",
        "logistics_notes": "",
    }
    details.update(changes)
    return services.inspection_schedule(
        plan=world.plan, unit=unit or world.inspection_a.unit, actor=staff, today=BEFORE, **details
    )


def test_schedule_moves_planned_to_scheduled_with_deadline(world, staff):
    issue(world.plan)
    inspection = schedule(world, staff)
    assert inspection.pk == world.inspection_a.pk
    assert inspection.status == "scheduled"
    assert inspection.report_deadline == inspection.report_deadline_computed == D(2023, 6, 12)
    log = last_log(inspection)
    assert (log.from_status, log.to_status, log.actor) == ("planned", "scheduled", staff)


def test_schedule_counts_working_days_when_the_plan_says_so(world, staff):
    InspectionPlan.objects.filter(pk=world.plan.pk).update(
        status="issued", deadline_basis="working"
    )
    world.plan.refresh_from_db()
    inspection = schedule(world, staff, start_date=D(2023, 6, 19), end_date=None)  # a Monday
    assert inspection.report_deadline == D(2023, 6, 14)


def test_schedule_refuses_a_unit_outside_the_plan(world, staff):
    issue(world.plan)
    stranger = f.UnitFactory(name="Sở Y tế")
    with pytest.raises(ValidationError) as error:
        schedule(world, staff, unit=stranger)
    assert "Sở Y tế không có trong Phụ lục 1" in error.value.message_dict["unit"][0]
    assert not Inspection.objects.filter(unit=stranger).exists()


def test_schedule_refuses_a_past_deadline_but_not_unannounced(world, staff):
    issue(world.plan)
    with pytest.raises(ValidationError) as error:
        schedule(world, staff, start_date=D(2023, 6, 3))
    assert "12/2023" not in str(error.value)
    assert "31/5/2023, đã qua" in error.value.message_dict["start_date"][0]
    assert Inspection.objects.get(pk=world.inspection_a.pk).status == "planned"
    inspection = schedule(world, staff, start_date=D(2023, 6, 2), form="unannounced")
    assert inspection.status == "scheduled" and inspection.report_deadline is None


def test_schedule_refuses_draft_plan_and_busy_unit(world, staff):
    with pytest.raises(ValidationError, match="kế hoạch đã ban hành"):
        schedule(world, staff)
    issue(world.plan)
    schedule(world, staff)
    with pytest.raises(ValidationError, match="đã có cuộc kiểm tra"):
        schedule(world, staff)


def test_update_recomputes_the_deadline(world, staff):
    issue(world.plan)
    inspection = schedule(world, staff)
    services.inspection_update(
        inspection=inspection, actor=staff, today=BEFORE, start_date=D(2023, 6, 20), end_date=None
    )
    inspection.refresh_from_db()
    assert inspection.report_deadline == D(2023, 6, 17)


def test_deadline_move_keeps_the_computed_date_and_logs(world, staff):
    issue(world.plan)
    inspection = schedule(world, staff)
    services.inspection_deadline_move(
        inspection=inspection, new_deadline=D(2023, 6, 13), reason="Đơn vị đề nghị", actor=staff
    )
    inspection.refresh_from_db()
    assert inspection.report_deadline == D(2023, 6, 13)
    assert inspection.report_deadline_computed == D(2023, 6, 12)
    assert inspection.deadline_change_reason == "Đơn vị đề nghị"
    log = last_log(inspection)
    assert (log.from_status, log.to_status) == ("scheduled", "scheduled")
    assert "từ 12/6/2023 sang 13/6/2023" in log.note
    with pytest.raises(ValidationError, match="sau ngày bắt đầu"):
        services.inspection_deadline_move(
            inspection=inspection, new_deadline=D(2023, 6, 16), reason="x", actor=staff
        )
    with pytest.raises(ValidationError, match="lý do"):
        services.inspection_deadline_move(
            inspection=inspection, new_deadline=D(2023, 6, 10), reason=" ", actor=staff
        )


def test_deadline_move_refused_for_a_planned_inspection(world, staff):
    with pytest.raises(ValidationError, match="trạng thái “Dự kiến”"):
        services.inspection_deadline_move(
            inspection=world.inspection_a, new_deadline=D(2023, 6, 10), reason="x", actor=staff
        )


def test_cancel_with_reason_and_illegal_from_closed(world, staff):
    services.inspection_cancel(inspection=world.inspection_a, reason="Đơn vị sáp nhập", actor=staff)
    log = last_log(world.inspection_a)
    assert (log.from_status, log.to_status) == ("planned", "cancelled")
    assert "Đơn vị sáp nhập" in log.note
    Inspection.objects.filter(pk=world.inspection_b.pk).update(status="closed")
    with pytest.raises(TransitionError, match="từ trạng thái “Đã kết thúc” sang “Đã hủy”"):
        services.inspection_cancel(inspection=world.inspection_b, reason="x", actor=staff)


def test_review_done(world, staff):
    issue(world.plan)
    announced = schedule(world, staff)
    with pytest.raises(TransitionError, match="chưa nhận được báo cáo"):
        services.inspection_review_done(inspection=announced, actor=staff)
    Inspection.objects.filter(pk=announced.pk).update(status="report_submitted")
    report = UnitReport.objects.create(inspection=announced, status="submitted")
    with pytest.raises(TransitionError, match="chưa được chấp nhận"):
        services.inspection_review_done(inspection=announced, actor=staff)
    UnitReport.objects.filter(pk=report.pk).update(status="accepted")
    services.inspection_review_done(inspection=announced, actor=staff)
    assert last_log(announced).to_status == "reviewed"
    unannounced = schedule(
        world, staff, unit=world.inspection_b.unit, form="unannounced", team=world.other_team
    )
    services.inspection_review_done(inspection=unannounced, actor=staff, note="Đã làm việc")
    log = last_log(unannounced)
    assert (log.from_status, log.to_status, log.note) == ("scheduled", "reviewed", "Đã làm việc")


def test_review_done_illegal_from_planned(world, staff):
    with pytest.raises(TransitionError, match="từ trạng thái “Dự kiến” sang “Đã kiểm tra”"):
        services.inspection_review_done(inspection=world.inspection_a, actor=staff)


# --- Copy ------------------------------------------------------------------------------------


def test_plan_copy_copies_groups_valid_units_and_the_outline(world, staff):
    world.entry_a.expected_period = "Quý II năm 2023"
    world.entry_a.save()
    gone = f.UnitFactory(name="Huyện Đã Sáp Nhập", valid_to=D(2023, 12, 31))
    f.PlanEntryFactory(plan=world.plan, group=world.group, unit=gone, order=2)
    point = f.OutlineItemFactory(
        outline=world.outline, parent=world.heading, kind="point", label="-", order=3
    )
    Footnote.objects.create(outline=world.outline, number=1, text="Chú thích", item=point)
    total = f.IndicatorFactory(item=world.heading, label="Tổng số")
    rule = IndicatorRule.objects.create(
        outline=world.outline, operator="le", target=total, message="Không vượt tổng"
    )
    rule.terms.set([world.indicator])

    new = plan_copy(plan=world.plan, year=2024, actor=staff)

    assert (new.year, new.status, new.number, new.based_on) == (2024, "draft", None, world.plan)
    assert new.title.endswith("năm 2024")
    assert list(new.entries.values_list("unit__name", "expected_period")) == [
        ("Sở Tư pháp", "Quý II năm 2024"),
        ("Huyện Đông Sơn", ""),
    ]
    assert new.groups.get().expected_period == "Trong năm 2024"
    items = OutlineItem.objects.filter(outline=new.outline).order_by("order")
    assert [i.title for i in items] == [
        i.title for i in OutlineItem.objects.filter(outline=world.outline).order_by("order")
    ]
    copied_point = items.get(order=3)
    assert copied_point.parent.outline == new.outline and copied_point.parent.order == 2
    assert Footnote.objects.get(outline=new.outline).item == copied_point
    new_rule = IndicatorRule.objects.get(outline=new.outline)
    assert new_rule.target.outline == new.outline and new_rule.target.label == "Tổng số"
    assert [t.outline for t in new_rule.terms.all()] == [new.outline]
    assert not new.teams.exists() and not new.inspections.exists()
    assert last_log(new).note == "Sao từ kế hoạch năm 2023."


def test_plan_copy_needs_a_later_year(world, staff):
    with pytest.raises(ValidationError) as error:
        plan_copy(plan=world.plan, year=2023, actor=staff)
    assert "year" in error.value.message_dict
    assert InspectionPlan.objects.count() == 1
    assert InspectionTeam.objects.count() == 2
