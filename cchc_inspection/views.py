from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .roles import is_staff_side


@login_required
def home(request):
    """Send each person to the page they work from."""
    if is_staff_side(request.user):
        return redirect("plans:plan-list")
    return render(request, "home.html")
