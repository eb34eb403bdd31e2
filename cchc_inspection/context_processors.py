from .roles import Role, has_role


def roles(request):
    user = request.user
    return {
        "is_staff_side": has_role(user, Role.STAFF, Role.LEADER),
        "is_leader": has_role(user, Role.LEADER),
        "is_team_member": has_role(user, Role.TEAM_MEMBER),
        "is_focal": has_role(user, Role.FOCAL),
        "is_office": has_role(user, Role.OFFICE),
    }
