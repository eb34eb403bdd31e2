"""State changes of the findings app: each checks its rule, saves atomically and logs the move."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone

from cchc_inspection import vn
from cchc_inspection.documents import store_on_commit
from cchc_inspection.history import bulk_create_tracked, record_update
from cchc_inspection.notify import absolute_url, email_users
from cchc_inspection.numbering import take_number
from cchc_inspection.roles import is_leader, staff_of
from cchc_inspection.text import fold, nfc
from cchc_inspection.workflow import TransitionError, move
from plans.models import Inspection
from reports.models import OutlineItem
from reports.services import focal_persons
from reports.uploads import check_files, store_files

from .models import (
    Conclusion,
    DeadlineExtension,
    Finding,
    RemediationAction,
    RemediationProof,
    SiteVisitMinutes,
)

# Days a unit gets to fix a shortcoming unless the conclusion says otherwise.
DEFAULT_REMEDIATION_DAYS = 30

# While the team is at work (before the conclusion), minutes and findings may change.
WORK_STATUSES = {
    Inspection.Status.SCHEDULED,
    Inspection.Status.REPORT_REQUESTED,
    Inspection.Status.REPORT_SUBMITTED,
    Inspection.Status.REVIEWED,
}
AREA_KINDS = (OutlineItem.Kind.SECTION, OutlineItem.Kind.HEADING)
# A shortcoming without a recommendation becomes the requirement "fix this".
REMEDY_PREFIX = {
    Finding.Kind.SHORTCOMING: "Khắc phục tồn tại, hạn chế",
    Finding.Kind.VIOLATION: "Khắc phục vi phạm",
}


class StaleEditError(ValidationError):
    """Somebody saved the record after the form was opened; the save is refused."""


def _unit_link(name, *args):
    return absolute_url(reverse(name, args=args))


# --- Work on an inspection: minutes and findings ------------------------------------------


def check_work_open(inspection):
    """Refuse changes to minutes and findings once the conclusion is issued (or the
    inspection is not under way)."""
    concluded = {
        Inspection.Status.CONCLUDED,
        Inspection.Status.REMEDIATING,
        Inspection.Status.CLOSED,
    }
    if (
        inspection.status in concluded
        or inspection.conclusions.filter(status=Conclusion.Status.ISSUED).exists()
    ):
        raise ValidationError(
            "Cuộc kiểm tra đã có thông báo kết luận; biên bản và kết quả kiểm tra không "
            "được sửa nữa."
        )
    if inspection.status not in WORK_STATUSES:
        raise ValidationError(
            f"Cuộc kiểm tra đang ở trạng thái “{inspection.get_status_display()}”, chưa thể "
            f"ghi nhận biên bản hay kết quả kiểm tra."
        )


def area_items(inspection):
    """The outline areas (sections and headings) a finding of this inspection may sit
    under: those of the plan's outline that apply to the inspected unit."""
    items = OutlineItem.objects.filter(
        outline__plan_id=inspection.plan_id, kind__in=AREA_KINDS
    ).select_related("audience_unit")
    return [item for item in items if item.applies_to(inspection.unit)]


def _check_area(inspection, item):
    if item.pk not in {area.pk for area in area_items(inspection)}:
        raise ValidationError(
            {"item": "Lĩnh vực phải là một phần, mục của đề cương áp dụng cho đơn vị."}
        )


def minutes_create(*, inspection, data, actor):
    """Record the minutes of an on-site visit (not for a review of documents), while the
    inspection is under way."""
    if inspection.form == Inspection.Form.DOCUMENTS:
        raise ValidationError(
            "Cuộc kiểm tra bằng hình thức xem xét hồ sơ, tài liệu không có biên bản kiểm tra "
            "trực tiếp tại đơn vị."
        )
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
        check_work_open(inspection)
        return SiteVisitMinutes.objects.create(inspection=inspection, created_by=actor, **data)


def minutes_update(*, minutes, data, actor):
    """Correct the minutes until the conclusion is issued."""
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().get(pk=minutes.inspection_id)
        check_work_open(inspection)
        for name, value in data.items():
            setattr(minutes, name, value)
        minutes.save()
        return minutes


def finding_create(*, inspection, data, actor):
    """Record a finding under one area of the outline, until the conclusion is issued."""
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
        check_work_open(inspection)
        _check_area(inspection, data["item"])
        return Finding.objects.create(inspection=inspection, created_by=actor, **data)


