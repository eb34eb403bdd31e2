"""backup_data and restore_data: the database and the stored files make the round trip
together, into an empty instance only, and a damaged archive is refused."""

import datetime
import hashlib
import io
import shutil
import tarfile
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from cchc_inspection.backup import EXCLUDED
from plans import services as plans_services
from plans.models import Inspection
from reports import services as reports_services
from reports.models import Evidence

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def kept(model):
    meta = model._meta
    return meta.app_label not in EXCLUDED and meta.label_lower not in EXCLUDED


def counts():
    return {
        model._meta.label: model._base_manager.count() for model in apps.get_models() if kept(model)
    }


def files(root):
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def filled(world, staff, leader, focal_a, settings, tmp_path, mailoutbox):
    """A plan issued, unit A's report requested, answered, with two evidence files."""
    settings.MEDIA_ROOT = tmp_path / "media"
    plans_services.plan_issue(plan=world.plan, actor=leader)
    world.plan.refresh_from_db()
    start = timezone.localdate() + datetime.timedelta(days=10)
    inspection = plans_services.inspection_schedule(
        plan=world.plan,
        unit=world.inspection_a.unit,
        actor=staff,
        team=world.team,
        form=Inspection.Form.ON_SITE,
        start_date=start,
        end_date=start,
    )
    reports_services.report_request(inspection=inspection, actor=staff)
    report = Inspection.objects.get(pk=inspection.pk).report
    reports_services.value_save(
        report=report, indicator=world.indicator, value=Decimal(7), version=0, actor=focal_a
    )
    reports_services.evidence_add(
        report=report,
        files=[
            SimpleUploadedFile("Kế hoạch.pdf", PDF, "application/pdf"),
            SimpleUploadedFile("Báo cáo.pdf", PDF + b"% 2\n", "application/pdf"),
        ],
        items=[world.heading],
        actor=focal_a,
    )
    return settings.MEDIA_ROOT


def test_round_trip_keeps_every_record_and_file(filled, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    before_counts, before_files = counts(), files(filled)
    # Two evidence files and the issued plan's PDF, stored when it was issued.
    assert Evidence.objects.count() == 2 and len(before_files) == 3
    assert any(name.startswith("documents/") for name in before_files)
    call_command("backup_data", str(archive))

    call_command("flush", interactive=False)
    shutil.rmtree(filled)
    assert Evidence.objects.count() == 0
    call_command("restore_data", str(archive))

    assert counts() == before_counts
    assert files(filled) == before_files
    evidence = Evidence.objects.order_by("pk").first()
    assert evidence.file.read() == PDF and evidence.history.exists()


def test_restore_refuses_a_database_with_data_unless_forced(filled, tmp_path, staff):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup_data", str(archive))
    before = counts()
    with pytest.raises(CommandError, match="đã có dữ liệu"):
        call_command("restore_data", str(archive))
    assert counts() == before
    Evidence.objects.all().delete()
    call_command("restore_data", str(archive), force=True)
    assert counts() == before


def test_a_damaged_archive_is_refused(filled, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup_data", str(archive))
    damaged = tmp_path / "hong.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data + b"x"  # a file that no longer matches its SHA-256
                member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    call_command("flush", interactive=False)
    with pytest.raises(CommandError, match="SHA-256 không khớp"):
        call_command("restore_data", str(damaged))
    assert Evidence.objects.count() == 0


def test_an_archive_cannot_write_outside_media_root(filled, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup_data", str(archive))
    hostile = tmp_path / "doc.tar.gz"
    with tarfile.open(archive) as source, tarfile.open(hostile, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/"):
                member.name = "media/../../ngoai.txt"
            target.addfile(member, io.BytesIO(data))
    call_command("flush", interactive=False)
    with pytest.raises(CommandError, match="đường dẫn không hợp lệ"):
        call_command("restore_data", str(hostile))
    assert not (tmp_path / "ngoai.txt").exists()
