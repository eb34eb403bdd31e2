"""Two staff acting on the same remediation action: the second decision, taken on a page
older than the action, is refused with a message, and nothing either typed is lost."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from findings import services
from findings.models import Conclusion, RemediationAction
from plans.models import Inspection
from tests import factories as f

TODAY = timezone.localdate()


@pytest.fixture
def action(world, staff):
    Inspection.objects.filter(pk=world.inspection_a.pk).update(status=Inspection.Status.REMEDIATING)
    conclusion = f.ConclusionFactory(
        inspection=world.inspection_a,
        status=Conclusion.Status.ISSUED,
        number=3,
        issued_on=TODAY,
        created_by=staff,
    )
    return f.RemediationActionFactory(
        conclusion=conclusion,
        item=world.heading,
        deadline=TODAY + datetime.timedelta(days=10),
        status=RemediationAction.Status.REPORTED,
        unit_report="Đã ban hành kế hoạch tuyên truyền.",
    )


@pytest.fixture
def colleague(db):
    from cchc_inspection.roles import Role

    return f.UserFactory(username="cchc2", roles=[Role.STAFF])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_verify_over_a_newer_extension_is_refused(client, action, staff, colleague):
    opened = action.version  # both staff have the tracker open
    services.remediation_extend(
        action=action,
        new_deadline=action.deadline + datetime.timedelta(days=15),
        reason="Đơn vị xin thêm thời gian",
        actor=colleague,
        version=opened,
    )
    client.force_login(staff)
    response = client.post(
        reverse("findings:action-verify", args=[action.pk]),
        {"comment": "Đạt yêu cầu, đã kiểm tra văn bản", "version": opened},
    )
    assert response.status_code == 302
    text = " ".join(messages_of(response))
    assert "vừa được cập nhật sau khi bạn mở trang" in text
    assert "Ý kiến bạn đã nhập: “Đạt yêu cầu, đã kiểm tra văn bản”" in text
    action.refresh_from_db()
    assert action.status == RemediationAction.Status.REPORTED
    assert action.review_comment == "" and action.version == opened + 1
    assert action.extensions.count() == 1  # the colleague's extension stands


def test_reject_over_a_newer_verification_is_refused(client, action, staff, colleague):
    opened = action.version
    services.remediation_verify(action=action, comment="Đạt", actor=colleague, version=opened)
    client.force_login(staff)
    response = client.post(
        reverse("findings:action-reject", args=[action.pk]),
        {"comment": "Chưa đủ tài liệu", "version": opened},
    )
    assert "vừa được cập nhật" in " ".join(messages_of(response))
    action.refresh_from_db()
    assert action.status == RemediationAction.Status.VERIFIED
    assert action.review_comment == "Đạt"


def test_tracker_form_carries_the_version(client, action, staff):
    client.force_login(staff)
    body = client.get(reverse("findings:tracker")).content.decode()
    assert f'name="version" value="{action.version}"' in body
    response = client.post(
        reverse("findings:action-verify", args=[action.pk]),
        {"comment": "Đạt", "version": action.version},
    )
    assert "Đã xác nhận hoàn thành khắc phục." in messages_of(response)
    action.refresh_from_db()
    assert action.status == RemediationAction.Status.VERIFIED


def test_extend_page_keeps_the_input_and_lets_a_second_send_through(
    client, action, staff, colleague
):
    client.force_login(staff)
    url = reverse("findings:action-extend", args=[action.pk])
    page = client.get(url)
    opened = page.context["form"]["version"].value()
    assert opened == action.version
    services.remediation_verify(action=action, comment="", actor=colleague, version=opened)
    RemediationAction.objects.filter(pk=action.pk).update(status=RemediationAction.Status.OPEN)
    new_deadline = (action.deadline + datetime.timedelta(days=20)).isoformat()
    data = {"new_deadline": new_deadline, "reason": "Chờ kinh phí năm sau", "version": opened}
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "vừa được cập nhật sau khi bạn mở trang" in body
    assert "Chờ kinh phí năm sau" in body and new_deadline in body
    action.refresh_from_db()
    assert action.extensions.count() == 0
    # The form now carries the current version: sending it again is a deliberate choice.
    assert response.context["form"]["version"].value() == action.version
    data["version"] = action.version
    assert client.post(url, data).status_code == 302
    action.refresh_from_db()
    assert action.extensions.count() == 1 and action.deadline.isoformat() == new_deadline
