"""The one renderer of official documents (Nghị định 30/2020 layout) and their storage.

Every PDF is rendered by WeasyPrint from a template extending
``templates/documents/layout.html``, with the bundled Liberation Serif as the only font:
the ``@font-face`` rules point at the TTF files in ``cchc_inspection/fonts`` and the
documents name no other family, so the output is the same on every machine.

An issued document (one with a register number) is rendered once, stored in its ``pdf``
field with ``pdf_sha256``, and from then on served as stored, never regenerated.
"""

import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from . import vn
from .text import fold

logger = logging.getLogger(__name__)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
# A family name of our own, so that no system font of the same name can stand in for it.
FONT_FAMILY = "CCHC Liberation Serif"
FONT_FILES = {
    ("normal", "normal"): "LiberationSerif-Regular.ttf",
    ("bold", "normal"): "LiberationSerif-Bold.ttf",
    ("normal", "italic"): "LiberationSerif-Italic.ttf",
    ("bold", "italic"): "LiberationSerif-BoldItalic.ttf",
}
BLANK_NUMBER = "\u00a0" * 5
DRAFT_MARK = "DỰ THẢO"


class StoredDocumentError(Exception):
    """The stored PDF of an issued document no longer matches its recorded SHA-256."""


# ---------------------------------------------------------------------------------------
# Text helpers shared by the context builders
# ---------------------------------------------------------------------------------------


def paragraphs(text):
    """The non-empty lines of a multi-line field, one paragraph each."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def lower_first(text):
    return text[:1].lower() + text[1:] if text else text


def _strip_list_mark(line):
    return re.sub(r"^[-–•+]\s*", "", line.strip())


def legal_bases(lines):
    """Căn cứ lines: each ends with ";" and the last with "." (Nghị định 30, Phụ lục I)."""
    items = [_strip_list_mark(line).rstrip(" ;.,") for line in lines if line.strip()]
    return [item + ("." if i == len(items) - 1 else ";") for i, item in enumerate(items)]


def recipients(lines, division_code):
    """Nơi nhận: "- …;" each, the filing line last as "- Lưu: VT, <division> (02)."."""
    items = []
    for line in lines:
        item = _strip_list_mark(line).rstrip(" ;.,")
        if item and not fold(item).startswith("luu"):
            items.append(f"- {item};")
    items.append(f"- Lưu: VT, {division_code} (02).")
    return items


# ---------------------------------------------------------------------------------------
# The document frame: header, signature, recipients
# ---------------------------------------------------------------------------------------


@dataclass
class Signer:
    """The signature block: quyền hạn ("KT. GIÁM ĐỐC"), chức vụ, họ tên — all bold."""

    title: str
    name: str
    authority_line: str = ""

    @classmethod
    def for_document(cls, document, agency):
        """From an OfficialDocument's signer fields, the agency head standing in for gaps."""
        authority = document.signer_authority.strip()
        if not authority:
            title = (document.signer_title or agency.head_title).upper()
            return cls(title=title, name=document.signer_name or agency.head_name)
        # "KT." alone stands for "KT. <head's title>"; a full line is printed as written.
        abbr = authority.rstrip(".").upper()
        authority_line = (
            authority.upper() if " " in abbr else f"{abbr}. {agency.head_title.upper()}"
        )
        title = (document.signer_title or agency.deputy_title or agency.head_title).upper()
        name = document.signer_name
        return cls(title=title, name=name, authority_line=authority_line)

    @classmethod
    def head_of(cls, agency):
        return cls(title=agency.head_title.upper(), name=agency.head_name)


@dataclass
class Frame:
    """What the ND 30/2020 layout prints around a document's body."""

    agency: object
    kind: str  # tên loại, e.g. "KẾ HOẠCH"
    subject: str  # trích yếu
    number: str  # "05/KH-SNV" or "     /KH-SNV"
    issued_on: object = None
    draft: bool = False
    signer: Signer = None
    recipients: list = field(default_factory=list)
    letter: bool = False  # a công văn: trích yếu "V/v …" under the number, no tên loại
    title: str = ""

    @property
    def place_date(self):
        """ "Thanh Hóa, ngày 05 tháng 3 năm 2023"; undated, day and month left blank to fill."""
        if self.issued_on:
            return f"{self.agency.place_name}, {vn.long_date(self.issued_on)}"
        gap = "\u00a0" * 6
        return f"{self.agency.place_name}, ngày{gap}tháng{gap}năm {timezone.localdate().year}"


def blank_number(symbol):
    """The number of a document the register numbers by hand when it is sent."""
    return f"{BLANK_NUMBER}/{symbol}"


