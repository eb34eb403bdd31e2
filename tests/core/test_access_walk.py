"""Every URL of the project, walked with every persona, against the permissions table.

``TABLE`` mirrors the README's "Phân quyền" table: for each URL name, the answer each
persona gets on the objects of unit A (Sở Tư pháp) in a world where the plan and the team
decision are issued, unit A's report was submitted (returned once, then accepted) with
evidence, the visit has minutes and findings, the conclusion is issued and its first
remediation action is reported with a proof file. A URL name missing from the table fails
the walk; so does any answer that differs from the table.

Answers: 200; ``LOGIN`` (302 to the log-in page); ``REDIRECT`` (302 elsewhere: the page is
open to the persona but sends it on, e.g. an issued plan cannot be edited); 403; 404; and
for POST-only views ``OK``: the POST gets past the access rules (it runs in a transaction
that is rolled back). A refused POST (LOGIN, 403, 404) must leave every row unchanged.

Django admin is one group rule: only the administrator gets in; everyone else is sent to
the admin's log-in page.
"""

from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories as f

LOGIN, REDIRECT, ADMIN_LOGIN, OK = "log-in", "redirect", "admin log-in", "ok"
GET, POST = "GET", "POST"
PERSONAS = (
    "anonymous",
    "focal_a",
    "focal_b",
    "other_team",
    "team",
    "staff",
    "leader",
    "office",
    "admin",
)


def rule(default, **answers):
    unknown = set(answers) - set(PERSONAS)
    assert not unknown, unknown
    return {persona: answers.get(persona, default) for persona in PERSONAS}


# --- The permissions table (README "Phân quyền") ------------------------------------------

SIGNED_IN = rule(REDIRECT, anonymous=LOGIN)
STAFF = rule(403, anonymous=LOGIN, staff=200, leader=200, admin=200)
# Open to the staff side, who are sent back with a message: the record is issued.
STAFF_ISSUED = rule(403, anonymous=LOGIN, staff=REDIRECT, leader=REDIRECT, admin=REDIRECT)
STAFF_POST = rule(403, anonymous=LOGIN, staff=OK, leader=OK, admin=OK)
LEADER_POST = rule(403, anonymous=LOGIN, leader=OK, admin=OK)
SCHEDULE = rule(
    403, anonymous=LOGIN, other_team=200, team=200, staff=200, leader=200, office=200, admin=200
)
TEAM = rule(
    403, anonymous=LOGIN, other_team=404, team=200, staff=200, leader=200, office=200, admin=200
)
LOGISTICS = rule(403, anonymous=LOGIN, staff=200, leader=200, office=200, admin=200)
WORK = rule(403, anonymous=LOGIN, other_team=404, team=200, staff=200, leader=200, admin=200)
WORK_LIST = rule(403, anonymous=LOGIN, other_team=200, team=200, staff=200, leader=200, admin=200)
WORK_POST = rule(403, anonymous=LOGIN, other_team=404, team=OK, staff=OK, leader=OK, admin=OK)
# The unit's own pages: its focal person; another unit's focal person (and the
# administrator, who is no unit's focal person) get 404; other roles 403.
UNIT = rule(403, anonymous=LOGIN, focal_a=200, focal_b=404, admin=404)
UNIT_CLOSED = rule(403, anonymous=LOGIN, focal_a=REDIRECT, focal_b=404, admin=404)
UNIT_POST = rule(403, anonymous=LOGIN, focal_a=OK, focal_b=404, admin=404)
UNIT_HOME = rule(403, anonymous=LOGIN, focal_a=200, focal_b=200, admin=200)
# Files of the unit: any signed-in person may ask; only those who may see them get them.
FILE = rule(404, anonymous=LOGIN, focal_a=200, team=200, staff=200, leader=200, admin=200)
UNIT_DOCUMENT = rule(
    403,
    anonymous=LOGIN,
    focal_a=200,
    focal_b=404,
    other_team=404,
    team=200,
    staff=200,
    leader=200,
    admin=200,
)

