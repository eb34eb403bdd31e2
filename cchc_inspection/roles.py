"""Roles are Django groups; these helpers are the only place that reads them."""

from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    STAFF = "cchc_staff", "Chuyên viên Phòng CCHC"
    LEADER = "leader", "Lãnh đạo Sở"
    TEAM_MEMBER = "team_member", "Thành viên Đoàn kiểm tra"
    FOCAL = "focal", "Đầu mối CCHC của đơn vị"
    OFFICE = "office", "Văn phòng Sở"


# Group names as shown in admin; a group's name is its role's label.
GROUP_NAMES = {role: role.label for role in Role}


def _load(user):
    """A user's roles and agency, read in one query and kept on the user object (so once
    per request). A signed-in user comes with them (``accounts.UserBackend``)."""
    rows = list(
        get_user_model()
        .objects.filter(pk=user.pk)
        .values_list("groups__name", "agency_staff__agency_id")
    )
    remember(user, rows)


def remember(user, rows):
    """Keep on ``user`` the roles and agency of its ``(group name, agency pk)`` rows."""
    names = {name for name, _ in rows}
    user._cchc_roles = frozenset(role for role, name in GROUP_NAMES.items() if name in names)
    user._cchc_agency = None if user.is_superuser else next((a for _, a in rows if a), None)


def roles_of(user):
    """The set of roles of a user, computed once per request object."""
    if not user.is_authenticated:
        return frozenset()
    if not hasattr(user, "_cchc_roles"):
        _load(user)
    return user._cchc_roles


def agency_of(user):
    """The pk of the agency (Sở Nội vụ) whose data a staff-side user sees, or None for a
    user who sees every agency's (administrators, users attached to none)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_cchc_agency"):
        _load(user)
    return user._cchc_agency


def in_agency(queryset, user, path):
    """The rows of ``queryset`` of the user's agency, reached through the lookup ``path``
    (``"plan__agency"`` for inspections); all of them for a user of no agency."""
    agency = agency_of(user)
    return queryset if agency is None else queryset.filter(**{path: agency})


def has_role(user, *roles):
    return user.is_authenticated and (user.is_superuser or bool(roles_of(user) & set(roles)))


def is_staff_side(user):
    """CCHC staff and leaders (and administrators) run the inspections and read everything
    of their agency (``in_agency``)."""
    return has_role(user, Role.STAFF, Role.LEADER)


def is_leader(user):
    return has_role(user, Role.LEADER)


def can_see_history(user):
    """The "Lịch sử thay đổi" panels (who changed what) are for CCHC staff and leaders."""
    return is_staff_side(user)


def role_required(*roles):
    """Decorator: anonymous users go to log-in, users without one of ``roles`` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied("Bạn không có quyền truy cập trang này.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = role_required(Role.STAFF, Role.LEADER)
# Issuing (signing) plans, team decisions and conclusions.
leader_required = role_required(Role.LEADER)


def staff_of(agency_id):
    """Active CCHC staff who work on ``agency_id``'s inspections: its own, and those
    attached to no agency."""
    mine = Q(agency_staff__isnull=True) | Q(agency_staff__agency_id=agency_id)
    return (
        get_user_model()
        .objects.filter(mine, groups__name=GROUP_NAMES[Role.STAFF], is_active=True)
        .distinct()
    )
