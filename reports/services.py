"""State changes of the reports app: each checks its rule, saves atomically and logs the move."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cchc_inspection import vn
from cchc_inspection.history import bulk_create_tracked
from cchc_inspection.notify import absolute_url, email_users
from cchc_inspection.text import nfc
from cchc_inspection.workflow import TransitionError, move
from plans.models import Inspection

from . import figures
from .models import Evidence, IndicatorValue, ItemAnswer, ReviewComment, UnitReport
from .uploads import check_files, store_files

# --- Staff side: request, return, accept ---------------------------------------------------


def focal_persons(unit):
    """The users who answer for ``unit`` now (active memberships)."""
    return get_user_model().objects.filter(
        memberships__unit=unit, memberships__is_active=True, is_active=True
    )


def _report_link(inspection):
    return absolute_url(reverse("reports:report-edit", args=[inspection.pk]))


def report_request(*, inspection, actor, now=None):
    """Ask the unit for its report: scheduled → report requested.

    Unannounced inspections are not announced, so they never ask for a report; the report
    deadline must be set. Creates the unit's draft report if it has none and emails the
    unit's focal persons the deadline and the link. ``now`` (default: the current time)
    lets the demo loader date a request in the past; pages never pass it.
    """
    if inspection.is_unannounced:
        raise TransitionError(
            "Cuộc kiểm tra đột xuất không yêu cầu đơn vị gửi báo cáo trước khi kiểm tra."
        )
    if inspection.report_deadline is None:
        raise TransitionError("Chưa xác định hạn gửi báo cáo của cuộc kiểm tra.")
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
        inspection.report_requested_at = now or timezone.now()
        move(
            inspection,
            Inspection.Status.REPORT_REQUESTED,
            actor=actor,
            note=f"Hạn gửi báo cáo: {vn.short_date(inspection.report_deadline)}",
            extra_fields=["report_requested_at", "updated_at"],
        )
        report, _ = UnitReport.objects.get_or_create(inspection=inspection)
        email_users(
            focal_persons(inspection.unit),
            f"Đề nghị gửi báo cáo công tác cải cách hành chính năm {inspection.plan.year}",
            (
                f"Kính gửi: {inspection.unit}\n\n"
                f"Thực hiện Kế hoạch kiểm tra công tác cải cách hành chính năm "
                f"{inspection.plan.year}, đề nghị đơn vị xây dựng báo cáo theo đề cương, "
                f"cập nhật số liệu và tài liệu kiểm chứng, nộp trên hệ thống chậm nhất "
                f"{vn.long_date(inspection.report_deadline)}.\n\n"
                f"Báo cáo của đơn vị: {_report_link(inspection)}\n"
            ),
        )
    return report


def report_return(*, report, comments, actor):
    """Return a submitted report for changes: submitted → returned, inspection back to
    report requested.

    ``comments`` is a list of ``(item, text)`` pairs (item None for a general remark);
    at least one non-blank comment is required, and items must belong to the report's
    outline. The unit's focal persons are emailed the comments.
    """
    comments = [(item, text.strip()) for item, text in comments if text and text.strip()]
    if not comments:
        raise ValidationError("Cần ghi ít nhất một nhận xét để đơn vị biết nội dung cần bổ sung.")
    with transaction.atomic():
        report = (
            UnitReport.objects.select_for_update()
            .select_related("inspection__unit")
            .get(pk=report.pk)
        )
        inspection = report.inspection
        outline_id = inspection.plan.outline.pk
        if any(item is not None and item.outline_id != outline_id for item, _ in comments):
            raise ValidationError("Nhận xét gắn với mục không thuộc đề cương của báo cáo.")
        move(report, UnitReport.Status.RETURNED, actor=actor, extra_fields=["updated_at"])
        last_round = report.comments.aggregate(last=Max("round"))["last"] or 0
        ReviewComment.objects.bulk_create(
            ReviewComment(report=report, item=item, text=text, author=actor, round=last_round + 1)
            for item, text in comments
        )
        move(
            inspection,
            Inspection.Status.REPORT_REQUESTED,
            actor=actor,
            note="Báo cáo được trả lại để bổ sung.",
            extra_fields=["updated_at"],
        )
        lines = "\n".join(
            f"- {item if item is not None else 'Nhận xét chung'}: {text}" for item, text in comments
        )
        email_users(
            focal_persons(inspection.unit),
            "Báo cáo công tác cải cách hành chính được trả lại để bổ sung",
            (
                f"Kính gửi: {inspection.unit}\n\n"
                f"Đoàn kiểm tra đề nghị đơn vị bổ sung, hoàn thiện báo cáo theo các nhận xét "
                f"sau và nộp lại chậm nhất {vn.long_date(inspection.report_deadline)}:\n"
                f"{lines}\n\nBáo cáo của đơn vị: {_report_link(inspection)}\n"
            ),
        )
    return report


def report_accept(*, report, actor):
    """Accept a submitted report: submitted → accepted.

    When the inspection is a review of documents, accepting its report completes the
    inspection (report submitted → reviewed); an on-site inspection stays until the team
    records its visit as done (``plans.services.inspection_review_done``).
    """
    with transaction.atomic():
        report = (
            UnitReport.objects.select_for_update().select_related("inspection").get(pk=report.pk)
        )
        move(report, UnitReport.Status.ACCEPTED, actor=actor, extra_fields=["updated_at"])
        inspection = report.inspection
        reviewable = inspection.status == Inspection.Status.REPORT_SUBMITTED
        if inspection.form == Inspection.Form.DOCUMENTS and reviewable:
            move(
                inspection,
                Inspection.Status.REVIEWED,
                actor=actor,
                note="Đã xem xét, chấp nhận báo cáo, hồ sơ, tài liệu của đơn vị.",
                extra_fields=["updated_at"],
            )
    return report


# --- Next year's plan as a copy of this one (helper "plans") ---------------------------------
# The copy lives here because it copies the outline too, and only ``reports`` may know both
# the plan and its outline; the plans page calls it.


def _clone(obj, **changes):
    """An unsaved copy of ``obj`` with ``changes`` applied."""
    obj.pk = None
    obj._state.adding = True
    for field, value in changes.items():
        setattr(obj, field, value)
    return obj


@transaction.atomic
def plan_copy(*, plan, year, actor):
    """Start a draft plan for a later ``year`` as a copy of ``plan`` — or, for the same year
    of an issued plan, its correction (bản điều chỉnh): an issued plan is never edited
    (``cchc_inspection.integrity``); the amended copy is a new draft that gets its own
    number when issued, while the issued one stays as it was.

    Copied: every section (with "năm <old year>" rewritten to the new year), the groups of
    Phụ lục 1, its units that are still valid on 1 January of ``year`` (dated roster), and
    the report outline with its items, footnotes, figures and rules. Not copied: number,
    dates, signature, teams, inspections. The new plan's history notes where it came from.
    """
    import datetime

    from plans.models import InspectionPlan
    from plans.services import log_note
    from units.models import Unit

    from .models import ReportOutline

    amends = year == plan.year and plan.status != InspectionPlan.Status.DRAFT
    if year < plan.year or (year == plan.year and not amends):
        raise ValidationError(
            {
                "year": f"Năm của kế hoạch mới phải sau năm {plan.year}. Cùng năm chỉ dùng "
                "để lập bản điều chỉnh của kế hoạch đã ban hành."
            }
        )
    old, new_year = f"năm {plan.year}", f"năm {year}"

    def bump(text):
        return text.replace(old, new_year) if text else text

    new = _clone(InspectionPlan.objects.get(pk=plan.pk), year=year, based_on=plan)
    new.number = new.issued_on = None
    new.status, new.pdf, new.pdf_sha256 = InspectionPlan.Status.DRAFT, "", ""
    texts = [
        f.name
        for f in new._meta.concrete_fields
        if f.get_internal_type() in {"TextField", "CharField"}
        and f.name not in {"symbol", "status", "deadline_basis"}
    ]
    for name in texts:
        setattr(new, name, bump(getattr(new, name)))
    new.save()

    groups = {}
    for group in plan.groups.order_by("order"):
        old_pk = group.pk
        groups[old_pk] = _clone(group, plan=new, expected_period=bump(group.expected_period))
        groups[old_pk].save()
    valid_units = Unit.objects.valid_on(datetime.date(year, 1, 1)).values("pk")
    entries = plan.entries.filter(unit__in=valid_units).order_by("group__order", "order", "pk")
    bulk_create_tracked(
        new.entries.model,
        [
            _clone(e, plan=new, group=groups[e.group_id], expected_period=bump(e.expected_period))
            for e in entries
        ],
        actor=actor,
    )

    outline = ReportOutline.objects.filter(plan=plan).first()
    if outline is not None:
        _copy_outline(outline, new, bump)
    note = (
        f"Bản điều chỉnh của Kế hoạch số {plan.number_display}."
        if amends
        else f"Sao từ kế hoạch năm {plan.year}."
    )
    log_note(new, actor=actor, note=note, from_status="")
    return new


def _copy_outline(outline, plan, bump):
    """Copy the outline tree of ``outline`` under ``plan``, keeping every link inside it."""
    from .models import Footnote, Indicator, IndicatorRule, OutlineItem

    old_pk = outline.pk
    new_outline = _clone(
        outline, plan=plan, based_on_id=old_pk, version=1, title=bump(outline.title)
    )
    new_outline.save()
    items = list(OutlineItem.objects.filter(outline_id=old_pk).order_by("order"))
    old_items = [(item.pk, item.parent_id) for item in items]
    created = OutlineItem.objects.bulk_create(
        _clone(item, outline=new_outline, parent=None) for item in items
    )
    item_map = {old: new.pk for (old, _), new in zip(old_items, created, strict=True)}
    for (_, parent_id), new in zip(old_items, created, strict=True):
        new.parent_id = item_map.get(parent_id)
    OutlineItem.objects.bulk_update([i for i in created if i.parent_id], ["parent"])
    Footnote.objects.bulk_create(
        _clone(note, outline=new_outline, item_id=item_map.get(note.item_id))
        for note in Footnote.objects.filter(outline_id=old_pk)
    )
    indicators = list(Indicator.objects.filter(outline_id=old_pk).order_by("order"))
    old_ids = [indicator.pk for indicator in indicators]
    new_indicators = Indicator.objects.bulk_create(
        _clone(ind, outline=new_outline, item_id=item_map[ind.item_id]) for ind in indicators
    )
    indicator_map = {old: new.pk for old, new in zip(old_ids, new_indicators, strict=True)}
    for rule in IndicatorRule.objects.filter(outline_id=old_pk).prefetch_related("terms"):
        terms = [indicator_map[term.pk] for term in rule.terms.all()]
        copy = _clone(rule, outline=new_outline, target_id=indicator_map[rule.target_id])
        copy.save()
        copy.terms.set(terms)
    return new_outline


# --- Unit side: answers, figures, evidence, submission -------------------------------------


class EditConflict(ValidationError):
    """Somebody of the unit saved this answer or figure after the editor loaded it.

    ``key`` is "text" or the indicator's pk; ``theirs`` the saved text (or figure as
    typed), ``version`` the saved version: the editor's form takes it, so a second save
    after seeing both versions deliberately keeps the editor's text.
    """

    def __init__(self, *, key, label, theirs, version, by, at):
        self.key, self.label, self.theirs = key, label, theirs
        self.version, self.by, self.at = version, by, at
        who = vn.person(by) if by else "người khác"
        super().__init__(
            f"“{label}” vừa được {who} lưu lúc {vn.date_time(at)}; nội dung của bạn chưa được lưu."
        )


class EditConflicts(ValidationError):
    def __init__(self, conflicts):
        self.conflicts = list(conflicts)
        super().__init__([message for c in self.conflicts for message in c.messages])


class SubmissionRefused(ValidationError):
    """The report cannot be submitted yet; ``problems`` lists every blocking reason."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(self.problems)


