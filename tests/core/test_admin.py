"""Django admin: every model's list, add and change pages open for an administrator;
the registers written by the application are read-only; the agency is editable."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cchc_inspection.models import (
    Agency,
    AgencyStaff,
    RegisterCounter,
    RegisterEntry,
    StatusLog,
    TableVersion,
)
from findings.models import (
    DeadlineExtension,
    RemediationProof,
    SiteVisitMinutes,
)
from reports.models import (
    Evidence,
    Footnote,
    IndicatorRule,
    IndicatorValue,
    ItemAnswer,
    ReviewComment,
)
from tests import factories as f

APPS = {"cchc_inspection", "units", "plans", "reports", "findings"}
READ_ONLY = {RegisterEntry, RegisterCounter, StatusLog, DeadlineExtension, TableVersion}
MODELS = sorted(
    (m for m in admin.site._registry if m._meta.app_label in APPS),
    key=lambda m: m._meta.label,
)


def test_every_model_of_the_domain_is_in_admin():
    from django.apps import apps

    # Historical rows (django-simple-history) are read on each model's "Lịch sử" page.
    domain = {
        m
        for app in APPS
        for m in apps.get_app_config(app).get_models()
        if not hasattr(m, "instance_type")
    }
    assert domain == set(MODELS)


@pytest.fixture
def everything(world, staff, focal_a, settings, tmp_path):
    """One saved row of every model."""
    settings.MEDIA_ROOT = tmp_path
    plan_type = ContentType.objects.get_for_model(world.plan)
    RegisterEntry.objects.create(
        agency=world.plan.agency,
        year=2023,
        doc_type="KH",
        number=5,
        symbol="KH-SNV",
        issued_on=datetime.date(2023, 3, 5),
        content_type=plan_type,
        object_id=world.plan.pk,
        issued_by=staff,
    )
    RegisterCounter.objects.create(
        agency=world.plan.agency, year=2023, doc_type="KH", last_number=5
    )
    AgencyStaff.objects.create(user=staff, agency=world.plan.agency)
    StatusLog.objects.create(
        content_type=plan_type,
        object_id=world.plan.pk,
        from_status="draft",
        to_status="issued",
        actor=staff,
    )
    report = f.UnitReportFactory(inspection=world.inspection_a)
    ItemAnswer.objects.create(report=report, item=world.heading, text="Đã ban hành kế hoạch.")
    IndicatorValue.objects.create(report=report, indicator=world.indicator, value=12)
    ReviewComment.objects.create(report=report, item=world.heading, text="Bổ sung.", author=staff)
    Footnote.objects.create(outline=world.outline, number=1, text="Chú thích", item=world.heading)
    rule = IndicatorRule.objects.create(
        outline=world.outline, operator="le", target=world.indicator, message="Vượt quá"
    )
    rule.terms.add(world.indicator)
    Evidence.objects.create(
        report=report,
        file=SimpleUploadedFile("ke-hoach.pdf", b"%PDF-1.4"),
        original_name="Kế hoạch.pdf",
        size=8,
        sha256="a" * 64,
        content_type="application/pdf",
        uploaded_by=focal_a,
    )
    SiteVisitMinutes.objects.create(
        inspection=world.inspection_a,
        held_on=datetime.date(2023, 6, 15),
        place="Sở Tư pháp",
        team_participants="Lê Văn Đoàn",
        unit_participants="Nguyễn Văn A",
        checked="Hồ sơ",
        created_by=staff,
    )
    finding = f.FindingFactory(inspection=world.inspection_a, item=world.heading, created_by=staff)
    conclusion = f.ConclusionFactory(inspection=world.inspection_a, created_by=staff)
    action = f.RemediationActionFactory(conclusion=conclusion, item=world.heading, finding=finding)
    DeadlineExtension.objects.create(
        action=action,
        old_deadline=action.deadline,
        new_deadline=action.deadline + datetime.timedelta(days=30),
        reason="Chờ hướng dẫn",
        actor=staff,
    )
    RemediationProof.objects.create(
        action=action,
        file=SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4"),
        original_name="Báo cáo.pdf",
        size=8,
        sha256="b" * 64,
        content_type="application/pdf",
        uploaded_by=focal_a,
    )
    return world


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_admin_pages_open(client, admin_user, everything, model):
    client.force_login(admin_user)
    obj = model.objects.first()
    assert obj is not None, f"no {model._meta.label} row in the fixture"
    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "changelist"), {"q": "thanh"}).status_code == 200
    add = client.get(admin_url(model, "add"))
    assert add.status_code == (403 if model in READ_ONLY else 200)
    change = client.get(admin_url(model, "change", obj.pk))
    assert change.status_code == 200
    if model in READ_ONLY:
        # A view-only page: no save button.
        assert 'name="_save"' not in change.content.decode()


@pytest.mark.django_db
def test_admin_is_in_vietnamese(client, admin_user):
    client.force_login(admin_user)
    content = client.get(reverse("admin:index")).content.decode()
    assert "Quản trị hệ thống kiểm tra CCHC" in content
    assert "Cơ quan ban hành" in content
    assert "Sổ đăng ký văn bản" in content


@pytest.mark.django_db
def test_agency_is_editable_in_admin(client, admin_user, agency):
    client.force_login(admin_user)
    url = admin_url(Agency, "change", agency.pk)
    data = {
        "parent_name": "UBND TỈNH NGHỆ AN",
        "name": "SỞ NỘI VỤ",
        "code": "SNV",
        "division_code": "CCHC",
        "place_name": "Nghệ An",
        "head_title": "GIÁM ĐỐC",
        "head_name": "Nguyễn Văn B",
        "deputy_title": "PHÓ GIÁM ĐỐC",
        "email": "",
    }
    assert client.post(url, data).status_code == 302
    agency.refresh_from_db()
    assert (agency.parent_name, agency.place_name) == ("UBND TỈNH NGHỆ AN", "Nghệ An")


@pytest.mark.django_db
def test_register_number_is_unique_per_agency_year_and_type(agency, staff):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    plan = f.PlanFactory(agency=agency)
    common = {
        "agency": agency,
        "year": 2023,
        "doc_type": "KH",
        "number": 5,
        "symbol": "KH-SNV",
        "issued_on": datetime.date(2023, 3, 5),
        "content_type": ContentType.objects.get_for_model(plan),
        "object_id": plan.pk,
    }
    RegisterEntry.objects.create(**common)
    duplicate = RegisterEntry(**common)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Số văn bản này đã được cấp trong năm cho loại văn bản này." in error.value.messages
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    # Another year or another type may take the same number.
    RegisterEntry.objects.create(**{**common, "year": 2024})
    RegisterEntry.objects.create(**{**common, "doc_type": "QĐ"})
