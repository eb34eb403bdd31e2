"""Staff of one Sở Nội vụ see their own agency's data and nothing of another's.

A national deployment holds every province's plans in one database. CCHC staff, leaders
and the office attached to an agency (``AgencyStaff``) get 404 for another agency's plans,
teams, inspections, reports, findings, conclusions, actions and files, and their lists,
dashboard, filters and exports leave those rows out; users attached to none (the
ministry's level, or a deployment with one Sở) and administrators see everything.
"""

import pytest
from django.test import Client
from django.urls import reverse

from cchc_inspection.models import AgencyStaff
from cchc_inspection.roles import Role, agency_of
from findings import services as findings_services
from findings.models import RemediationAction
from tests import factories as f
from tests.core.test_access_walk import (
    GET,
    OK,
    POST,
    REDIRECT,
    TABLE,
    answer_of,
    snapshot,
    walk,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_agency(db):
    return f.AgencyFactory(
        code="SNV-HN",
        parent_name="UBND THÀNH PHỐ HÀ NỘI",
        parent_short_name="UBND thành phố Hà Nội",
        place_name="Hà Nội",
    )


def attached(user, agency):
    AgencyStaff.objects.create(user=user, agency=agency)
    return user


@pytest.fixture
def outsiders(other_agency):
    """Staff, leader and office of another Sở."""
    return {
        "staff": attached(f.UserFactory(username="hn.cchc", roles=[Role.STAFF]), other_agency),
        "leader": attached(f.UserFactory(username="hn.lanhdao", roles=[Role.LEADER]), other_agency),
        "office": attached(
            f.UserFactory(username="hn.vanphong", roles=[Role.OFFICE]), other_agency
        ),
    }


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_table_holds_for_staff_attached_to_the_plans_agency(clients, rich, personas, agency):
    for persona in ("staff", "leader", "office"):
        attached(personas[persona], agency)
    wrong = walk(clients, rich, personas)
    assert not wrong, "\n".join(wrong)


def test_another_agencys_staff_get_404_on_every_record_page(rich, personas, outsiders):
    """Every URL of a record that the plan's own staff side may open (or POST to) answers
    another Sở's staff, leader and office 404, and a refused POST changes nothing."""
    wrong, checked = [], 0
    for name, (method, kwargs, answers) in TABLE.items():
        if not kwargs:
            continue
        url = reverse(name, kwargs={k: getattr(rich, v) for k, v in kwargs.items()})
        for persona, user in outsiders.items():
            if answers[persona] not in (200, REDIRECT, OK):
                continue
            before = snapshot() if method == POST else None
            client = client_of(user)
            response = client.get(url) if method == GET else client.post(url)
            checked += 1
            if answer_of(response) != 404:
                wrong.append(f"{name} [{persona} của Sở khác]: {answer_of(response)}, cần 404")
            if method == POST and snapshot() != before:
                wrong.append(f"{name} [{persona} của Sở khác]: dữ liệu đã bị thay đổi")
    assert checked > 60
    assert not wrong, "\n".join(wrong)


# Each list, and what names the plan's rows there: its title, the plan as it names
# itself, or the inspected unit.
LISTS = {
    "plans:plan-list": lambda plan: plan.title,
    "plans:inspection-list": lambda plan: "Sở Tư pháp",
    "findings:finding-list": lambda plan: "Sở Tư pháp",
    "findings:tracker": lambda plan: "Sở Tư pháp",
    "findings:dashboard": str,
}


def test_lists_leave_out_another_agencys_rows(rich, personas, outsiders, agency, world):
    own = client_of(attached(personas["staff"], agency))
    national = client_of(personas["leader"])  # attached to no agency
    other = client_of(outsiders["staff"])
    for name, shown in LISTS.items():
        marker = shown(world.plan)
        url = reverse(name)
        assert marker in own.get(url).content.decode(), name
        assert marker in national.get(url).content.decode(), name
        assert marker not in other.get(url).content.decode(), name
    # A plan chosen by its number on the dashboard is not shown to another Sở either.
    page = other.get(reverse("findings:dashboard"), {"plan": rich.plan}).content.decode()
    assert str(world.plan) not in page


def test_filters_offer_only_the_agencys_plans(rich, outsiders, other_agency, world):
    own_plan = f.PlanFactory(agency=other_agency, title="Kiểm tra CCHC của Hà Nội", year=2024)
    client = client_of(outsiders["staff"])
    for name in ("findings:finding-list", "findings:tracker"):
        choices = client.get(reverse(name)).context["filter"].form.fields["plan"].widget.choices
        assert [pk for pk, _ in choices if pk] == [own_plan.pk], name
        # Asking for the other plan by its number is a filter error, not its rows or units.
        response = client.get(reverse(name), {"plan": world.plan.pk})
        assert "Sở Tư pháp" not in response.content.decode()


def test_exports_hold_only_the_agencys_rows(rich, personas, outsiders, agency):
    from io import BytesIO

    from openpyxl import load_workbook

    def rows(client, name):
        response = client.get(reverse(name))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        sheet = load_workbook(BytesIO(body)).active
        return [row for row in sheet.iter_rows(values_only=True) if "Sở Tư pháp" in row]

    own = client_of(attached(personas["staff"], agency))
    other = client_of(outsiders["staff"])
    for name in ("findings:finding-export", "findings:tracker-export"):
        assert rows(own, name), name
        assert not rows(other, name), name


def test_a_new_plan_is_the_users_agencys(client, outsiders, other_agency, agency):
    client.force_login(outsiders["staff"])
    page = client.get(reverse("plans:plan-create")).content.decode()
    assert "Hà Nội" in page
    assert f'value="{agency.pk}"' not in page
    response = client.post(reverse("plans:plan-create"), {"agency": agency.pk, "year": 2024})
    assert response.status_code == 200
    assert "agency" in response.context["form"].errors


def test_reported_remediation_is_announced_to_the_agencys_staff_only(
    rich, personas, outsiders, agency, mailoutbox, django_capture_on_commit_callbacks
):
    own = attached(f.UserFactory(username="cchc2", roles=[Role.STAFF]), agency)
    action = RemediationAction.objects.get(pk=rich.action)
    findings_services.remediation_reject(action=action, comment="Chưa đủ.", actor=own)
    mailoutbox.clear()
    action.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        findings_services.remediation_report(
            action=action, text="Đã bổ sung.", files=[], actor=personas["focal_a"]
        )
    to = {address for message in mailoutbox for address in message.to}
    assert own.email in to
    assert personas["staff"].email in to  # attached to no agency
    assert outsiders["staff"].email not in to


def test_administrators_and_unattached_users_see_every_agency(admin_user, staff, agency):
    assert agency_of(admin_user) is None
    assert agency_of(staff) is None
    attached(staff, agency)
    staff.__dict__.pop("_cchc_roles", None)
    staff.__dict__.pop("_cchc_agency", None)
    assert agency_of(staff) == agency.pk
    attached(admin_user, agency)
    admin_user.__dict__.pop("_cchc_agency", None)
    assert agency_of(admin_user) is None