# name: (method, kwargs as world attributes, answers)
TABLE = {
    "home": (GET, {}, SIGNED_IN),
    "login": (GET, {}, rule(REDIRECT, anonymous=200)),
    "logout": (POST, {}, rule(LOGIN)),
    # Danh mục đơn vị
    "units:unit-list": (GET, {}, STAFF),
    "units:unit-export": (GET, {}, STAFF),
    "units:unit-import": (GET, {}, STAFF),
    # Kế hoạch, Phụ lục 1
    "plans:plan-list": (GET, {}, STAFF),
    "plans:plan-detail": (GET, {"pk": "plan"}, STAFF),
    "plans:plan-pdf": (GET, {"pk": "plan"}, STAFF),
    "plans:plan-create": (GET, {}, STAFF),
    "plans:plan-update": (GET, {"pk": "plan"}, STAFF_ISSUED),
    "plans:plan-copy": (GET, {"pk": "plan"}, STAFF),
    "plans:plan-issue": (POST, {"pk": "plan"}, LEADER_POST),
    "plans:plan-close": (POST, {"pk": "plan"}, LEADER_POST),
    "plans:plan-appendix": (GET, {"pk": "plan"}, STAFF),
    "plans:group-add": (GET, {"pk": "plan"}, STAFF_ISSUED),
    "plans:group-update": (GET, {"pk": "group"}, STAFF_ISSUED),
    "plans:group-move": (POST, {"pk": "group"}, STAFF_POST),
    "plans:group-delete": (POST, {"pk": "group"}, STAFF_POST),
    "plans:entry-add": (GET, {"pk": "plan"}, STAFF_ISSUED),
    "plans:entry-update": (GET, {"pk": "entry"}, STAFF_ISSUED),
    "plans:entry-delete": (POST, {"pk": "entry"}, STAFF_POST),
    "plans:appendix-export": (GET, {"pk": "plan"}, STAFF),
    "plans:appendix-import": (GET, {"pk": "plan"}, STAFF_ISSUED),
    # Đoàn kiểm tra
    "plans:team-list": (GET, {"pk": "plan"}, STAFF),
    "plans:team-create": (GET, {"pk": "plan"}, STAFF),
    "plans:team-detail": (GET, {"pk": "team"}, TEAM),
    "plans:team-programme": (GET, {"pk": "team"}, TEAM),
    "plans:team-pdf": (GET, {"pk": "team"}, TEAM),
    "plans:team-update": (GET, {"pk": "team"}, STAFF_ISSUED),
    "plans:team-issue": (POST, {"pk": "team"}, LEADER_POST),
    "plans:member-add": (GET, {"pk": "team"}, STAFF_ISSUED),
    "plans:member-update": (GET, {"pk": "member"}, STAFF_ISSUED),
    "plans:member-delete": (POST, {"pk": "member"}, STAFF_POST),
    # Cuộc kiểm tra
    "plans:inspection-list": (GET, {}, SCHEDULE),
    "plans:inspection-create": (GET, {"pk": "plan"}, STAFF),
    "plans:inspection-detail": (GET, {"pk": "inspection"}, WORK),
    "plans:inspection-update": (GET, {"pk": "inspection"}, STAFF),
    "plans:inspection-deadline": (GET, {"pk": "inspection"}, STAFF),
    "plans:inspection-cancel": (GET, {"pk": "inspection"}, STAFF),
    "plans:inspection-review-done": (POST, {"pk": "inspection"}, STAFF_POST),
    "plans:inspection-logistics": (GET, {"pk": "inspection"}, LOGISTICS),
    # Báo cáo của đơn vị (phía đơn vị)
    "reports:report-edit": (GET, {"pk": "inspection"}, UNIT),
    "reports:answer-save": (POST, {"pk": "inspection", "item_pk": "item"}, UNIT_POST),
    "reports:value-save": (POST, {"pk": "inspection", "indicator_pk": "indicator"}, UNIT_POST),
    "reports:report-submit": (POST, {"pk": "inspection"}, UNIT_POST),
    "reports:evidence-upload": (GET, {"pk": "inspection"}, UNIT_CLOSED),
    "reports:evidence-download": (GET, {"pk": "evidence"}, FILE),
    "reports:request-pdf": (GET, {"pk": "inspection"}, UNIT_DOCUMENT),
    # Xem xét báo cáo (phía Đoàn)
    "reports:report-review": (GET, {"pk": "inspection"}, WORK),
    "reports:report-request": (POST, {"pk": "inspection"}, STAFF_POST),
    "reports:report-return": (POST, {"pk": "inspection"}, WORK_POST),
    "reports:report-accept": (POST, {"pk": "inspection"}, WORK_POST),
    "reports:matrix-export": (GET, {"pk": "plan"}, STAFF),
    # Biên bản, kết quả kiểm tra, kết luận
    "findings:finding-list": (GET, {}, WORK_LIST),
    "findings:finding-export": (GET, {}, STAFF),
    "findings:finding-create": (GET, {"pk": "inspection"}, WORK),
    "findings:finding-update": (GET, {"pk": "finding"}, WORK),
    "findings:finding-delete": (POST, {"pk": "finding"}, WORK_POST),
    "findings:minutes-create": (GET, {"pk": "inspection"}, WORK),
    "findings:minutes-update": (GET, {"pk": "minutes"}, WORK),
    "findings:minutes-pdf": (GET, {"pk": "minutes"}, WORK),
    "findings:conclusion-create": (POST, {"pk": "inspection"}, STAFF_POST),
    "findings:conclusion-detail": (GET, {"pk": "conclusion"}, WORK),
    "findings:conclusion-update": (GET, {"pk": "conclusion"}, STAFF_ISSUED),
    "findings:conclusion-issue": (POST, {"pk": "conclusion"}, LEADER_POST),
    "findings:conclusion-correct": (POST, {"pk": "conclusion"}, STAFF_POST),
    "findings:conclusion-pdf": (GET, {"pk": "conclusion"}, UNIT_DOCUMENT),
    # Theo dõi khắc phục, tổng quan, báo cáo tổng hợp
    "findings:tracker": (GET, {}, WORK_LIST),
    "findings:tracker-export": (GET, {}, STAFF),
    "findings:action-verify": (POST, {"pk": "action"}, STAFF_POST),
    "findings:action-reject": (POST, {"pk": "action"}, STAFF_POST),
    "findings:action-extend": (GET, {"pk": "action"}, STAFF),
    "findings:dashboard": (GET, {}, STAFF),
    "findings:summary-pdf": (GET, {"pk": "plan"}, STAFF),
    # Trang của đơn vị
    "findings:unit-home": (GET, {}, UNIT_HOME),
    "findings:action-report": (GET, {"pk": "action"}, UNIT),
    "findings:proof-download": (GET, {"pk": "proof"}, FILE),
}


