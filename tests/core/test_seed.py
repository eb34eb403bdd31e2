"""The founding document (Kế hoạch kiểm tra CCHC năm 2023 of Thanh Hóa) loads as data.

Each check compares the loaded rows with the document itself, read from
``fixtures/source/``, so a word changed in the fixture fails here.
"""

import datetime
import re
import unicodedata

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models

from cchc_inspection.models import Agency
from plans.models import InspectionPlan, PlanEntry
from reports.models import Audience, Footnote, Indicator, IndicatorRule, OutlineItem
from units.models import Unit

SOURCE = settings.BASE_DIR / "fixtures" / "source" / "ke-hoach-kiem-tra-cchc-2023-thanh-hoa.txt"
DEPARTMENTS = [
    "Sở Giáo dục và Đào tạo",
    "Sở Giao thông Vận tải",
    "Sở Lao động, Thương binh và Xã hội",
    "Sở Tư pháp",
    "Sở Tài nguyên Môi trường",
    "Văn phòng UBND tỉnh",
]
DISTRICTS = [
    "Thành phố Thanh Hóa",
    "Huyện Đông Sơn",
    "Huyện Vĩnh Lộc",
    "Huyện Nông Cống",
    "Huyện Như Xuân",
    "Huyện Ngọc Lặc",
    "Huyện Lang Chánh",
    "Huyện Bá Thước",
    "Huyện Quan Hóa",
    "Huyện Quan Sơn",
]


@pytest.fixture
def plan(db):
    call_command("loaddata", "thanh_hoa_2023", verbosity=0)
    return InspectionPlan.objects.select_related("agency", "outline").get(year=2023)


def source_lines():
    return [line.strip() for line in SOURCE.read_text(encoding="utf-8").splitlines()]


def between(first, last):
    """The non-empty lines of the document strictly between two heading lines."""
    lines = source_lines()
    start = lines.index(first)
    end = lines.index(last, start + 1)
    return [line for line in lines[start + 1 : end] if line]


def outline_paragraphs():
    """Phụ lục 2 as paragraphs: page footers (¹ ², the footnotes) lifted out, and a
    paragraph broken by a footer (continuing in lower case) joined back together."""
    lines = source_lines()
    paragraphs = []
    for line in lines[lines.index("Phụ lục 2") + 3 :]:
        if not line or line[0] in "¹²":
            continue
        if paragraphs and line[0].islower():
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
    return [p.replace("²", "") for p in paragraphs]


def test_agency_is_data(plan):
    agency = Agency.objects.get(code="SNV")
    assert plan.agency == agency
    assert (agency.parent_name, agency.name, agency.division_code, agency.place_name) == (
        "UBND TỈNH THANH HÓA",
        "SỞ NỘI VỤ",
        "CCHC",
        "Thanh Hóa",
    )
    assert (agency.head_title, agency.head_name) == ("GIÁM ĐỐC", "Trần Quốc Huy")


def test_plan_header(plan):
    assert plan.year == 2023
    assert plan.symbol == "KH-SNV"
    assert plan.number is None and plan.issued_on is None
    assert plan.status == InspectionPlan.Status.DRAFT
    assert plan.title == "Kiểm tra công tác cải cách hành chính năm 2023"
    assert plan.number_display.endswith("/KH-SNV")
    assert (plan.signer_title, plan.signer_name) == ("GIÁM ĐỐC", "Trần Quốc Huy")
    assert plan.report_lead_days == 3
    assert plan.deadline_basis == "calendar"
    assert plan.legal_basis.startswith(
        "Thực hiện Quyết định số 4750/QĐ-UBND ngày 30/12/2022 của Chủ tịch UBND tỉnh"
    )