def is_issued(document):
    return document.number is not None


# ---------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------


def _font_face_css():
    rules = []
    for (weight, style), filename in FONT_FILES.items():
        url = (FONT_DIR / filename).as_uri()
        rules.append(
            f"@font-face {{ font-family: '{FONT_FAMILY}'; src: url('{url}'); "
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


@lru_cache(maxsize=1)
def _font_urls():
    return frozenset((FONT_DIR / filename).as_uri() for filename in FONT_FILES.values())


@lru_cache(maxsize=1)
def _url_fetcher():
    """A fetcher that loads the bundled fonts and refuses everything else."""
    from weasyprint.urls import URLFetcher

    class BundledFontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url not in _font_urls():
                raise ValueError(f"Tài nguyên không được phép trong văn bản: {url}")
            return super().fetch(url, headers)

    return BundledFontsOnly(allowed_protocols=("file",))


def render_pdf(template_name, context):
    """Render ``template_name`` (extending documents/layout.html) to PDF bytes."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(
        template_name, {"font_family": FONT_FAMILY, "draft_mark": DRAFT_MARK, **context}
    )
    font_config = FontConfiguration()
    fetcher = _url_fetcher()
    fonts = CSS(string=_font_face_css(), font_config=font_config, url_fetcher=fetcher)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(
        stylesheets=[fonts], font_config=font_config
    )


# ---------------------------------------------------------------------------------------
# Issued documents: store once, serve as stored
# ---------------------------------------------------------------------------------------


def _stored_bytes(document):
    with document.pdf.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != document.pdf_sha256:
        raise StoredDocumentError(
            f"Bản PDF đã lưu của {document._meta.verbose_name} #{document.pk} "
            "không khớp mã SHA-256 đã ghi."
        )
    return data


def _storage_name(document):
    issued = document.issued_on or timezone.localdate()
    return f"{document.DOC_TYPE}-{document.number:02d}-{issued.year}-{document.pk}.pdf".replace(
        "Đ", "D"
    )


def issued_pdf(document, build):
    """The PDF of an issued document: the stored one, or ``build(document)`` stored once.

    The row is locked while the first PDF is rendered, so two first downloads do not
    render twice; the write is also conditional on the field still being empty, so on a
    database without row locks the second writer keeps the first one's file.
    """
    if not is_issued(document):
        raise ValueError("Chỉ văn bản đã ban hành mới có bản PDF lưu trữ.")
    if document.pdf:
        return _stored_bytes(document)
    model = type(document)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=document.pk)
        if locked.pdf:
            return _stored_bytes(locked)
        data = build(locked)
        digest = hashlib.sha256(data).hexdigest()
        name = locked.pdf.storage.save(
            locked.pdf.field.generate_filename(locked, _storage_name(locked)), ContentFile(data)
        )
        try:
            written = model.objects.filter(pk=locked.pk, pdf="").update(pdf=name, pdf_sha256=digest)
        except Exception:
            locked.pdf.storage.delete(name)
            raise
        if not written:
            locked.pdf.storage.delete(name)
            locked.refresh_from_db(fields=["pdf", "pdf_sha256"])
            return _stored_bytes(locked)
    document.pdf.name, document.pdf_sha256 = name, digest
    logger.info("Stored %s #%s (%s)", model.__name__, document.pk, digest)
    return data


def store_on_commit(document, build):
    """Render and store an issued document's PDF once the issuing transaction commits.

    The PDF is the record of what was issued, so it is made at issue time rather than at
    the first download. It is rendered after the commit (the issue never waits for, nor
    fails with, WeasyPrint); should that fail, the error is logged and the first download
    stores it instead (:func:`issued_pdf`).
    """
    model, pk = type(document), document.pk

    def store():
        issued_pdf(model.objects.get(pk=pk), build)

    transaction.on_commit(store, robust=True)


def document_pdf(document, build):
    """Bytes to serve: stored once issued, freshly rendered (marked DỰ THẢO) while a draft."""
    return issued_pdf(document, build) if is_issued(document) else build(document)


# ---------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------


def ascii_filename(name):
    """ "Kế hoạch số 05" → "Ke-hoach-so-05", for clients that ignore ``filename*``."""
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    safe = re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9._-]+", "-", stripped)).strip("-")
    return safe or "van-ban"


def pdf_response(data, filename):
    """An attachment download whose name survives every browser (RFC 6266 / 5987)."""
    name = " ".join(filename.replace("/", "-").split())
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{ascii_filename(name[:-4])}.pdf"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    )
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
