"""Who changed what and when: the "Lịch sử thay đổi" panels (django-simple-history).

The panel lists, newest first, who saved which record and each field that changed from →
to under its Vietnamese name; it is shown to CCHC staff and leaders only, and the
inspection page's combined list costs the same number of queries whatever it holds.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cchc_inspection import history
from findings import services as findings_services
from findings.history import conclusion_sources, inspection_sources
from findings.models import Finding, RemediationAction
from plans import services as plans_services
from plans.history import plan_sources, team_sources
from plans.models import Inspection, InspectionPlan, TeamMember
from reports import services as reports_services
from tests import factories as f

PANEL = "Lịch sử thay đổi"


def text(response):
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def named(staff, leader, focal_a, team_member):
    """Distinct names, so that the panel's "who" can be told apart."""
    for user, (last, first) in {
        staff: ("Nguyễn", "Thị Hương"),
        leader: ("Lê", "Văn Minh"),
        focal_a: ("Hoàng", "Thị Lan"),
        team_member: ("Phạm", "Văn Đức"),
    }.items():
        user.last_name, user.first_name = last, first
        user.save()


@pytest.fixture
def requested(world, staff, leader, named, mailoutbox):
    """Unit A's inspection scheduled (plan issued) with its report requested."""
    plans_services.plan_issue(plan=world.plan, actor=leader)
    world.plan.refresh_from_db()
    start = timezone.localdate() + datetime.timedelta(days=10)
    inspection = plans_services.inspection_schedule(
        plan=world.plan,
        unit=world.inspection_a.unit,
        actor=staff,
        team=world.team,
        form=Inspection.Form.ON_SITE,
        start_date=start,
        end_date=start,
    )
    reports_services.report_request(inspection=inspection, actor=staff)
    return Inspection.objects.get(pk=inspection.pk)


