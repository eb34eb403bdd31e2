"""Issued and submitted records stay as they were issued or submitted, whatever the path.

Pages and services already refuse to edit an issued plan, an issued team decision, an
issued conclusion or a submitted report; this module is the last line behind them, at the
model level, so that the Django admin, an import and a shell session are refused too.
Every ``save()`` and ``delete()`` (cascades included) of the records below, and every
change to their many-to-many links, goes through :func:`check_save`, :func:`check_delete`
or :func:`check_links`, which raise :class:`LockedError` with a Vietnamese message.

What stays possible on a locked record is exactly what its documented life cycle does:

- a status move allowed by the model's ``TRANSITIONS`` (made by ``workflow.move``);
- storing the issued PDF once (``documents.issued_pdf``), never replacing it;
- on a remediation action of an issued conclusion, its progress (unit report, review,
  verification, version) and a later deadline (``findings.services.remediation_extend``).

Corrections are new records, never edits: a conclusion through
``findings.services.conclusion_correct`` (a new version), a plan through a same-year copy
(``reports.services.plan_copy``, the "bản điều chỉnh"), a team decision through a new
decision for a new team, a submitted report through the team returning it
(``reports.services.report_return``). Loading fixtures (``raw`` saves) is not checked;
``QuerySet.update()`` and ``bulk_create`` write SQL directly and are only used by services.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import signals

PLAN_LOCKED = (
    "Kế hoạch đã ban hành nên không thể sửa, xóa nội dung, Phụ lục 1 hay đề cương báo cáo "
    "(kể cả trong trang quản trị). Muốn điều chỉnh, hãy sao kế hoạch thành bản dự thảo "
    "điều chỉnh cùng năm rồi ban hành bản đó."
)
TEAM_LOCKED = (
    "Quyết định thành lập Đoàn đã ban hành nên không thể sửa, xóa đoàn hay thành viên "
    "(kể cả trong trang quản trị). Muốn thay đổi, hãy lập và ban hành quyết định mới."
)
CONCLUSION_LOCKED = (
    "Thông báo kết luận đã ban hành nên không thể sửa, xóa nội dung hay yêu cầu khắc phục "
    "(kể cả trong trang quản trị); hãy lập bản đính chính."
)
ACTION_LOCKED = (
    "Yêu cầu khắc phục của thông báo kết luận đã ban hành chỉ thay đổi tiến độ qua các thao "
    "tác theo dõi khắc phục (báo cáo, xác nhận, trả lại, gia hạn); nội dung yêu cầu chỉ sửa "
    "được bằng bản đính chính."
)
REPORT_LOCKED = (
    "Báo cáo đã nộp nên không thể sửa, xóa nội dung trả lời, số liệu hay tài liệu kiểm "
    "chứng (kể cả trong trang quản trị); chỉ khi Đoàn kiểm tra trả lại báo cáo thì đơn vị "
    "mới sửa được."
)

DOCUMENT_FIELDS = {"status", "updated_at", "pdf", "pdf_sha256"}
ACTION_PROGRESS = {
    "status",
    "unit_report",
    "reported_at",
    "review_comment",
    "verified_at",
    "version",
    "deadline",
}


class LockedError(ValidationError):
    """A change to an issued or submitted record that only a correction may make."""


@dataclass(frozen=True)
class Lock:
    """``model`` is locked while the status reached by ``status_path`` is in ``statuses``.

    ``status_path`` is a lookup from the model: "status" for a document itself, or through
    the foreign key to its owner ("plan__status", "outline__plan__status"). ``mutable``
    names the fields a locked row may still change (see the module docstring).
    """

    model: str
    status_path: str
    statuses: frozenset
    message: str
    mutable: frozenset = field(default_factory=frozenset)

    @property
    def is_document(self):
        return self.status_path == "status"


def _locks():
    plan_locked = frozenset({"issued", "closed"})
    plan = [
        Lock("plans.InspectionPlan", "status", plan_locked, PLAN_LOCKED, DOCUMENT_FIELDS),
        Lock("plans.PlanGroup", "plan__status", plan_locked, PLAN_LOCKED),
        Lock("plans.PlanEntry", "plan__status", plan_locked, PLAN_LOCKED),
        Lock("reports.ReportOutline", "plan__status", plan_locked, PLAN_LOCKED),
        Lock("reports.OutlineItem", "outline__plan__status", plan_locked, PLAN_LOCKED),
        Lock("reports.Footnote", "outline__plan__status", plan_locked, PLAN_LOCKED),
        Lock("reports.Indicator", "outline__plan__status", plan_locked, PLAN_LOCKED),
        Lock("reports.IndicatorRule", "outline__plan__status", plan_locked, PLAN_LOCKED),
    ]
    issued = frozenset({"issued"})
    submitted = frozenset({"submitted", "accepted"})
    return [
        *plan,
        Lock("plans.InspectionTeam", "status", issued, TEAM_LOCKED, DOCUMENT_FIELDS),
        Lock("plans.TeamMember", "team__status", issued, TEAM_LOCKED),
        Lock("findings.Conclusion", "status", issued, CONCLUSION_LOCKED, DOCUMENT_FIELDS),
        Lock(
            "findings.RemediationAction",
            "conclusion__status",
            issued,
            ACTION_LOCKED,
            frozenset(ACTION_PROGRESS),
        ),
        Lock("reports.UnitReport", "status", submitted, REPORT_LOCKED, {"status", "updated_at"}),
        Lock("reports.ItemAnswer", "report__status", submitted, REPORT_LOCKED),
        Lock("reports.IndicatorValue", "report__status", submitted, REPORT_LOCKED),
        Lock("reports.Evidence", "report__status", submitted, REPORT_LOCKED),
    ]


LOCKS = {}  # model class → Lock, filled by connect()


def _stored(model, pk, lock, names):
    """The stored row's owner status (as ``_status``) and ``names`` values, or None."""
    from django.db.models import F

    rows = model._base_manager.filter(pk=pk).values(*names, _status=F(lock.status_path))
    return rows.first()


