"""An issued document's PDF is stored when it is issued, and downloads serve those bytes."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from findings import services as findings_services
from plans import services as plan_services
from plans.models import Inspection
from tests import factories as f
from tests.core.test_documents import seed_world

ISSUED_ON = datetime.date(2023, 7, 3)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def assert_stored(document, media, client, user, url_name):
    document.refresh_from_db()
    assert document.pdf and len(document.pdf_sha256) == 64
    stored = (media / document.pdf.name).read_bytes()
    assert stored.startswith(b"%PDF-")
    assert hashlib.sha256(stored).hexdigest() == document.pdf_sha256
    client.force_login(user)
    response = client.get(reverse(url_name, args=[document.pk]))
    assert response.status_code == 200
    assert response.content == stored
    assert response["Content-Disposition"].startswith("attachment;")


def test_plan_and_team_decision_are_stored_when_issued(
    client, media, leader, staff, django_capture_on_commit_callbacks
):
    world = seed_world(issue_plan=False)
    with django_capture_on_commit_callbacks(execute=True):
        plan = plan_services.plan_issue(plan=world.plan, actor=leader, issued_on=ISSUED_ON)
    assert_stored(plan, media, client, staff, "plans:plan-pdf")

    with django_capture_on_commit_callbacks(execute=True):
        team = plan_services.team_decision_issue(team=world.team, actor=leader, issued_on=ISSUED_ON)
    assert_stored(team, media, client, staff, "plans:team-pdf")


def test_conclusion_is_stored_when_issued(
    client, media, leader, staff, django_capture_on_commit_callbacks
):
    world = seed_world()
    Inspection.objects.filter(pk=world.inspection.pk).update(status=Inspection.Status.REVIEWED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        conclusion = findings_services.conclusion_issue(
            conclusion=world.conclusion, actor=leader, issued_on=ISSUED_ON
        )
    assert callbacks  # the PDF was made after the commit, not inside the transaction
    assert_stored(conclusion, media, client, staff, "findings:conclusion-pdf")


def test_nothing_is_stored_when_the_issue_is_refused(
    media, staff, agency, django_capture_on_commit_callbacks
):
    plan = f.PlanFactory(agency=agency)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(PermissionDenied, match="Lãnh đạo"),
    ):
        plan_services.plan_issue(plan=plan, actor=staff)
    assert callbacks == []
    plan.refresh_from_db()
    assert not plan.pdf and not list(media.rglob("*.pdf"))
