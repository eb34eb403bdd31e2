"""Plan admin: constraints refuse duplicates with a clear message; Phụ lục 1 imports
through django-import-export into the draft plan chosen on the form."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from plans.models import InspectionPlan, PlanEntry, TeamMember
from tests import factories as f
from tests.units.xlsx import make_xlsx, upload

pytestmark = pytest.mark.django_db


def test_one_entry_per_unit_per_plan(world):
    duplicate = PlanEntry(plan=world.plan, group=world.group, unit=world.entry_a.unit)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Đơn vị này đã có trong Phụ lục 1 của kế hoạch." in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_admin_refuses_a_duplicate_entry_with_the_message(client, admin_user, world):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:plans_planentry_add"),
        {
            "plan": world.plan.pk,
            "group": world.group.pk,
            "unit": world.entry_a.unit.pk,
            "order": 3,
            "expected_period": "",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "Đơn vị này đã có trong Phụ lục 1 của kế hoạch." in response.content.decode()
    assert PlanEntry.objects.filter(plan=world.plan).count() == 2


def test_a_person_sits_on_a_team_once(world, team_member):
    by_user = TeamMember(team=world.team, user=team_member, full_name="Lê Văn Khác", role="member")
    with pytest.raises(ValidationError) as error:
        by_user.full_clean()
    assert "Người này đã là thành viên của đoàn." in error.value.messages
    by_name = TeamMember(team=world.team, full_name="Lê Văn Đoàn", role="member")
    with pytest.raises(ValidationError) as error:
        by_name.full_clean()
    assert "Người này đã là thành viên của đoàn." in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        by_user.save()
    # The same person may sit on another team.
    TeamMember(
        team=world.other_team, user=team_member, full_name="Lê Văn Đoàn", role="member"
    ).full_clean()


def test_admin_refuses_a_person_twice_in_the_team_inline(client, admin_user, world, team_member):
    client.force_login(admin_user)
    url = reverse("admin:plans_inspectionteam_change", args=[world.team.pk])
    member = world.team.members.get()
    data = {
        "plan": world.plan.pk,
        "name": world.team.name,
        "symbol": world.team.symbol,
        "legal_basis": "",
        "duties": "",
        "executors": "",
        "issued_on": "",
        "signer_authority": "",
        "signer_title": "",
        "signer_name": "",
        "members-TOTAL_FORMS": "2",
        "members-INITIAL_FORMS": "1",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "members-0-id": member.pk,
        "members-0-team": world.team.pk,
        "members-0-order": "0",
        "members-0-full_name": member.full_name,
        "members-0-user": team_member.pk,
        "members-0-role": "leader",
        "members-1-team": world.team.pk,
        "members-1-order": "1",
        "members-1-full_name": "Lê Văn Đoàn",
        "members-1-role": "member",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Người này đã là thành viên của đoàn." in content
    assert world.team.members.count() == 1


def test_entry_inline_offers_only_the_plans_groups(client, admin_user, world, agency):
    other = f.PlanGroupFactory(plan=f.PlanFactory(agency=agency, year=2024), title="Nhóm khác")
    client.force_login(admin_user)
    response = client.get(reverse("admin:plans_inspectionplan_change", args=[world.plan.pk]))
    [entries] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is PlanEntry
    ]
    groups = list(entries.form.base_fields["group"].queryset)
    assert groups == [world.group] and other not in groups


def test_admin_import_of_phu_luc_1_into_a_draft_plan(client, admin_user, world, agency):
    target = f.PlanFactory(agency=agency, title="Kế hoạch mới")
    f.UnitFactory(name="Thành phố Thanh Hóa", category="district")
    issued = f.PlanFactory(agency=agency, year=2022)
    InspectionPlan.objects.filter(pk=issued.pk).update(status=InspectionPlan.Status.ISSUED)
    data = make_xlsx(
        [
            ["Phụ lục 1"],
            ["TT", "Các cơ quan, đơn vị", "Thời gian dự kiến", "Ghi chú"],
            ["I", "UBND cấp huyện", None, None],
            [1, "Thành phố Thanh Hoá", "Trong năm 2023", None],
            [2, "huyện đông sơn", None, None],
        ],
        merges=["C4:C5"],
    )
    client.force_login(admin_user)
    page = client.get(reverse("admin:plans_planentry_import"))
    plans = list(page.context["form"].fields["plan"].queryset)
    assert target in plans and issued not in plans
    response = client.post(
        reverse("admin:plans_planentry_import"),
        {"plan": target.pk, "resource": "0", "format": "0", "import_file": upload(data)},
    )
    confirm = response.context["confirm_form"]
    assert confirm is not None, response.context["result"].invalid_rows
    response = client.post(reverse("admin:plans_planentry_process_import"), confirm.initial)
    assert response.status_code == 302
    rows = target.entries.select_related("unit", "group").order_by("order")
    assert [(e.unit.name, e.group.title, e.period) for e in rows] == [
        ("Thành phố Thanh Hóa", "UBND cấp huyện", "Trong năm 2023"),
        ("Huyện Đông Sơn", "UBND cấp huyện", "Trong năm 2023"),
    ]
    assert world.plan.entries.count() == 2  # the other plan is untouched