# --- The URL patterns ----------------------------------------------------------------------


def url_names(resolver=None, namespace=None, route=""):
    """Every URL pattern of the project as (name, pattern, full route), following
    ``include``; an unnamed pattern is named by its route."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n) or None
            yield from url_names(entry, inner, route + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            full = route + str(entry.pattern)
            name = entry.name or f"(unnamed) {full}"
            yield (f"{namespace}:{name}" if namespace else name), entry, full


def app_names():
    return sorted({name for name, _, _ in url_names() if not name.startswith("admin:")})


def test_every_url_has_an_entry_in_the_table():
    missing = [name for name in app_names() if name not in TABLE]
    assert not missing, (
        "URL chưa có trong bảng phân quyền (TABLE của tests/core/test_access_walk.py và "
        "mục “Phân quyền” của README): " + ", ".join(missing)
    )
    stale = sorted(set(TABLE) - set(app_names()))
    assert not stale, "Bảng phân quyền còn URL không tồn tại: " + ", ".join(stale)


# --- The world -----------------------------------------------------------------------------


# --- Walking -------------------------------------------------------------------------------


def answer_of(response):
    if response.streaming:
        # Read it to the end: the test client closes it then, the way a server would.
        b"".join(response.streaming_content)
    if response.status_code == 302:
        path = urlsplit(response["Location"]).path
        if path == reverse("login"):
            return LOGIN
        if path == reverse("admin:login"):
            return ADMIN_LOGIN
        return REDIRECT
    return response.status_code


def snapshot():
    """Every row of the project's own models (history included), to prove nothing moved."""
    labels = {"cchc_inspection", "units", "plans", "reports", "findings"}
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.app_label in labels
    }