def finding_update(*, finding, data, version, actor):
    """Change a finding, until the conclusion is issued.

    ``version`` is the one the editor's form was opened with: if someone saved the finding
    since, the save is refused (StaleEditError) rather than silently overwriting.
    """
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().get(pk=finding.inspection_id)
        check_work_open(inspection)
        if "item" in data:
            _check_area(inspection, data["item"])
        fields = dict(data)
        if "description" in fields:
            fields["search_description"] = fold(fields["description"])
        updated = Finding.objects.filter(pk=finding.pk, version=version).update(
            **fields, version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            current = Finding.objects.get(pk=finding.pk)
            raise StaleEditError(
                f"Kết quả kiểm tra này đã được sửa lúc {vn.date_time(current.updated_at)} sau khi "
                f"bạn mở biểu mẫu. Nội dung bạn nhập vẫn được giữ dưới đây; hãy đối chiếu với "
                f"bản đang lưu rồi bấm Lưu lại nếu vẫn muốn thay thế."
            )
    finding.refresh_from_db()
    # The guarded UPDATE above sends no post_save signal: write the history row here.
    record_update(finding, actor=actor)
    return finding


def finding_delete(*, finding, actor):
    """Remove a finding recorded by mistake, until the conclusion is issued; a finding
    already carried into a draft conclusion's action leaves that action in place."""
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().get(pk=finding.inspection_id)
        check_work_open(inspection)
        finding.delete()


# --- Conclusion ----------------------------------------------------------------------------


def _bullets(findings):
    return "\n".join(f"- {f.description.strip()}" for f in findings)


def conclusion_draft(*, inspection, actor, today=None):
    """Draft the conclusion notice from the findings once the inspection is reviewed.

    Strengths come from the ưu điểm findings, shortcomings from the others; each
    shortcoming or violation becomes a remediation action due ``DEFAULT_REMEDIATION_DAYS``
    later (editable in the draft). One draft or issued conclusion per inspection; a
    correction goes through ``conclusion_correct``.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        inspection = (
            Inspection.objects.select_for_update()
            .select_related("plan__agency", "unit")
            .get(pk=inspection.pk)
        )
        if inspection.status != Inspection.Status.REVIEWED:
            raise TransitionError(
                "Chỉ lập dự thảo kết luận khi cuộc kiểm tra đã ở trạng thái “Đã kiểm tra” "
                f"(hiện tại: “{inspection.get_status_display()}”)."
            )
        if inspection.conclusions.exists():
            raise TransitionError(
                "Cuộc kiểm tra đã có thông báo kết luận (dự thảo hoặc đã ban hành)."
            )
        findings = list(inspection.findings.select_related("item").order_by("item__order", "pk"))
        strengths = [f for f in findings if f.kind == Finding.Kind.STRENGTH]
        others = [f for f in findings if f.kind != Finding.Kind.STRENGTH]
        agency = inspection.plan.agency
        conclusion = Conclusion.objects.create(
            inspection=inspection,
            symbol=f"TB-{agency.code}",
            strengths=_bullets(strengths),
            shortcomings=_bullets(others),
            requirements_intro=(
                f"Đề nghị {inspection.unit} chỉ đạo khắc phục những tồn tại, hạn chế nêu trên "
                "theo các yêu cầu dưới đây và báo cáo kết quả thực hiện đúng thời hạn."
            ),
            signer_title=agency.head_title,
            signer_name=agency.head_name,
            created_by=actor,
        )
        deadline = today + datetime.timedelta(days=DEFAULT_REMEDIATION_DAYS)
        actions = [
            RemediationAction(
                conclusion=conclusion,
                finding=finding,
                item=finding.item,
                order=order,
                requirement=finding.recommendation.strip()
                or f"{REMEDY_PREFIX[finding.kind]}: {finding.description.strip()}",
                responsible=finding.responsible or str(inspection.unit),
                deadline=deadline,
                original_deadline=deadline,
            )
            for order, finding in enumerate(others, start=1)
        ]
        bulk_create_tracked(RemediationAction, actions, actor=actor)
    return conclusion


def conclusion_save(*, conclusion, form, formset, actor):
    """Save the draft's text and its actions together; an issued conclusion is read-only."""
    with transaction.atomic():
        locked = Conclusion.objects.select_for_update().get(pk=conclusion.pk)
        if not locked.is_editable:
            raise ValidationError(
                "Thông báo kết luận đã ban hành, không thể sửa; hãy lập bản đính chính."
            )
        form.save()
        actions = formset.save(commit=False)
        for action in formset.deleted_objects:
            action.delete()
        for order, action in enumerate(actions, start=1):
            action.conclusion = conclusion
            if not action.order:
                action.order = order
            # In a draft the deadline is still the original one.
            action.original_deadline = action.deadline
            action.save()
    return conclusion


def conclusion_issue(*, conclusion, actor, issued_on):
    """A leader issues the conclusion: it takes the next TB number of the agency's
    register, becomes read-only with its actions, the inspection moves reviewed →
    concluded → remediating (or closed when nothing is to be fixed), and the unit's
    focal persons are told. Issuing twice is refused; so are deadlines before the issue
    date."""
    if not is_leader(actor):
        raise TransitionError("Chỉ Lãnh đạo Sở được ban hành thông báo kết luận kiểm tra.")
    if issued_on > timezone.localdate():
        raise ValidationError("Ngày ban hành không được sau ngày hôm nay.")
    with transaction.atomic():
        conclusion = (
            Conclusion.objects.select_for_update()
            .select_related("inspection__plan__agency", "inspection__unit")
            .get(pk=conclusion.pk)
        )
        if conclusion.status == Conclusion.Status.ISSUED:
            raise TransitionError(
                f"Thông báo kết luận đã được ban hành (số {conclusion.number_display}), "
                "không thể ban hành lại."
            )
        inspection = Inspection.objects.select_for_update().get(pk=conclusion.inspection_id)
        _check_issuable(conclusion, inspection, issued_on)
        take_number(
            document=conclusion, agency=inspection.plan.agency, issued_on=issued_on, actor=actor
        )
        move(
            conclusion,
            Conclusion.Status.ISSUED,
            actor=actor,
            note=f"Số {conclusion.number_display}",
            extra_fields=["number", "issued_on"],
        )
        store_on_commit(conclusion, _render_conclusion)
        has_actions = conclusion.actions.exists()
        if conclusion.supersedes_id is None:
            move(inspection, Inspection.Status.CONCLUDED, actor=actor, extra_fields=["updated_at"])
            move(
                inspection,
                Inspection.Status.REMEDIATING if has_actions else Inspection.Status.CLOSED,
                actor=actor,
                note="" if has_actions else "Kết luận không có yêu cầu khắc phục.",
                extra_fields=["updated_at"],
            )
        else:
            if inspection.status == Inspection.Status.CONCLUDED and has_actions:
                move(inspection, Inspection.Status.REMEDIATING, actor=actor)
            inspection_close_if_done(inspection=inspection, actor=actor)
        _tell_unit_issued(conclusion, inspection)
    return conclusion


def _render_conclusion(conclusion):
    from .documents import render_conclusion

    return render_conclusion(conclusion)


def _check_issuable(conclusion, inspection, issued_on):
    if conclusion.supersedes_id is None and inspection.status != Inspection.Status.REVIEWED:
        raise TransitionError(
            "Chỉ ban hành kết luận khi cuộc kiểm tra ở trạng thái “Đã kiểm tra” "
            f"(hiện tại: “{inspection.get_status_display()}”)."
        )
    if conclusion.supersedes_id is not None and inspection.status not in {
        Inspection.Status.CONCLUDED,
        Inspection.Status.REMEDIATING,
    }:
        raise TransitionError("Cuộc kiểm tra đã kết thúc, không thể ban hành bản đính chính.")
    if not (conclusion.strengths.strip() and conclusion.shortcomings.strip()):
        raise ValidationError("Thông báo kết luận phải nêu ưu điểm và tồn tại, hạn chế.")
    if conclusion.supersedes_id is not None:
        return  # a correction keeps the deadlines already issued, overdue or not
    early = conclusion.actions.filter(deadline__lt=issued_on).order_by("order")
    if early.exists():
        raise ValidationError(
            f"Thời hạn khắc phục của yêu cầu “{early[0]}” sớm hơn ngày ban hành "
            f"{vn.short_date(issued_on)}."
        )


def _tell_unit_issued(conclusion, inspection):
    email_users(
        focal_persons(inspection.unit),
        f"Thông báo kết luận kiểm tra công tác cải cách hành chính số {conclusion.number_display}",
        (
            f"Kính gửi: {inspection.unit}\n\n"
            f"{inspection.plan.agency} đã ban hành Thông báo số {conclusion.number_display} "
            f"{vn.long_date(conclusion.issued_on)} kết luận kiểm tra công tác cải cách hành "
            f"chính tại đơn vị. Đề nghị đơn vị thực hiện các yêu cầu khắc phục và báo cáo kết "
            f"quả trên hệ thống đúng thời hạn.\n\n{_unit_link('findings:unit-home')}\n"
        ),
    )


def conclusion_correct(*, conclusion, actor):
    """Start a correction of an issued conclusion: a new draft version copying its text
    and its actions with their progress, marked as superseding it. The issued one stays
    as it was until the correction is issued."""
    with transaction.atomic():
        old = Conclusion.objects.select_for_update().get(pk=conclusion.pk)
        if old.status != Conclusion.Status.ISSUED:
            raise TransitionError("Chỉ đính chính thông báo kết luận đã ban hành.")
        if Conclusion.objects.filter(supersedes=old).exists():
            raise TransitionError("Thông báo kết luận này đã có bản đính chính.")
        inspection = old.inspection
        if inspection.status not in {Inspection.Status.CONCLUDED, Inspection.Status.REMEDIATING}:
            raise TransitionError("Cuộc kiểm tra đã kết thúc, không thể đính chính kết luận.")
        last = inspection.conclusions.aggregate(v=Max("version"))["v"] or old.version
        new = Conclusion.objects.create(
            inspection=inspection,
            version=last + 1,
            supersedes=old,
            symbol=old.symbol,
            strengths=old.strengths,
            shortcomings=old.shortcomings,
            requirements_intro=old.requirements_intro,
            signer_authority=old.signer_authority,
            signer_title=old.signer_title,
            signer_name=old.signer_name,
            created_by=actor,
        )
        copied = [
            "finding_id",
            "item_id",
            "order",
            "requirement",
            "responsible",
            "deadline",
            "original_deadline",
            "status",
            "unit_report",
            "reported_at",
            "review_comment",
            "verified_at",
        ]
        bulk_create_tracked(
            RemediationAction,
            [
                RemediationAction(conclusion=new, **{name: getattr(a, name) for name in copied})
                for a in old.actions.all()
            ],
            actor=actor,
        )
    return new


# --- Remediation ---------------------------------------------------------------------------


def _locked_current_action(action):
    action = (
        RemediationAction.objects.select_for_update()
        .select_related("conclusion__inspection__unit")
        .get(pk=action.pk)
    )
    if not RemediationAction.objects.current().filter(pk=action.pk).exists():
        raise TransitionError(
            "Yêu cầu này không thuộc thông báo kết luận đang có hiệu lực của cuộc kiểm tra."
        )
    return action


def _check_action_version(action, version):
    """Refuse a staff decision taken on a page older than the action: ``version`` is the one
    the page showed (None: not checked). Another reviewer's verification, rejection or
    extension, or the unit's new report, bumps it."""
    if version is not None and action.version != version:
        raise StaleEditError(
            f"Yêu cầu khắc phục này vừa được cập nhật sau khi bạn mở trang (hiện: "
            f"“{action.get_status_display()}”, thời hạn {vn.short_date(action.deadline)}); "
            "thao tác của bạn chưa được thực hiện. Hãy xem lại rồi làm lại nếu vẫn cần."
        )


def remediation_verify(*, action, comment, actor, version=None):
    """Staff confirm a reported remediation: reported → verified. When every action of the
    inspection's issued conclusion is verified, the inspection closes itself. A page older
    than the action (``version``) is refused."""
    with transaction.atomic():
        action = _locked_current_action(action)
        _check_action_version(action, version)
        action.review_comment = comment.strip()
        action.verified_at = timezone.now()
        action.version += 1
        move(
            action,
            RemediationAction.Status.VERIFIED,
            actor=actor,
            note=action.review_comment,
            extra_fields=["review_comment", "verified_at", "version"],
        )
        inspection_close_if_done(inspection=action.conclusion.inspection, actor=actor)
    return action


def remediation_reject(*, action, comment, actor, version=None):
    """Staff send a reported remediation back: reported → open, with the reason, which the
    unit's focal persons are emailed. A page older than the action (``version``) is
    refused."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": "Cần nêu lý do chưa xác nhận kết quả khắc phục."})
    with transaction.atomic():
        action = _locked_current_action(action)
        _check_action_version(action, version)
        action.review_comment = comment
        action.version += 1
        move(
            action,
            RemediationAction.Status.OPEN,
            actor=actor,
            note=comment,
            extra_fields=["review_comment", "version"],
        )
        inspection = action.conclusion.inspection
        email_users(
            focal_persons(inspection.unit),
            "Kết quả khắc phục chưa được xác nhận",
            (
                f"Kính gửi: {inspection.unit}\n\n"
                f"Kết quả khắc phục yêu cầu “{action.requirement}” chưa được xác nhận. "
                f"Ý kiến: {comment}\nThời hạn khắc phục: {vn.short_date(action.deadline)}.\n\n"
                f"{_unit_link('findings:unit-home')}\n"
            ),
        )
    return action


def remediation_extend(*, action, new_deadline, reason, actor, version=None):
    """Move an action's deadline later, with a reason; the original deadline stays on the
    action and each extension is kept as a DeadlineExtension row. A page older than the
    action (``version``) is refused."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Cần nêu lý do gia hạn."})
    with transaction.atomic():
        action = _locked_current_action(action)
        _check_action_version(action, version)
        if action.status == RemediationAction.Status.VERIFIED:
            raise TransitionError("Yêu cầu đã được xác nhận hoàn thành, không thể gia hạn.")
        if new_deadline <= action.deadline:
            raise ValidationError(
                {
                    "new_deadline": "Thời hạn mới phải sau thời hạn hiện tại "
                    f"({vn.short_date(action.deadline)})."
                }
            )
        DeadlineExtension.objects.create(
            action=action,
            old_deadline=action.deadline,
            new_deadline=new_deadline,
            reason=reason,
            actor=actor,
        )
        action.deadline = new_deadline
        action.version += 1
        action.save(update_fields=["deadline", "version"])
    return action