def _locked_open_report(report):
    """The report, locked, if its unit may still change it; ValidationError otherwise."""
    report = (
        UnitReport.objects.select_for_update(of=("self",))
        .select_related("inspection__plan__outline", "inspection__unit")
        .get(pk=report.pk)
    )
    if not report.is_editable:
        raise ValidationError(
            f"Báo cáo đang ở trạng thái “{report.get_status_display()}”, không thể sửa."
        )
    if report.inspection.status != Inspection.Status.REPORT_REQUESTED:
        raise ValidationError("Cuộc kiểm tra không ở bước chờ đơn vị gửi báo cáo, không thể sửa.")
    return report


def _asked(report):
    """Items and indicators the report's unit is asked (after the applies-to rules)."""
    inspection = report.inspection
    items = figures.visible_items(inspection.plan.outline, inspection.unit)
    indicators = figures.asked_indicators(inspection.plan.outline, inspection.unit, items)
    return {i.pk for i in items if i.answerable}, {i.pk for i in indicators}


def _save_answer(report, item, text, version, actor):
    text = nfc((text or "").replace("\r\n", "\n")).strip()
    answer = ItemAnswer.objects.select_for_update().filter(report=report, item=item).first()
    if answer is None:
        if not text:
            return None
        try:
            with transaction.atomic():
                return ItemAnswer.objects.create(
                    report=report, item=item, text=text, version=1, updated_by=actor
                )
        except IntegrityError:  # created by someone else a moment ago
            answer = ItemAnswer.objects.get(report=report, item=item)
    elif answer.text == text:
        return answer
    elif answer.version == version:
        answer.text, answer.updated_by = text, actor
        answer.version += 1
        answer.save(update_fields=["text", "version", "updated_by", "updated_at"])
        return answer
    raise EditConflict(
        key="text",
        label=str(item),
        theirs=answer.text,
        version=answer.version,
        by=answer.updated_by,
        at=answer.updated_at,
    )


