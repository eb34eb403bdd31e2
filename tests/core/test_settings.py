"""Settings come from the environment, with safe defaults (see .env.example)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parents[2]
NAMES = [
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SITE_URL",
    "DATABASES",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "EVIDENCE_MAX_MB",
    "EVIDENCE_MAX_BYTES",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "SESSION_COOKIE_AGE",
    "SESSION_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "TIME_ZONE",
    "LANGUAGE_CODE",
]


def load_settings(tmp_path, **env):
    """The settings module as a fresh process with exactly ``env`` set sees it."""
    clean = {k: v for k, v in os.environ.items() if k not in _all_variables()}
    clean.update(VAR_DIR=str(tmp_path / "var"), **env)
    code = (
        "import json, cchc_inspection.settings as s;"
        f"print(json.dumps({{n: getattr(s, n) for n in {NAMES!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def _all_variables():
    example = (BASE_DIR / ".env.example").read_text(encoding="utf-8")
    return {line.split("=", 1)[0] for line in example.splitlines() if "=" in line[:40]}


def test_defaults_are_safe_and_local(tmp_path):
    s = load_settings(tmp_path)

    assert s["DEBUG"] is False
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(tmp_path / "var" / "db.sqlite3")
    assert (tmp_path / "var").is_dir()
    assert s["TIME_ZONE"] == "Asia/Ho_Chi_Minh"
    assert s["LANGUAGE_CODE"] == "vi"
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert s["SESSION_COOKIE_SECURE"] is False and s["SECURE_HSTS_SECONDS"] == 0
    assert s["CSRF_TRUSTED_ORIGINS"] == ["http://127.0.0.1:8000"]
    assert s["EVIDENCE_MAX_BYTES"] == 50 * 1024 * 1024


def test_environment_overrides(tmp_path):
    s = load_settings(
        tmp_path,
        DEBUG="1",
        SECRET_KEY="khoa-bi-mat",
        ALLOWED_HOSTS="cchc.snv.example.vn, localhost",
        SITE_URL="https://cchc.snv.example.vn/",
        DATABASE_URL="postgres://cchc:mat%40khau@db.example.vn:5433/kiemtra",
        MEDIA_ROOT=str(tmp_path / "minhchung"),
        EVIDENCE_MAX_MB="20",
        EMAIL_HOST="smtp.example.vn",
        EMAIL_PORT="465",
        SESSION_COOKIE_AGE="3600",
        SECURE_HTTPS="true",
    )

    assert s["DEBUG"] is True
    assert s["SECRET_KEY"] == "khoa-bi-mat"
    assert s["ALLOWED_HOSTS"] == ["cchc.snv.example.vn", "localhost"]
    assert s["SITE_URL"] == "https://cchc.snv.example.vn"
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://cchc.snv.example.vn"]
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("kiemtra", "cchc", "mat@khau")
    assert (db["HOST"], db["PORT"]) == ("db.example.vn", 5433)
    assert s["MEDIA_ROOT"] == str(tmp_path / "minhchung")
    assert s["EVIDENCE_MAX_BYTES"] == 20 * 1024 * 1024
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (s["EMAIL_USE_SSL"], s["EMAIL_USE_TLS"]) == (True, False)
    assert s["SESSION_COOKIE_AGE"] == 3600
    assert s["SESSION_COOKIE_SECURE"] is True and s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] > 0


def test_a_copied_env_example_means_the_defaults(tmp_path):
    example = (BASE_DIR / ".env.example").read_text(encoding="utf-8")
    env = dict(
        line.split("=", 1)
        for line in example.splitlines()
        if line and not line.startswith("#") and "=" in line
    )
    env.pop("VAR_DIR")

    s = load_settings(tmp_path, **env)

    assert s["DEBUG"] is False
    assert s["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert s["STATIC_ROOT"] == str(tmp_path / "var" / "staticfiles")
    assert s["MEDIA_ROOT"] == str(tmp_path / "var" / "media")
    assert (s["EMAIL_PORT"], s["EMAIL_USE_TLS"]) == (587, True)


def test_evidence_is_private():
    media = Path(django_settings.MEDIA_ROOT).resolve()
    static_dirs = [Path(django_settings.STATIC_ROOT), *map(Path, django_settings.STATICFILES_DIRS)]

    for static in static_dirs:
        static = static.resolve()
        assert static not in media.parents and media != static
        assert media not in static.parents
    assert not django_settings.MEDIA_URL.startswith(django_settings.STATIC_URL.rstrip("/"))


@pytest.mark.django_db
def test_media_url_serves_nothing(client, admin_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "bien-ban.pdf").write_bytes(b"%PDF-1.7")
    client.force_login(admin_user)

    for url in (
        settings.MEDIA_URL + "bien-ban.pdf",
        "/" + settings.STATIC_URL.strip("/") + "/bien-ban.pdf",
    ):
        assert client.get(url).status_code == 404


def test_login_and_session_settings():
    assert reverse(django_settings.LOGIN_URL) == reverse("login")
    assert django_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert django_settings.X_FRAME_OPTIONS == "DENY"
