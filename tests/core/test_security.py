"""Hostile visitors: log-in throttling, password rules, session expiry, CSRF on every form,
and the production settings (secure cookies, HSTS, Content-Security-Policy, framing)."""

import datetime
import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests import factories as f

BASE_DIR = Path(__file__).resolve().parents[2]
LOGIN = reverse("login")


def wrong_login(client, username="cchc", password="sai-mat-khau"):
    return client.post(LOGIN, {"username": username, "password": password})


# --- Log-in throttling (django-axes) --------------------------------------------------------


def test_five_wrong_passwords_lock_the_user_name_for_fifteen_minutes(client, staff):
    assert django_settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = wrong_login(client)
        assert response.status_code == 200
        assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    response = wrong_login(client)
    assert response.status_code == 429
    body = response.content.decode()
    assert "Tạm khóa đăng nhập" in body
    assert "sai mật khẩu 5 lần liên tiếp" in body and "trong 15 phút" in body

    # Even the right password is refused while locked out.
    response = client.post(LOGIN, {"username": "cchc", "password": f.PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_user_name_and_ends_after_the_cool_off(client, staff, focal_a):
    for _ in range(5):
        wrong_login(client)
    # Somebody else at the same address still logs in.
    response = client.post(LOGIN, {"username": "sotuphap", "password": f.PASSWORD})
    assert response.status_code == 302
    client.post(reverse("logout"))

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    response = client.post(LOGIN, {"username": "cchc", "password": f.PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_a_successful_log_in_resets_the_count(client, staff):
    for _ in range(4):
        wrong_login(client)
    assert client.post(LOGIN, {"username": "cchc", "password": f.PASSWORD}).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert wrong_login(client).status_code == 200


def test_limit_and_lockout_come_from_the_environment(settings, client, staff):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
    wrong_login(client)
    response = wrong_login(client)
    assert response.status_code == 429
    assert "sai mật khẩu 2 lần liên tiếp" in response.content.decode()
    assert "trong 30 phút" in response.content.decode()


def test_admin_log_in_is_throttled_too(client, admin_user):
    url = reverse("admin:login")
    for _ in range(5):
        response = client.post(url, {"username": "quantri", "password": "sai"})
    assert response.status_code == 429


def test_test_client_log_in_is_not_throttled(client, staff):
    """``Client.login`` authenticates without a request; it must keep working."""
    assert client.login(username="cchc", password=f.PASSWORD)
    assert client.get(reverse("plans:plan-list")).status_code == 200
    assert not client.login(username="cchc", password="sai")


# --- Password rules -------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["Abc@12345", "ngan", "123456789012", "password1234"])
def test_weak_passwords_are_refused(password, db):
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    assert error.value.messages


def test_short_password_message_is_vietnamese(db):
    with pytest.raises(ValidationError) as error:
        validate_password("Kt@2023xy")
    assert error.value.messages == ["Mật khẩu quá ngắn: cần ít nhất 10 ký tự."]


@pytest.mark.parametrize("password", ["KiemTra@2023", f.PASSWORD, "Sở-Nội-vụ-2024"])
def test_good_passwords_pass(password, db):
    validate_password(password)


def test_admin_refuses_a_short_password(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "moi",
            "password1": "Ng@n123",
            "password2": "Ng@n123",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert "Mật khẩu quá ngắn: cần ít nhất 10 ký tự." in response.content.decode()
    assert not f.UserFactory._meta.model.objects.filter(username="moi").exists()


# --- Session expiry -------------------------------------------------------------------------


def test_session_lasts_the_configured_age_and_ends_with_the_browser(client, staff):
    assert client.login(username="cchc", password=f.PASSWORD)
    assert client.session.get_expiry_age() == django_settings.SESSION_COOKIE_AGE == 8 * 3600
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert client.get(reverse("plans:plan-list")).status_code == 200


def test_an_expired_session_goes_back_to_log_in(client, staff):
    client.post(LOGIN, {"username": "cchc", "password": f.PASSWORD})
    assert client.get(reverse("plans:plan-list")).status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(reverse("plans:plan-list"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_session_age_comes_from_the_environment(settings, client, staff):
    settings.SESSION_COOKIE_AGE = 600
    client.post(LOGIN, {"username": "cchc", "password": f.PASSWORD})
    expires = Session.objects.get().expire_date
    assert abs((expires - timezone.now()).total_seconds() - 600) < 30


# --- CSRF on every form ---------------------------------------------------------------------


def every_url(patterns=None, prefix=""):
    """Every URL of the project (the Django admin included) with 1 for each argument."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            route = str(pattern.pattern)
            if route.startswith("^"):
                continue  # the admin's catch-all and app index regexes
            yield from every_url(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            route = str(pattern.pattern)
            if route.startswith("^") or "(?P" in route:
                continue
            path = re.sub(r"<(?:\w+:)?\w+>", "1", prefix + route)
            yield "/" + path


def test_the_walk_sees_the_forms():
    urls = set(every_url())
    for name in [
        "login",
        "plans:plan-create",
        "reports:evidence-upload",
        "findings:action-verify",
        "admin:plans_inspectionplan_add",
    ]:
        kwargs = {"pk": 1} if name.endswith(("upload", "verify")) else {}
        assert reverse(name, kwargs=kwargs) in urls
    assert len(urls) > 150


@pytest.mark.django_db
def test_every_post_without_the_token_is_refused(world, admin_user, staff, focal_a):
    """No view is exempt from CSRF: a POST without the token gets 403 everywhere, signed
    in as an administrator, as CCHC staff or as a unit's focal person."""
    accepted = {}
    for user in (admin_user, staff, focal_a):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        for url in every_url():
            response = client.post(url, {"x": "1"})
            if response.status_code != 403:
                accepted[url] = response.status_code
    assert accepted == {}


def test_the_token_is_what_lets_a_post_through(world, staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    url = reverse("plans:group-add", args=[world.plan.pk])
    assert client.post(url, {"title": "Nhóm mới"}).status_code == 403
    client.get(url)
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"title": "Nhóm mới", "csrfmiddlewaretoken": token})
    assert response.status_code in {200, 302}


def test_every_post_form_in_the_templates_carries_the_token():
    missing = []
    for template in (BASE_DIR / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for form in re.findall(r"<form\b[^>]*>.*?</form>", text, flags=re.S | re.I):
            if re.search(r'method="post"', form, re.I) and "{% csrf_token %}" not in form:
                missing.append(str(template.relative_to(BASE_DIR)))
    assert missing == []


# --- Content-Security-Policy and other headers ------------------------------------------------


def test_every_page_sends_the_policy(client, staff):
    client.force_login(staff)
    response = client.get(reverse("plans:plan-list"))
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


INLINE = [
    (r"<script(?![^>]*\bsrc=)[^>]*>", "inline <script>"),
    (r"<style\b", "<style> element"),
    (r"\sstyle=\"", "style attribute"),
    (r"\son[a-z]+=\"", "event handler attribute"),
    (r"javascript:", "javascript: URL"),
]


def test_no_template_relies_on_inline_script_or_style():
    """What the policy would block: everything runs from static/ instead. (The PDF
    templates in templates/documents are only read by WeasyPrint, never a browser.)"""
    found = []
    for template in (BASE_DIR / "templates").rglob("*.html"):
        if "documents" in template.parts:
            continue
        text = template.read_text(encoding="utf-8")
        text = re.sub(r"{#.*?#}", "", text)
        for pattern, what in INLINE:
            if re.search(pattern, text, re.I):
                found.append(f"{template.relative_to(BASE_DIR)}: {what}")
    assert found == []


def test_rendered_pages_have_no_inline_script_or_style(client, world, staff, focal_a):
    """Forms rendered by crispy-forms and django-filter add nothing the policy blocks."""
    client.force_login(staff)
    urls = [
        reverse("plans:plan-detail", args=[world.plan.pk]),
        reverse("plans:plan-create"),
        reverse("plans:plan-appendix", args=[world.plan.pk]),
        reverse("plans:inspection-detail", args=[world.inspection_a.pk]),
        reverse("findings:finding-list"),
        reverse("findings:tracker"),
        reverse("findings:dashboard"),
        reverse("units:unit-list"),
    ]
    for url in urls:
        body = client.get(url).content.decode()
        for pattern, what in INLINE:
            assert not re.search(pattern, body, re.I), f"{url}: {what}"


# --- Production settings --------------------------------------------------------------------


def production_env(tmp_path):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO", "DATABASE", "DEBUG", "SECRET", "SECURE", "ALLOWED"))
    }
    clean.update(
        DEBUG="0",
        SECURE_HTTPS="1",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="cchc.snv.example.vn",
        SITE_URL="https://cchc.snv.example.vn",
        VAR_DIR=str(tmp_path / "var"),
    )
    return clean


def test_check_deploy_is_clean_with_the_production_variables(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_flags_the_development_defaults(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"], env["SECURE_HTTPS"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "security.W009" in result.stderr and "security.W004" in result.stderr


HEADERS_SCRIPT = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(HTTP_HOST="cchc.snv.example.vn")
plain = client.get("/dang-nhap/")
response = client.get("/dang-nhap/", secure=True)
cookie = response.cookies["csrftoken"]
print(json.dumps({
    "redirect": [plain.status_code, plain.get("Location")],
    "headers": dict(response.items()),
    "csrf_cookie": {"secure": cookie["secure"], "httponly": cookie["httponly"]},
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
}))
"""


def test_production_responses_carry_the_security_headers(tmp_path):
    env = production_env(tmp_path)
    env["DJANGO_SETTINGS_MODULE"] = "cchc_inspection.settings"
    result = subprocess.run(
        [sys.executable, "-c", HEADERS_SCRIPT],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["redirect"] == [301, "https://cchc.snv.example.vn/dang-nhap/"]
    headers = seen["headers"]
    hsts = headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts and "preload" in hsts
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert seen["csrf_cookie"]["secure"] is True
    assert seen["session_cookie_secure"] is True and seen["session_cookie_httponly"] is True


def test_admin_export_select_all_works_without_inline_handlers(client, admin_user):
    """django-import-export wires “Select all” with onchange="…", which the policy blocks;
    the same handler is attached from a static file."""
    client.force_login(admin_user)
    body = client.get(reverse("admin:units_unit_export")).content.decode()
    assert "js/admin-export.js" in body
    script = (BASE_DIR / "static" / "js" / "admin-export.js").read_text(encoding="utf-8")
    assert ".select-toggle" in script and "onSelectToggleChange(event)" in script
