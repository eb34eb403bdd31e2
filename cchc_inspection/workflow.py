"""The one way a status moves: check the move, save, write the log row."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from . import vn
from .models import StatusLog
from .queries import precompiled


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


@dataclass
class Move:
    """One status move as a page shows it."""

    at: str  # "14:05 05/3/2023"
    actor: str  # the actor's name as written, "" for the system
    from_label: str  # "" for the record's creation
    to_label: str
    note: str


# Stand-ins no key can equal (the log's object key is a positive field: the ORM reads a
# negative value there as matching nothing and compiles no SQL).
CONTENT_TYPE, OBJECT = -8_300_001, 8_300_101_000_000


@precompiled(content_type=CONTENT_TYPE, obj=OBJECT)
def _log_rows(content_type, obj):
    """(when, from, to, note, and the actor's key, first name, last name and user name)."""
    return (
        StatusLog.objects.filter(content_type_id=content_type, object_id=obj)
        .order_by("at", "pk")
        .values_list(
            "at",
            "from_status",
            "to_status",
            "note",
            "actor_id",
            "actor__first_name",
            "actor__last_name",
            "actor__username",
        )
    )


def moves(obj):
    """The status log of one record, oldest first, with its statuses' labels and the
    actors' names written out; one query compiled once per process (the inspection page
    shows it on every request)."""
    labels = dict(type(obj).Status.choices)
    content_type = ContentType.objects.get_for_model(type(obj)).pk
    return [
        Move(
            at=vn.date_time(at),
            actor=vn.person_name(first, last, username) if actor else "",
            from_label=labels.get(old, old),
            to_label=labels.get(new, new),
            note=note,
        )
        for at, old, new, note, actor, first, last, username in _log_rows(
            content_type=content_type, obj=obj.pk
        )
    ]
