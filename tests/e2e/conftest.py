"""Real-browser journeys: Playwright (sync API) driving Debian's Chromium against the
live server of pytest-django, on the test database with the 2023 seed and the demo
accounts loaded.

These tests are never skipped: without Chromium they fail and say how to install it
(``./scripts/setup.sh`` does it when run as root). Playwright's own browser downloads are
not used (no ``playwright install``).
"""

import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.management import call_command

from cchc_inspection.roles import GROUP_NAMES

from .helpers import demo_password

# Playwright's sync API runs an asyncio loop in this thread; Django's ORM (fixtures,
# assertions on the database) must still be usable here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 20_000
SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Không tìm thấy Chromium tại {CHROMIUM}: các kiểm thử trên trình duyệt cần nó. "
            "Cài bằng `sudo apt-get install chromium` (./scripts/setup.sh tự cài khi chạy với "
            "quyền root) hoặc đặt CHROMIUM_PATH.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def app(transactional_db, live_server, settings, tmp_path):
    """The live app on the seeded database: ``app.url("/path/")``."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A flush between transactional tests drops what the migrations created.
    for name in GROUP_NAMES.values():
        Group.objects.get_or_create(name=name)
    call_command("loaddata", "thanh_hoa_2023", verbosity=0)
    call_command("create_demo_users", force=True, stdout=StringIO(), stderr=StringIO())

    class App:
        base = live_server.url

        def url(self, path):
            return self.base + path

    return App()


@pytest.fixture
def open_page(browser, app, request):
    """``open_page(user=None, viewport=DESKTOP)``: a fresh browser session, logged in as
    ``user`` through the log-in form. On failure the last page is saved under
    var/screenshots/failures/."""
    contexts = []

    def make(user=None, viewport=DESKTOP):
        context = browser.new_context(
            viewport=viewport, accept_downloads=True, locale="vi-VN", base_url=app.base
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        if user:
            login(page, user)
        return page

    yield make
    failed = getattr(request.node, "rep_call", None) and request.node.rep_call.failed
    for index, context in enumerate(contexts):
        if failed:
            folder = SCREENSHOTS / "failures"
            folder.mkdir(parents=True, exist_ok=True)
            for number, page in enumerate(context.pages):
                stem = f"{request.node.name}-{index}-{number}"
                try:
                    page.screenshot(path=str(folder / f"{stem}.png"), full_page=True)
                    (folder / f"{stem}.html").write_text(page.content(), encoding="utf-8")
                except Exception:  # noqa: BLE001 - best effort after a failure
                    pass
        context.close()


def login(page, username, password=None):
    """Log in through the form, as a person does; lands on the person's first page."""
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password or demo_password())
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_load_state()
    assert "/dang-nhap/" not in page.url, page.locator("main").inner_text()


def clear_screenshots():
    """Start the screenshot folder afresh (failures of earlier runs are removed too)."""
    if SCREENSHOTS.exists():
        shutil.rmtree(SCREENSHOTS)
    SCREENSHOTS.mkdir(parents=True)
