"""State changes of the plans app: each checks its rule, saves atomically and logs the move."""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from cchc_inspection import deadlines, vn
from cchc_inspection.documents import store_on_commit
from cchc_inspection.models import StatusLog
from cchc_inspection.numbering import take_number
from cchc_inspection.roles import GROUP_NAMES, Role, has_role, is_leader, is_staff_side
from cchc_inspection.workflow import TransitionError, move

from .models import Inspection, InspectionPlan, InspectionTeam, PlanEntry, PlanGroup, TeamMember

Plan = InspectionPlan
S = Inspection.Status


def log_note(obj, *, actor, note, from_status=None):
    """A history row that records an event without a status move (from = to = current)."""
    return StatusLog.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        from_status=obj.status if from_status is None else from_status,
        to_status=obj.status,
        actor=actor,
        note=note,
    )


def _render(name):
    """A renderer of ``plans.documents``, looked up when the PDF is made (after commit)."""

    def build(document):
        from . import documents

        return getattr(documents, name)(document)

    return build


def _require_leader(actor, what):
    if not is_leader(actor):
        raise PermissionDenied(f"Chỉ Lãnh đạo Sở được {what}.")


# --- Plans -----------------------------------------------------------------------------------


def ensure_plan_editable(plan):
    """A plan (its sections, groups and Phụ lục 1) changes only while it is a draft."""
    if plan.pk and Plan.objects.filter(pk=plan.pk).values_list("status", flat=True).get() != (
        Plan.Status.DRAFT
    ):
        raise ValidationError(
            "Kế hoạch đã ban hành nên không thể sửa nội dung, nhóm đơn vị hay Phụ lục 1."
        )


@transaction.atomic
def plan_save(*, plan, actor):
    """Save a new or edited plan; only a draft can be edited. A new plan starts as a draft."""
    created = plan.pk is None
    ensure_plan_editable(plan)
    plan.save()
    if created:
        log_note(plan, actor=actor, note="Lập dự thảo kế hoạch.", from_status="")
    return plan


@transaction.atomic
def plan_issue(*, plan, actor, issued_on=None):
    """A leader issues a draft plan that lists at least one unit: it takes the next number
    of the agency's KH register, its date, and becomes read-only."""
    _require_leader(actor, "ban hành kế hoạch")
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == Plan.Status.DRAFT and not plan.entries.exists():
        raise ValidationError("Phụ lục 1 chưa có đơn vị nào: chưa thể ban hành kế hoạch.")
    if plan.status != Plan.Status.DRAFT:
        # Check the move before a number is taken, so a refused issue leaves no entry.
        move(plan, Plan.Status.ISSUED, actor=actor)
    take_number(
        document=plan, agency=plan.agency, issued_on=issued_on or timezone.localdate(), actor=actor
    )
    move(
        plan,
        Plan.Status.ISSUED,
        actor=actor,
        note=f"Ban hành Kế hoạch số {plan.number_display}.",
        extra_fields=["number", "issued_on"],
    )
    store_on_commit(plan, _render("render_plan"))
    return plan


@transaction.atomic
def plan_close(*, plan, actor, note=""):
    """A leader closes an issued plan once none of its inspections is still open."""
    _require_leader(actor, "kết thúc kế hoạch")
    open_count = plan.inspections.open().count()
    if plan.status == Plan.Status.ISSUED and open_count:
        raise ValidationError(
            f"Kế hoạch còn {open_count} cuộc kiểm tra chưa kết thúc hoặc chưa hủy: "
            "chưa thể kết thúc kế hoạch."
        )
    return move(plan, Plan.Status.CLOSED, actor=actor, note=note or "Kết thúc kế hoạch.")


# --- Groups and entries of Phụ lục 1 ---------------------------------------------------------


@transaction.atomic
def group_save(*, group, actor):
    """Add or rename a group of Phụ lục 1 while the plan is a draft; a new one goes last."""
    ensure_plan_editable(group.plan)
    if group.order is None:
        last = group.plan.groups.aggregate(m=Max("order"))["m"] or 0
        group.order = last + 1
    group.save()
    return group


@transaction.atomic
def group_move(*, group, direction, actor):
    """Swap a group with its neighbour above ("up") or below ("down")."""
    ensure_plan_editable(group.plan)
    siblings = group.plan.groups.select_for_update().order_by("order")
    if direction == "up":
        other = siblings.filter(order__lt=group.order).order_by("-order").first()
    else:
        other = siblings.filter(order__gt=group.order).first()
    if other is None:
        return group
    mine, theirs = group.order, other.order
    # (plan, order) is unique: park one row out of the way while swapping.
    top = group.plan.groups.aggregate(m=Max("order"))["m"] + 1
    PlanGroup.objects.filter(pk=group.pk).update(order=top)
    PlanGroup.objects.filter(pk=other.pk).update(order=mine)
    PlanGroup.objects.filter(pk=group.pk).update(order=theirs)
    group.order = theirs
    return group


