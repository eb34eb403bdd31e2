"""Evidence uploads: what is refused (and leaves nothing behind), versions, downloads."""

import datetime
import io
import re
import unicodedata
import zipfile
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from plans.models import Inspection
from reports import uploads
from reports.models import Evidence, UnitReport

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def zip_bytes(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
XLSX = zip_bytes({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
ODS = zip_bytes({"mimetype": "application/vnd.oasis.opendocument.spreadsheet"})
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64


def stored_files(media):
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.fixture
def report_a(world):
    Inspection.objects.filter(pk=world.inspection_a.pk).update(
        status=Inspection.Status.REPORT_REQUESTED,
        report_deadline=timezone.localdate() + datetime.timedelta(days=5),
        report_requested_at=timezone.now(),
    )
    return UnitReport.objects.create(inspection=world.inspection_a)


def upload_url(world):
    return reverse("reports:evidence-upload", args=[world.inspection_a.pk])


def post_files(client, world, *files, **extra):
    data = {"files": list(files), "items": [str(world.heading.pk)], "description": ""}
    data.update(extra.pop("data", {}))
    return client.post(upload_url(world), data, **extra)


def raw_multipart(world, *files):
    """A body built by hand, so each file name reaches the server exactly as given."""
    boundary = "cchcBoundary7MA4YWxk"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="items"\r\n\r\n'
        f"{world.heading.pk}\r\n".encode()
    ]
    for filename, content in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
            f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


# --- The checks on their own -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.pdf", PDF),
        ("ke-hoach.docx", DOCX),
        ("so-lieu.xlsx", XLSX),
        ("so-lieu.ods", ODS),
        ("anh.png", PNG),
        ("anh.JPG", JPEG),
        ("cu.doc", OLE),
        ("cu.xls", OLE),
        ("ho-so.zip", zip_bytes({"a.txt": "x"})),
    ],
)
def test_allowed_kinds_pass(name, content):
    checked = uploads.check_file(SimpleUploadedFile(name, content))
    assert checked.size == len(content) and len(checked.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "chuong-trinh.pdf",
            EXE,
            "Nội dung tệp không phải PDF như phần mở rộng “.pdf” của tên tệp.",
        ),
        (
            "gia.docx",
            XLSX,
            "Nội dung tệp không phải Word (.docx) như phần mở rộng “.docx” của tên tệp.",
        ),
        (
            "gia.odt",
            ODS,
            "Nội dung tệp không phải OpenDocument văn bản (.odt) như phần mở rộng “.odt” của tên tệp.",
        ),
        ("anh.png", JPEG, "Nội dung tệp không phải ảnh PNG như phần mở rộng “.png” của tên tệp."),
        ("trang.html", b"<html></html>", uploads.ALLOWED_HELP),
        ("chay.exe", EXE, uploads.ALLOWED_HELP),
        ("khong-duoi", PDF, uploads.ALLOWED_HELP),
        ("rong.pdf", b"", "Tệp rỗng (0 byte)."),
        ("..\\thu.pdf", PDF, "Tên tệp không được chứa dấu “/”, “\\” hoặc “..”."),
    ],
)
def test_refused_files_say_why(name, content, message):
    with pytest.raises(uploads.ValidationError) as error:
        uploads.check_file(SimpleUploadedFile(name, content))
    assert error.value.messages == [message]


def test_name_problems():
    assert uploads.name_problem("../../etc/passwd.pdf")
    assert uploads.name_problem("a/b.pdf")
    assert uploads.name_problem("a\x00.pdf") == "Tên tệp chứa ký tự điều khiển không hợp lệ."
    assert uploads.name_problem("a" * 252 + ".pdf") == "Tên tệp dài quá 255 ký tự."
    assert uploads.name_problem("a" * 251 + ".pdf") is None
    # Length counts characters as stored (NFC), not the longer decomposed form.
    assert uploads.name_problem(unicodedata.normalize("NFD", "ệ" * 200) + ".pdf") is None


# --- Through the upload page --------------------------------------------------------------------