def _owner_status(instance, lock):
    """The status that locks a new (or re-parented) child row, read from its owner."""
    fk_name, rest = lock.status_path.split("__", 1)
    fk = instance._meta.get_field(fk_name)
    owner_pk = getattr(instance, fk.attname)
    if owner_pk is None:
        return None
    return fk.related_model._base_manager.filter(pk=owner_pk).values_list(rest, flat=True).first()


def lock_reason(obj):
    """Why ``obj`` (a saved record) cannot be changed, or None if it can."""
    lock = LOCKS.get(type(obj))
    if lock is None or obj.pk is None:
        return None
    stored = _stored(type(obj), obj.pk, lock, [])
    return lock.message if stored and stored["_status"] in lock.statuses else None


def _comparable(model_field, value):
    if hasattr(value, "name") and model_field.get_internal_type() == "FileField":
        return value.name or ""
    try:
        return model_field.to_python(value)
    except ValidationError:
        return value


def _changed(instance, stored, fields):
    return {
        f.name
        for f in fields
        if _comparable(f, getattr(instance, f.attname)) != _comparable(f, stored[f.attname])
    }


def _allowed(instance, stored, lock, changed):
    """True when every changed field of a locked row is a change its life cycle makes."""
    if changed - lock.mutable:
        return False
    if "status" in changed and lock.is_document:
        moves = getattr(type(instance), "TRANSITIONS", {}).get(stored["_status"], ())
        if instance.status not in moves:
            return False
    if changed & {"pdf", "pdf_sha256"} and stored.get("pdf"):
        return False  # stored once, never replaced
    if "deadline" in changed and not instance.deadline > stored["deadline"]:
        return False  # an extension only moves the deadline later
    if "status" in changed and not lock.is_document:
        moves = getattr(type(instance), "TRANSITIONS", {}).get(stored["status"], ())
        if instance.status not in moves:
            return False
    return True


def check_save(instance, update_fields=None):
    """Refuse a save that would change a locked record (or add a row to a locked one)."""
    lock = LOCKS.get(type(instance))
    if lock is None:
        return
    if instance.pk is None or instance._state.adding:
        if not lock.is_document and _owner_status(instance, lock) in lock.statuses:
            raise LockedError(lock.message)
        return
    fields = [
        f
        for f in instance._meta.concrete_fields
        if not f.primary_key and (update_fields is None or f.name in update_fields)
    ]
    stored = _stored(type(instance), instance.pk, lock, [f.attname for f in fields])
    if stored is None:
        return
    changed = _changed(instance, stored, fields)
    # Moving a row into a locked record is adding to it.
    moved = not lock.is_document and lock.status_path.split("__", 1)[0] in changed
    if moved and _owner_status(instance, lock) in lock.statuses:
        raise LockedError(lock.message)
    locked = stored["_status"] in lock.statuses
    if locked and changed and not _allowed(instance, stored, lock, changed):
        raise LockedError(lock.message)


def check_delete(instance):
    lock = LOCKS.get(type(instance))
    if lock is None or instance.pk is None:
        return
    stored = _stored(type(instance), instance.pk, lock, [])
    if stored is not None and stored["_status"] in lock.statuses:
        raise LockedError(lock.message)


def _on_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw:
        check_save(instance, update_fields)


def _on_delete(sender, instance, **kwargs):
    check_delete(instance)


def check_links(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Evidence ↔ items and rule ↔ terms of a locked record keep their links."""
    if action not in {"pre_add", "pre_remove", "pre_clear"}:
        return
    owners = [instance] if not reverse else list(model._base_manager.filter(pk__in=pk_set or ()))
    if reverse and action == "pre_clear":
        through = sender._meta
        source = next(f for f in through.fields if f.related_model is type(instance))
        target = next(f for f in through.fields if f.related_model is model)
        ids = sender.objects.filter(**{source.attname: instance.pk}).values(target.attname)
        owners = list(model._base_manager.filter(pk__in=ids))
    for owner in owners:
        reason = lock_reason(owner)
        if reason:
            raise LockedError(reason)


def connect():
    """Connect the checks to every locked model (called from ``CoreConfig.ready``)."""
    for lock in _locks():
        model = apps.get_model(lock.model)
        LOCKS[model] = lock
        uid = f"integrity-{lock.model}"
        signals.pre_save.connect(_on_save, sender=model, dispatch_uid=uid)
        signals.pre_delete.connect(_on_delete, sender=model, dispatch_uid=uid)
    for label, name in (("reports.Evidence", "items"), ("reports.IndicatorRule", "terms")):
        through = getattr(apps.get_model(label), name).through
        signals.m2m_changed.connect(check_links, sender=through, dispatch_uid=f"integrity-{label}")
