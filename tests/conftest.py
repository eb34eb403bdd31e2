"""The personas every view is tested with, and a small world for them to act in.

``world`` holds one 2023 plan with unit A (a department) and unit B (a district), a team
whose member is ``team_member`` and which inspects unit A, and a second team whose member
is ``other_team_member`` and which inspects unit B.
"""

import types

import pytest

from cchc_inspection.roles import Role

from . import factories as f


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 is slow on purpose; the tests hash hundreds of passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as a new server does: rendered parts are kept
    under keys made of primary keys and timestamps, which repeat from one test's database
    to the next (fixed seed keys, frozen clocks)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def agency(db):
    return f.AgencyFactory()


@pytest.fixture
def unit_a(db):
    return f.UnitFactory(name="Sở Tư pháp", category="department")


@pytest.fixture
def unit_b(db):
    return f.UnitFactory(name="Huyện Đông Sơn", category="district")


@pytest.fixture
def staff(db):
    return f.UserFactory(username="cchc", roles=[Role.STAFF])


@pytest.fixture
def leader(db):
    return f.UserFactory(username="lanhdao", roles=[Role.LEADER])


@pytest.fixture
def team_member(db):
    return f.UserFactory(username="doankiemtra", roles=[Role.TEAM_MEMBER])


@pytest.fixture
def other_team_member(db):
    return f.UserFactory(username="doankhac", roles=[Role.TEAM_MEMBER])


@pytest.fixture
def focal_a(db, unit_a):
    user = f.UserFactory(username="sotuphap", roles=[Role.FOCAL])
    f.MembershipFactory(user=user, unit=unit_a)
    return user


@pytest.fixture
def focal_b(db, unit_b):
    user = f.UserFactory(username="dongson", roles=[Role.FOCAL])
    f.MembershipFactory(user=user, unit=unit_b)
    return user


@pytest.fixture
def outsider(db):
    return f.UserFactory(username="nguoingoai")


@pytest.fixture
def admin_user(db):
    return f.UserFactory(username="quantri", is_staff=True, is_superuser=True)


@pytest.fixture
def world(db, agency, unit_a, unit_b, team_member, other_team_member):
    plan = f.PlanFactory(agency=agency)
    outline = f.OutlineFactory(plan=plan)
    section = f.OutlineItemFactory(
        outline=outline, kind="section", label="I", title="CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH", order=1
    )
    heading = f.OutlineItemFactory(
        outline=outline, parent=section, label="1", title="Công tác tuyên truyền", order=2
    )
    indicator = f.IndicatorFactory(item=heading, label="Số văn bản đã ban hành")
    group = f.PlanGroupFactory(plan=plan, order=1)
    entry_a = f.PlanEntryFactory(plan=plan, group=group, unit=unit_a)
    entry_b = f.PlanEntryFactory(plan=plan, group=group, unit=unit_b, order=1)
    team = f.TeamFactory(plan=plan, name="Đoàn kiểm tra số 1")
    f.TeamMemberFactory(team=team, user=team_member, full_name="Lê Văn Đoàn", role="leader")
    other_team = f.TeamFactory(plan=plan, name="Đoàn kiểm tra số 2")
    f.TeamMemberFactory(team=other_team, user=other_team_member, full_name="Phạm Thị Khác")
    inspection_a = f.InspectionFactory(plan=plan, unit=unit_a, team=team)
    inspection_b = f.InspectionFactory(plan=plan, unit=unit_b, team=other_team)
    return types.SimpleNamespace(
        plan=plan,
        outline=outline,
        section=section,
        heading=heading,
        indicator=indicator,
        group=group,
        entry_a=entry_a,
        entry_b=entry_b,
        team=team,
        other_team=other_team,
        inspection_a=inspection_a,
        inspection_b=inspection_b,
    )
