"""The dashboard (staff and leaders) and where each person lands after log-in."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cchc_inspection import queries
from cchc_inspection.roles import Role
from findings import filters
from findings.views import dashboard, portal
from plans import access as plans_access
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


def test_a_unit_inspected_again_after_a_cancellation_is_one_unit(client, world, staff):
    Inspection.objects.filter(pk=world.inspection_a.pk).update(status="cancelled")
    f.InspectionFactory(plan=world.plan, unit=world.inspection_a.unit, team=world.team)
    f.PlanEntryFactory(plan=world.plan, group=world.group, unit=f.UnitFactory(), order=5)
    client.force_login(staff)
    [row] = client.get(URL).context["progress"]
    assert (row["units"], row["unscheduled"], row["planned"], row["cancelled"]) == (3, 1, 2, 1)
    totals = client.get(URL).context["totals"]
    assert (totals["units"], totals["unscheduled"]) == (3, 1)
    assert [totals[status] for status in Inspection.Status] == [2, 0, 0, 0, 0, 0, 0, 0, 1]
    # A total links to its list; a zero is plain.
    inspections = reverse("plans:inspection-list")
    assert totals["cells"][0] == (
        f'<a href="{inspections}?plan={world.plan.pk}&amp;status=planned">2</a>'
    )
    assert totals["cells"][1] == "0"


def test_remediation_by_unit_most_overdue_first_verified_apart(client, world, staff):
    def actions(inspection, *deadlines):
        conclusion = f.ConclusionFactory(inspection=inspection, status="issued")
        for days, status in deadlines:
            f.RemediationActionFactory(
                conclusion=conclusion,
                item=world.heading,
                status=status,
                deadline=today() + datetime.timedelta(days=days),
            )

    # Sở Tư pháp: one overdue, one due soon, one later; Đông Sơn: two overdue, and one
    # verified past its deadline, which is neither overdue nor due.
    actions(world.inspection_a, (-1, "open"), (3, "reported"), (40, "open"))
    actions(world.inspection_b, (-5, "open"), (-2, "open"), (-9, "verified"))
    client.force_login(staff)
    remediation = client.get(URL).context["remediation"]
    assert (remediation["total"], remediation["verified"]) == (6, 1)
    assert (remediation["overdue"], remediation["soon"]) == (3, 1)
    rows = [(r["name"], r["overdue"], r["soon"]) for r in remediation["by_unit"]]
    assert rows == [("Huyện Đông Sơn", 2, 0), ("Sở Tư pháp", 1, 1)]
    tracker = reverse("findings:tracker")
    unit_a = world.inspection_a.unit_id
    assert remediation["by_unit"][1]["soon_link"] == (
        f"{tracker}?plan={world.plan.pk}&unit={unit_a}&due_within=14"
    )


def test_report_panel_lists_fifteen_earliest_and_counts_all(client, world, staff):
    for i in range(18):
        f.InspectionFactory(
            plan=world.plan,
            status="report_requested",
            report_deadline=today() + datetime.timedelta(days=i - 12),
        )
    client.force_login(staff)
    response = client.get(URL)
    reports = response.context["reports"]
    assert (reports["late"], reports["due"]) == (12, 6)
    assert len(reports["rows"]) == 15
    assert [row["late"] for row in reports["rows"]] == [True] * 12 + [False] * 3
    assert reports["rows"][0]["deadline"] == today() - datetime.timedelta(days=12)
    assert response.content.decode().count("· quá hạn") == 12


def test_plan_choice_lists_every_plan_with_titles_escaped_and_cut(client, world, staff):
    long_title = (
        "Kiểm tra <b>chuyên đề</b> về cải cách thủ tục hành chính và chuyển đổi số năm 2024"
    )
    newer = f.PlanFactory(agency=world.plan.agency, year=2024, title=long_title)
    client.force_login(staff)
    body = client.get(f"{URL}?plan={world.plan.pk}").content.decode()
    cut = "Kiểm tra &lt;b&gt;chuyên đề&lt;/b&gt; về cải cách thủ tục hành chính và…"  # 60
    assert f'<option value="{newer.pk}">Năm 2024 — {cut}</option>' in body
    assert (
        f'<option value="{world.plan.pk}" selected>Năm 2023 — {world.plan.title}</option>' in body
    )
    assert "<b>chuyên đề" not in body


def test_query_count_does_not_grow_with_the_number_of_plans(client, world, staff):
    client.force_login(staff)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(f"{URL}?plan={world.plan.pk}")
    for year in range(2000, 2030):
        f.PlanFactory(agency=world.plan.agency, year=year, title=f"Kế hoạch năm {year}")
    with CaptureQueriesContext(connection) as many:
        body = client.get(f"{URL}?plan={world.plan.pk}").content.decode()
    assert body.count("<option ") == 31
    assert len(many) == len(few)


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


# --- Queries compiled once ---------------------------------------------------------------------


def _precompiled_samples(world):
    """Each precompiled query of the dashboard, the unit's home and the lists' filters
    (and the plans they choose from), with values that find rows in ``world``."""
    day = today()
    units = sorted([world.inspection_a.unit_id, world.inspection_b.unit_id])
    conclusion = f.ConclusionFactory(inspection=world.inspection_b, status="issued")
    f.RemediationActionFactory(conclusion=conclusion, item=world.heading, deadline=day)
    f.FindingFactory(inspection=world.inspection_b, item=world.heading)
    plan = {"plan": world.plan.pk}
    return [
        (plans_access._every_plan_row, {}),
        (plans_access._agency_plan_rows, {"agency": world.plan.agency_id}),
        (filters._plan_units, plan),
        (filters._plan_areas, plan),
        (dashboard._plan_entries, plan),
        (dashboard._plan_inspections, plan),
        (dashboard._requirement_counts, {**plan, "today": day, "last_day": day}),
        (dashboard._finding_counts, plan),
        (dashboard._areas, plan),
        (portal._units, {"units": units[:1]}),
        (portal._units, {"units": units}),
        (portal._own_inspections, {"units": units}),
        (portal._commune_inspections, {"units": units}),
        (portal._open_actions, {"conclusions": [conclusion.pk]}),
    ]


def test_precompiled_queries_are_the_querysets_they_stand_for(world):
    for query, values in _precompiled_samples(world):
        queryset = query.build(**values)
        sql, params = queryset.query.sql_with_params()
        assert query.sql_with_params(**values) == (sql, list(params)), query.build.__name__
        assert query(**values) == list(queryset), query.build.__name__
    assert dashboard._plan_inspections(plan=world.plan.pk)  # the samples find rows
    assert dashboard._requirement_counts(plan=world.plan.pk, today=today(), last_day=today())


def test_a_precompiled_query_refuses_a_value_it_does_not_pass_as_a_parameter(world):
    precompiled = queries.precompiled(plan=dashboard.PLAN)
    ignored = precompiled(lambda plan: Inspection.objects.values_list("pk"))
    folded = precompiled(
        lambda plan: Inspection.objects.extra(where=[f"plan_id = {plan}"]).values_list("pk")
    )
    for query in (ignored, folded):
        with pytest.raises(ValueError, match="not passed as parameters"):
            query(plan=world.plan.pk)
    with pytest.raises(ValueError, match="empty list"):
        portal._units(units=[])


def test_instance_reads_the_columns_whatever_their_order():
    inspection = queries.instance(
        Inspection, ("status", "id", "form"), ("report_requested", 7, "unannounced")
    )
    assert (inspection.pk, inspection.status, inspection.form) == (
        7,
        "report_requested",
        "unannounced",
    )
    assert inspection.is_unannounced
    assert inspection.get_deferred_fields() >= {"plan_id", "start_date"}
