"""Journey 1: the whole inspection of Sở Tư pháp under the 2023 plan, walked in Chromium
by the people who do it — from the leader issuing the plan to the inspection closing
itself when the last remediation is verified — with the dashboard read along the way."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from plans.models import Inspection, InspectionPlan

from .helpers import (
    dashboard_numbers,
    download,
    expect_message,
    field,
    file_payload,
    pdf_bytes,
    pdf_text,
    xlsx_bytes,
)

pytestmark = pytest.mark.e2e

UNIT = "Sở Tư pháp"
TASKS = "Số nhiệm vụ trong kế hoạch CCHC năm"
DONE = "Số nhiệm vụ đã hoàn thành"


def vn(day):
    return day.strftime("%d/%m/%Y")


def leader_issues_plan(page):
    page.get_by_role("link", name="Kế hoạch", exact=True).click()
    page.get_by_role("link", name="Kiểm tra công tác cải cách hành chính năm 2023").click()
    expect(page.get_by_text("Dự thảo").first).to_be_visible()
    page.get_by_role("button", name="Ký, ban hành kế hoạch (cấp số)").click()
    expect_message(page, "Đã ban hành")


def staff_sets_up_team(page, plan):
    page.goto(f"/ke-hoach/{plan.pk}/")
    page.get_by_role("link", name="Đoàn kiểm tra").first.click()
    page.get_by_role("link", name="Thành lập đoàn").click()
    page.get_by_label("Tên đoàn").fill("Đoàn kiểm tra số 1")
    page.get_by_role("button", name="Lưu đoàn kiểm tra").click()
    expect_message(page, "Đã lập Đoàn kiểm tra số 1")
    page.get_by_role("link", name="Thêm thành viên").click()
    page.get_by_label("Tài khoản trong hệ thống").select_option(label="Phạm Văn Đức (doankiemtra)")
    page.get_by_label("Chức vụ").fill("Trưởng phòng Cải cách hành chính")
    page.get_by_label("Nhiệm vụ trong đoàn").select_option(label="Trưởng đoàn")
    page.get_by_role("button", name="Lưu thành viên").click()
    expect_message(page, "Đã lưu thành viên Phạm Văn Đức")
    page.get_by_role("link", name="Thêm thành viên").click()
    page.get_by_label("Họ và tên").fill("Lê Thị Hoa")
    page.get_by_label("Chức vụ").fill("Chuyên viên")
    page.get_by_label("Cơ quan công tác").fill("Sở Tài chính")
    page.get_by_label("Nhiệm vụ trong đoàn").select_option(label="Thành viên")
    page.get_by_role("button", name="Lưu thành viên").click()
    expect_message(page, "Đã lưu thành viên Lê Thị Hoa")
    return page.url


def leader_issues_team_decision(page, team_url):
    page.goto(team_url)
    page.get_by_role("button", name="Ký, ban hành quyết định").click()
    expect_message(page, "Đã ban hành Quyết định số")


def staff_schedules(page, team_url, start):
    page.goto(team_url)
    page.get_by_role("link", name="Lên lịch kiểm tra").click()
    page.get_by_label("Tìm đơn vị").fill("tu phap")
    units = page.get_by_label("Cơ quan, đơn vị được kiểm tra")
    expect(units.locator("option:not([hidden])")).to_have_text(
        ["---------", f"{UNIT} — Sở, ngành cấp tỉnh"]
    )
    units.select_option(label=f"{UNIT} — Sở, ngành cấp tỉnh")
    field(page, "Hình thức").select_option(label="Kiểm tra trực tiếp tại đơn vị")
    page.get_by_label("Ngày kiểm tra").fill(start.isoformat())
    page.get_by_label("Đến ngày").fill(start.isoformat())
    page.get_by_label("Địa điểm").fill("Trụ sở Sở Tư pháp")
    page.get_by_role("button", name="Lên lịch kiểm tra").click()
    deadline = start - datetime.timedelta(days=3)
    expect_message(page, f"Đã lên lịch kiểm tra {UNIT}. Hạn gửi báo cáo: {vn(deadline)}")
    return page.url


def item_form(page, text):
    """The form of the outline item whose block shows ``text`` (its title or a figure)."""
    return page.locator("form.js-item-form").filter(has_text=text)


def figure_messages(form, label):
    """The check messages shown beside the figure labelled ``label``."""
    control = form.get_by_label(label, exact=True)
    wrap = control.locator("xpath=ancestor::div[contains(@class, 'js-figure-wrap')]")
    return wrap.locator(".js-figure-messages")


def unit_answers_outline(page):
    page.get_by_role("link", name="Soạn báo cáo").click()
    expect(
        page.get_by_role("heading", name="Báo cáo công tác cải cách hành chính năm 2023")
    ).to_be_visible()
    first = item_form(page, "Nội dung trả lời mục 1").first
    first.get_by_label("Nội dung trả lời mục 1").fill(
        "Sở Tư pháp ban hành Kế hoạch CCHC năm 2023 và các văn bản chỉ đạo, điều hành kịp thời."
    )
    first.get_by_role("button", name="Lưu mục").click()
    expect(item_form(page, "Nội dung trả lời mục 1").first.locator(".js-item-status")).to_have_text(
        "Đã lưu"
    )

    plan_form = item_form(page, TASKS)
    plan_form.get_by_label("Nội dung trả lời").fill(
        "Kế hoạch CCHC năm 2023 của Sở đề ra 20 nhiệm vụ; đến thời điểm báo cáo đã hoàn thành."
    )
    plan_form.get_by_label("Đã ban hành kế hoạch CCHC năm").select_option(label="Có")
    plan_form.get_by_label(TASKS, exact=True).fill("20")
    plan_form.get_by_label(TASKS, exact=True).press("Tab")
    done = plan_form.get_by_label(f"{TASKS} đã hoàn thành", exact=True)
    done.fill("25")
    done.press("Tab")
    rule = (
        "Số nhiệm vụ đã hoàn thành không được lớn hơn số nhiệm vụ trong kế hoạch CCHC năm (25 > 20)"
    )
    messages = figure_messages(plan_form, f"{TASKS} đã hoàn thành")
    expect(messages).to_contain_text(rule)
    done.fill("18")
    done.press("Tab")
    expect(messages).not_to_contain_text("không được lớn hơn")
    plan_form.get_by_role("button", name="Lưu mục").click()
    expect(item_form(page, TASKS).locator(".js-item-status")).to_have_text("Đã lưu")


def unit_uploads_evidence(page):
    item_form(page, TASKS).get_by_role("link", name="Tải lên cho mục này").click()
    expect(page.get_by_role("heading", name="Tải lên tài liệu kiểm chứng")).to_be_visible()
    page.get_by_label("Tệp tài liệu kiểm chứng").set_input_files(
        [
            file_payload("Ke hoach CCHC 2023.pdf", pdf_bytes("Kế hoạch CCHC năm 2023")),
            file_payload(
                "Bang theo doi nhiem vu.xlsx",
                xlsx_bytes([["Nhiệm vụ", "Kết quả"], ["Rà soát TTHC", "Hoàn thành"]]),
            ),
        ]
    )
    page.get_by_label("Mô tả (không bắt buộc)").fill("Kế hoạch và bảng theo dõi nhiệm vụ")
    page.get_by_role("button", name="Tải lên").click()
    expect_message(page, "Đã tải lên 2 tệp")
    evidence = item_form(page, TASKS)
    expect(evidence.get_by_role("link", name="Ke hoach CCHC 2023.pdf")).to_be_visible()
    expect(evidence.get_by_role("link", name="Bang theo doi nhiem vu.xlsx")).to_be_visible()


def unit_submits(page, again=False):
    name = "Nộp lại báo cáo" if again else "Nộp báo cáo"
    page.get_by_role("button", name=name, exact=True).click()
    expect_message(page, "Đã nộp báo cáo")
    expect(page.get_by_text("Báo cáo đã nộp và được khóa")).to_be_visible()


def staff_returns_one_item(page, inspection_url):
    page.goto(inspection_url)
    page.get_by_role("link", name="Xem xét báo cáo").click()
    row = page.locator(".list-group-item").filter(
        has_text="Xây dựng và tổ chức thực hiện kế hoạch CCHC"
    )
    expect(row.get_by_role("link", name="Ke hoach CCHC 2023.pdf")).to_be_visible()
    expect(row).to_contain_text("18")
    row.get_by_label("Nhận xét tại mục này").fill(
        "Đề nghị nêu rõ tên 02 nhiệm vụ chưa hoàn thành và nguyên nhân."
    )
    page.get_by_role("button", name="Trả lại để bổ sung").click()
    expect_message(page, "Đã trả lại báo cáo")


def unit_fixes_returned_item(page):
    page.goto("/")
    expect(page.get_by_text("Đề nghị nêu rõ tên 02 nhiệm vụ chưa hoàn thành").first).to_be_visible()
    page.get_by_role("link", name="Soạn báo cáo").click()
    expect(page.get_by_text("Đoàn kiểm tra trả lại báo cáo để bổ sung")).to_be_visible()
    plan_form = item_form(page, TASKS)
    expect(plan_form.locator("xpath=..")).to_contain_text("Có nhận xét")
    answer = plan_form.get_by_label("Nội dung trả lời")
    answer.fill(
        answer.input_value()
        + " Hai nhiệm vụ chưa hoàn thành: số hóa hồ sơ lý lịch tư pháp và rà soát quy trình"
        " nội bộ, do chờ hướng dẫn của Bộ Tư pháp."
    )
    plan_form.get_by_role("button", name="Lưu mục").click()
    expect(item_form(page, TASKS).locator(".js-item-status")).to_have_text("Đã lưu")


def staff_accepts_and_records(page, inspection_url):
    page.goto(inspection_url)
    page.get_by_role("link", name="Xem xét báo cáo").click()
    expect(page.get_by_text("Hai nhiệm vụ chưa hoàn thành")).to_be_visible()
    page.get_by_role("button", name="Chấp nhận báo cáo").click()
    expect_message(page, "Đã chấp nhận báo cáo của đơn vị")
    page.goto(inspection_url)
    page.get_by_role("button", name="Ghi nhận đã kiểm tra tại đơn vị").click()
    expect_message(page, "Đã ghi nhận đã kiểm tra")
    findings = [
        ("strength", "Ưu điểm", "Ban hành kế hoạch CCHC năm 2023 kịp thời, đầy đủ nội dung.", ""),
        (
            "shortcoming",
            "Tồn tại, hạn chế",
            "Còn 02 nhiệm vụ trong kế hoạch CCHC năm chưa hoàn thành.",
            "Hoàn thành 02 nhiệm vụ còn lại của kế hoạch CCHC năm 2023.",
        ),
        (
            "shortcoming",
            "Tồn tại, hạn chế",
            "Chưa ban hành kế hoạch tuyên truyền CCHC riêng.",
            "Ban hành kế hoạch tuyên truyền CCHC năm 2024.",
        ),
    ]
    for _, kind, description, recommendation in findings:
        page.get_by_role("link", name="Ghi nhận kết quả").click()
        field(page, "Lĩnh vực (mục đề cương)").select_option(
            label="I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"
        )
        field(page, "Loại").select_option(label=kind)
        field(page, "Nội dung").fill(description)
        if recommendation:
            field(page, "Kiến nghị").fill(recommendation)
            field(page, "Hướng xử lý").select_option(label="Đơn vị tự khắc phục")
        page.get_by_role("button", name="Lưu", exact=True).click()
        expect_message(page, "Đã ghi nhận kết quả kiểm tra")
    expect(page.get_by_role("heading", name="Kết quả kiểm tra (3)")).to_be_visible()


def staff_drafts_conclusion(page, inspection_url, deadlines):
    page.goto(inspection_url)
    page.get_by_role("button", name="Lập dự thảo kết luận từ kết quả kiểm tra").click()
    expect_message(page, "Đã lập dự thảo thông báo kết luận")
    cards = page.locator("#action-forms .card")
    for index, deadline in enumerate(deadlines):
        field(cards.nth(index), "Thời hạn khắc phục").fill(deadline.isoformat())
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect_message(page, "Đã lưu dự thảo thông báo kết luận")
    return page.url


def leader_issues_conclusion(page, conclusion_url):
    page.goto(conclusion_url)
    page.get_by_role("button", name="Ban hành").click()
    expect_message(page, "Đã ban hành Thông báo kết luận số")
    number = page.locator("main .alert").first.inner_text()
    name, data = download(page, lambda: page.get_by_role("link", name="PDF").first.click())
    return number, name, data


def unit_reports_remediation(page, requirement, text, proof_name):
    page.goto("/")
    page.get_by_role("link").filter(has_text=requirement).click()
    field(page, "Kết quả khắc phục của đơn vị").fill(text)
    page.get_by_label("Tài liệu chứng minh").set_input_files(
        [file_payload(proof_name, pdf_bytes(text))]
    )
    page.get_by_role("button", name="Gửi báo cáo khắc phục").click()
    expect_message(page, "Đã gửi báo cáo kết quả khắc phục")
    expect(page.get_by_role("link", name=proof_name)).to_be_visible()


def tracker_row(page, requirement):
    page.goto("/kiem-tra/khac-phuc/")
    return page.locator("main tbody tr").filter(has_text=requirement)


@pytest.mark.django_db(transaction=True)
def test_whole_inspection_of_so_tu_phap(app, open_page):
    plan = InspectionPlan.objects.get(year=2023)
    today = timezone.localdate()
    start = today + datetime.timedelta(days=9)

    staff = open_page("cchc")
    numbers = [dashboard_numbers(staff)]
    assert numbers[0]["Chưa lên lịch"] == 18

    leader = open_page("lanhdao")
    leader_issues_plan(leader)

    team_url = staff_sets_up_team(staff, plan)
    leader_issues_team_decision(leader, team_url)
    inspection_url = staff_schedules(staff, team_url, start)

    numbers.append(dashboard_numbers(staff))
    assert numbers[-1]["Chưa lên lịch"] == 17
    assert numbers[-1]["Đã lên lịch"] == 1

    staff.goto(inspection_url)
    staff.get_by_role("button", name="Yêu cầu đơn vị gửi báo cáo").click()
    expect_message(staff, "Đã yêu cầu đơn vị gửi báo cáo")
    inspection = Inspection.objects.get(plan=plan, unit__name=UNIT)
    assert inspection.status == Inspection.Status.REPORT_REQUESTED
    numbers.append(dashboard_numbers(staff))
    assert numbers[-1]["Đã lên lịch"] == 0
    assert numbers[-1]["Đã yêu cầu báo cáo"] == 1
    assert numbers[-1]["Báo cáo đến hạn trong 7 ngày"] == 1

    focal = open_page("sotuphap")
    expect(focal.get_by_role("heading", name="Đơn vị của tôi")).to_be_visible()
    unit_answers_outline(focal)
    unit_uploads_evidence(focal)
    unit_submits(focal)
    numbers.append(dashboard_numbers(staff))
    assert numbers[-1]["Đơn vị đã nộp báo cáo"] == 1
    assert numbers[-1]["Đã yêu cầu báo cáo"] == 0
    assert numbers[-1]["Báo cáo đến hạn trong 7 ngày"] == 0

    staff_returns_one_item(staff, inspection_url)
    numbers.append(dashboard_numbers(staff))
    assert numbers[-1]["Đã yêu cầu báo cáo"] == 1  # back with the unit
    assert numbers[-1]["Đơn vị đã nộp báo cáo"] == 0

    unit_fixes_returned_item(focal)
    unit_submits(focal, again=True)

    staff_accepts_and_records(staff, inspection_url)
    numbers.append(dashboard_numbers(staff))
    assert numbers[-1]["Đã kiểm tra"] == 1
    assert numbers[-1]["kết quả kiểm tra"] == 3

    first_due, second_due = today + datetime.timedelta(days=10), today + datetime.timedelta(days=45)
    conclusion_url = staff_drafts_conclusion(staff, inspection_url, [first_due, second_due])
    number, name, data = leader_issues_conclusion(leader, conclusion_url)
    assert name.endswith(".pdf")
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Số: 01/TB-SNV" in text, text[:500]
    assert "01/TB-SNV" in number
    numbers.append(dashboard_numbers(staff))
    assert numbers[-1]["Đang khắc phục"] == 1
    assert numbers[-1]["Đã kiểm tra"] == 0
    assert numbers[-1]["yêu cầu khắc phục"] == 2
    assert numbers[-1]["đã hoàn thành"] == 0
    assert numbers[-1]["Yêu cầu khắc phục đến hạn trong 14 ngày"] == 1

    tasks = "Hoàn thành 02 nhiệm vụ còn lại"
    media = "Ban hành kế hoạch tuyên truyền CCHC"
    unit_reports_remediation(
        focal, tasks, "Đã hoàn thành 02 nhiệm vụ, báo cáo số 15/BC-STP.", "Bao cao 15-BC-STP.pdf"
    )
    unit_reports_remediation(
        focal, media, "Đang dự thảo kế hoạch tuyên truyền.", "Du thao ke hoach.pdf"
    )

    row = tracker_row(staff, tasks)
    name, data = download(
        staff, lambda: row.get_by_role("link", name="Bao cao 15-BC-STP.pdf").click()
    )
    assert data.startswith(b"%PDF")
    row.get_by_label("Ý kiến").fill("Đã kiểm tra báo cáo số 15/BC-STP.")
    row.get_by_role("button", name="Xác nhận").click()
    expect_message(staff, "Đã xác nhận hoàn thành khắc phục")
    row = tracker_row(staff, media)
    row.get_by_label("Ý kiến").fill("Cần gửi kế hoạch đã ký ban hành, không phải dự thảo.")
    row.get_by_role("button", name="Trả lại").click()
    expect_message(staff, "Đã trả lại kết quả khắc phục")
    numbers.append(dashboard_numbers(staff))
    assert numbers[-1]["đã hoàn thành"] == 1
    assert numbers[-1]["Đang khắc phục"] == 1

    focal.goto("/")
    focal.get_by_role("link").filter(has_text=media).click()
    expect(focal.get_by_role("note")).to_contain_text("Cần gửi kế hoạch đã ký ban hành")
    unit_reports_remediation(
        focal, media, "Đã ban hành Kế hoạch số 20/KH-STP về tuyên truyền CCHC.", "KH 20-KH-STP.pdf"
    )
    row = tracker_row(staff, media)
    row.get_by_role("button", name="Xác nhận").click()
    expect_message(staff, "Đã xác nhận hoàn thành khắc phục")

    inspection.refresh_from_db()
    assert inspection.status == Inspection.Status.CLOSED
    staff.goto(inspection_url)
    expect(staff.locator("main")).to_contain_text("Đã kết thúc")
    numbers.append(dashboard_numbers(staff))
    assert numbers[-1]["Đã kết thúc"] == 1
    assert numbers[-1]["Đang khắc phục"] == 0
    assert numbers[-1]["đã hoàn thành"] == 2
    focal.goto("/")
    expect(
        focal.get_by_text("Không có yêu cầu khắc phục nào đang chờ đơn vị thực hiện.")
    ).to_be_visible()