def _save_value(report, indicator, value, version, actor):
    row = IndicatorValue.objects.select_for_update().filter(report=report, indicator=indicator)
    row = row.first()
    if row is None:
        if value is None:
            return None
        try:
            with transaction.atomic():
                return IndicatorValue.objects.create(
                    report=report, indicator=indicator, value=value, version=1, updated_by=actor
                )
        except IntegrityError:
            row = IndicatorValue.objects.get(report=report, indicator=indicator)
    elif row.value == value:
        return row
    elif row.version == version:
        row.value, row.updated_by = value, actor
        row.version += 1
        row.save(update_fields=["value", "version", "updated_by", "updated_at"])
        return row
    raise EditConflict(
        key=indicator.pk,
        label=indicator.label,
        theirs=figures.input_text(indicator, row.value),
        version=row.version,
        by=row.updated_by,
        at=row.updated_at,
    )


def answer_save(*, report, item, text, version, actor):
    """Save the unit's text under one item, only while the report is open (draft or
    returned, inspection waiting for the report) and only for an answerable item the
    unit is asked.

    Optimistic lock: ``version`` is the one the editor loaded (0 for none). An unchanged
    text is a no-op; a changed text over a newer saved version raises ``EditConflict``
    carrying the saved text, so nothing anyone typed is silently overwritten.
    """
    with transaction.atomic():
        report = _locked_open_report(report)
        item_ids, _ = _asked(report)
        if item.pk not in item_ids:
            raise ValidationError("Mục này không thuộc phần đơn vị phải trả lời.")
        return _save_answer(report, item, text, version, actor)


