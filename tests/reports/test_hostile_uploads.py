"""Hostile uploads: disguised executables and pages, script-carrying SVG, zip bombs, empty
and oversize files, unsafe names. Each is refused with a Vietnamese reason and leaves
nothing behind, neither a row nor a file; and every download is an attachment that no
browser renders as a page."""

import datetime
import io
import os
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from findings.models import Conclusion, RemediationProof
from plans.models import Inspection
from reports import uploads
from reports.models import Evidence, UnitReport
from tests import factories as f
from tests.reports.test_uploads import DOCX, EXE, PDF, XLSX, raw_multipart, stored_files

HTML = b"<!doctype html><html><body><script>fetch('/quan-tri/')</script></body></html>"
POLYGLOT = b"<html><script>alert(document.cookie)</script><!-- %PDF-1.4 -->\n" + PDF
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.domain)</script></svg>"
)


def zip_of(members, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


ZEROS = b"\0" * (20 * 1024 * 1024)  # 20 MB that deflate to about 20 KB
ZIP_BOMB = zip_of({"bao-cao.txt": ZEROS})
DOCX_BOMB = zip_of(
    {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>", "word/x.bin": ZEROS}
)
XLSX_BOMB = zip_of(
    {"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>", "xl/x.bin": ZEROS}
)
MANY_FILES = zip_of({f"tep-{n}.txt": "x" for n in range(uploads.ZIP_MAX_MEMBERS + 1)})

NOT_PDF = "Nội dung tệp không phải PDF như phần mở rộng “.pdf” của tên tệp."
BOMB = "có dấu hiệu là tệp độc hại (zip bomb)"


@pytest.fixture
def report_a(world):
    Inspection.objects.filter(pk=world.inspection_a.pk).update(
        status=Inspection.Status.REPORT_REQUESTED,
        report_deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    return UnitReport.objects.create(inspection=world.inspection_a)


CASES = [
    ("chuong-trinh.pdf", EXE, NOT_PDF),
    ("trang.pdf", HTML, NOT_PDF),
    ("da-dang.pdf", POLYGLOT, NOT_PDF),
    ("trang.docx", HTML, "Nội dung tệp không phải Word (.docx)"),
    ("trang.xlsx", HTML, "Nội dung tệp không phải Excel (.xlsx)"),
    ("anh.svg", SVG, uploads.ALLOWED_HELP),
    ("trang.html", HTML, uploads.ALLOWED_HELP),
    ("bom.zip", ZIP_BOMB, BOMB),
    ("bom.docx", DOCX_BOMB, BOMB),
    ("bom.xlsx", XLSX_BOMB, BOMB),
    ("nhieu-tep.zip", MANY_FILES, "Tệp nén chứa quá nhiều tệp (5001; tối đa 5000)."),
    ("rong.pdf", b"", "Tệp rỗng (0 byte)."),
]


@pytest.mark.parametrize(("name", "content", "reason"), CASES)
def test_hostile_files_are_refused_by_the_check(name, content, reason):
    with pytest.raises(uploads.ValidationError) as error:
        uploads.check_file(SimpleUploadedFile(name, content))
    assert reason in " ".join(error.value.messages)


@pytest.mark.parametrize(("name", "content", "reason"), CASES)
def test_hostile_evidence_is_refused_and_nothing_is_stored(
    client, world, report_a, focal_a, media, name, content, reason
):
    client.force_login(focal_a)
    response = client.post(
        reverse("reports:evidence-upload", args=[world.inspection_a.pk]),
        {"files": [SimpleUploadedFile(name, content)], "items": [str(world.heading.pk)]},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert name in body and reason in body
    assert Evidence.objects.count() == 0 and stored_files(media) == []


def test_unpacked_size_has_a_ceiling(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_UNPACKED", 1024 * 1024)
    dense = zip_of({"anh.bin": os.urandom(2 * 1024 * 1024)})  # barely compresses
    with pytest.raises(uploads.ValidationError) as error:
        uploads.check_file(SimpleUploadedFile("anh.zip", dense))
    assert "vượt quá 1 MB cho phép" in error.value.messages[0]


def test_ordinary_office_files_pass_the_zip_bomb_check():
    text = " ".join(f"Đoạn văn số {n} về cải cách hành chính." for n in range(100_000))
    docx = zip_of(
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": f"<w:document>{text}</w:document>",
        }
    )
    assert len(text.encode()) > 4 * 1024 * 1024
    assert uploads.check_file(SimpleUploadedFile("bao-cao.docx", docx)).size == len(docx)
    for name, content in [("a.docx", DOCX), ("a.xlsx", XLSX), ("a.pdf", PDF)]:
        assert uploads.check_file(SimpleUploadedFile(name, content))
    # Junk before the header without markup, as some scanners write, is still a PDF.
    assert uploads.check_file(SimpleUploadedFile("quet.pdf", b"\x1b%-12345X@PJL\n" + PDF))


def test_oversize_evidence_is_refused_with_the_limit(client, world, report_a, focal_a, settings):
    settings.EVIDENCE_MAX_BYTES = 2 * 1024 * 1024
    client.force_login(focal_a)
    response = client.post(
        reverse("reports:evidence-upload", args=[world.inspection_a.pk]),
        {
            "files": [SimpleUploadedFile("lon.pdf", PDF + b"0" * (3 * 1024 * 1024))],
            "items": [str(world.heading.pk)],
        },
    )
    assert response.status_code == 400
    assert "Tệp vượt quá dung lượng cho phép (2 MB)." in response.content.decode()
    assert Evidence.objects.count() == 0


@pytest.mark.parametrize(
    ("filename", "reason"),
    [
        ("../../../etc/passwd.pdf", "Tên tệp không được chứa dấu “/”, “\\” hoặc “..”."),
        ("bao\x00cao.pdf", "Tên tệp chứa ký tự điều khiển không hợp lệ."),
        ("a" * 296 + ".pdf", "Tên tệp dài quá 255 ký tự."),
    ],
)
def test_unsafe_names_are_refused_through_the_page(
    client, world, report_a, focal_a, media, filename, reason
):
    client.force_login(focal_a)
    body, content_type = raw_multipart(world, (filename, PDF))
    response = client.post(
        reverse("reports:evidence-upload", args=[world.inspection_a.pk]),
        body,
        content_type=content_type,
    )
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert Evidence.objects.count() == 0 and stored_files(media) == []


# --- Remediation proof goes through the same checks -------------------------------------------


@pytest.fixture
def open_action(world, staff):
    Inspection.objects.filter(pk=world.inspection_a.pk).update(status=Inspection.Status.REMEDIATING)
    conclusion = f.ConclusionFactory(
        inspection=world.inspection_a,
        status=Conclusion.Status.ISSUED,
        number=4,
        issued_on=timezone.localdate(),
        created_by=staff,
    )
    return f.RemediationActionFactory(
        conclusion=conclusion,
        item=world.heading,
        deadline=timezone.localdate() + datetime.timedelta(days=20),
    )


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [("bom.zip", ZIP_BOMB, BOMB), ("trang.pdf", POLYGLOT, NOT_PDF), ("anh.svg", SVG, "Chỉ nhận")],
)
def test_hostile_proof_is_refused_and_nothing_is_stored(
    client, open_action, focal_a, media, name, content, reason
):
    client.force_login(focal_a)
    response = client.post(
        reverse("findings:action-report", args=[open_action.pk]),
        {
            "text": "Đã khắc phục.",
            "version": open_action.version,
            "files": [SimpleUploadedFile(name, content)],
        },
    )
    assert reason in response.content.decode()
    assert RemediationProof.objects.count() == 0 and stored_files(media) == []
    open_action.refresh_from_db()
    assert open_action.status == "open"
