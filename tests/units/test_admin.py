"""Unit admin: diacritic-insensitive search (list and autocomplete) and Excel import
and export through django-import-export, with the same cleaning as the staff page."""

import unicodedata

import pytest
from django.urls import reverse

from tests import factories as f
from units.models import Unit

from .xlsx import make_xlsx, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(db):
    return (
        f.UnitFactory(name="Thành phố Thanh Hóa", category="district"),
        f.UnitFactory(name="Huyện Quan Hóa", category="district"),
        f.UnitFactory(name="Huyện Đông Sơn", category="district"),
    )


@pytest.mark.parametrize(
    "term",
    ["thanh hoa", "Thanh Hoá", "THANH HÓA", unicodedata.normalize("NFD", "thành phố thanh hoá")],
)
def test_changelist_search_ignores_diacritics(client, admin_user, units, term):
    client.force_login(admin_user)
    response = client.get(reverse("admin:units_unit_changelist"), {"q": term})
    found = list(response.context["cl"].result_list)
    assert found == [units[0]]


def test_autocomplete_search_ignores_diacritics(client, admin_user, units):
    client.force_login(admin_user)
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "dong son",
            "app_label": "units",
            "model_name": "membership",
            "field_name": "unit",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Huyện Đông Sơn"]


def test_inspection_admin_search_by_unit_name(client, admin_user, world):
    client.force_login(admin_user)
    response = client.get(reverse("admin:plans_inspection_changelist"), {"q": "so tu phap"})
    assert list(response.context["cl"].result_list) == [world.inspection_a]


def _import(client, data):
    response = client.post(
        reverse("admin:units_unit_import"),
        {"resource": "0", "format": "0", "import_file": upload(data)},
    )
    assert response.status_code == 200
    return response


def test_admin_import_of_a_real_sheet(client, admin_user, units):
    client.force_login(admin_user)
    data = make_xlsx(
        [
            ["DANH MỤC ĐƠN VỊ", None, None],
            [None, None, None],
            ["TT", "Tên cơ quan, đơn vị ", "Loại"],
            [1, "Thành phố Thanh Hoá ", "UBND cấp huyện"],
            [None, None, None],
            [2, unicodedata.normalize("NFD", "Sở Tư pháp"), "Sở, ngành cấp tỉnh"],
        ],
        merges=["A1:C1"],
    )
    response = _import(client, data)
    confirm = response.context["confirm_form"]
    assert confirm is not None, response.context["result"].invalid_rows
    response = client.post(reverse("admin:units_unit_process_import"), confirm.initial)
    assert response.status_code == 302
    assert Unit.objects.count() == 4  # one new unit; Thanh Hoá matched Thanh Hóa
    assert Unit.objects.filter(name="Sở Tư pháp").exists()


def test_admin_import_with_a_bad_row_offers_no_confirmation(client, admin_user):
    client.force_login(admin_user)
    data = make_xlsx(
        [
            ["Tên cơ quan, đơn vị", "Loại"],
            ["Sở Tư pháp", "Sở, ngành cấp tỉnh"],
            ["Huyện Đông Sơn", "Tỉnh"],
        ]
    )
    response = _import(client, data)
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert "“Tỉnh” không hợp lệ" in response.content.decode()
    assert not Unit.objects.exists()


def test_admin_import_names_an_unreadable_sheet(client, admin_user):
    client.force_login(admin_user)
    response = _import(client, make_xlsx([["Họ tên", "Chức vụ"]]))
    assert "Không tìm thấy dòng tiêu đề có các cột" in response.content.decode()


def test_admin_export_keeps_typed_text(client, admin_user):
    from io import BytesIO

    import openpyxl

    f.UnitFactory(name="Sở Tư pháp", category="department", head_name="=HYPERLINK(1)")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:units_unit_export"),
        {
            "resource": "0",
            "format": "0",
            **{f"unitresource_{n}": "on" for n in ("name", "head_name")},
        },
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Tên cơ quan, đơn vị"
    cell = next(c for c in sheet[2] if c.value == "=HYPERLINK(1)")
    assert cell.data_type == "s"