@transaction.atomic
def group_delete(*, group, actor):
    """Remove an empty group from a draft plan."""
    ensure_plan_editable(group.plan)
    if group.entries.exists():
        raise ValidationError("Nhóm còn đơn vị: hãy chuyển hoặc bỏ các đơn vị trước khi xóa nhóm.")
    group.delete()


@transaction.atomic
def entry_save(*, entry, actor):
    """Add a unit to Phụ lục 1 (once per plan, in a group of the same plan) or edit its row."""
    ensure_plan_editable(entry.plan)
    if entry.group.plan_id != entry.plan_id:
        raise ValidationError({"group": "Nhóm không thuộc kế hoạch này."})
    clash = PlanEntry.objects.filter(plan=entry.plan, unit=entry.unit).exclude(pk=entry.pk)
    if clash.exists():
        raise ValidationError({"unit": "Đơn vị này đã có trong Phụ lục 1 của kế hoạch."})
    if entry.pk is None:
        last = entry.group.entries.aggregate(m=Max("order"))["m"]
        entry.order = 0 if last is None else last + 1
    entry.save()
    return entry


@transaction.atomic
def entry_delete(*, entry, actor):
    """Take a unit out of a draft plan's Phụ lục 1."""
    ensure_plan_editable(entry.plan)
    if entry.plan.inspections.filter(unit=entry.unit).exists():
        raise ValidationError("Đơn vị đã có cuộc kiểm tra trong kế hoạch nên không thể bỏ ra.")
    entry.delete()


# --- Teams -----------------------------------------------------------------------------------


def ensure_team_editable(team):
    if team.pk and InspectionTeam.objects.filter(pk=team.pk).values_list(
        "status", flat=True
    ).get() != (InspectionTeam.Status.DRAFT):
        raise ValidationError(
            "Quyết định thành lập Đoàn đã ban hành: không thể sửa đoàn hay thành viên."
        )


@transaction.atomic
def team_create(*, team, actor):
    """Set up a team under a plan that is not closed; its decision starts as a draft."""
    if team.plan.status == Plan.Status.CLOSED:
        raise ValidationError("Kế hoạch đã kết thúc: không thể thành lập thêm đoàn kiểm tra.")
    team.save()
    log_note(team, actor=actor, note="Lập dự thảo quyết định thành lập Đoàn.", from_status="")
    return team


@transaction.atomic
def team_update(*, team, actor):
    """Edit a team's decision while it is a draft."""
    ensure_team_editable(team)
    team.save()
    return team


def _grant_team_role(user):
    """Someone put on a team who has no staff-side role gets the team member's role."""
    if user is None or is_staff_side(user) or has_role(user, Role.TEAM_MEMBER):
        return
    user.groups.add(Group.objects.get(name=GROUP_NAMES[Role.TEAM_MEMBER]))
    user.__dict__.pop("_cchc_roles", None)


def member_clash(member):
    """{field: message} when ``member`` would sit twice on its team or be a second leader."""
    others = member.team.members.exclude(pk=member.pk)
    errors = {}
    if member.user_id and others.filter(user_id=member.user_id).exists():
        errors["user"] = "Người này đã là thành viên của đoàn."
    name = " ".join((member.full_name or "").split()).casefold()
    if name and any(" ".join(o.full_name.split()).casefold() == name for o in others):
        errors.setdefault("full_name", "Đoàn đã có thành viên mang họ tên này.")
    if member.role == TeamMember.Role.LEADER and others.filter(role=member.role).exists():
        errors["role"] = "Đoàn đã có Trưởng đoàn; mỗi đoàn chỉ có một Trưởng đoàn."
    return errors


@transaction.atomic
def member_save(*, member, actor):
    """Add or edit a member of a draft team: a person sits once, the team has one leader.

    A user put on the team who has no staff-side role is given the team member's role so
    that they see the team's inspections.
    """
    ensure_team_editable(member.team)
    if member.user_id and not member.full_name:
        member.full_name = vn.person(member.user)
    errors = member_clash(member)
    if errors:
        raise ValidationError(errors)
    if member.pk is None:
        last = member.team.members.aggregate(m=Max("order"))["m"]
        member.order = 0 if last is None else last + 1
    member.save()
    _grant_team_role(member.user)
    return member


@transaction.atomic
def member_delete(*, member, actor):
    """Take a person off a draft team."""
    ensure_team_editable(member.team)
    member.delete()


