"""The inspection page's own reads (``plans.inspection_page``): the status log as the page
writes it, the inspection read with its plan, unit, team and report in one query, and a
query count that does not grow with what the inspection holds."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cchc_inspection import deadlines
from cchc_inspection.models import StatusLog
from cchc_inspection.roles import roles_of
from findings import services as findings_services
from plans import access, inspection_page
from plans.models import Inspection, InspectionPlan, TeamMember
from reports.models import UnitReport
from tests import factories as f

pytestmark = pytest.mark.django_db
S = Inspection.Status


def _log(record, from_status, to_status, *, actor=None, note="", minutes=0):
    row = StatusLog.objects.create(
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=record.pk,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        note=note,
    )
    at = timezone.now() - datetime.timedelta(minutes=60 - minutes)
    StatusLog.objects.filter(pk=row.pk).update(at=at)


def _body(client, user, inspection):
    client.force_login(user)
    response = client.get(reverse("plans:inspection-detail", args=[inspection.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_status_log_reads_oldest_first_with_names_and_labels(client, world, staff):
    inspection = world.inspection_a
    clerk = f.UserFactory(username="chuyenvien", first_name="Thị Hương", last_name="Trần")
    _log(inspection, "", S.PLANNED, minutes=1)
    _log(inspection, S.PLANNED, S.SCHEDULED, actor=clerk, note="Theo lịch của Sở", minutes=2)
    # Another record's moves, one of them with the same key: not this page's.
    _log(world.inspection_b, S.PLANNED, S.CANCELLED, note="Của cuộc kiểm tra khác")
    _log(InspectionPlan(pk=inspection.pk), "draft", "issued", note="Của kế hoạch")  # same key
    body = _body(client, staff, inspection)
    log = body[body.index("Lịch sử xử lý") :]
    first = log.index("<td>Hệ thống</td>")
    second = log.index("<td>Trần Thị Hương</td>")
    assert first < second
    assert "<td>—</td>\n          <td>Dự kiến</td>" in log[first:second]
    assert "<td>Dự kiến</td>\n          <td>Đã lên lịch</td>" in log[second:]
    assert "Theo lịch của Sở" in log
    assert "Của cuộc kiểm tra khác" not in body and "Của kế hoạch" not in body


def test_the_page_reads_the_inspection_with_its_records_in_one_query(world, staff, team_member):
    submitted = timezone.now()
    UnitReport.objects.create(
        inspection=world.inspection_a, status="submitted", submitted_at=submitted
    )
    Inspection.objects.filter(pk=world.inspection_a.pk).update(
        report_deadline=datetime.date.today()
    )
    for user in (staff, team_member):
        roles_of(user)  # the roles are read once per request, before the page
        with CaptureQueriesContext(connection) as queries:
            inspection = access.get_inspection_page(user, world.inspection_a.pk)
            shown = (
                str(inspection.plan),
                deadlines.basis_phrase(inspection.plan),
                inspection.unit.name,
                inspection.team.name,
                inspection.team.number_display,
                inspection.team.get_status_display(),
                inspection.report.get_status_display(),
                inspection.report.is_late,
            )
        assert len(queries) == 1
        assert shown[2] == world.inspection_a.unit.name and shown[3] == "Đoàn kiểm tra số 1"
        assert inspection.report.submitted_at == submitted


def _same(loaded, expected):
    fields = [f.attname for f in Inspection._meta.concrete_fields]
    assert [getattr(loaded, n) for n in fields] == [getattr(expected, n) for n in fields]
    assert loaded.plan.title == expected.plan.title and loaded.unit.name == expected.unit.name
    assert (loaded.team and loaded.team.name) == (expected.team and expected.team.name)
    report, expected_report = getattr(loaded, "report", None), getattr(expected, "report", None)
    assert (report and report.status) == (expected_report and expected_report.status)


def test_load_keeps_what_the_narrowing_keeps(world, team_member, other_team_member):
    """``inspection_page.load`` reads what the same narrowing of a queryset reads, with the
    related records ``select_related`` would give, and None for what it leaves out."""
    Inspection.objects.filter(pk=world.inspection_b.pk).update(team=None)
    UnitReport.objects.create(inspection=world.inspection_a, status="draft")
    other_agency = f.AgencyFactory(code="SNV-KHAC")

    def every(inspections, value):
        return inspections

    def of_agency(inspections, agency):
        return inspections.filter(plan__agency=agency)

    def of_teams_of(inspections, user):
        return inspections.filter(team__in=TeamMember.objects.filter(user=user).values("team"))

    narrowings = [
        (every, None),
        (of_agency, world.plan.agency_id),
        (of_agency, other_agency.pk),
        (of_teams_of, team_member.pk),
        (of_teams_of, other_team_member.pk),
    ]
    related = Inspection.objects.select_related("plan", "unit", "team", "report")
    for narrow, value in narrowings:
        for pk in (world.inspection_a.pk, world.inspection_b.pk):
            expected = narrow(related.filter(pk=pk), value).first()
            loaded = inspection_page.load(pk, narrow, value)
            if expected is None:
                assert loaded is None, (narrow.__name__, value, pk)
            else:
                _same(loaded, expected)
    assert inspection_page.load(world.inspection_b.pk, every).team is None


def _page_queries(client, user, inspection):
    url = reverse("plans:inspection-detail", args=[inspection.pk])
    client.force_login(user)
    client.get(url)  # caches filled once per process (content types, compiled queries)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["staff", "team_member"])
def test_page_query_count_does_not_grow(client, world, staff, leader, request, persona):
    user = request.getfixturevalue(persona)
    inspection = world.inspection_a
    Inspection.objects.filter(pk=inspection.pk).update(status=S.REVIEWED)
    f.FindingFactory(inspection=inspection, item=world.heading)
    f.FindingFactory(inspection=inspection, item=world.section, kind="strength")
    draft = findings_services.conclusion_draft(inspection=inspection, actor=staff)
    findings_services.conclusion_issue(
        conclusion=draft, actor=leader, issued_on=datetime.date.today()
    )
    f.RemediationActionFactory(conclusion=draft, item=world.heading)
    _log(inspection, "", S.PLANNED)
    small = _page_queries(client, user, inspection)
    for n in range(10):
        f.TeamMemberFactory(team=world.team, full_name=f"Thành viên {n}", order=n + 2)
        f.FindingFactory(inspection=inspection, item=world.section)
        f.RemediationActionFactory(conclusion=draft, item=world.heading)
        _log(inspection, S.PLANNED, S.SCHEDULED, actor=staff, minutes=n)
    assert _page_queries(client, user, inspection) == small
