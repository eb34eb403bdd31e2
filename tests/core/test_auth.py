"""Log-in and log-out, in Vietnamese."""

import pytest
from django.urls import reverse

from cchc_inspection.accounts import UserBackend
from cchc_inspection.models import AgencyStaff
from cchc_inspection.roles import Role, agency_of, is_leader, roles_of
from tests import factories as f


def test_login_page_is_vietnamese(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert '<h1 class="h4 mb-1">Đăng nhập</h1>' in html
    assert '<label for="id_username" class="form-label">Tên đăng nhập</label>' in html
    assert '<label for="id_password" class="form-label">Mật khẩu</label>' in html


def test_anonymous_is_sent_to_login_with_next(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=/"
    page = client.get(response["Location"])
    assert "Vui lòng đăng nhập để tiếp tục." in page.content.decode()


def test_wrong_password_shows_vietnamese_error(client, staff):
    response = client.post(reverse("login"), {"username": "cchc", "password": "sai-mat-khau"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in html
    assert 'value="cchc"' in html
    assert "_auth_user_id" not in client.session


def test_empty_form_names_each_missing_field(client, db):
    response = client.post(reverse("login"), {"username": "", "password": ""})

    html = response.content.decode()
    assert "Vui lòng nhập tên đăng nhập." in html
    assert "Vui lòng nhập mật khẩu." in html


def test_inactive_account_cannot_log_in(client, db):
    f.UserFactory(username="danghi", is_active=False)

    response = client.post(reverse("login"), {"username": "danghi", "password": f.PASSWORD})

    assert "_auth_user_id" not in client.session
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_right_password_logs_in_and_follows_next(client, focal_a):
    response = client.post(
        reverse("login"),
        {"username": "sotuphap", "password": f.PASSWORD, "next": "/bao-cao/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/bao-cao/"
    assert client.session["_auth_user_id"] == str(focal_a.pk)


def test_login_refuses_an_outside_next(client, focal_a):
    response = client.post(
        reverse("login"),
        {"username": "sotuphap", "password": f.PASSWORD, "next": "https://example.com/"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_logged_in_user_skips_the_login_page(client, focal_a):
    client.force_login(focal_a)

    response = client.get(reverse("login"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_logout_button_is_a_post_form(client, focal_a):
    client.force_login(focal_a)

    html = client.get(reverse("home"), follow=True).content.decode()

    assert f'<form method="post" action="{reverse("logout")}"' in html
    assert "Đăng xuất</button>" in html


def test_logout_ends_the_session(client, focal_a):
    client.force_login(focal_a)

    response = client.post(reverse("logout"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert "Bạn đã đăng xuất khỏi hệ thống." in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_logout_refuses_get(client, focal_a):
    client.force_login(focal_a)

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(focal_a.pk)


# --- The user of each request (accounts.UserBackend) ----------------------------------------


def test_each_request_reads_the_user_with_roles_and_agency_in_one_query(
    django_assert_num_queries, staff, agency
):

    AgencyStaff.objects.create(user=staff, agency=agency)
    staff.groups.add(f.UserFactory(username="lanhdao2", roles=[Role.LEADER]).groups.get())
    with django_assert_num_queries(1):
        user = UserBackend().get_user(staff.pk)
        assert (user.username, agency_of(user), is_leader(user)) == ("cchc", agency.pk, True)
        assert roles_of(user) == {Role.STAFF, Role.LEADER}
    assert user.get_session_auth_hash() == staff.get_session_auth_hash()


def test_an_inactive_or_deleted_user_is_signed_out(client, staff):
    client.force_login(staff)
    assert client.get(reverse("home")).status_code == 302
    staff.is_active = False
    staff.save()
    assert client.get(reverse("findings:dashboard"))["Location"].startswith(reverse("login"))
    assert UserBackend().get_user(staff.pk) is None
    assert UserBackend().get_user(staff.pk + 1000) is None


def test_a_user_of_no_group_has_no_role(db):

    user = UserBackend().get_user(f.UserFactory(username="khongvaitro").pk)
    assert roles_of(user) == frozenset() and agency_of(user) is None