def request_as(clients, personas, persona, method, url):
    client = clients[persona]
    if url == reverse("logout"):  # signs the browser out: use a fresh one
        client = Client()
        if personas[persona] is not None:
            client.force_login(personas[persona])
    return answer_of(client.get(url) if method == GET else client.post(url))


@pytest.mark.django_db
def test_every_url_answers_every_persona_as_the_table_says(clients, rich, personas):
    wrong = walk(clients, rich, personas)
    assert not wrong, "\n".join(wrong)


def walk(clients, rich, personas):
    """Every URL of the table with every persona: the answers that differ from it."""
    wrong = []
    for name, (method, kwargs, answers) in TABLE.items():
        url = reverse(name, kwargs={k: getattr(rich, v) for k, v in kwargs.items()})
        refused = [p for p in PERSONAS if answers[p] in (LOGIN, 403, 404)]
        before = snapshot() if method == POST else None
        for persona in refused if method == POST else PERSONAS:
            got = request_as(clients, personas, persona, method, url)
            if got != answers[persona]:
                wrong.append(f"{name} [{persona}]: {got}, bảng ghi {answers[persona]}")
        if method == POST and name != "logout" and snapshot() != before:
            wrong.append(f"{name}: một yêu cầu POST bị từ chối đã làm thay đổi dữ liệu")
        if method == POST:
            wrong += _allowed_posts(clients, personas, name, url, answers)
    return wrong


def _allowed_posts(clients, personas, name, url, answers):
    """The personas the table lets POST get past the access rules (changes rolled back);
    the view answers GET with 405."""
    wrong = []
    if clients["admin"].get(url).status_code != 405:
        wrong.append(f"{name}: GET phải bị từ chối (405) vì chỉ nhận POST")
    for persona in (p for p in PERSONAS if answers[p] == OK):
        with transaction.atomic():
            got = request_as(clients, personas, persona, POST, url)
            transaction.set_rollback(True)
        if got in (LOGIN, ADMIN_LOGIN, 403, 404, 405):
            wrong.append(f"{name} [{persona}]: {got}, bảng ghi được phép")
    return wrong


# --- Django admin: one group rule ----------------------------------------------------------


def _admin_model(name, route):
    for model in admin.site._registry:
        label = f"{model._meta.app_label}_{model._meta.model_name}_"
        path = f"/{model._meta.app_label}/{model._meta.model_name}/"
        if name.startswith(f"admin:{label}") or path in f"/{route}":
            return model
    return None


