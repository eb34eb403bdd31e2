"""What the journeys do again and again: read the flash messages and the dashboard, make
small real files to upload, read a downloaded PDF."""

import os
import re
from io import BytesIO

import openpyxl
from playwright.sync_api import expect
from pypdf import PdfReader, PdfWriter

from cchc_inspection.management.commands.create_demo_users import DEFAULT_PASSWORD


def demo_password():
    """The demo accounts' password, as ``create_demo_users`` sets it."""
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


def expect_message(page, text):
    """A flash message (success, warning or error) containing ``text`` is shown."""
    expect(page.locator("main .alert").filter(has_text=text).first).to_be_visible()


def field(page, label):
    """The form control whose label is exactly ``label`` (a required field's asterisk and
    the template's white space aside)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def number(text):
    """ "6.882" → 6882 (Vietnamese thousands separator)."""
    digits = re.sub(r"[^\d]", "", text)
    return int(digits) if digits else 0


def dashboard_numbers(page):
    """The counters of the dashboard: the four cards, the totals row of the progress table
    (by column heading) and the remediation totals."""
    page.goto("/kiem-tra/tong-quan/")
    numbers = {}
    for card in page.locator("main .row.g-3.mb-3 .card-body").all():
        label = card.locator(".small").inner_text().strip()
        numbers[label] = number(card.locator(".fs-3").inner_text())
    progress = page.locator("section[aria-labelledby=progress-heading] table")
    headings = [h.strip() for h in progress.locator("thead th").all_inner_texts()]
    totals = [c.strip() for c in progress.locator("tfoot tr > *").all_inner_texts()]
    for heading, cell in zip(headings[1:], totals[1:], strict=True):
        numbers[heading] = number(cell)
    remediation = page.locator("section[aria-labelledby=remediation-heading] .card-header .small")
    match = re.search(r"([\d.]+) yêu cầu,\s*([\d.]+) đã hoàn thành", remediation.inner_text())
    numbers["yêu cầu khắc phục"] = number(match.group(1))
    numbers["đã hoàn thành"] = number(match.group(2))
    areas = page.locator("section[aria-labelledby=areas-heading] tbody tr td:last-child")
    numbers["kết quả kiểm tra"] = sum(number(t) for t in areas.all_inner_texts())
    return numbers


def changed(before, after):
    """{counter: (before, after)} for the counters that moved."""
    return {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}


def pdf_bytes(title="Tài liệu kiểm chứng"):
    """A small real PDF (one A4 page) with ``title`` in its metadata."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows):
    """A real .xlsx with ``rows`` from A1 down."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_payload(name, data):
    types = {
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    return {"name": name, "mimeType": types[name.rsplit(".", 1)[-1]], "buffer": data}


def pdf_text(data):
    return "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(data)).pages)


def download(page, action):
    """Run ``action`` (which clicks a download link) and return (file name, bytes)."""
    with page.expect_download() as info:
        action()
    result = info.value
    with open(result.path(), "rb") as handle:
        return result.suggested_filename, handle.read()
