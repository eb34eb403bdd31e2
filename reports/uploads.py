"""Checks every uploaded file (evidence, remediation proof) before anything is stored.

A file is accepted only if its name is safe, it is not empty, it is within
``settings.EVIDENCE_MAX_BYTES``, its extension is one of the allowed kinds and its content
starts the way that kind of file starts (magic bytes; for Office Open XML and
OpenDocument, the zip container holds the parts that make it that kind). The original
name is kept in NFC for display and download only; storage paths are built from the
SHA-256 (see ``evidence_path`` and ``proof_path``). A PDF may have junk before its header,
but no markup (an HTML page that mentions "%PDF-" is not a PDF); a ZIP-based file that
would unpack to too much, too many files or at an implausible ratio (a zip bomb) is
refused. HTML and SVG are no allowed kind at all, so no stored file can carry a script.

Django rewrites an unsafe upload name before a view sees it ("../a.pdf" arrives as
"a.pdf", a 300-character name is cut to 255, control characters vanish). Views that take
uploads are wrapped in :func:`checks_upload_names`, which parses the request body with a
parser that records such names and drops the file, so the upload is refused with the
reason instead of being stored under a name the user never gave.
"""

import hashlib
import html
import unicodedata
import zipfile
from dataclasses import dataclass
from functools import wraps
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler
from django.http import FileResponse
from django.http.multipartparser import MultiPartParser
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from cchc_inspection.text import nfc

PDF = b"%PDF-"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
JPEG = b"\xff\xd8\xff"
PNG = b"\x89PNG\r\n\x1a\n"
ZIP_HEADERS = (b"PK\x03\x04", b"PK\x05\x06")

ALLOWED_HELP = (
    "Chỉ nhận tệp PDF, Word (.doc, .docx), Excel (.xls, .xlsx), OpenDocument (.odt, .ods), "
    "ảnh (.jpg, .jpeg, .png) và ZIP."
)
ACCEPT_ATTR = ".pdf,.doc,.docx,.xls,.xlsx,.odt,.ods,.jpg,.jpeg,.png,.zip"

# A container (ZIP, and the Office/OpenDocument formats built on it) that would unpack to
# far more than it weighs is a "zip bomb" aimed at whoever opens it: refused. Real office
# files compress text about 5-20 times; 100 times over 10 MB unpacked is no document.
ZIP_MAX_MEMBERS = 5000
ZIP_MAX_UNPACKED = 1024 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR = 10 * 1024 * 1024


class UploadRefused(ValidationError):
    """One or more files were refused; ``problems`` holds ``(file name, reason)`` pairs."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__([f"{name}: {reason}" for name, reason in self.problems])


@dataclass
class CheckedFile:
    upload: object  # the UploadedFile, rewound
    name: str  # original name, NFC
    size: int
    sha256: str
    content_type: str


def zip_problem(upload):
    """Why a ZIP container would be dangerous to unpack (a zip bomb), or None.

    Only the central directory is read; nothing is decompressed here.
    """
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # not a readable archive: the content check says so
    if len(members) > ZIP_MAX_MEMBERS:
        return f"Tệp nén chứa quá nhiều tệp ({len(members)}; tối đa {ZIP_MAX_MEMBERS})."
    unpacked = sum(member.file_size for member in members)
    if unpacked > ZIP_MAX_UNPACKED:
        return (
            f"Tệp nén khi giải nén lên tới {size_label(unpacked)}, vượt quá "
            f"{size_label(ZIP_MAX_UNPACKED)} cho phép."
        )
    packed = max(upload.size or 0, 1)
    if unpacked > ZIP_RATIO_FLOOR and unpacked / packed > ZIP_MAX_RATIO:
        return (
            f"Tệp nén có tỷ lệ nén bất thường (giải nén gấp {unpacked // packed} lần), có "
            "dấu hiệu là tệp độc hại (zip bomb)."
        )
    return None


def _zip_names(upload):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _is_zip(upload, head):
    return head.startswith(ZIP_HEADERS) and _zip_names(upload) is not None


def _ooxml(part):
    def check(upload, head):
        names = _zip_names(upload) if head.startswith(ZIP_HEADERS) else None
        return bool(names) and "[Content_Types].xml" in names and part in names

    return check


def _odf(mimetype):
    def check(upload, head):
        if not head.startswith(ZIP_HEADERS):
            return False
        upload.seek(0)
        try:
            with zipfile.ZipFile(upload) as archive:
                return archive.read("mimetype").strip() == mimetype.encode()
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            return False

    return check


def _pdf(upload, head):
    """ "%PDF-" within the first kilobyte (readers accept junk before it), but no markup in
    that junk: an HTML page with "%PDF-" further down is not a PDF."""
    at = head.find(PDF, 0, 1024 + len(PDF))
    return at >= 0 and b"<" not in head[:at]


def _starts(signature, within=0):
    def check(upload, head):
        return (
            signature in head[: within + len(signature)] if within else head.startswith(signature)
        )

    return check


ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

# extension → (content type served on download, content check, kind named in messages)
KINDS = {
    "pdf": ("application/pdf", _pdf, "PDF"),
    "doc": ("application/msword", _starts(OLE), "Word (.doc)"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _ooxml("word/document.xml"),
        "Word (.docx)",
    ),
    "xls": ("application/vnd.ms-excel", _starts(OLE), "Excel (.xls)"),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ooxml("xl/workbook.xml"),
        "Excel (.xlsx)",
    ),
    "odt": (ODT, _odf(ODT), "OpenDocument văn bản (.odt)"),
    "ods": (ODS, _odf(ODS), "OpenDocument bảng tính (.ods)"),
    "jpg": ("image/jpeg", _starts(JPEG), "ảnh JPEG"),
    "jpeg": ("image/jpeg", _starts(JPEG), "ảnh JPEG"),
    "png": ("image/png", _starts(PNG), "ảnh PNG"),
    "zip": ("application/zip", _is_zip, "ZIP"),
}


def name_problem(name):
    """Why a file name as the user's browser sent it is unacceptable, or None."""
    if not name or not name.strip():
        return "Tệp không có tên."
    if "/" in name or "\\" in name or ".." in name:
        return "Tên tệp không được chứa dấu “/”, “\\” hoặc “..”."
    if any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in name):
        return "Tên tệp chứa ký tự điều khiển không hợp lệ."
    if len(nfc(name)) > 255:
        return "Tên tệp dài quá 255 ký tự."
    return None


