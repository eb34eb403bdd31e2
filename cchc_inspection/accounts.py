"""Log-in and log-out in Vietnamese, on top of Django's authentication views."""

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render

from .queries import instance, precompiled
from .roles import remember


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "Tên đăng nhập hoặc mật khẩu không đúng. "
            "Xin lưu ý mật khẩu phân biệt chữ hoa và chữ thường."
        ),
        "inactive": "Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị hệ thống.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"
        self.fields["username"].error_messages["required"] = "Vui lòng nhập tên đăng nhập."
        self.fields["password"].error_messages["required"] = "Vui lòng nhập mật khẩu."


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule, with the message in Vietnamese (Django's own has no translation)."""

    def get_error_message(self):
        return f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự."

    def get_help_text(self):
        return f"Mật khẩu phải có ít nhất {self.min_length} ký tự."


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5); goes back to the log-in page with a confirmation."""

    def post(self, request, *args, **kwargs):
        was_logged_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_logged_in:
            messages.info(request, "Bạn đã đăng xuất khỏi hệ thống.")
        return response


# --- Log-in throttling (django-axes) ----------------------------------------------------


class ThrottledBackend(AxesStandaloneBackend):
    """Refuses every log-in attempt while the user name and address are locked out.

    An attempt without a request (the test client's ``login()``, ``authenticate()`` in a
    shell) has no client address to count and is left to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """The page shown instead of the log-in form while a user name is locked out (429)."""
    minutes = int(get_cool_off(request).total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)


# --- The signed-in user, with roles and agency ----------------------------------------------


def _user_columns():
    return [field.attname for field in get_user_model()._meta.concrete_fields]


@precompiled(user=-8_000_901)
def _user_rows(user):
    """The user's columns, with one row per group: (…, group name, agency pk)."""
    rows = get_user_model().objects.filter(pk=user)
    return rows.values_list(*_user_columns(), "groups__name", "agency_staff__agency_id")


class UserBackend(ModelBackend):
    """Django's own backend, except that the user of each request is read together with
    their roles and agency (``roles.remember``): one query instead of two on every page,
    compiled once per process."""

    def get_user(self, user_id):
        rows = _user_rows(user=user_id)
        if not rows:
            return None
        columns = _user_columns()
        user = instance(get_user_model(), columns, rows[0][: len(columns)])
        remember(user, [row[len(columns) :] for row in rows])
        return user if self.user_can_authenticate(user) else None
