# ruff: noqa: F811 (the fixtures of test_services, imported, are parameters here)
"""The findings register and the remediation tracker kept in the cache for the staff side
(``cchc_inspection.listcache``): a repeated page is read from the cache, and every kind of
write — through a service, a queryset ``update()``, raw SQL — shows at once."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cchc_inspection import listcache
from cchc_inspection.models import AgencyStaff, TableVersion
from cchc_inspection.roles import Role
from findings import services
from findings.models import Conclusion, Finding, RemediationAction, RemediationProof
from findings.views.staff import _LIST_MODELS
from reports.models import OutlineItem
from tests import factories as f
from tests.findings.test_services import (  # noqa: F401 (fixtures)
    draft,
    finding_data,
    issued,
    report,
    reviewed,
    with_findings,
)
from units.models import Unit

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
REGISTER, TRACKER = reverse("findings:finding-list"), reverse("findings:tracker")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def get(client, url, data=None):
    """The page's text and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def same_page(first, second):
    """Equal but for the masked CSRF tokens, which differ on every request."""
    return TOKEN.sub("", first) == TOKEN.sub("", second)


@pytest.fixture
def staff_client(client, staff, world):
    AgencyStaff.objects.create(user=staff, agency=world.plan.agency)
    client.force_login(staff)
    return client


def test_every_watched_table_has_its_triggers():
    """SQLite drops a table's triggers when a migration remakes it: a later migration that
    alters a watched table must create them again."""
    tables = [model._meta.db_table for model in _LIST_MODELS]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
            found = {(table, name.rsplit("_", 1)[1]) for table, name in cursor.fetchall()}
            expected = {(t, event) for t in tables for event in ("insert", "update", "delete")}
        else:
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE NOT t.tgisinternal"
            )
            found = set(cursor.fetchall())
            expected = {(t, "cchc_bump_table_version") for t in tables}
    assert expected <= found


def test_a_write_moves_its_tables_version_only():
    finding, unit = Finding._meta.db_table, Unit._meta.db_table
    before = listcache.versions([finding, unit])
    f.UnitFactory(name="Sở Xây dựng")
    after = listcache.versions([finding, unit])
    assert after[0] == before[0] and after[1] > before[1]


def test_a_version_never_comes_back_after_its_row_went():
    """A flush (a restore) deletes the rows: the table reads as -1 until written, then its
    row starts again above any number it had (kept pages are never read for other data)."""
    table = Unit._meta.db_table
    f.UnitFactory(name="Sở Nội vụ")
    (before,) = listcache.versions([table])
    TableVersion.objects.all().delete()
    assert listcache.versions([table]) == (listcache.MISSING,)
    f.UnitFactory(name="Sở Xây dựng")
    (after,) = listcache.versions([table])
    assert after > max(before, 1_000_000_000_000)  # milliseconds since 1970


def test_second_request_is_served_from_the_cache(staff_client, with_findings):
    for url in [REGISTER, f"{REGISTER}?kind=shortcoming", TRACKER]:
        first, first_queries = get(staff_client, url)
        second, second_queries = get(staff_client, url)
        assert same_page(first, second)
        assert second_queries < first_queries, url


def test_other_filters_and_pages_are_kept_apart(staff_client, with_findings):
    everything, _ = get(staff_client, REGISTER)
    violations, _ = get(staff_client, REGISTER, {"kind": "violation"})
    assert "Tìm thấy 3 kết quả" in everything and "Tìm thấy 1 kết quả" in violations


# --- Every kind of write shows at once -----------------------------------------------------


def _create(world, team_member):
    services.finding_create(
        inspection=world.inspection_a,
        data=finding_data(world, description="Kết quả mới ghi nhận"),
        actor=team_member,
    )
    return "Kết quả mới ghi nhận"


def _edit(world, team_member):
    finding = Finding.objects.order_by("pk").first()
    services.finding_update(
        finding=finding,
        data={"description": "Nội dung đã sửa"},
        version=finding.version,
        actor=team_member,
    )
    return "Nội dung đã sửa"


def _delete(world, team_member):
    finding = Finding.objects.get(kind=Finding.Kind.VIOLATION)
    services.finding_delete(finding=finding, actor=team_member)
    return "Tìm thấy 2 kết quả"


def _queryset_update(world, team_member):
    Finding.objects.filter(kind=Finding.Kind.STRENGTH).update(description="Sửa thẳng bảng")
    return "Sửa thẳng bảng"


def _raw_sql(world, team_member):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Finding._meta.db_table} SET recommendation = %s", ["Kiến nghị qua SQL"]
        )
    return "Kiến nghị qua SQL"


def _rename_unit(world, team_member):
    unit = world.inspection_a.unit
    unit.name = "Sở Tư pháp (đổi tên)"
    unit.save()
    return "Sở Tư pháp (đổi tên)"


def _retitle_area(world, team_member):
    OutlineItem.objects.filter(pk=world.heading.pk).update(title="Công tác thông tin")
    return "Công tác thông tin"


def shown_at_once(client, url, change):
    """The page at ``url``, kept once read twice, shows what ``change()`` returns as soon as
    the change is made."""
    before, _ = get(client, url)
    get(client, url)  # kept
    expected = change()
    assert expected not in before
    after, _ = get(client, url)
    assert expected in after


@pytest.mark.parametrize(
    "change",
    [_create, _edit, _delete, _queryset_update, _raw_sql, _rename_unit, _retitle_area],
    ids=lambda change: change.__name__.strip("_"),
)
def test_register_shows_each_change_at_once(
    staff_client, world, with_findings, team_member, change
):
    shown_at_once(staff_client, REGISTER, lambda: change(world, team_member))