def test_upload_page_personas(client, world, report_a, focal_a, focal_b, staff):
    assert client.get(upload_url(world)).status_code == 302
    client.force_login(staff)
    assert client.get(upload_url(world)).status_code == 403
    client.force_login(focal_b)
    assert client.get(upload_url(world)).status_code == 404
    client.force_login(focal_a)
    response = client.get(upload_url(world) + f"?item={world.heading.pk}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tối đa 50 MB mỗi tệp" in body
    assert re.search(rf'value="{world.heading.pk}"[^>]*checked', body)


def test_several_files_at_once_with_sha256(client, world, report_a, focal_a, media):
    client.force_login(focal_a)
    response = post_files(
        client,
        world,
        SimpleUploadedFile("Kế hoạch CCHC.pdf", PDF),
        SimpleUploadedFile("Số liệu.xlsx", XLSX),
    )
    assert response.status_code == 302
    assert Evidence.objects.count() == 2
    evidence = Evidence.objects.get(original_name="Kế hoạch CCHC.pdf")
    assert evidence.content_type == "application/pdf"
    assert list(evidence.items.all()) == [world.heading]
    # The storage path is the hash, never the Vietnamese name.
    assert evidence.file.name.startswith(f"evidence/{report_a.pk}/")
    assert evidence.sha256 in evidence.file.name and "Kế" not in evidence.file.name
    assert len(stored_files(media)) == 2
    edit = reverse("reports:report-edit", args=[world.inspection_a.pk])
    # Back to the item the files prove, which names them; the list of files shows the hash.
    assert response["Location"] == f"{edit}?phan={world.heading.pk}#item-{world.heading.pk}"
    assert "Số liệu.xlsx" in client.get(response["Location"]).content.decode()
    assert evidence.sha256 in client.get(f"{edit}?phan=tai-lieu").content.decode()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("chuong-trinh.pdf", EXE, "Nội dung tệp không phải PDF"),
        ("rong.pdf", b"", "Tệp rỗng (0 byte)."),
    ],
)
def test_one_bad_file_refuses_the_whole_upload(
    client, world, report_a, focal_a, media, name, content, reason
):
    client.force_login(focal_a)
    response = post_files(
        client, world, SimpleUploadedFile("tot.pdf", PDF), SimpleUploadedFile(name, content)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert name in body and reason in body
    assert Evidence.objects.count() == 0
    assert stored_files(media) == []


def test_oversize_file_is_refused(client, world, report_a, focal_a, media, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(focal_a)
    response = post_files(client, world, SimpleUploadedFile("lon.pdf", PDF + b"0" * 2000))
    assert response.status_code == 400
    assert "Tệp vượt quá dung lượng cho phép (1 KB)." in response.content.decode()
    assert Evidence.objects.count() == 0 and stored_files(media) == []


@pytest.mark.parametrize(
    ("filename", "reason"),
    [
        ("../../bao-cao.pdf", "Tên tệp không được chứa dấu"),
        ("..\\bao-cao.pdf", "Tên tệp không được chứa dấu"),
        ("a" * 296 + ".pdf", "Tên tệp dài quá 255 ký tự."),
    ],
)
def test_unsafe_names_are_refused_not_rewritten(
    client, world, report_a, focal_a, media, filename, reason
):
    client.force_login(focal_a)
    body, content_type = raw_multipart(world, ("tot.pdf", PDF), (filename, PDF), ("sau.pdf", PDF))
    response = client.post(upload_url(world), body, content_type=content_type)
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert Evidence.objects.count() == 0 and stored_files(media) == []
    # The same body with safe names goes through: the parser kept its place in the stream.
    body, content_type = raw_multipart(world, ("tot.pdf", PDF), ("sau.pdf", PDF + b"%"))
    assert client.post(upload_url(world), body, content_type=content_type).status_code == 302
    assert sorted(Evidence.objects.values_list("original_name", flat=True)) == [
        "sau.pdf",
        "tot.pdf",
    ]


def test_unsafe_name_refused_through_xhr_too(client, world, report_a, focal_a):
    client.force_login(focal_a)
    body, content_type = raw_multipart(world, ("../x.pdf", PDF))
    response = client.post(upload_url(world), body, content_type=content_type, **FETCH)
    assert response.status_code == 400
    assert "Tên tệp không được chứa dấu" in response.json()["problems"][0]["message"]


def test_csrf_is_still_checked_on_uploads(world, report_a, focal_a):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(focal_a)
    response = post_files(client, world, SimpleUploadedFile("a.pdf", PDF))
    assert response.status_code == 403
    assert Evidence.objects.count() == 0


def test_upload_needs_an_item(client, world, report_a, focal_a, media):
    client.force_login(focal_a)
    response = post_files(client, world, SimpleUploadedFile("a.pdf", PDF), data={"items": []})
    assert response.status_code == 400
    assert "Chọn ít nhất một mục đề cương" in response.content.decode()
    assert stored_files(media) == []


def test_xhr_upload_answers_json(client, world, report_a, focal_a):
    client.force_login(focal_a)
    response = post_files(client, world, SimpleUploadedFile("a.pdf", PDF), **FETCH)
    assert response.status_code == 200
    assert response.json()["redirect"].endswith(f"#item-{world.heading.pk}")
    response = post_files(client, world, SimpleUploadedFile("b.pdf", EXE), **FETCH)
    assert response.status_code == 400
    assert response.json()["problems"][0]["name"] == "b.pdf"


def test_same_file_twice_is_flagged(client, world, report_a, focal_a):
    client.force_login(focal_a)
    post_files(client, world, SimpleUploadedFile("lan-1.pdf", PDF))
    response = post_files(client, world, SimpleUploadedFile("lan-2.pdf", PDF), follow=True)
    body = response.content.decode()
    assert "có nội dung trùng với tệp “lan-1.pdf”" in body
    assert body.count("Trùng nội dung") >= 2
    assert Evidence.objects.count() == 2


def test_replacing_keeps_the_old_version(client, world, report_a, focal_a):
    client.force_login(focal_a)
    post_files(client, world, SimpleUploadedFile("ke-hoach.pdf", PDF))
    old = Evidence.objects.get()
    response = post_files(
        client,
        world,
        SimpleUploadedFile("ke-hoach-sua.pdf", PDF + b"% sua\n"),
        data={"replaces": str(old.pk), "items": []},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?phan=tai-lieu#evidence")  # back to the list
    new = Evidence.objects.exclude(pk=old.pk).get()
    assert new.previous == old
    assert list(new.items.all()) == [world.heading]  # inherited
    assert list(Evidence.objects.current()) == [new]
    assert old.file.storage.exists(old.file.name)
    body = client.get(response["Location"]).content.decode()
    assert "Phiên bản trước" in body and "ke-hoach.pdf" in body
    # An earlier version cannot be replaced again.
    response = post_files(
        client, world, SimpleUploadedFile("x.pdf", PDF), data={"replaces": str(old.pk)}
    )
    assert response.status_code == 404
    # The old version still downloads.
    assert client.get(reverse("reports:evidence-download", args=[old.pk])).status_code == 200


def test_no_upload_once_submitted(client, world, report_a, focal_a, media):
    UnitReport.objects.filter(pk=report_a.pk).update(status=UnitReport.Status.SUBMITTED)
    client.force_login(focal_a)
    response = post_files(client, world, SimpleUploadedFile("a.pdf", PDF))
    assert response.status_code == 302
    assert Evidence.objects.count() == 0 and stored_files(media) == []


# --- Download ----------------------------------------------------------------------------------


@pytest.fixture
def evidence(client, world, report_a, focal_a):
    client.force_login(focal_a)
    nfd = unicodedata.normalize("NFD", "Báo cáo tự đánh giá.pdf")
    post_files(client, world, SimpleUploadedFile(nfd, PDF))
    client.logout()
    return Evidence.objects.get()


def test_vietnamese_name_in_nfd_is_kept_readable(client, evidence, focal_a):
    assert evidence.original_name == "Báo cáo tự đánh giá.pdf"
    assert unicodedata.is_normalized("NFC", evidence.original_name)
    client.force_login(focal_a)
    response = client.get(reverse("reports:evidence-download", args=[evidence.pk]))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('Báo cáo tự đánh giá.pdf')}" in disposition
    assert 'filename="Bao cao tu danh gia.pdf"' in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("focal_a", 200),
        ("staff", 200),
        ("leader", 200),
        ("team_member", 200),
        ("other_team_member", 404),
        ("focal_b", 404),
        ("outsider", 404),
    ],
)
def test_download_checks_who_asks(client, evidence, persona, status, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("reports:evidence-download", args=[evidence.pk]))
    assert response.status_code == status


def test_download_anonymous_goes_to_login(client, evidence):
    response = client.get(reverse("reports:evidence-download", args=[evidence.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]