def test_every_paragraph_of_sections_i_to_iv_is_verbatim(plan):
    title = "Kiểm tra công tác cải cách hành chính năm 2023"
    assert plan.legal_basis.splitlines() == between(title, "I. MỤC ĐÍCH, YÊU CẦU")
    assert plan.purposes.splitlines() == between("1. Mục đích", "2. Yêu cầu")
    assert plan.requirements.splitlines() == between(
        "2. Yêu cầu", "II. ĐỐI TƯỢNG VÀ HÌNH THỨC KIỂM TRA"
    )
    assert [*plan.subjects.splitlines(), plan.subjects_note] == between(
        "1. Đối tượng", "2. Hình thức kiểm tra"
    )
    assert [*plan.forms.splitlines(), f"3. Thời gian kiểm tra: {plan.timing}"] == between(
        "2. Hình thức kiểm tra", "III. NỘI DUNG KIỂM TRA"
    )
    assert [*plan.contents.splitlines(), plan.contents_note] == between(
        "III. NỘI DUNG KIỂM TRA", "IV. TỔ CHỨC THỰC HIỆN"
    )
    assert plan.duties_agency.splitlines() == between("1. Sở Nội vụ", "2. Các đơn vị được kiểm tra")
    assert plan.duties_units.splitlines() == between("2. Các đơn vị được kiểm tra", "Nơi nhận:")
    assert plan.recipients.splitlines() == between("Nơi nhận:", "GIÁM ĐỐC")


def test_sample_sentences_verbatim(plan):
    assert (
        "- Xây dựng báo cáo, chuẩn bị các văn bản và tài liệu kiểm chứng gửi đoàn kiểm tra "
        "trước thời gian kiểm tra ít nhất 03 (ba) ngày." in plan.duties_units.splitlines()
    )
    assert (
        "- Văn phòng Sở: bố trí phương tiện, kinh phí, đảm bảo các điều kiện cần thiết cho "
        "hoạt động kiểm tra theo quy định." in plan.duties_agency.splitlines()
    )
    assert plan.subjects.splitlines() == [
        "- Các sở, ngành cấp tỉnh; các cơ quan Trung ương đóng trên địa bàn tỉnh.",
        "- UBND cấp huyện; UBND cấp xã.",
    ]
    assert plan.subjects_note == (
        "(Danh sách các cơ quan, đơn vị, địa phương dự kiến thực hiện kiểm tra tại Phụ lục 1 "
        "đính kèm)"
    )
    assert plan.contents_note == "(Cụ thể nội dung kiểm tra theo đề cương báo cáo kèm theo)"
    assert plan.timing == "Theo quyết định thành lập Đoàn kiểm tra."
    assert plan.recipients.splitlines()[0] == "- Bộ Nội vụ (đề b/c);"
    assert plan.recipients.splitlines()[-1] == "- Lưu: VT; CCHC (02)."


def test_appendix_1_groups_and_entries(plan):
    groups = list(plan.groups.order_by("order"))
    assert [(g.order, g.title, g.expected_period, g.category) for g in groups] == [
        (1, "Các Sở, ngành cấp tỉnh", "Quý II, quý III năm 2023", "department"),
        (2, "Các cơ quan Trung ương đóng trên địa bàn tỉnh", "Trong năm 2023", "central"),
        (3, "UBND cấp huyện", "Trong năm 2023", "district"),
    ]
    entries = list(
        PlanEntry.objects.filter(plan=plan)
        .select_related("unit", "group")
        .order_by("group__order", "order")
    )
    assert len(entries) == 18
    names = [e.unit.name for e in entries]
    assert names == [*DEPARTMENTS, "Bảo hiểm xã hội tỉnh", "Cục Quản lý thị trường", *DISTRICTS]
    periods = [e.period for e in entries]
    assert periods[:6] == ["Quý II, quý III năm 2023"] * 6
    assert periods[6:] == ["Trong năm 2023"] * 12
    assert all(e.unit.category == e.group.category for e in entries)