def _verify(issued, staff):
    action = issued.actions.order_by("order").first()
    services.remediation_verify(action=action, comment="Đạt yêu cầu.", actor=staff)
    return "Ý kiến Sở: Đạt yêu cầu."


def _extend(issued, staff):
    action = issued.actions.order_by("order").first()
    new = action.deadline + datetime.timedelta(days=45)
    services.remediation_extend(action=action, new_deadline=new, reason="Chờ.", actor=staff)
    return f"ban đầu {action.deadline.day:02d}/"


def _add_proof(issued, staff):
    RemediationProof.objects.create(
        action=issued.actions.order_by("order").first(),
        file="remediation/x.pdf",
        original_name="Minh chứng mới.pdf",
        size=10,
        sha256="0" * 64,
        content_type="application/pdf",
        uploaded_by=staff,
    )
    return "Minh chứng mới.pdf</a>"


@pytest.mark.parametrize(
    "change", [_verify, _extend, _add_proof], ids=["verify", "extend", "proof"]
)
def test_tracker_shows_each_change_at_once(staff_client, issued, staff, change, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report(issued.actions.order_by("order").first())
    shown_at_once(staff_client, TRACKER, lambda: change(issued, staff))


def test_tracker_shows_the_actions_of_a_conclusion_once_issued(
    staff_client, draft, leader, django_capture_on_commit_callbacks
):
    before, _ = get(staff_client, TRACKER)
    get(staff_client, TRACKER)
    assert "Tìm thấy 0 yêu cầu" in before
    with django_capture_on_commit_callbacks(execute=True):
        services.conclusion_issue(conclusion=draft, actor=leader, issued_on=TODAY)
    after, _ = get(staff_client, TRACKER)
    assert f"Tìm thấy {draft.actions.count()} yêu cầu" in after


def test_the_date_is_in_the_key(staff_client, world, monkeypatch):
    conclusion = f.ConclusionFactory(
        inspection=world.inspection_a, status=Conclusion.Status.ISSUED, number=1, issued_on=TODAY
    )
    f.RemediationActionFactory(conclusion=conclusion, item=world.heading, deadline=TODAY)
    today, _ = get(staff_client, TRACKER)
    get(staff_client, TRACKER)
    assert "Quá hạn</span>" not in today
    monkeypatch.setattr(timezone, "localdate", lambda *a: TODAY + datetime.timedelta(days=1))
    tomorrow, _ = get(staff_client, TRACKER)
    assert '<tr class="table-danger">' in tomorrow and "Quá hạn</span>" in tomorrow


# --- Who gets what -------------------------------------------------------------------------


def test_csrf_token_of_a_kept_tracker_is_the_requesters(issued, staff, leader, world):
    action = report(issued.actions.order_by("order").first())
    tokens = []
    for user in [staff, leader]:  # same agency (none), same flags: the second is kept HTML
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        body, queries = get(client, TRACKER)
        tokens.append((client, TOKEN.findall(body), queries))
    (first, first_tokens, first_queries), (second, second_tokens, second_queries) = tokens
    assert second_queries < first_queries
    assert first_tokens and second_tokens
    assert listcache.CSRF_PLACEHOLDER not in str(first_tokens + second_tokens)
    assert set(first_tokens).isdisjoint(second_tokens)
    verify = reverse("findings:action-verify", args=[action.pk])
    data = {"comment": "Đạt", "next": TRACKER, "version": action.version}
    refused = first.post(verify, {**data, "csrfmiddlewaretoken": second_tokens[0]})
    assert refused.status_code == 403  # not the first client's token
    response = second.post(verify, {**data, "csrfmiddlewaretoken": second_tokens[0]})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == RemediationAction.Status.VERIFIED


def test_another_agencys_staff_never_get_the_first_agencys_page(client, world, staff):
    AgencyStaff.objects.create(user=staff, agency=world.plan.agency)
    f.FindingFactory(inspection=world.inspection_a, item=world.heading, description="Của Sở A")
    other_agency = f.AgencyFactory(code="SNV-NA", place_name="Nghệ An")
    other_staff = f.UserFactory(username="cchc-na", roles=[Role.STAFF])
    AgencyStaff.objects.create(user=other_staff, agency=other_agency)
    client.force_login(staff)
    mine, _ = get(client, REGISTER)
    get(client, REGISTER)
    client.force_login(other_staff)
    theirs, _ = get(client, REGISTER)
    assert "Của Sở A" in mine and "Của Sở A" not in theirs
    assert "Tìm thấy 0 kết quả" in theirs


def test_a_team_members_page_is_not_kept(client, world, team_member, monkeypatch):
    f.FindingFactory(inspection=world.inspection_a, item=world.heading, description="Của đoàn")
    kept = []
    monkeypatch.setattr(listcache, "cached", lambda *a, **k: kept.append(a))
    client.force_login(team_member)
    for url in [REGISTER, TRACKER]:
        first, first_queries = get(client, url)
        second, second_queries = get(client, url)
        assert second_queries == first_queries
    assert "Của đoàn" in first or "Của đoàn" in get(client, REGISTER)[0]
    assert kept == []


def test_typed_text_stays_escaped_in_a_kept_page(staff_client, world):
    f.FindingFactory(
        inspection=world.inspection_a, item=world.heading, description="<script>x()</script>"
    )
    for _ in range(2):  # rendered, then kept
        body, _ = get(staff_client, REGISTER)
        assert "<script>x()</script>" not in body
        assert "&lt;script&gt;x()&lt;/script&gt;" in body