@transaction.atomic
def team_decision_issue(*, team, actor, issued_on=None):
    """A leader issues the decision setting up a team of an issued plan that has a Trưởng
    đoàn: it takes the next number of the QĐ register and the members become read-only."""
    _require_leader(actor, "ban hành quyết định thành lập Đoàn")
    team = InspectionTeam.objects.select_for_update().select_related("plan__agency").get(pk=team.pk)
    if team.status != InspectionTeam.Status.DRAFT:
        move(team, InspectionTeam.Status.ISSUED, actor=actor)  # raises with the reason
    if team.plan.status != Plan.Status.ISSUED:
        raise ValidationError(
            "Kế hoạch chưa ban hành hoặc đã kết thúc: chưa thể ban hành quyết định."
        )
    if not team.members.filter(role=TeamMember.Role.LEADER).exists():
        raise ValidationError("Đoàn chưa có Trưởng đoàn: chưa thể ban hành quyết định.")
    issued_on = issued_on or team.issued_on or timezone.localdate()
    take_number(document=team, agency=team.plan.agency, issued_on=issued_on, actor=actor)
    move(
        team,
        InspectionTeam.Status.ISSUED,
        actor=actor,
        note=f"Ban hành Quyết định số {team.number_display}.",
        extra_fields=["number", "issued_on"],
    )
    store_on_commit(team, _render("render_team_decision"))
    return team


# --- Inspections -----------------------------------------------------------------------------


def _deadlines_for(inspection, today):
    """Set the report deadline from the plan's rule; refuse one that is already past."""
    if inspection.is_unannounced:
        # An unannounced inspection requests no report.
        inspection.report_deadline_computed = inspection.report_deadline = None
        inspection.deadline_change_reason = ""
        return
    computed = deadlines.report_deadline(inspection.plan, inspection.start_date)
    if computed < today:
        raise ValidationError(
            {
                "start_date": (
                    f"Hạn gửi báo cáo tính theo kế hoạch ({deadlines.basis_phrase(inspection.plan)}"
                    f" trước ngày kiểm tra) là ngày {vn.short_date(computed)}, đã qua: hãy chọn "
                    "ngày kiểm tra muộn hơn."
                )
            }
        )
    inspection.report_deadline_computed = inspection.report_deadline = computed
    inspection.deadline_change_reason = ""


def _check_schedule(inspection):
    plan = inspection.plan
    if plan.status != Plan.Status.ISSUED:
        raise ValidationError("Chỉ lên lịch kiểm tra theo kế hoạch đã ban hành và chưa kết thúc.")
    if not plan.entries.filter(unit_id=inspection.unit_id).exists():
        raise ValidationError(
            {
                "unit": f"{inspection.unit} không có trong Phụ lục 1 của kế hoạch: không thể lên lịch."
            }
        )
    if inspection.team is None or inspection.team.plan_id != plan.pk:
        raise ValidationError({"team": "Hãy chọn một đoàn kiểm tra của kế hoạch này."})
    if inspection.start_date is None:
        raise ValidationError({"start_date": "Hãy nhập ngày kiểm tra."})
    if inspection.end_date and inspection.end_date < inspection.start_date:
        raise ValidationError({"end_date": "Ngày kết thúc phải sau ngày bắt đầu kiểm tra."})


SCHEDULE_FIELDS = ["team", "form", "start_date", "end_date", "place", "logistics_notes"]
LATE_FIELDS = {"place", "logistics_notes"}
DEADLINE_FIELDS = ["report_deadline", "report_deadline_computed", "deadline_change_reason"]


@transaction.atomic
def inspection_schedule(*, plan, unit, actor, today=None, **details):
    """Schedule the inspection of a unit listed in the plan's Phụ lục 1 (planned → scheduled).

    ``details`` are the team (of this plan), form, start/end dates, place and logistics
    notes. The report deadline follows from the plan's rule and is stored twice (computed
    and current); a deadline already past is refused, except for an unannounced inspection,
    which requests no report. An existing planned inspection of the unit is the one
    scheduled; a unit with another open inspection in the plan is refused.
    """
    today = today or timezone.localdate()
    inspection = plan.inspections.open().filter(unit=unit).select_for_update().first()
    if inspection is not None and inspection.status != S.PLANNED:
        raise ValidationError({"unit": "Đơn vị này đã có cuộc kiểm tra trong kế hoạch."})
    inspection = inspection or Inspection(plan=plan, unit=unit)
    for field, value in details.items():
        setattr(inspection, field, value)
    _check_schedule(inspection)
    _deadlines_for(inspection, today)
    inspection.save()
    return move(inspection, S.SCHEDULED, actor=actor, note="Lên lịch kiểm tra.")


