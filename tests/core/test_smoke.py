import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_world_builds(world):
    assert world.inspection_a.unit.name == "Sở Tư pháp"


def test_login_page_is_vietnamese(client, db):
    response = client.get(reverse("login"))
    assert "Đăng nhập" in response.content.decode()
