"""Journey 3: the administrator imports a unit roster in Django admin. A file with one bad
row names that row and imports nothing; the corrected file imports every row."""

import pytest
from playwright.sync_api import expect

from units.models import Unit

from .helpers import file_payload, xlsx_bytes

pytestmark = pytest.mark.e2e

HEADER = ["TT", "Tên cơ quan, đơn vị", "Loại", "Đơn vị cấp trên", "Người đứng đầu"]
NEW_UNITS = ["Sở Khoa học và Công nghệ", "Ban Quản lý Khu kinh tế Nghi Sơn", "Xã Đông Hòa"]


def roster(category_of_bad_row):
    return xlsx_bytes(
        [
            ["DANH MỤC CƠ QUAN, ĐƠN VỊ"],
            [],
            HEADER,
            [1, NEW_UNITS[0], "Sở, ngành cấp tỉnh", None, "Lê Văn Thành"],
            [2, NEW_UNITS[1], category_of_bad_row, None, "Mai Xuân Liêm"],
            [3, NEW_UNITS[2], "UBND cấp xã", "Huyện Đông Sơn", "Nguyễn Văn Hùng"],
        ]
    )


def upload(page, data, name):
    page.goto("/quan-tri/units/unit/")
    page.locator("a.import_link").click()
    page.locator("input[type=file][name=import_file]").set_input_files(file_payload(name, data))
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_roster_import_names_the_bad_row_then_imports_the_corrected_file(app, open_page):
    before = Unit.objects.count()
    admin = open_page("quantri")

    upload(admin, roster("Ban quản lý"), "danh-muc-loi.xlsx")
    bad_rows = admin.locator("#content tr").filter(has=admin.locator("td.errors"))
    expect(bad_rows).to_have_count(1)
    expect(bad_rows).to_contain_text(NEW_UNITS[1])
    bad_rows.locator(".validation-error-count").hover()
    reason = bad_rows.locator(".validation-error-list")
    expect(reason).to_be_visible()
    expect(reason).to_contain_text("“Ban quản lý” không hợp lệ; chọn một trong: Sở, ngành cấp tỉnh")
    expect(admin.locator("form[action*='process_import']")).to_have_count(0)
    assert Unit.objects.count() == before
    assert not Unit.objects.filter(name__in=NEW_UNITS).exists()

    upload(admin, roster("Sở, ngành cấp tỉnh"), "danh-muc.xlsx")
    confirm = admin.locator("form[action*='process_import']")
    expect(confirm).to_have_count(1)
    expect(admin.locator("#content tr").filter(has=admin.locator("td.errors"))).to_have_count(0)
    confirm.locator("[type=submit]").click()
    admin.wait_for_load_state()
    expect(admin.locator(".messagelist, .alert").first).to_be_visible()
    assert Unit.objects.count() == before + 3
    commune = Unit.objects.get(name="Xã Đông Hòa")
    assert commune.parent.name == "Huyện Đông Sơn"
    assert commune.head_name == "Nguyễn Văn Hùng"
