"""`manage.py create_demo_users`: one account per persona, for local trials only."""

import datetime
import types
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from cchc_inspection.roles import GROUP_NAMES, Role, has_role, is_staff_side
from tests import factories as f
from units.models import Membership

User = get_user_model()
USERNAMES = {"cchc", "lanhdao", "doankiemtra", "sotuphap", "dongson", "quantri"}


@pytest.fixture
def seed_units(db):
    return types.SimpleNamespace(
        tu_phap=f.UnitFactory(name="Sở Tư pháp", category="department"),
        dong_son=f.UnitFactory(name="Huyện Đông Sơn", category="district"),
    )


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("create_demo_users", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_refused_when_debug_is_off(seed_units, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG đang tắt.*--force"):
        run()
    assert not User.objects.exists()


def test_force_creates_one_account_per_persona(seed_units, settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)

    out, err = run("--force")

    assert set(User.objects.values_list("username", flat=True)) == USERNAMES
    assert "Mật khẩu chung: KiemTra@2023" in out
    assert err == ""
    for user in User.objects.all():
        assert user.check_password("KiemTra@2023")
        assert user.first_name and user.last_name and user.email
    cchc = User.objects.get(username="cchc")
    assert (cchc.last_name, cchc.first_name) == ("Nguyễn", "Thị Hương")


def test_each_account_has_its_role(seed_units, settings):
    settings.DEBUG = True

    run()

    users = {user.username: user for user in User.objects.all()}
    assert is_staff_side(users["cchc"]) and not has_role(users["cchc"], Role.LEADER)
    assert has_role(users["lanhdao"], Role.LEADER)
    assert has_role(users["doankiemtra"], Role.TEAM_MEMBER)
    assert not is_staff_side(users["doankiemtra"])
    for name in ("sotuphap", "dongson"):
        assert list(users[name].groups.values_list("name", flat=True)) == [GROUP_NAMES[Role.FOCAL]]
    admin = users["quantri"]
    assert admin.is_superuser and admin.is_staff
    assert not any(users[name].is_staff for name in USERNAMES - {"quantri"})


def test_focal_persons_answer_for_their_units(seed_units, settings):
    settings.DEBUG = True

    run()

    assert [m.unit for m in Membership.objects.filter(user__username="sotuphap")] == [
        seed_units.tu_phap
    ]
    assert [m.unit for m in Membership.objects.filter(user__username="dongson")] == [
        seed_units.dong_son
    ]


def test_unit_is_found_ignoring_tone_placement_and_prefers_the_current_one(db, settings):
    settings.DEBUG = True
    old = f.UnitFactory(
        name="Sở Tư pháp", valid_from=datetime.date(2000, 1, 1), valid_to=datetime.date(2010, 1, 1)
    )
    current = f.UnitFactory(name="Sở Tư Pháp", valid_from=datetime.date(2010, 1, 2))
    # A district abolished on 1 July 2025 is still the unit its 2023 inspection is about.
    dong_son = f.UnitFactory(
        name="Huyện Đông Sơn", category="district", valid_to=datetime.date(2025, 6, 30)
    )

    run()

    membership = Membership.objects.get(user__username="sotuphap")
    assert membership.unit == current != old
    assert Membership.objects.get(user__username="dongson").unit == dong_son


def test_rerun_updates_without_duplicating(seed_units, settings, monkeypatch):
    settings.DEBUG = True
    run()
    cchc = User.objects.get(username="cchc")
    cchc.first_name = "Tên đã đổi"
    cchc.save()
    cchc.groups.add(Group.objects.get(name=GROUP_NAMES[Role.LEADER]))
    monkeypatch.setenv("DEMO_PASSWORD", "MatKhau#Moi2024")

    out, _ = run()

    assert User.objects.count() == len(USERNAMES)
    assert Membership.objects.count() == 2
    cchc.refresh_from_db()
    assert cchc.first_name == "Thị Hương"
    assert not has_role(User.objects.get(pk=cchc.pk), Role.LEADER)
    assert cchc.check_password("MatKhau#Moi2024")
    assert "Đã tạo 0 và cập nhật 6 tài khoản thử nghiệm." in out
    assert "MatKhau#Moi2024" not in out


def test_weak_demo_password_is_refused(seed_units, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_PASSWORD", "12345678")

    with pytest.raises(CommandError, match="DEMO_PASSWORD không đạt yêu cầu"):
        run()
    assert not User.objects.exists()


def test_missing_seed_units_are_reported(db, settings):
    settings.DEBUG = True

    out, err = run()

    assert "Chưa có đơn vị “Sở Tư pháp”" in err
    assert "Chưa có đơn vị “Huyện Đông Sơn”" in err
    assert "loaddata thanh_hoa_2023" in err
    assert "(chưa gắn đơn vị)" in out
    assert not Membership.objects.exists()