def _admin_url(name, pattern, route):
    """A URL for an admin pattern, on a saved row of its model where it takes one, and
    whether that row exists."""
    model = _admin_model(name, route)
    obj = model._default_manager.first() if model else None
    if name.startswith("admin:(unnamed)"):
        if "<path:object_id>" in route:  # the old change URL, redirected to the new one
            return reverse("admin:index") + route.split("/", 1)[1].replace(
                "<path:object_id>", str(obj.pk if obj else 999999)
            ), obj is not None
        return reverse("admin:index") + "khong-co-trang-nay/", True  # the catch-all
    regex = pattern.pattern.regex
    if regex.groups and not regex.groupindex:  # simple-history's (object id, history id)
        record = obj.history.first() if obj is not None else None
        args = (obj.pk, record.history_id) if record else (999999, 999999)
        return reverse(name, args=args), record is not None
    keys = set(getattr(pattern.pattern, "converters", {})) | set(regex.groupindex)
    kwargs, found = {}, True
    if "app_label" in keys:
        kwargs["app_label"] = "plans"
    if "content_type_id" in keys:
        kwargs["content_type_id"] = ContentType.objects.get(app_label="units", model="unit").pk
        kwargs["object_id"] = f.UnitFactory().pk
    elif keys & {"object_id", "id"}:
        found = obj is not None
        kwargs[(keys & {"object_id", "id"}).pop()] = obj.pk if found else 999999
        if "history_id" in keys:
            record = obj.history.first() if found else None
            found = record is not None
            kwargs["history_id"] = record.history_id if found else 999999
    return reverse(name, kwargs=kwargs), found


# What the administrator gets where the answer is not the page itself.
ADMIN_SPECIAL = {
    "admin:login": REDIRECT,  # already signed in: on to the admin's index
    "admin:logout": 405,  # POST only
    "admin:autocomplete": 403,  # asked without its parameters
    "admin:view_on_site": 404,  # a unit has no page of its own
}


def _admin_expected(name, route, found, admin_user):
    """What the administrator gets: the page, except where the model's admin itself says
    no (a register the application writes cannot be added to or deleted from: 403)."""
    if name in ADMIN_SPECIAL:
        return ADMIN_SPECIAL[name]
    if name.endswith("_process_import"):
        return 405  # the second step of an import is a POST
    if name.startswith("admin:(unnamed)"):
        return REDIRECT if "<path:object_id>" in route else 404
    model = _admin_model(name, route)
    if model is not None and name.endswith(("_add", "_delete")):
        request = RequestFactory().get("/")
        request.user = admin_user
        model_admin = admin.site._registry[model]
        allowed = (
            model_admin.has_add_permission(request)
            if name.endswith("_add")
            else model_admin.has_delete_permission(request, model._default_manager.first())
        )
        if not allowed:
            return 403
    return 200 if found else REDIRECT


@pytest.mark.django_db
def test_only_the_administrator_gets_into_the_admin(clients, rich, personas):
    wrong = []
    for name, pattern, route in url_names():
        if not name.startswith("admin:"):
            continue
        url, found = _admin_url(name, pattern, route)
        expected = _admin_expected(name, route, found, personas["admin"])
        got = request_as(clients, personas, "admin", GET, url)
        if got != expected:
            wrong.append(f"{name} {url} [admin]: {got}, cần {expected}")
        for persona in PERSONAS:
            if persona == "admin" or name == "admin:logout":
                continue
            expected = 200 if name == "admin:login" else ADMIN_LOGIN
            got = request_as(clients, personas, persona, GET, url)
            if got != expected:
                wrong.append(f"{name} {url} [{persona}]: {got}, cần {expected}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
def test_a_district_reads_its_communes_request_letter_only(client, world, focal_b, focal_a):
    """The district rule: a district's focal person reads (never edits) what a commune under
    it was asked; a unit elsewhere stays 404."""
    commune = f.UnitFactory(name="Xã Đông Hòa", category="commune", parent=world.inspection_b.unit)
    inspection = f.InspectionFactory(plan=world.plan, unit=commune, team=world.other_team)
    letter = reverse("reports:request-pdf", args=[inspection.pk])
    client.force_login(focal_b)
    assert client.get(letter).status_code == 200
    assert (
        client.get(reverse("reports:request-pdf", args=[world.inspection_a.pk])).status_code == 404
    )
    assert client.post(reverse("reports:report-submit", args=[inspection.pk])).status_code == 404
    client.force_login(focal_a)
    assert client.get(letter).status_code == 404