def max_bytes():
    return getattr(settings, "EVIDENCE_MAX_BYTES", 50 * 1024 * 1024)


def size_label(limit):
    if limit >= 1024 * 1024 * 1024:
        return f"{limit / (1024 * 1024 * 1024):.3g} GB".replace(".", ",")
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB".replace(".", ",")
    return f"{limit / 1024:g} KB".replace(".", ",")


def check_file(upload):
    """Return a :class:`CheckedFile` or raise ``ValidationError`` with the reason."""
    name = nfc(upload.name or "")
    problem = name_problem(name)
    if problem:
        raise ValidationError(problem)
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in KINDS:
        raise ValidationError(ALLOWED_HELP)
    if not upload.size:
        raise ValidationError("Tệp rỗng (0 byte).")
    if upload.size > max_bytes():
        raise ValidationError(f"Tệp vượt quá dung lượng cho phép ({size_label(max_bytes())}).")
    content_type, matches, kind = KINDS[ext]
    upload.seek(0)
    head = upload.read(2048)
    if not matches(upload, head):
        raise ValidationError(
            f"Nội dung tệp không phải {kind} như phần mở rộng “.{ext}” của tên tệp."
        )
    if head.startswith(ZIP_HEADERS):
        problem = zip_problem(upload)
        if problem:
            raise ValidationError(problem)
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(upload, name, upload.size, digest.hexdigest(), content_type)


def check_files(files, refused=()):
    """Check every file; if any is refused (or ``refused`` names some the parser dropped),
    raise :class:`UploadRefused` naming each bad file and why. Nothing is stored."""
    problems = list(refused)
    checked = []
    for upload in files:
        try:
            checked.append(check_file(upload))
        except ValidationError as error:
            problems.append((nfc(upload.name or ""), " ".join(error.messages)))
    if problems:
        raise UploadRefused(problems)
    return checked


def store_files(rows_and_files):
    """Save each ``(model instance, CheckedFile)``: file first, then row.

    Call inside ``transaction.atomic``. If anything fails, the files already written are
    deleted before the error propagates, so a refused or failed upload leaves no orphan
    file on disk (the rows roll back with the transaction).
    """
    written = []
    try:
        for row, checked in rows_and_files:
            row.file.save(checked.sha256, checked.upload, save=False)
            written.append((row.file.storage, row.file.name))
            row.save()
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise


def ascii_fallback(name):
    """A plain-ASCII name for old clients: diacritics dropped, other characters replaced."""
    out = []
    for ch in nfc(name or ""):
        ch = {"đ": "d", "Đ": "D"}.get(ch, ch)
        base = unicodedata.normalize("NFD", ch)[0]
        # Characters no file system takes in a name, and markup, become "_".
        ok = base.isascii() and base.isprintable() and base not in '"\\<>:/|?*'
        out.append(base if ok else "_")
    return "".join(out) or "tep"


def attachment_response(field_file, original_name, content_type):
    """Serve a stored file as a download, never inline: attachment with the original name
    (RFC 6266 / RFC 5987 ``filename*`` for Vietnamese, plus an ASCII fallback), the stored
    content type and ``nosniff`` so no browser renders it as HTML."""
    response = FileResponse(field_file.open("rb"), content_type=content_type)
    name = nfc(original_name)
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name)}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- Refusing unsafe names before Django rewrites them ------------------------------------


class _NameCheckingParser(MultiPartParser):
    def __init__(self, *args, refused, **kwargs):
        super().__init__(*args, **kwargs)
        self.refused = refused

    def sanitize_file_name(self, file_name):
        raw = html.unescape(file_name)
        problem = name_problem(raw) if raw else None
        if problem:
            self.refused.append((nfc(raw)[:120], problem))
            return None  # the parser skips the file: it is never written anywhere
        return super().sanitize_file_name(file_name)


class NameCheckingUploadHandler(FileUploadHandler):
    """First upload handler of a request: parses the body itself with a parser that
    records unsafe file names (in ``self.refused``) instead of silently rewriting them."""

    def __init__(self, request=None):
        super().__init__(request)
        self.refused = []

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        others = [h for h in self.request.upload_handlers if h is not self]
        parser = _NameCheckingParser(META, input_data, others, encoding, refused=self.refused)
        return parser.parse()

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


def checks_upload_names(view):
    """Wrap an upload view so that ``request.refused_uploads`` lists the files whose names
    were unsafe. The upload handler must be installed before the body is read, i.e. before
    the CSRF check, so the check is done here, after installing it (Django's documented
    way to change upload handlers per view)."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.refused_uploads = []
        if request.method == "POST":
            handler = NameCheckingUploadHandler(request)
            request.upload_handlers.insert(0, handler)
            request.refused_uploads = handler.refused
        return protected(request, *args, **kwargs)

    return wrapper
