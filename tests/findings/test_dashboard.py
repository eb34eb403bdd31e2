"""The dashboard (staff and leaders) and where each person lands after log-in."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cchc_inspection.roles import Role
from plans.models import Inspection
from tests import factories as f

URL = reverse("findings:dashboard")


def today():
    return timezone.localdate()


def add_inspections(world, count):
    """``count`` more inspections of the world's plan: requested, late, concluded with actions."""
    for i in range(count):
        unit = f.UnitFactory()
        f.PlanEntryFactory(plan=world.plan, group=world.group, unit=unit, order=10 + i)
        status = ["report_requested", "concluded", "scheduled"][i % 3]
        deadline = today() + datetime.timedelta(days=(i % 5) * 3 - 4)
        inspection = f.InspectionFactory(
            plan=world.plan, unit=unit, team=world.team, status=status, report_deadline=deadline
        )
        f.FindingFactory(inspection=inspection, item=world.heading)
        if status == "concluded":
            conclusion = f.ConclusionFactory(inspection=inspection, status="issued")
            f.RemediationActionFactory(conclusion=conclusion, item=world.heading, deadline=deadline)


def test_anonymous_and_wrong_personas(client, world, team_member, focal_a):
    assert client.get(URL).status_code == 302
    for user in (team_member, focal_a):
        client.force_login(user)
        assert client.get(URL).status_code == 403


def test_counts_and_their_links(client, world, staff):
    Inspection.objects.filter(pk=world.inspection_a.pk).update(
        status="report_requested", report_deadline=today() - datetime.timedelta(days=1)
    )
    Inspection.objects.filter(pk=world.inspection_b.pk).update(
        status="concluded", report_deadline=None
    )
    conclusion = f.ConclusionFactory(inspection=world.inspection_b, status="issued")
    f.RemediationActionFactory(
        conclusion=conclusion, item=world.heading, deadline=today() - datetime.timedelta(days=2)
    )
    f.RemediationActionFactory(
        conclusion=conclusion, item=world.heading, deadline=today() + datetime.timedelta(days=5)
    )
    point = f.OutlineItemFactory(outline=world.outline, parent=world.heading, kind="point", order=9)
    f.FindingFactory(inspection=world.inspection_b, item=point, kind="violation")
    f.FindingFactory(inspection=world.inspection_b, item=world.heading, kind="strength")
    client.force_login(staff)
    response = client.get(URL)
    assert response.status_code == 200
    ctx = response.context
    assert ctx["reports"]["late"] == 1 and ctx["reports"]["due"] == 0
    assert (ctx["remediation"]["overdue"], ctx["remediation"]["soon"]) == (1, 1)
    row = ctx["progress"][0]
    assert (row["units"], row["unscheduled"], row["report_requested"], row["concluded"]) == (
        2,
        0,
        1,
        1,
    )
    [area] = ctx["areas"]  # the point's finding counts for its heading
    assert (area["item"], area["total"], area["violation"], area["strength"]) == (
        world.heading,
        2,
        1,
        1,
    )
    body = response.content.decode()
    plan = world.plan.pk
    assert f"/ke-hoach/cuoc-kiem-tra/?plan={plan}&amp;overdue=1" in body
    assert f"?plan={plan}&amp;group={world.group.pk}&amp;status=report_requested" in body
    tracker = reverse("findings:tracker")
    assert f"{tracker}?plan={plan}&amp;unit={world.inspection_b.unit_id}&amp;overdue=1" in body
    findings = reverse("findings:finding-list")
    assert f"{findings}?plan={plan}&amp;area={world.heading.pk}&amp;kind=violation" in body


def test_the_linked_lists_show_the_same_numbers(client, world, staff):
    Inspection.objects.filter(pk=world.inspection_a.pk).update(
        status="report_requested", report_deadline=today() + datetime.timedelta(days=3)
    )
    client.force_login(staff)
    link = client.get(URL).context["reports"]["due_link"]
    listed = client.get(link)
    assert listed.context["page"].paginator.count == 1
    assert "Sở Tư pháp" in listed.content.decode()


def test_plan_choice_defaults_to_the_latest(client, world, leader):
    newer = f.PlanFactory(agency=world.plan.agency, year=2024, title="Kiểm tra năm 2024")
    client.force_login(leader)
    assert client.get(URL).context["plan"] == newer
    assert client.get(f"{URL}?plan={world.plan.pk}").context["plan"] == world.plan
    # A plan that does not exist falls back to the latest rather than failing.
    assert client.get(f"{URL}?plan=999999").context["plan"] == newer


def test_empty_product(client, staff):
    client.force_login(staff)
    response = client.get(URL)
    assert "Chưa có kế hoạch kiểm tra nào" in response.content.decode()


def _queries(client, world, count):
    add_inspections(world, count)
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{URL}?plan={world.plan.pk}")
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow(client, world, staff):
    client.force_login(staff)
    small = _queries(client, world, 3)  # 5 inspections
    large = _queries(client, world, 45)  # 50 inspections
    assert small == large


# --- Home routing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("staff", "findings:dashboard"),
        ("leader", "findings:dashboard"),
        ("team_member", "plans:inspection-list"),
    ],
)
def test_home_sends_each_person_to_their_page(client, request, persona, target):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse(target)


def test_home_for_office_focal_and_no_role(client, db, focal_a, outsider):
    office = f.UserFactory(username="vanphong", roles=[Role.OFFICE])
    client.force_login(office)
    assert client.get(reverse("home")).url == reverse("plans:inspection-list")
    client.force_login(focal_a)
    assert client.get(reverse("home")).url == reverse("findings:unit-home")
    client.force_login(outsider)
    assert "chưa được giao vai trò" in client.get(reverse("home")).content.decode()


def test_nav_links_follow_the_role(client, world, staff, team_member):
    client.force_login(staff)
    body = client.get(reverse("plans:inspection-list")).content.decode()
    assert f'href="{URL}"' in body and "Theo dõi khắc phục" in body
    client.force_login(team_member)
    body = client.get(reverse("plans:inspection-list")).content.decode()
    assert f'href="{URL}"' not in body and "Cuộc kiểm tra của Đoàn" in body


def test_home_falls_back_when_a_page_is_not_installed(client, focal_a, monkeypatch):
    monkeypatch.setattr("cchc_inspection.views._first_page", lambda user: "findings:no-such-page")
    client.force_login(focal_a)
    response = client.get(reverse("home"))
    assert response.status_code == 200 and "Xin chào" in response.content.decode()
