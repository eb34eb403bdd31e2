"""The official-document renderer: layout helpers, the bundled font, store-once storage.

The helpers at the top (reading PDFs back, building a seed-based world) are shared with
the per-document tests in ``tests/*/test_pdf_*.py``.
"""

import datetime
import hashlib
import io
import re
import types
from pathlib import Path

import pytest
from django.core.management import call_command
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from cchc_inspection import documents
from cchc_inspection.documents import (
    FONT_DIR,
    Frame,
    Signer,
    issued_pdf,
    legal_bases,
    pdf_response,
    recipients,
    render_pdf,
)
from cchc_inspection.models import Agency
from cchc_inspection.numbering import take_number
from findings.models import Finding, SiteVisitMinutes
from plans.models import Inspection, InspectionPlan
from reports.models import Indicator, IndicatorValue, OutlineItem, UnitReport
from tests import factories as f
from units.models import Unit

SEED_FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "thanh_hoa_2023.json"
A4 = (595.28, 841.89)
BUNDLED_FAMILY = "Liberation Serif"

# ---------------------------------------------------------------------------------------
# Reading PDFs back (shared with tests/*/test_pdf_*.py)
# ---------------------------------------------------------------------------------------


def read_pdf(data):
    return PdfReader(io.BytesIO(data))


def normalise(text):
    return " ".join(text.replace("\u00a0", " ").split())


def pdf_text(data):
    """The whole document's text, white space collapsed (line breaks are not content)."""
    return normalise(" ".join(page.extract_text() for page in read_pdf(data).pages))


def page_texts(data):
    return [normalise(page.extract_text()) for page in read_pdf(data).pages]


def assert_in_order(text, parts):
    """Each part occurs in ``text`` after the previous one."""
    position = 0
    for part in parts:
        found = text.find(normalise(part), position)
        assert found >= 0, f"thiếu hoặc sai thứ tự: {part!r} (sau vị trí {position})"
        position = found + len(normalise(part))


def assert_a4(data):
    for page in read_pdf(data).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1, (width, height)


def _fonts_of(resources, seen):
    resources = resources.get_object() if isinstance(resources, IndirectObject) else resources
    if not resources:
        return
    for ref in (resources.get("/Font") or {}).values():
        font = ref.get_object()
        if id(font) not in seen:
            seen.add(id(font))
            yield font
    for ref in (resources.get("/XObject") or {}).values():
        xobject = ref.get_object()
        if "/Resources" in xobject:
            yield from _fonts_of(xobject["/Resources"], seen)


def embedded_font_families(data):
    """(BaseFont, family read from the embedded font program) of every font of every page."""
    result = set()
    for page in read_pdf(data).pages:
        for font in _fonts_of(page.get("/Resources"), set()):
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
            assert program is not None, f"phông {font['/BaseFont']} không được nhúng"
            ttf = TTFont(io.BytesIO(program.get_object().get_data()))
            result.add((str(font["/BaseFont"]).split("+")[-1], ttf["name"].getDebugName(1)))
    return result


def assert_only_bundled_font(data):
    families = embedded_font_families(data)
    assert families, "không có phông nào được nhúng"
    assert {family for _, family in families} == {BUNDLED_FAMILY}, families
    assert all(name.startswith("CCHC-Liberation-Serif") for name, _ in families), families


def text_runs(page):
    """(text, x, y) of each text run drawn on ``page``, in PDF points."""
    runs = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            runs.append((normalise(text), x, y))

    page.extract_text(visitor_text=visit)
    return runs


def y_of(page, part):
    """The baseline of the last text run of ``page`` that holds ``part``."""
    return [y for text, _, y in text_runs(page) if part in text][-1]


def assert_page_numbers(data):
    """No number on page 1; from page 2 the page number, centred in the top margin."""
    pages = read_pdf(data).pages
    assert len(pages) >= 2, "văn bản cần ít nhất 2 trang để kiểm tra số trang"
    top_margin = A4[1] - 20 * 72 / 25.4
    centre = (30 + 165 / 2) * 72 / 25.4
    first = [t for t, x, y in text_runs(pages[0]) if y > top_margin and t.isdigit()]
    assert first == [], first
    for number, page in enumerate(pages[1:], start=2):
        marks = [
            (t, x)
            for t, x, y in text_runs(page)
            if y > top_margin and t == str(number) and abs(x - centre) < 20
        ]
        assert marks, f"trang {number} không có số trang ở giữa lề trên"


