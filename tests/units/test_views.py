"""The roster pages: list with diacritic-insensitive search, Excel export and import."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f
from units.models import Unit

from .xlsx import make_xlsx, read_xlsx, row_starting, upload

pytestmark = pytest.mark.django_db

PAGES = ["units:unit-list", "units:unit-export", "units:unit-import"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES)
def test_focal_person_and_team_member_are_refused(client, focal_a, team_member, name):
    for user in (focal_a, team_member):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403


def test_list_search_ignores_diacritics_and_tone_placement(client, staff):
    f.UnitFactory(name="Thành phố Thanh Hóa", category="district")
    f.UnitFactory(name="Huyện Đông Sơn", category="district")
    client.force_login(staff)
    for term in ("thanh hoa", "Thanh Hoá", "THANH HÓA"):
        response = client.get(reverse("units:unit-list"), {"q": term})
        content = response.content.decode()
        assert "Thành phố Thanh Hóa" in content, term
        assert "Huyện Đông Sơn" not in content


def test_list_query_count_does_not_grow(client, staff):
    client.force_login(staff)
    parent = f.UnitFactory(name="Huyện Đông Sơn", category="district")
    f.UnitFactory.create_batch(2, category="commune", parent=parent)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("units:unit-list")).status_code == 200
    f.UnitFactory.create_batch(30, category="commune", parent=parent)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("units:unit-list")).status_code == 200
    assert len(large) == len(small)


def test_export_holds_the_roster_with_the_list_filters(client, staff):
    parent = f.UnitFactory(name="Huyện Đông Sơn", category="district")
    f.UnitFactory(name="Xã Đông Hoàng", category="commune", parent=parent, phone="=1+2")
    f.UnitFactory(name="Sở Tư pháp", category="department")
    client.force_login(staff)
    response = client.get(reverse("units:unit-export"), {"q": "dong"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="danh-muc-don-vi-')
    sheet, rows = read_xlsx(response)
    assert rows[0][0] == "DANH MỤC CƠ QUAN, ĐƠN VỊ"
    assert rows[2][:4] == ("TT", "Tên cơ quan, đơn vị", "Loại", "Loại đơn vị cấp xã")
    commune = row_starting(rows, 2, "Xã Đông Hoàng")
    assert commune[2] == "UBND cấp xã"
    assert commune[4] == "Huyện Đông Sơn"
    # A typed value that looks like a formula stays text.
    phone = sheet.cell(row=rows.index(commune) + 1, column=8)
    assert phone.value == "=1+2" and phone.data_type == "s"
    assert all(row[1] != "Sở Tư pháp" for row in rows)
    assert sheet.freeze_panes == "C4"


def test_exported_roster_imports_back_unchanged(client, staff):
    f.UnitFactory(name="Sở Tư pháp", category="department", email="stp@thanhhoa.gov.vn")
    client.force_login(staff)
    content = b"".join(client.get(reverse("units:unit-export")).streaming_content)
    response = client.post(reverse("units:unit-import"), {"file": upload(content)})
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == "Đã nhập danh mục: thêm mới 0, cập nhật 0, không đổi 1 cơ quan, đơn vị."


def test_import_page_imports_a_clean_file(client, staff):
    client.force_login(staff)
    assert client.get(reverse("units:unit-import")).status_code == 200
    data = make_xlsx([["Tên cơ quan, đơn vị", "Loại"], ["Sở Tư pháp", "Sở, ngành cấp tỉnh"]])
    response = client.post(reverse("units:unit-import"), {"file": upload(data)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("units:unit-list")
    assert "thêm mới 1" in response.content.decode()
    assert Unit.objects.filter(name="Sở Tư pháp").exists()


def test_import_page_shows_bad_rows_and_saves_nothing(client, staff):
    client.force_login(staff)
    data = make_xlsx(
        [
            ["Tên cơ quan, đơn vị", "Loại"],
            ["Sở Tư pháp", "Sở, ngành cấp tỉnh"],
            ["Huyện Đông Sơn", "Tỉnh"],
        ]
    )
    response = client.post(reverse("units:unit-import"), {"file": upload(data)})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Chưa nhập dòng nào" in content
    assert '<td class="text-nowrap">3</td>' in content
    assert "“Tỉnh” không hợp lệ" in content
    assert not Unit.objects.exists()


def test_import_page_refuses_other_file_types(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("units:unit-import"), {"file": upload(b"a;b", name="danh-muc.csv")}
    )
    assert response.status_code == 200
    assert "Chỉ nhận tệp Excel định dạng .xlsx." in response.content.decode()
    assert not Unit.objects.exists()


def test_list_pages_link_to_their_excel_downloads(client, staff, world):
    client.force_login(staff)
    pages = {
        reverse("units:unit-list") + "?q=thanh": reverse("units:unit-export") + "?q=thanh",
        reverse("plans:plan-appendix", args=[world.plan.pk]): reverse(
            "plans:appendix-export", args=[world.plan.pk]
        ),
        reverse("plans:plan-detail", args=[world.plan.pk]): reverse(
            "reports:matrix-export", args=[world.plan.pk]
        ),
        reverse("findings:finding-list") + "?kind=violation": reverse("findings:finding-export")
        + "?kind=violation",
        reverse("findings:tracker") + "?overdue=1": reverse("findings:tracker-export")
        + "?overdue=1",
    }
    for page, download in pages.items():
        content = client.get(page).content.decode()
        assert f'href="{download}"' in content, page
    appendix = client.get(reverse("plans:plan-appendix", args=[world.plan.pk])).content.decode()
    assert reverse("plans:appendix-import", args=[world.plan.pk]) in appendix
