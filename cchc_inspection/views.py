from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from .roles import Role, has_role, is_staff_side


def _first_page(user):
    """The URL name of the page a person works from, by role (staff side first)."""
    if is_staff_side(user):
        return "findings:dashboard"
    if has_role(user, Role.TEAM_MEMBER, Role.OFFICE):
        return "plans:inspection-list"
    if has_role(user, Role.FOCAL):
        return "findings:unit-home"
    return None


@login_required
def home(request):
    """Send each person to the page they work from; people without a role see a note."""
    name = _first_page(request.user)
    if name:
        try:
            return redirect(reverse(name))
        except NoReverseMatch:
            # The focal person's pages may not be installed yet: show the plain home page.
            pass
    return render(request, "home.html")