def assert_common_layout(data):
    assert_a4(data)
    assert_only_bundled_font(data)
    text = page_texts(data)[0]
    assert_in_order(text, ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"])
    first = read_pdf(data).pages[0]
    # Số and the place and date stand on one line.
    assert abs(y_of(first, "Số:") - y_of(first, "Thanh Hóa, ngày")) < 1


# ---------------------------------------------------------------------------------------
# A world built on the seed (shared with tests/*/test_pdf_*.py)
# ---------------------------------------------------------------------------------------


def load_seed():
    call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
    return InspectionPlan.objects.select_related("agency").get(year=2023)


def issue(document, *, on, actor=None):
    """Give a document its register number and mark it issued, as the services do."""
    if isinstance(document, InspectionPlan):
        agency = document.agency
    elif hasattr(document, "inspection"):
        agency = document.inspection.plan.agency
    else:
        agency = document.plan.agency
    take_number(document=document, agency=agency, issued_on=on, actor=actor)
    document.status = "issued"
    document.save(update_fields=["number", "issued_on", "status"])
    return document


def seed_world(*, team_user=None, issue_plan=True):
    """The seed plan, a team with four members inspecting Sở Tư pháp, and its paperwork."""
    plan = load_seed()
    if issue_plan:
        issue(plan, on=datetime.date(2023, 3, 5))
    author = f.UserFactory(username="soanthao")
    unit = Unit.objects.get(name="Sở Tư pháp")
    team = f.TeamFactory(
        plan=plan,
        name="Đoàn kiểm tra số 1",
        legal_basis=(
            "Căn cứ Quyết định số 2600/QĐ-UBND ngày 12/7/2021 của UBND tỉnh quy định chức "
            "năng, nhiệm vụ của Sở Nội vụ;\n"
            "- Căn cứ Kế hoạch số 05/KH-SNV ngày 05/3/2023 của Sở Nội vụ\n"
            "Theo đề nghị của Trưởng phòng Cải cách hành chính"
        ),
        duties="Kiểm tra công tác cải cách hành chính tại Sở Tư pháp và Huyện Đông Sơn.",
        executors="Chánh Văn phòng Sở và các ông (bà) có tên tại Điều 1 thi hành Quyết định./.",
    )
    members = [
        ("Nguyễn Văn Trưởng", "Phó Giám đốc", "Sở Nội vụ", "leader", team_user),
        ("Lê Thị Phó", "Trưởng phòng CCHC", "Sở Nội vụ", "deputy", None),
        ("Trịnh Văn Pháp", "Chuyên viên", "Sở Tài chính", "member", None),
        ("Hoàng Thị Ký", "Chuyên viên", "Sở Nội vụ", "secretary", None),
    ]
    for order, (name, position, agency_name, role, user) in enumerate(members):
        f.TeamMemberFactory(
            team=team,
            full_name=name,
            position=position,
            agency_name=agency_name,
            role=role,
            user=user,
            order=order,
        )
    inspection = f.InspectionFactory(
        plan=plan,
        unit=unit,
        team=team,
        start_date=datetime.date(2023, 6, 15),
        end_date=datetime.date(2023, 6, 16),
        place="Trụ sở Sở Tư pháp",
        report_deadline=datetime.date(2023, 6, 12),
        status=Inspection.Status.SCHEDULED,
    )
    minutes = SiteVisitMinutes.objects.create(
        inspection=inspection,
        held_on=datetime.date(2023, 6, 15),
        place="Trụ sở Sở Tư pháp",
        team_participants="Ông Nguyễn Văn Trưởng, Trưởng đoàn\n- Bà Lê Thị Phó, Phó Trưởng đoàn",
        unit_participants="Ông Đỗ Văn Đơn, Phó Giám đốc Sở Tư pháp",
        checked="Đoàn đã kiểm tra hồ sơ kế hoạch CCHC năm 2023.\nĐoàn đã kiểm tra Bộ phận Một cửa.",
        remarks="Đơn vị thống nhất với kết quả kiểm tra.",
        unit_representative="Đỗ Văn Đơn",
        unit_representative_title="Phó Giám đốc",
        created_by=author,
    )
    heading = OutlineItem.objects.get(outline__plan=plan, order=6)  # I.2 Tuyên truyền
    point = OutlineItem.objects.get(outline__plan=plan, order=7)  # a point under I.2
    one_stop = OutlineItem.objects.get(outline__plan=plan, order=24)  # under II.2
    for item, kind, description in [
        (heading, Finding.Kind.STRENGTH, "Tuyên truyền CCHC đa dạng."),
        (point, Finding.Kind.SHORTCOMING, "Chưa ban hành kế hoạch tuyên truyền CCHC."),
        (one_stop, Finding.Kind.VIOLATION, "Trễ hẹn hồ sơ TTHC chưa xin lỗi."),
    ]:
        f.FindingFactory(
            inspection=inspection, item=item, kind=kind, description=description, created_by=author
        )
    conclusion = f.ConclusionFactory(
        inspection=inspection,
        strengths="Đơn vị ban hành đầy đủ kế hoạch CCHC năm 2023.",
        shortcomings="Chưa ban hành kế hoạch tuyên truyền CCHC.\nCòn hồ sơ TTHC trễ hẹn.",
        requirements_intro="Giám đốc Sở Tư pháp chỉ đạo khắc phục các tồn tại, hạn chế.",
        signer_authority="KT.",
        signer_title="PHÓ GIÁM ĐỐC",
        signer_name="Nguyễn Văn Phó",
        created_by=author,
    )
    f.RemediationActionFactory(
        conclusion=conclusion,
        item=point,
        order=1,
        requirement="Ban hành kế hoạch tuyên truyền CCHC năm 2023.",
        responsible="Văn phòng Sở Tư pháp",
        deadline=datetime.date(2023, 9, 30),
    )
    f.RemediationActionFactory(
        conclusion=conclusion,
        item=one_stop,
        order=2,
        requirement="Thực hiện xin lỗi tổ chức, cá nhân khi trễ hẹn.",
        responsible="Bộ phận Một cửa",
        deadline=datetime.date(2023, 12, 31),
    )
    report = UnitReport.objects.create(inspection=inspection)
    tasks = Indicator.objects.get(outline__plan=plan, code="nhiem-vu-cchc")
    IndicatorValue.objects.create(report=report, indicator=tasks, value=6882)
    # Submitted once its figures are in: a submitted report takes no new rows.
    UnitReport.objects.filter(pk=report.pk).update(status=UnitReport.Status.SUBMITTED)
    report.status = UnitReport.Status.SUBMITTED
    return types.SimpleNamespace(
        plan=plan,
        agency=plan.agency,
        unit=unit,
        team=team,
        inspection=inspection,
        minutes=minutes,
        conclusion=conclusion,
        report=report,
        author=author,
    )


# ---------------------------------------------------------------------------------------
# Wording helpers
# ---------------------------------------------------------------------------------------


def test_legal_bases_end_with_semicolons_and_a_full_stop():
    lines = ["Căn cứ A.", "- Căn cứ B;", "Theo đề nghị C"]
    assert legal_bases(lines) == ["Căn cứ A;", "Căn cứ B;", "Theo đề nghị C."]


def test_recipients_put_the_filing_line_last_in_the_decree_form():
    lines = ["- Bộ Nội vụ (để b/c);", "Lưu: VT; CCHC (02).", "UBND cấp huyện."]
    assert recipients(lines, "CCHC") == [
        "- Bộ Nội vụ (để b/c);",
        "- UBND cấp huyện;",
        "- Lưu: VT, CCHC (02).",
    ]


@pytest.mark.django_db
def test_signature_block_of_a_deputy_signing_for_the_head():
    agency = f.AgencyFactory()
    plan = f.PlanFactory(
        agency=agency, signer_authority="KT.", signer_title="", signer_name="Lê Văn Phó"
    )
    signer = Signer.for_document(plan, agency)
    assert (signer.authority_line, signer.title, signer.name) == (
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "Lê Văn Phó",
    )
    plan.signer_authority, plan.signer_title, plan.signer_name = "", "", ""
    head = Signer.for_document(plan, agency)
    assert (head.authority_line, head.title, head.name) == ("", "GIÁM ĐỐC", "Trần Quốc Huy")


# ---------------------------------------------------------------------------------------
# The renderer
# ---------------------------------------------------------------------------------------


def _frame(**changes):
    agency = Agency(
        parent_name="UBND TỈNH THANH HÓA",
        name="SỞ NỘI VỤ",
        short_name="Sở Nội vụ",
        parent_short_name="UBND tỉnh Thanh Hóa",
        code="SNV",
        place_name="Thanh Hóa",
        head_name="Trần Quốc Huy",
    )
    values = {
        "agency": agency,
        "kind": "THÔNG BÁO",
        "subject": "Thử nghiệm bố cục",
        "number": "05/TB-SNV",
        "issued_on": datetime.date(2023, 3, 5),
        "signer": Signer.head_of(agency),
        "recipients": recipients(["Bộ Nội vụ"], "CCHC"),
    }
    return Frame(**{**values, **changes})


def test_layout_prints_the_decree_frame_with_only_the_bundled_font(tmp_path):
    data = render_pdf("documents/layout.html", {"frame": _frame()})
    assert_a4(data)
    assert_only_bundled_font(data)
    assert_in_order(
        pdf_text(data),
        [
            "UBND TỈNH THANH HÓA",
            "SỞ NỘI VỤ",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: 05/TB-SNV",
            "Thanh Hóa, ngày 05 tháng 3 năm 2023",
            "THÔNG BÁO",
            "Thử nghiệm bố cục",
            "Nơi nhận:",
            "- Bộ Nội vụ;",
            "- Lưu: VT, CCHC (02).",
            "GIÁM ĐỐC",
            "Trần Quốc Huy",
        ],
    )
    assert "DỰ THẢO" not in pdf_text(data)


def test_a_draft_frame_has_a_blank_number_and_the_draft_mark():
    frame = _frame(number="\u00a0" * 5 + "/TB-SNV", issued_on=None, draft=True)
    data = render_pdf("documents/layout.html", {"frame": frame})
    text = pdf_text(data)
    assert re.search(r"Số: +/TB-SNV", text)
    assert "DỰ THẢO" in text


def test_the_bundled_fonts_are_the_liberation_serif_2_files():
    names = sorted(p.name for p in FONT_DIR.glob("*.ttf"))
    assert names == [
        "LiberationSerif-Bold.ttf",
        "LiberationSerif-BoldItalic.ttf",
        "LiberationSerif-Italic.ttf",
        "LiberationSerif-Regular.ttf",
    ]
    for path in FONT_DIR.glob("*.ttf"):
        version = TTFont(path)["name"].getDebugName(5)
        assert version.startswith("Version 2."), version
    assert "SIL Open Font License" in (FONT_DIR / "LICENSE").read_text()


def test_documents_may_not_load_anything_but_the_bundled_fonts():
    fetcher = documents._url_fetcher()
    with pytest.raises(ValueError):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError):
        fetcher.fetch("http://example.com/x.png")