@transaction.atomic
def inspection_update(*, inspection, actor, today=None, **details):
    """Change a scheduled inspection's team, form, dates, place or notes.

    A new start date or form recomputes the report deadline from the plan's rule (a moved
    deadline no longer holds and is logged as reset). Once the report is requested only
    the place and logistics notes may change.
    """
    today = today or timezone.localdate()
    before = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if not before.is_open:
        raise ValidationError("Cuộc kiểm tra đã kết thúc hoặc đã hủy: không thể sửa.")
    if before.status not in {S.PLANNED, S.SCHEDULED} and set(details) - LATE_FIELDS:
        raise ValidationError(
            "Đã yêu cầu báo cáo: chỉ còn sửa được địa điểm và ghi chú hậu cần của cuộc kiểm tra."
        )
    for field, value in details.items():
        setattr(inspection, field, value)
    if before.status == S.SCHEDULED:
        _check_schedule(inspection)
    timing_changed = (before.start_date, before.form) != (inspection.start_date, inspection.form)
    if before.status == S.SCHEDULED and timing_changed:
        _deadlines_for(inspection, today)
        if before.deadline_change_reason:
            log_note(
                inspection,
                actor=actor,
                note="Ngày kiểm tra thay đổi: hạn gửi báo cáo được tính lại theo kế hoạch.",
            )
    inspection.save(update_fields=[*details, *DEADLINE_FIELDS, "updated_at"])
    return inspection


@transaction.atomic
def inspection_logistics_update(*, inspection, logistics_notes, actor):
    """Văn phòng Sở or CCHC staff note vehicles and funding on an open inspection."""
    if not inspection.is_open:
        raise ValidationError("Cuộc kiểm tra đã kết thúc hoặc đã hủy: không thể sửa ghi chú.")
    inspection.logistics_notes = logistics_notes
    inspection.save(update_fields=["logistics_notes", "updated_at"])
    return inspection


@transaction.atomic
def inspection_deadline_move(*, inspection, new_deadline, reason, actor):
    """Move the report deadline with a reason, before the unit has submitted.

    The deadline computed from the plan's rule stays on record; the move is logged. The
    new deadline may not fall after the first day of the inspection.
    """
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.is_unannounced:
        raise ValidationError("Kiểm tra đột xuất không yêu cầu báo cáo nên không có hạn gửi.")
    if inspection.status not in {S.SCHEDULED, S.REPORT_REQUESTED}:
        raise ValidationError(
            f"Không thể điều chỉnh hạn gửi báo cáo khi cuộc kiểm tra ở trạng thái "
            f"“{inspection.get_status_display()}”."
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Hãy nêu lý do điều chỉnh hạn gửi báo cáo."})
    if inspection.start_date and new_deadline > inspection.start_date:
        raise ValidationError(
            {"new_deadline": "Hạn gửi báo cáo không được sau ngày bắt đầu kiểm tra."}
        )
    old = inspection.report_deadline
    inspection.report_deadline = new_deadline
    inspection.deadline_change_reason = reason
    inspection.save(update_fields=["report_deadline", "deadline_change_reason", "updated_at"])
    log_note(
        inspection,
        actor=actor,
        note=(
            f"Điều chỉnh hạn gửi báo cáo từ {vn.short_date(old)} sang "
            f"{vn.short_date(new_deadline)}. Lý do: {reason}"
        ),
    )
    return inspection


@transaction.atomic
def inspection_cancel(*, inspection, reason, actor):
    """Cancel an open inspection (not yet concluded) with a reason written to the log."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Hãy nêu lý do hủy cuộc kiểm tra."})
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    return move(inspection, S.CANCELLED, actor=actor, note=f"Hủy cuộc kiểm tra. Lý do: {reason}")


@transaction.atomic
def inspection_review_done(*, inspection, actor, note=""):
    """Record that the documents were read / the on-site visit was done (→ reviewed).

    An announced inspection needs the unit's report first (from "report submitted"); an
    unannounced one, which requests no report, goes there straight from "scheduled".
    """
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.status == S.SCHEDULED and not inspection.is_unannounced:
        raise TransitionError(
            "Cuộc kiểm tra chưa nhận được báo cáo của đơn vị: hãy yêu cầu báo cáo và chờ đơn "
            "vị nộp trước khi ghi nhận đã kiểm tra."
        )
    report = getattr(inspection, "report", None)  # reports.UnitReport, the reverse one-to-one
    if inspection.status == S.REPORT_SUBMITTED and (report is None or report.status != "accepted"):
        raise TransitionError(
            "Báo cáo của đơn vị chưa được chấp nhận: hãy xem xét và chấp nhận báo cáo trước "
            "khi ghi nhận đã kiểm tra."
        )
    default = (
        "Đã kiểm tra trực tiếp tại đơn vị."
        if inspection.form != Inspection.Form.DOCUMENTS
        else "Đã xem xét báo cáo, hồ sơ, tài liệu."
    )
    return move(inspection, S.REVIEWED, actor=actor, note=note.strip() or default)