def test_units_are_dated_and_searchable(plan):
    districts = Unit.objects.filter(category=Unit.Category.DISTRICT)
    assert sorted(districts.values_list("name", flat=True)) == sorted(DISTRICTS)
    assert set(districts.values_list("valid_to", flat=True)) == {datetime.date(2025, 6, 30)}
    assert not Unit.objects.exclude(category=Unit.Category.DISTRICT).filter(valid_to__isnull=False)
    finance = Unit.objects.get(name="Sở Tài chính")
    assert finance.category == Unit.Category.DEPARTMENT
    assert not finance.plan_entries.exists()
    assert list(Unit.objects.search("thanh hoá")) == [Unit.objects.get(name="Thành phố Thanh Hóa")]
    assert Unit.objects.search("DONG SON").get().name == "Huyện Đông Sơn"


def test_outline_tree_labels_as_printed(plan):
    outline = plan.outline
    assert outline.heading == "ĐỀ CƯƠNG BÁO CÁO"
    assert outline.title == "Tình hình, kết quả công tác cải cách hành chính"
    assert outline.period_start == datetime.date(2021, 1, 1)
    items = OutlineItem.objects.filter(outline=outline)
    top = items.filter(parent__isnull=True).order_by("order")
    assert list(top.values_list("label", flat=True)) == ["I", "II", "IV", "V", "VI"]
    assert all(item.kind == OutlineItem.Kind.SECTION for item in top)
    by_label = {item.label: item for item in top}
    assert [c.label for c in by_label["I"].children.order_by("order")] == ["1", "2", "3", "4"]
    assert [c.label for c in by_label["II"].children.order_by("order")] == [
        "1", "2", "3", "4", "5", "6",
    ]  # fmt: skip
    assert [(c.label, c.title) for c in by_label["IV"].children.order_by("order")] == [
        ("1", "Những ưu điểm."),
        ("2", "Những tồn tại, hạn chế, nguyên nhân."),
    ]
    assert by_label["V"].title == "PHƯƠNG HƯỚNG, NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRONG THỜI GIAN TỚI"
    assert by_label["VI"].title == "KIẾN NGHỊ, ĐỀ XUẤT (nếu có)"
    # Sections that only group their headings are not answered; everything else is.
    assert not by_label["I"].answerable and not by_label["II"].answerable
    assert by_label["V"].answerable and by_label["VI"].answerable
    assert all(i.answerable for i in items.exclude(kind=OutlineItem.Kind.SECTION))
    # Every heading of the document is an item, word for word.
    paragraphs = outline_paragraphs()
    printed = [p for p in paragraphs if re.match(r"^([IVX]+|\d+)\. ", p)]
    stored = [f"{i.label}. {i.title}" for i in items.exclude(kind__in=["point", "note"])]
    assert [p.removesuffix(" . / .") for p in printed] == stored


def test_every_dash_line_is_a_point_verbatim(plan):
    points = OutlineItem.objects.filter(outline=plan.outline, kind=OutlineItem.Kind.POINT)
    titles = list(points.order_by("order").values_list("title", flat=True))
    dashes = [p.removeprefix("- ") for p in outline_paragraphs() if p.startswith("- ")]
    assert len(dashes) == 37
    assert titles == dashes
    assert set(points.values_list("label", flat=True)) == {"-"}
    assert all(p.parent.kind == OutlineItem.Kind.HEADING for p in points.select_related("parent"))
    # The raw lines too, including the one a page footer cuts in two.
    raw = [line[2:].replace("²", "") for line in source_lines() if line.startswith("- ")]
    appendix_2 = raw[-37:]
    assert all(any(t.startswith(line) for t in titles) for line in appendix_2)


def test_audiences(plan):
    items = OutlineItem.objects.filter(outline=plan.outline)
    note = items.get(kind=OutlineItem.Kind.NOTE)
    assert note.title == (
        "Đối với Sở Tài chính: đánh giá cụ thể kết quả thực hiện nội dung về cải cách tài chính "
        "công của toàn tỉnh."
    )
    assert note.audience == Audience.NAMED_UNIT
    assert note.audience_unit.name == "Sở Tài chính"
    assert (note.parent.parent.label, note.parent.label) == ("II", "5")
    district = items.get(audience=Audience.DISTRICT)
    assert district.title.startswith(
        "Báo cáo số lượng, chất lượng cán bộ, công chức cấp xã (đối với các đơn vị cấp huyện)"
    )
    assert district.applies_to(Unit.objects.get(name="Huyện Đông Sơn"))
    assert not district.applies_to(Unit.objects.get(name="Sở Tư pháp"))
    assert note.applies_to(Unit.objects.get(name="Sở Tài chính"))
    assert not note.applies_to(Unit.objects.get(name="Sở Tư pháp"))