def value_save(*, report, indicator, value, version, actor):
    """Save one figure (a Decimal or None to clear it) with the same rules and the same
    optimistic lock as ``answer_save``. Range and arithmetic are not checked here: a
    draft keeps whatever was typed, the checks block only submission."""
    with transaction.atomic():
        report = _locked_open_report(report)
        _, indicator_ids = _asked(report)
        if indicator.pk not in indicator_ids:
            raise ValidationError("Chỉ tiêu này không thuộc phần đơn vị phải báo cáo.")
        return _save_value(report, indicator, value, version, actor)


def item_save(*, report, item, text, text_version, values, actor):
    """Save one item at once: its text and its figures (``values``: ``(indicator, value,
    version)`` triples). All or nothing: if any field conflicts, nothing of the item is
    saved and ``EditConflicts`` lists every conflict."""
    with transaction.atomic():
        report = _locked_open_report(report)
        item_ids, indicator_ids = _asked(report)
        if item.pk not in item_ids and not values:
            raise ValidationError("Mục này không thuộc phần đơn vị phải trả lời.")
        if any(ind.pk not in indicator_ids or ind.item_id != item.pk for ind, _, _ in values):
            raise ValidationError("Chỉ tiêu không thuộc mục này.")
        conflicts = []
        if item.pk in item_ids and text is not None:
            try:
                _save_answer(report, item, text, text_version, actor)
            except EditConflict as conflict:
                conflicts.append(conflict)
        for indicator, value, version in values:
            try:
                _save_value(report, indicator, value, version, actor)
            except EditConflict as conflict:
                conflicts.append(conflict)
        if conflicts:
            raise EditConflicts(conflicts)  # rolls back what this item saved