def inspection_close_if_done(*, inspection, actor):
    """Close a remediating inspection (remediating → closed) once every action of its issued
    conclusion is verified. Returns True when it closed."""
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.status != Inspection.Status.REMEDIATING:
        return False
    actions = RemediationAction.objects.current().filter(conclusion__inspection=inspection)
    if actions.exclude(status=RemediationAction.Status.VERIFIED).exists():
        return False
    move(
        inspection,
        Inspection.Status.CLOSED,
        actor=actor,
        note="Tự động kết thúc: mọi yêu cầu khắc phục đã được xác nhận hoàn thành.",
        extra_fields=["updated_at"],
    )
    return True


# --- Unit side: the unit reports what it did -----------------------------------------------


def remediation_report(*, action, text, files, actor, version=None, refused=()):
    """The unit reports how it fixed one requirement, with proof files: open → reported.

    Only for an action of the conclusion in force, while it is open (first report, or
    after the staff sent it back). The text is required, and at least one proof file
    (new, or kept from an earlier report). Every file passes ``reports.uploads`` checks;
    if any is refused nothing is stored. ``version`` (the one the page showed) refuses a
    report made over a change the unit has not seen (an extension, a rejection).
    """
    text = nfc(text or "").strip()
    if not text:
        raise ValidationError({"text": "Cần nêu kết quả khắc phục của đơn vị."})
    checked = check_files(files, refused)
    with transaction.atomic():
        action = _locked_current_action(action)
        if version is not None and action.version != version:
            raise StaleEditError(
                "Yêu cầu vừa được cập nhật (gia hạn, xác nhận hoặc trả lại); vui lòng xem lại "
                "trước khi gửi báo cáo."
            )
        if action.status != RemediationAction.Status.OPEN:
            raise TransitionError(
                "Yêu cầu này không ở trạng thái chờ đơn vị báo cáo kết quả khắc phục "
                f"(hiện: “{action.get_status_display()}”)."
            )
        if not checked and not action.proofs.exists():
            raise ValidationError({"files": "Cần gửi kèm ít nhất một tài liệu chứng minh."})
        rows = [
            RemediationProof(
                action=action,
                original_name=c.name,
                size=c.size,
                sha256=c.sha256,
                content_type=c.content_type,
                uploaded_by=actor,
            )
            for c in checked
        ]
        store_files(zip(rows, checked, strict=True))
        action.unit_report = text
        action.reported_at = timezone.now()
        action.version += 1
        move(
            action,
            RemediationAction.Status.REPORTED,
            actor=actor,
            note=text[:500],
            extra_fields=["unit_report", "reported_at", "version"],
        )
        _tell_staff_reported(action)
    return action


def _tell_staff_reported(action):
    inspection = action.conclusion.inspection
    email_users(
        staff_of(inspection.plan.agency_id),
        f"{inspection.unit} báo cáo kết quả khắc phục",
        (
            f"{inspection.unit} đã báo cáo kết quả khắc phục yêu cầu “{action.requirement}”.\n\n"
            f"{_unit_link('findings:tracker')}\n"
        ),
    )