def test_footnotes(plan):
    first, second = Footnote.objects.filter(outline=plan.outline).order_by("number")
    assert (first.number, first.item, first.covers_communes) == (1, None, False)
    assert first.text == "Số liệu báo cáo (từ 01/01/2021 đến thời điểm báo cáo)"
    assert second.number == 2 and second.covers_communes
    assert second.text == (
        "Đối với các đơn vị cấp huyện thực hiện báo cáo kết quả của UBND cấp xã thuộc quyền "
        "quản lý."
    )
    assert second.item.title.startswith("Việc thực hiện cơ chế một cửa, một cửa liên thông")
    assert (second.item.parent.parent.label, second.item.parent.label) == ("II", "2")


EXPECTED_INDICATORS = {
    # code: (kind, unit of measure, heading "section.heading")
    "ke-hoach-cchc": ("boolean", "", "I.1"),
    "nhiem-vu-cchc": ("count", "nhiệm vụ", "I.1"),
    "nhiem-vu-hoan-thanh": ("count", "nhiệm vụ", "I.1"),
    "vb-trien-khai-cchc": ("count", "văn bản", "I.1"),
    "ke-hoach-tuyen-truyen": ("boolean", "", "I.2"),
    "van-de-phat-hien": ("count", "vấn đề", "I.3"),
    "van-de-khac-phuc": ("count", "vấn đề", "I.3"),
    "sang-kien": ("count", "sáng kiến", "I.4"),
    "qppl-ban-hanh": ("count", "văn bản", "II.1"),
    "hs-tiep-nhan": ("count", "hồ sơ", "II.2"),
    "hs-truc-tiep": ("count", "hồ sơ", "II.2"),
    "hs-bcci": ("count", "hồ sơ", "II.2"),
    "hs-truc-tuyen": ("count", "hồ sơ", "II.2"),
    "hs-da-giai-quyet": ("count", "hồ sơ", "II.2"),
    "hs-dung-han": ("count", "hồ sơ", "II.2"),
    "hs-qua-han": ("count", "hồ sơ", "II.2"),
    "hs-xin-loi": ("count", "hồ sơ", "II.2"),
    "tthc-mot-cua": ("count", "TTHC", "II.2"),
    "muc-ho-tro-mot-cua": ("amount", "đồng/người/tháng", "II.2"),
    "ty-le-hai-long": ("percent", "%", "II.2"),
    "bien-che-giao": ("count", "người", "II.3"),
    "bien-che-co-mat": ("count", "người", "II.3"),
    "hop-dong-lao-dong": ("count", "người", "II.3"),
    "lop-dtbd": ("count", "lớp", "II.4"),
    "cbcc-cap-xa": ("count", "người", "II.4"),
    "kien-nghi-sau-thanh-tra": ("count", "kiến nghị", "II.5"),
    "kien-nghi-da-thuc-hien": ("count", "kiến nghị", "II.5"),
    "quy-che-tai-san-cong": ("boolean", "", "II.5"),
    "ty-le-van-ban-dien-tu": ("percent", "%", "II.6"),
    "dvc-toan-trinh": ("count", "dịch vụ", "II.6"),
    "hs-toan-trinh": ("count", "hồ sơ", "II.6"),
    "tthc-thanh-toan-truc-tuyen": ("count", "TTHC", "II.6"),
    "hs-thanh-toan-truc-tuyen": ("count", "hồ sơ", "II.6"),
}
DOSSIERS = {
    "hs-tiep-nhan", "hs-truc-tiep", "hs-bcci", "hs-truc-tuyen",
    "hs-da-giai-quyet", "hs-dung-han", "hs-qua-han", "hs-xin-loi",
}  # fmt: skip