def evidence_add(*, report, files, items, actor, description="", replaces=None, refused=()):
    """Attach evidence files to a report's items, or replace one file by a new version.

    Every file is checked (``reports.uploads``): if any is refused — or the parser dropped
    some for an unsafe name (``refused``) — nothing is stored and ``UploadRefused`` names
    each file and why. Only while the report is open; at least one item the unit is asked.
    A replacement takes exactly one file, keeps the old one as ``previous`` (an earlier
    version) and inherits its items unless others are given. Returns ``(rows,
    duplicates)``: duplicates are ``(new row, earlier name)`` for files whose SHA-256 is
    already among the report's current files (flagged, still stored).
    """
    checked = check_files(files, refused)
    if not checked:
        raise ValidationError("Chưa chọn tệp nào để tải lên.")
    description = nfc(description or "").strip()
    with transaction.atomic():
        report = _locked_open_report(report)
        items = list(items)
        item_ids, _ = _asked(report)
        if replaces is not None:
            replaces = Evidence.objects.select_for_update().get(pk=replaces.pk)
            if replaces.report_id != report.pk or _has_newer_version(replaces):
                raise ValidationError("Chỉ thay được phiên bản hiện hành của tệp trong báo cáo.")
            if len(checked) != 1:
                raise ValidationError("Mỗi lần chỉ thay một tệp.")
            items = items or list(replaces.items.all())
            description = description or replaces.description
        if not items:
            raise ValidationError("Chọn ít nhất một mục đề cương mà tài liệu chứng minh.")
        if any(item.pk not in item_ids for item in items):
            raise ValidationError("Mục được chọn không thuộc phần đơn vị phải trả lời.")
        known = dict(
            Evidence.objects.current().filter(report=report).values_list("sha256", "original_name")
        )
        rows, duplicates = [], []
        for c in checked:
            row = Evidence(
                report=report,
                original_name=c.name,
                size=c.size,
                sha256=c.sha256,
                content_type=c.content_type,
                description=description,
                previous=replaces,
                uploaded_by=actor,
            )
            if c.sha256 in known:
                duplicates.append((row, known[c.sha256]))
            known.setdefault(c.sha256, c.name)
            rows.append(row)
        store_files(zip(rows, checked, strict=True))
        for row in rows:
            row.items.set(items)
    return rows, duplicates


def _has_newer_version(evidence):
    return Evidence.objects.filter(previous=evidence).exists()


def report_submit(*, report, actor, now=None):
    """Submit the unit's report: draft/returned → submitted, and the inspection report
    requested → report submitted; the report is locked from then on.

    Refused (``SubmissionRefused`` with every reason) while a figure breaks a check of
    severity error (warnings never block) or when nothing at all is answered. After the
    deadline the report is still taken; ``submitted_at`` past the deadline marks it late
    for the staff (``UnitReport.is_late``) and the log notes it. The inspection's team
    members are emailed. ``now`` (default: the current time) lets the demo loader date a
    submission in the past; pages never pass it.
    """
    with transaction.atomic():
        report = (
            # Lock the report row only: PostgreSQL refuses FOR UPDATE on the nullable side of
            # the outer joins (team, outline).
            UnitReport.objects.select_for_update(of=("self",))
            .select_related("inspection__plan__outline", "inspection__unit", "inspection__team")
            .get(pk=report.pk)
        )
        inspection = report.inspection
        if UnitReport.Status.SUBMITTED not in report.TRANSITIONS.get(report.status, ()):
            raise TransitionError(
                f"Không thể nộp báo cáo đang ở trạng thái “{report.get_status_display()}”."
            )
        if inspection.status != Inspection.Status.REPORT_REQUESTED:
            raise TransitionError("Cuộc kiểm tra không ở bước chờ đơn vị gửi báo cáo.")
        check = figures.check_report(report, inspection.unit)
        problems = check.blocking()
        has_text = ItemAnswer.objects.filter(report=report).exclude(text="").exists()
        has_figure = any(check.values.get(i.pk) is not None for i in check.indicators)
        if not (has_text or has_figure):
            problems.insert(0, "Báo cáo chưa có nội dung trả lời hay số liệu nào.")
        if problems:
            raise SubmissionRefused(problems)
        report.submitted_at, report.submitted_by = now or timezone.now(), actor
        deadline = inspection.report_deadline
        late = deadline is not None and timezone.localdate(report.submitted_at) > deadline
        note = f"Nộp sau hạn (hạn gửi báo cáo {vn.short_date(deadline)})." if late else ""
        move(
            report,
            UnitReport.Status.SUBMITTED,
            actor=actor,
            note=note,
            extra_fields=["submitted_at", "submitted_by", "updated_at"],
        )
        move(
            inspection,
            Inspection.Status.REPORT_SUBMITTED,
            actor=actor,
            note=note,
            extra_fields=["updated_at"],
        )
        _tell_team_submitted(inspection, late)
    return report


def _tell_team_submitted(inspection, late):
    if inspection.team_id is None:
        return
    users = get_user_model().objects.filter(
        team_memberships__team_id=inspection.team_id, is_active=True
    )
    try:
        path = reverse("reports:report-review", args=[inspection.pk])
    except NoReverseMatch:
        path = reverse("home")
    email_users(
        users,
        f"{inspection.unit} đã nộp báo cáo công tác cải cách hành chính",
        (
            f"{inspection.unit} đã nộp báo cáo theo đề cương"
            f"{' (sau hạn gửi báo cáo)' if late else ''}.\n\n{absolute_url(path)}\n"
        ),
    )
