"""What the unit's report pages read of their inspection: only the columns they show
(``reports.access.REPORT_PAGE_FIELDS``), never a column left out and then loaded behind the
page's back, one hidden query at a time."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models.query_utils import DeferredAttribute
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import InspectionPlan
from reports import access, figures
from reports.models import IndicatorValue
from tests import factories as f
from units.models import Unit

from .test_portal import FETCH, edit_url, item_post, request_report, save_url


@pytest.fixture
def report_a(world):
    return request_report(world.inspection_a)


@pytest.fixture
def late_loads(monkeypatch):
    """The fields read from the database after their row was loaded without them."""
    loads = []
    original = DeferredAttribute.__get__

    def get(self, instance, cls=None):
        if instance is not None and self.field.attname not in instance.__dict__:
            loads.append(f"{type(instance).__name__}.{self.field.attname}")
        return original(self, instance, cls)

    monkeypatch.setattr(DeferredAttribute, "__get__", get)
    return loads


def test_the_inspection_is_read_without_the_plan_text_agency_or_team(world, report_a, focal_a):
    with CaptureQueriesContext(connection) as queries:
        inspection, can_edit = access.get_report_inspection(focal_a, world.inspection_a.pk)
    sql = queries[-1]["sql"]
    assert "legal_basis" not in sql and '"logistics_notes"' not in sql
    assert "cchc_inspection_agency" not in sql and "plans_inspectionteam" not in sql
    assert can_edit and str(inspection.unit) == world.inspection_a.unit.name
    assert inspection.plan.outline.title == world.outline.title


def test_every_report_page_shows_without_a_late_load(client, world, report_a, focal_a, late_loads):
    client.force_login(focal_a)
    pk = world.inspection_a.pk
    upload = reverse("reports:evidence-upload", args=[pk])
    value = reverse("reports:value-save", args=[pk, world.indicator.pk])
    submit = reverse("reports:report-submit", args=[pk])
    save = save_url(world.inspection_a, world.heading)
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1")
    answers = [
        client.get(edit_url(world.inspection_a)),
        client.post(save, item_post(world, "Có", "7")),
        client.post(save, item_post(world, "", "bảy")),
        client.post(save, item_post(world), **FETCH),  # a stale version: theirs and yours
        client.post(save, item_post(world, "Có.", "7", 1, 1), **FETCH),
        client.post(value, {"value": "8", "version": 1}, **FETCH),
        client.get(upload),
        client.post(upload, {"files": [pdf], "items": [world.heading.pk]}),
        client.get(f"{edit_url(world.inspection_a)}?phan=tai-lieu"),
        client.post(submit),
        client.get(edit_url(world.inspection_a)),
    ]
    expected = [200, 302, 400, 409, 200, 200, 200, 302, 200, 302, 200]
    assert [r.status_code for r in answers] == expected
    assert "Đã nộp" in answers[-1].content.decode()
    assert late_loads == []


def test_the_district_reads_a_commune_report_without_a_late_load(
    client, world, focal_b, unit_b, late_loads
):
    commune = f.UnitFactory(name="Xã Đông Hòa", category=Unit.Category.COMMUNE, parent=unit_b)
    inspection = f.InspectionFactory(plan=world.plan, unit=commune)
    IndicatorValue.objects.create(
        report=request_report(inspection), indicator=world.indicator, value=3
    )
    client.force_login(focal_b)
    body = client.get(edit_url(inspection)).content.decode()
    assert "Chỉ xem" in body and "Xã Đông Hòa" in body
    assert late_loads == []


def test_the_issued_outline_of_a_report_page_is_read_from_memory(
    world, report_a, focal_a, django_assert_num_queries
):
    InspectionPlan.objects.filter(pk=world.plan.pk).update(status=InspectionPlan.Status.ISSUED)
    inspection, _ = access.get_report_inspection(focal_a, world.inspection_a.pk)
    figures.outline_parts(inspection.plan.outline)
    again, _ = access.get_report_inspection(focal_a, world.inspection_a.pk)
    with django_assert_num_queries(0):
        figures.outline_parts(again.plan.outline)
