"""The one way a status moves: check the move, save, write the log row."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from .models import StatusLog


class TransitionError(ValidationError):
    """An illegal status move; its message says why, in Vietnamese."""


def label_of(obj, status):
    return dict(type(obj).Status.choices).get(status, status)


def move(obj, to, *, actor, note="", extra_fields=()):
    """Move ``obj.status`` to ``to`` if ``obj.TRANSITIONS`` allows it, and log the move.

    Call inside a transaction: the save and the log row land together or not at all.
    """
    current = obj.status
    if to not in obj.TRANSITIONS.get(current, ()):
        raise TransitionError(
            f"Không thể chuyển {obj._meta.verbose_name} từ trạng thái "
            f"“{label_of(obj, current)}” sang “{label_of(obj, to)}”."
        )
    obj.status = to
    obj.save(update_fields=["status", *extra_fields])
    StatusLog.objects.create(
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=obj.pk,
        from_status=current,
        to_status=to,
        actor=actor,
        note=note,
    )
    return obj


def history(obj):
    """The status log of one record, oldest first."""
    return StatusLog.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).select_related("actor")