def test_download_header_carries_an_ascii_and_a_utf8_name():
    response = pdf_response(b"%PDF-1.7", "Kế hoạch số 05/KH-SNV năm 2023")
    header = response["Content-Disposition"]
    assert header.startswith("attachment; ")
    assert 'filename="Ke-hoach-so-05-KH-SNV-nam-2023.pdf"' in header
    assert "filename*=UTF-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20s%E1%BB%91%2005-KH-SNV" in header
    assert response["Content-Type"] == "application/pdf"


# ---------------------------------------------------------------------------------------
# Store once, serve as stored
# ---------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _counting_build(calls):
    def build(document):
        calls.append(document.pk)
        return b"%PDF-1.7 rendered " + str(len(calls)).encode()

    return build


def test_an_issued_document_is_rendered_once_then_served_as_stored(db, media, agency):
    plan = issue(f.PlanFactory(agency=agency), on=datetime.date(2023, 3, 5))
    calls = []
    first = issued_pdf(plan, _counting_build(calls))
    plan = InspectionPlan.objects.get(pk=plan.pk)
    second = issued_pdf(plan, _counting_build(calls))
    assert first == second and calls == [plan.pk]
    assert plan.pdf_sha256 == hashlib.sha256(first).hexdigest()
    assert (media / plan.pdf.name).read_bytes() == first