def test_indicators_cover_the_figures_of_the_outline(plan):
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(outline=plan.outline).select_related(
            "item__parent__parent"
        )
    }
    assert len(indicators) >= 30
    assert set(EXPECTED_INDICATORS) <= set(indicators)
    for code, (kind, uom, area) in EXPECTED_INDICATORS.items():
        indicator = indicators[code]
        heading = indicator.item.parent
        assert (indicator.kind, indicator.unit_of_measure) == (kind, uom), code
        assert f"{heading.parent.label}.{heading.label}" == area, code
    # Figures sit at the dash point that asks for them.
    assert all(i.item.kind == OutlineItem.Kind.POINT for i in indicators.values())
    assert "tổng số hồ sơ đã tiếp nhận" in indicators["hs-tiep-nhan"].item.title
    assert "số biên chế có mặt" in indicators["bien-che-co-mat"].item.title
    assert all(i.kind == "percent" for i in indicators.values() if i.unit_of_measure == "%")
    assert {c for c, i in indicators.items() if i.includes_communes} == DOSSIERS
    assert {c for c, i in indicators.items() if i.audience == Audience.DISTRICT} == {
        "cbcc-cap-xa",
        "khong-chuyen-trach-cap-xa",
    }
    kinds = {i.kind for i in indicators.values()}
    assert kinds == {"count", "percent", "amount", "boolean"}


def rule_set(outline):
    rules = IndicatorRule.objects.filter(outline=outline).prefetch_related("terms")
    return {
        (frozenset(t.code for t in r.terms.all()), r.operator, r.target.code): r
        for r in rules.select_related("target")
    }


@pytest.mark.parametrize(
    ("terms", "operator", "target", "severity"),
    [
        ({"hs-truc-tiep", "hs-bcci", "hs-truc-tuyen"}, "eq", "hs-tiep-nhan", "error"),
        ({"hs-dung-han", "hs-qua-han"}, "eq", "hs-da-giai-quyet", "error"),
        ({"hs-da-giai-quyet"}, "le", "hs-tiep-nhan", "error"),
        ({"hs-xin-loi"}, "le", "hs-qua-han", "error"),
        ({"nhiem-vu-hoan-thanh"}, "le", "nhiem-vu-cchc", "error"),
        ({"van-de-khac-phuc"}, "le", "van-de-phat-hien", "error"),
        ({"kien-nghi-da-thuc-hien"}, "le", "kien-nghi-sau-thanh-tra", "error"),
        ({"bien-che-co-mat"}, "le", "bien-che-giao", "warning"),
        ({"hs-toan-trinh"}, "le", "hs-truc-tuyen", "error"),
    ],
)
def test_rules_bind_the_figures(plan, terms, operator, target, severity):
    rule = rule_set(plan.outline)[(frozenset(terms), operator, target)]
    assert rule.severity == severity
    assert rule.message and rule.message.endswith(".")


def test_dossier_rule_message_is_vietnamese(plan):
    rule = IndicatorRule.objects.get(target__code="hs-tiep-nhan", operator="eq")
    assert rule.message == (
        "Tổng số hồ sơ tiếp nhận phải bằng tổng hồ sơ trực tiếp, qua BCCI và trực tuyến."
    )


def test_all_text_is_nfc(plan):
    checked = 0
    for model in apps.get_models():
        if model._meta.app_label not in {"cchc_inspection", "units", "plans", "reports"}:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        for row in model.objects.values_list(*fields) if fields else ():
            for value in row:
                if value:
                    assert value == unicodedata.normalize("NFC", value)
                    checked += 1
    assert checked > 300


def test_loading_twice_changes_nothing(plan):
    counts = [m.objects.count() for m in (Unit, PlanEntry, OutlineItem, Indicator, IndicatorRule)]
    call_command("loaddata", "thanh_hoa_2023", verbosity=0)
    assert [
        m.objects.count() for m in (Unit, PlanEntry, OutlineItem, Indicator, IndicatorRule)
    ] == counts
    assert counts[:3] == [19, 18, 55]
