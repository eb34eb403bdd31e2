"""The main pages make the same number of queries whatever the size of the data.

One generated province (``generate_scale_data --size small``) is measured, then a second
province ten times its size is generated beside it and the same pages of that province
are measured: every page must make exactly as many queries as before.
"""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cchc_inspection.models import Agency
from findings.models import Finding, RemediationAction
from findings.scale import SIZES, Generator, sample_pages
from plans.models import Inspection

PAGES = [
    "Tổng quan (dashboard)",
    "Trang kế hoạch",
    "Trang cuộc kiểm tra",
    "Xem xét báo cáo",
    "Báo cáo của đơn vị (biểu mẫu)",
    "Sổ kết quả, lọc theo loại",
    "Sổ kết quả, lọc năm và tìm kiếm",
    "Theo dõi khắc phục, quá hạn",
    "Trang chủ của đơn vị",
]


@pytest.fixture
def media(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def measure(client, agency):
    counts = {}
    for label, url, user in sample_pages(agency):
        client.force_login(user)
        client.get(url)  # caches filled once per process (content types, templates)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (label, url)
        counts[label] = len(queries)
    return counts


def generated(size, first_province):
    generator = Generator(size, first_province=first_province)
    generator.run()
    return generator.agencies[0]


def test_main_pages_make_as_many_queries_with_ten_times_the_data(client, media):
    small = measure(client, generated(SIZES["small"], 0))
    before = Finding.objects.count(), Inspection.objects.count()
    large = measure(client, generated(SIZES["small"].scaled(10), 1))
    # The second province really is about ten times the first.
    assert Inspection.objects.count() - before[1] >= 9 * before[1]
    assert Finding.objects.count() - before[0] >= 10 * before[0]
    assert list(small) == PAGES
    assert large == small


def test_generated_data_covers_every_status_and_overdue_and_on_time_actions(media):
    generated(SIZES["small"], 0)
    statuses = set(Inspection.objects.values_list("status", flat=True))
    assert statuses == set(Inspection.Status.values)
    actions = RemediationAction.objects.all()
    assert actions.overdue().exists()
    assert actions.exclude(status="verified").filter(deadline__gte=Generator(SIZES["small"]).today)
    assert set(actions.values_list("status", flat=True)) == set(RemediationAction.Status.values)


def test_command_refuses_a_second_run_over_the_same_provinces(media, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("generate_scale_data", "--size", "small", stdout=out)
    assert Agency.objects.filter(code__startswith="SNV-").count() == 1
    assert "findings.Finding" in out.getvalue()  # the table of rows and seconds
    with pytest.raises(CommandError, match="đã có dữ liệu sinh tự động"):
        call_command("generate_scale_data", "--size", "small", stdout=out)


def test_command_refuses_when_debug_is_off(media, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG đang tắt"):
        call_command("generate_scale_data", "--size", "small", stdout=io.StringIO())
    assert not Agency.objects.exists()