def save_value(client, inspection, indicator, value, version):
    url = reverse("reports:value-save", args=[inspection.pk, indicator.pk])
    response = client.post(url, {"value": value, "version": version}, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 200, response.content
    return response.json()["version"]


def test_inspection_page_shows_who_changed_what(
    client, requested, world, staff, focal_a, team_member
):
    client.force_login(staff)
    url = reverse("plans:inspection-logistics", args=[requested.pk])
    assert client.post(url, {"logistics_notes": "Xe 29A-123.45"}).status_code == 302
    client.force_login(focal_a)
    version = save_value(client, requested, world.indicator, "12", 0)
    save_value(client, requested, world.indicator, "15", version)

    client.force_login(staff)
    body = text(client.get(reverse("plans:inspection-detail", args=[requested.pk])))
    assert PANEL in body
    assert "Ghi chú hậu cần (phương tiện, kinh phí)" in body and "Xe 29A-123.45" in body
    assert "Số liệu: Số văn bản đã ban hành" in body
    assert re.search(r">12</span> <span aria-hidden=\"true\">→</span>.*? 15</dd>", body)
    assert "Hoàng Thị Lan" in body and "Nguyễn Thị Hương" in body
    # The newest change comes first.
    panel = body[body.index(PANEL) :]
    assert panel.index("Số liệu: Số văn bản") < panel.index("Xe 29A-123.45")

    client.force_login(team_member)
    assert PANEL not in text(client.get(reverse("plans:inspection-detail", args=[requested.pk])))


def test_focal_pages_carry_no_history(client, requested, world, focal_a):
    client.force_login(focal_a)
    save_value(client, requested, world.indicator, "3", 0)
    assert PANEL not in text(client.get(reverse("reports:report-edit", args=[requested.pk])))
    assert PANEL not in text(client.get(reverse("findings:unit-home")))


def test_finding_edit_through_the_version_check_is_recorded(
    client, requested, world, staff, team_member
):
    finding = findings_services.finding_create(
        inspection=requested,
        data={"item": world.section, "kind": Finding.Kind.SHORTCOMING, "description": "Cũ."},
        actor=team_member,
    )
    client.force_login(staff)
    response = client.post(
        reverse("findings:finding-update", args=[finding.pk]),
        {"item": world.section.pk, "kind": "violation", "description": "Mới.", "version": 1},
    )
    assert response.status_code == 302
    latest = finding.history.first()
    assert latest.history_type == "~" and latest.history_user == staff
    assert latest.description == "Mới." and finding.history.count() == 2
    body = text(client.get(reverse("plans:inspection-detail", args=[requested.pk])))
    assert "Kết quả kiểm tra: Mới." in body
    assert 'Tồn tại, hạn chế</span> <span aria-hidden="true">→</span>' in body


def _conclude(inspection, world, staff, leader, team_member):
    for kind, text_ in [("strength", "Làm tốt."), ("shortcoming", "Chưa làm.")]:
        findings_services.finding_create(
            inspection=inspection,
            data={"item": world.section, "kind": kind, "description": text_},
            actor=team_member,
        )
    report = inspection.report
    reports_services.value_save(
        report=report, indicator=world.indicator, value=Decimal(1), version=0, actor=staff
    )
    reports_services.report_submit(report=report, actor=staff)
    reports_services.report_accept(report=report, actor=staff)
    plans_services.inspection_review_done(inspection=inspection, actor=staff)
    conclusion = findings_services.conclusion_draft(inspection=inspection, actor=staff)
    findings_services.conclusion_issue(
        conclusion=conclusion, actor=leader, issued_on=timezone.localdate()
    )
    return conclusion


def test_conclusion_and_action_pages_show_their_history(
    client, requested, world, staff, leader, team_member
):
    conclusion = _conclude(requested, world, staff, leader, team_member)
    action = conclusion.actions.get()
    # Drafted in bulk, the actions still have their "created" rows, by whoever drafted.
    assert RemediationAction.history.filter(id=action.pk, history_type="+").get().history_user
    client.force_login(staff)
    extend = reverse("findings:action-extend", args=[action.pk])
    new_deadline = action.deadline + datetime.timedelta(days=20)
    response = client.post(extend, {"new_deadline": new_deadline, "reason": "Chờ hướng dẫn."})
    assert response.status_code == 302
    body = text(client.get(extend))
    assert PANEL in body and "Thời hạn khắc phục" in body
    assert f"{new_deadline.day:02d}/" in body
    body = text(client.get(reverse("findings:conclusion-detail", args=[conclusion.pk])))
    assert PANEL in body and "Thông báo kết luận số 01/TB-SNV" in body
    assert (
        'Dự thảo</span> <span aria-hidden="true">→</span><span class="visually-hidden">thành</span> Đã ban hành'
        in body
    )


def test_plan_and_team_pages_show_their_history(client, world, staff, leader, named):
    client.force_login(staff)
    member_url = reverse("plans:member-add", args=[world.team.pk])
    response = client.post(
        member_url, {"full_name": "Trần Văn Bình", "role": TeamMember.Role.MEMBER, "order": 2}
    )
    assert response.status_code == 302, response.content
    plans_services.plan_issue(plan=InspectionPlan.objects.get(pk=world.plan.pk), actor=leader)
    body = text(client.get(reverse("plans:team-detail", args=[world.team.pk])))
    assert PANEL in body and "Thành viên đoàn: Trần Văn Bình" in body
    body = text(client.get(reverse("plans:plan-detail", args=[world.plan.pk])))
    assert PANEL in body and "Đã ban hành" in body


def _page_queries(client, inspection):
    url = reverse("plans:inspection-detail", args=[inspection.pk])
    with CaptureQueriesContext(connection) as queries:
        body = text(client.get(url))
    return len(queries), body


def test_inspection_history_costs_the_same_queries_and_pages(
    client, requested, world, staff, focal_a, team_member
):
    report = requested.report
    version = 0
    finding = findings_services.finding_create(
        inspection=requested,
        data={"item": world.section, "kind": "shortcoming", "description": "Lần 0"},
        actor=team_member,
    )
    reports_services.value_save(
        report=report, indicator=world.indicator, value=Decimal(0), version=0, actor=focal_a
    )
    client.force_login(staff)
    small, body = _page_queries(client, requested)
    assert "Trang 1/" not in body
    version = report.values.get().version
    for n in range(1, 30):
        row = reports_services.value_save(
            report=report,
            indicator=world.indicator,
            value=Decimal(n),
            version=version,
            actor=focal_a,
        )
        version = row.version
        finding = findings_services.finding_update(
            finding=finding,
            data={"description": f"Lần {n}"},
            version=finding.version,
            actor=team_member,
        )
    f.UserFactory()  # an unrelated row changes nothing
    large, body = _page_queries(client, requested)
    assert small == large
    assert "Trang 1/" in body and "lich-su=2" in body
    older = text(client.get(reverse("plans:inspection-detail", args=[requested.pk]) + "?lich-su=2"))
    assert "Trang 2/" in older


def _orm_rows(source):
    fields = history._shown_fields(source.model)
    links = history._linked_names(source, fields)
    return links, sorted(source.rows.select_related(*links), key=lambda row: row.history_id)


@pytest.fixture
def percent(world):
    """A percentage indicator, added while the plan is still a draft."""
    return f.IndicatorFactory(item=world.heading, label="Tỷ lệ hồ sơ đúng hạn", kind="percent")


@pytest.fixture(params=[history.JSON_PAIRS, 3], ids=["objects", "objects-in-parts"])
def json_pairs(request, monkeypatch):
    """Also read the rows with tiny JSON objects, as a model with many fields would be."""
    monkeypatch.setattr(history, "JSON_PAIRS", request.param)
    history._record_sql.cache_clear()
    history._branch_sql.cache_clear()
    yield
    history._record_sql.cache_clear()
    history._branch_sql.cache_clear()


def test_one_query_reads_every_row_as_the_orm_does(
    json_pairs, percent, requested, world, staff, leader, team_member, focal_a
):
    """The panel's single UNION query gives back the same values, of the same types (dates,
    times with their zone, Decimals, linked records), as reading each table would."""
    reports_services.value_save(
        report=requested.report,
        indicator=percent,
        value=Decimal("84.38"),
        version=0,
        actor=focal_a,
    )
    conclusion = _conclude(requested, world, staff, leader, team_member)
    sources = [
        *inspection_sources(requested),
        *plan_sources(world.plan),
        *team_sources(world.team),
        *conclusion_sources(conclusion),
    ]
    with CaptureQueriesContext(connection) as queries:
        read = history._rows(sources)
    assert len(queries) == 1
    assert sum(len(rows) for rows in read) > 20
    for source, rows in zip(sources, read, strict=True):
        links, expected = _orm_rows(source)
        assert len(rows) == len(expected)
        for got, want in zip(sorted(rows, key=lambda r: r.history_id), expected, strict=True):
            for field in type(want)._meta.concrete_fields:
                mine, theirs = getattr(got, field.attname), getattr(want, field.attname)
                assert (mine, type(mine), str(mine)) == (theirs, type(theirs), str(theirs))
            for name in links:
                assert str(getattr(got, name)) == str(getattr(want, name)), name


def test_a_lookup_that_rewrites_its_value_is_refused(requested):
    """The union's branches are compiled once with stand-in values that each request's own
    values replace: a lookup compiled into another value (``contains`` wraps it in ``%``)
    would then read other rows, so it fails instead."""
    source = history.Source(Inspection, {"place__contains": "Sở"})
    with pytest.raises(ValueError, match="do not compile to one value each"):
        history._rows([source])


def test_sources_read_the_rows_model_history_reads(requested, world):
    """A source reads its model's historical rows through the historical model's own
    manager (``Model.history`` builds a new manager class on every access): same rows."""
    sources = [*inspection_sources(requested), *plan_sources(world.plan)]
    for source in sources:
        assert source.historical is source.model.history.model
        want = source.model.history.filter(**source.where).order_by("history_id")
        assert list(source.rows.order_by("history_id")) == list(want)
