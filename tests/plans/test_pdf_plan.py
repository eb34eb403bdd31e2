"""The plan with its two appendices and the team decision, as downloaded PDFs."""

import datetime
import hashlib
import re

import pytest
from django.urls import reverse

from plans.documents import appendix_rows
from plans.models import InspectionPlan
from tests.core.test_documents import (
    assert_common_layout,
    assert_in_order,
    assert_page_numbers,
    issue,
    load_seed,
    page_texts,
    pdf_text,
    read_pdf,
    seed_world,
    text_runs,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def download(client, user, name, pk):
    client.force_login(user)
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return response.content


PLAN_PARTS = [
    "UBND TỈNH THANH HÓA",
    "SỞ NỘI VỤ",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "Số:",
    "/KH-SNV",
    "Thanh Hóa, ngày",
    "KẾ HOẠCH",
    "Kiểm tra công tác cải cách hành chính năm 2023",
    "Thực hiện Quyết định số 4750/QĐ-UBND ngày 30/12/2022",
    "Cụ thể như sau:",
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Mục đích",
    "- Thông qua kiểm tra để đánh giá đúng thực trạng",
    "2. Yêu cầu",
    "- Sau kiểm tra phải có kết luận rõ ràng",
    "II. ĐỐI TƯỢNG VÀ HÌNH THỨC KIỂM TRA",
    "1. Đối tượng",
    "(Danh sách các cơ quan, đơn vị, địa phương dự kiến thực hiện kiểm tra tại Phụ lục 1",
    "2. Hình thức kiểm tra",
    "3. Thời gian kiểm tra: Theo quyết định thành lập Đoàn kiểm tra.",
    "III. NỘI DUNG KIỂM TRA",
    "4. Các nội dung khác theo chỉ đạo của UBND tỉnh",
    "(Cụ thể nội dung kiểm tra theo đề cương báo cáo kèm theo)",
    "IV. TỔ CHỨC THỰC HIỆN",
    "1. Sở Nội vụ",
    "- Văn phòng Sở: bố trí phương tiện, kinh phí",
    "2. Các đơn vị được kiểm tra",
    "báo cáo Sở Nội vụ theo yêu cầu của đoàn kiểm tra./.",
    "Nơi nhận:",
    "- Bộ Nội vụ",
    "- UBND cấp huyện;",
    "- Lưu: VT, CCHC (02).",
    "GIÁM ĐỐC",
    "Trần Quốc Huy",
    "Phụ lục 1",
    "Danh sách cơ quan, đơn vị dự kiến thực hiện kiểm tra",
    "TT Các cơ quan, đơn vị Thời gian dự kiến Ghi chú",
    "I Các Sở, ngành cấp tỉnh",
    "1 Sở Giáo dục và Đào tạo",
    "Quý II, quý III năm 2023",
    "6 Văn phòng UBND tỉnh",
    "II Các cơ quan Trung ương đóng trên địa bàn tỉnh",
    "1 Bảo hiểm xã hội tỉnh",
    "Trong năm 2023",
    "III UBND cấp huyện",
    "1 Thành phố Thanh Hóa",
    "10 Huyện Quan Sơn",
    "Phụ lục 2",
    "ĐỀ CƯƠNG BÁO CÁO",
    "Tình hình, kết quả công tác cải cách hành chính",
    "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
    "1. Việc xây dựng và tổ chức thực hiện các văn bản chỉ đạo",
    "- Xây dựng và tổ chức thực hiện kế hoạch CCHC giai đoạn",
    "II. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH",
    "1. Cải cách thể chế",
    "Đối với Sở Tài chính: đánh giá cụ thể",
    "IV. ĐÁNH GIÁ CHUNG",
    "V. PHƯƠNG HƯỚNG, NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH TRONG THỜI GIAN TỚI",
    "VI. KIẾN NGHỊ, ĐỀ XUẤT (nếu có)",
]


def test_draft_plan_reads_like_the_seed_with_a_blank_number(client, staff):
    plan = load_seed()
    data = download(client, staff, "plans:plan-pdf", plan.pk)

    assert_common_layout(data)
    assert_page_numbers(data)
    text = pdf_text(data)
    assert_in_order(text, PLAN_PARTS)
    assert re.search(r"Số: +/KH-SNV", text)
    assert "DỰ THẢO" in text
    plan.refresh_from_db()
    assert not plan.pdf, "a draft is never stored"


def test_appendix_1_numbers_groups_in_roman_and_merges_the_period(db):
    plan = load_seed()
    groups = appendix_rows(plan)
    assert [g["roman"] for g in groups] == ["I", "II", "III"]
    assert [row["span"] for row in groups[0]["rows"]] == [6, 0, 0, 0, 0, 0]
    assert [row["span"] for row in groups[2]["rows"]] == [10] + [0] * 9

    data = pdf_text_of_appendix_1(plan)
    # The period is printed once per group, in the cell spanning the group's rows.
    assert data.count("Quý II, quý III năm 2023") == 1
    assert data.count("Trong năm 2023") == 2


def pdf_text_of_appendix_1(plan):
    from plans.documents import render_plan

    pages = page_texts(render_plan(plan))
    return next(p for p in pages if p.startswith("Phụ lục 1"))


def test_footnotes_sit_at_the_foot_of_the_page_where_they_are_cited(db):
    from plans.documents import render_plan

    plan = load_seed()
    reader = read_pdf(render_plan(plan))
    pages = [" ".join(t for t, _, _ in text_runs(page)) for page in reader.pages]
    call = next(i for i, text in enumerate(pages) if "vật chất...);" in text)
    note = "Đối với các đơn vị cấp huyện thực hiện báo cáo kết quả"
    assert [i for i, text in enumerate(pages) if note in text] == [call]
    runs = text_runs(reader.pages[call])
    note_y = next(y for t, _, y in runs if t.startswith("Đối với các đơn vị cấp huyện"))
    body_y = min(y for t, _, y in runs if "Đối với các đơn vị cấp huyện" not in t and y > 100)
    assert note_y < body_y, "the footnote is printed below the text of its page"
    title_page = next(i for i, text in enumerate(pages) if "ĐỀ CƯƠNG BÁO CÁO" in text)
    assert "Số liệu báo cáo (từ 01/01/2021 đến thời điểm báo cáo)" in pages[title_page]


def test_issued_plan_is_stored_once_and_served_as_stored(client, staff, leader, media):
    plan = issue(load_seed(), on=datetime.date(2023, 3, 5))
    first = download(client, staff, "plans:plan-pdf", plan.pk)

    text = pdf_text(first)
    assert_in_order(text, ["Số: 01/KH-SNV", "Thanh Hóa, ngày 05 tháng 3 năm 2023", "KẾ HOẠCH"])
    assert "(Kèm theo Kế hoạch số 01/KH-SNV ngày 05/3/2023 của Sở Nội vụ)" in text
    assert "DỰ THẢO" not in text
    plan.refresh_from_db()
    assert plan.pdf_sha256 == hashlib.sha256(first).hexdigest()
    assert (media / plan.pdf.name).read_bytes() == first

    # Never regenerated: even a change to the record leaves the issued document as it was.
    InspectionPlan.objects.filter(pk=plan.pk).update(title="Tiêu đề đã bị sửa")
    second = download(client, leader, "plans:plan-pdf", plan.pk)
    assert second == first


TEAM_PARTS = [
    "QUYẾT ĐỊNH",
    "Về việc thành lập Đoàn kiểm tra số 1 kiểm tra công tác cải cách hành chính năm 2023",
    "GIÁM ĐỐC SỞ NỘI VỤ",
    "Căn cứ Quyết định số 2600/QĐ-UBND ngày 12/7/2021 của UBND tỉnh quy định chức năng, "
    "nhiệm vụ của Sở Nội vụ;",
    "Căn cứ Kế hoạch số 05/KH-SNV ngày 05/3/2023 của Sở Nội vụ;",
    "Theo đề nghị của Trưởng phòng Cải cách hành chính.",
    "QUYẾT ĐỊNH:",
    "Điều 1. Thành lập Đoàn kiểm tra số 1",
    "TT Họ và tên Chức vụ Cơ quan công tác Nhiệm vụ trong Đoàn",
    "1 Nguyễn Văn Trưởng Phó Giám đốc Sở Nội vụ Trưởng đoàn",
    "2 Lê Thị Phó Trưởng phòng CCHC Sở Nội vụ Phó Trưởng đoàn",
    "3 Trịnh Văn Pháp Chuyên viên Sở Tài chính Thành viên",
    "4 Hoàng Thị Ký Chuyên viên Sở Nội vụ Thư ký",
    "Điều 2. Kiểm tra công tác cải cách hành chính tại Sở Tư pháp",
    "Điều 3. Chánh Văn phòng Sở",
    "Nơi nhận:",
    "- Như Điều 3;",
    "- Lưu: VT, CCHC (02).",
    "GIÁM ĐỐC",
    "Trần Quốc Huy",
]


def test_draft_team_decision(client, staff):
    world = seed_world()
    data = download(client, staff, "plans:team-pdf", world.team.pk)

    assert_common_layout(data)
    text = pdf_text(data)
    assert_in_order(text, TEAM_PARTS)
    assert re.search(r"Số: +/QĐ-SNV", text)
    assert "DỰ THẢO" in text
    # The căn cứ are set in italic.
    page = read_pdf(data).pages[0]
    italic = []
    page.extract_text(
        visitor_text=lambda t, cm, tm, font, size: italic.append(
            (t.strip(), str(font.get("/BaseFont", "")) if font else "")
        )
    )
    bases = [font for t, font in italic if t.startswith("Căn cứ")]
    assert bases and all(font.endswith("Italic") for font in bases), bases


def test_issued_team_decision_has_its_number_and_is_stored(client, staff, team_member):
    world = seed_world(team_user=team_member)
    issue(world.team, on=datetime.date(2023, 5, 20))
    first = download(client, team_member, "plans:team-pdf", world.team.pk)

    text = pdf_text(first)
    assert_in_order(text, ["Số: 01/QĐ-SNV", "Thanh Hóa, ngày 20 tháng 5 năm 2023", *TEAM_PARTS])
    assert "DỰ THẢO" not in text
    world.team.refresh_from_db()
    assert world.team.pdf_sha256 == hashlib.sha256(first).hexdigest()
    assert download(client, staff, "plans:team-pdf", world.team.pk) == first


# ---------------------------------------------------------------------------------------
# Who may download
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["staff", "leader"])
def test_staff_side_downloads_the_plan(client, world, persona, request):
    download(client, request.getfixturevalue(persona), "plans:plan-pdf", world.plan.pk)


@pytest.mark.parametrize("persona", ["team_member", "focal_a", "outsider"])
def test_others_may_not_download_the_plan(client, world, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("plans:plan-pdf", args=[world.plan.pk])).status_code == 403


def test_anonymous_is_sent_to_log_in(client, world):
    for name, pk in [("plans:plan-pdf", world.plan.pk), ("plans:team-pdf", world.team.pk)]:
        response = client.get(reverse(name, args=[pk]))
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_missing_plan_is_404(client, staff, world):
    client.force_login(staff)
    assert client.get(reverse("plans:plan-pdf", args=[world.plan.pk + 99])).status_code == 404


@pytest.mark.parametrize("persona", ["staff", "leader", "team_member"])
def test_team_decision_for_staff_and_the_team(client, world, persona, request):
    download(client, request.getfixturevalue(persona), "plans:team-pdf", world.team.pk)


def test_team_decision_of_another_team_is_404(client, world, other_team_member):
    client.force_login(other_team_member)
    assert client.get(reverse("plans:team-pdf", args=[world.team.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["focal_a", "outsider"])
def test_team_decision_refused_to_others(client, world, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("plans:team-pdf", args=[world.team.pk])).status_code == 403