def test_a_second_writer_keeps_the_first_stored_file(db, media, agency, monkeypatch):
    """Without row locks (SQLite) two first downloads may both render; one file wins."""
    plan = issue(f.PlanFactory(agency=agency), on=datetime.date(2023, 3, 5))
    stale = InspectionPlan.objects.get(pk=plan.pk)  # read before the other writer stored
    first = issued_pdf(plan, lambda d: b"%PDF first")
    # The late writer's "locked" read still sees the empty field.
    monkeypatch.setattr(
        InspectionPlan.objects,
        "select_for_update",
        lambda: types.SimpleNamespace(get=lambda pk: stale),
    )
    served = issued_pdf(stale, lambda d: b"%PDF second")
    assert served == first
    assert len(list((media / "documents").rglob("*.pdf"))) == 1
    assert InspectionPlan.objects.get(pk=plan.pk).pdf_sha256 == hashlib.sha256(first).hexdigest()


def test_a_stored_file_that_no_longer_matches_its_hash_is_refused(db, media, agency):
    plan = issue(f.PlanFactory(agency=agency), on=datetime.date(2023, 3, 5))
    issued_pdf(plan, lambda d: b"%PDF original")
    (media / plan.pdf.name).write_bytes(b"%PDF tampered")
    with pytest.raises(documents.StoredDocumentError):
        issued_pdf(InspectionPlan.objects.get(pk=plan.pk), lambda d: b"unused")


def test_a_draft_has_no_stored_pdf(db, media, agency):
    plan = f.PlanFactory(agency=agency)
    with pytest.raises(ValueError):
        issued_pdf(plan, lambda d: b"%PDF")
    assert documents.document_pdf(plan, lambda d: b"%PDF draft") == b"%PDF draft"
    plan.refresh_from_db()
    assert not plan.pdf and plan.pdf_sha256 == ""
