"""The findings register and the remediation tracker as a user reads them: the order and
the pages of a long list, what each row shows, and the filter form."""

import datetime
import secrets
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from findings.models import Conclusion, Finding, RemediationAction, RemediationProof
from findings.views.staff import PAGE_SIZE, _page
from tests import factories as f

pytestmark = pytest.mark.django_db
A = RemediationAction.Status
TODAY = timezone.localdate()


def rows(response):
    return list(response.context["page"])


# --- Findings register -------------------------------------------------------------------


@pytest.fixture
def register(world):
    """Findings over two years and three units, in an order that is not their creation."""
    older = f.PlanFactory(agency=world.plan.agency, year=2022, title="Kiểm tra CCHC năm 2022")
    units = [f.UnitFactory(name=name) for name in ["Sở Y tế", "Sở Công Thương", "Huyện Nga Sơn"]]
    for plan in [world.plan, older]:
        for unit in units:
            inspection = f.InspectionFactory(plan=plan, unit=unit)
            for n in range(10):
                item = world.heading if n % 2 else world.section
                f.FindingFactory(inspection=inspection, item=item, description=f"{unit} {n}")
    return units


def test_register_pages_keep_the_order_and_the_filters(client, staff, register):
    client.force_login(staff)
    url = reverse("findings:finding-list")
    expected = list(
        Finding.objects.filter(kind=Finding.Kind.SHORTCOMING)
        .in_register_order()
        .values_list("description", flat=True)
    )
    first = client.get(url, {"kind": "shortcoming"})
    second = client.get(url, {"kind": "shortcoming", "page": 2})
    shown = [r["description"] for r in rows(first) + rows(second)]
    assert len(rows(first)) == PAGE_SIZE and shown == expected
    assert [r["year"] for r in rows(first)][:1] == ["2023"]
    assert rows(first)[0]["unit"] == "Huyện Nga Sơn"  # then by the unit's name
    body = first.content.decode()
    assert "Tìm thấy 60 kết quả" in body
    assert "Trang 1/2" in body and 'href="?kind=shortcoming&amp;page=2"' in body
    assert 'href="?kind=shortcoming&amp;page=1"' in second.content.decode()


@pytest.mark.parametrize(
    ("asked", "shown", "rows_shown"),
    [("2", 2, 10), ("9", 2, 10), ("abc", 1, PAGE_SIZE), ("", 1, PAGE_SIZE)],
)
def test_register_page_past_the_end_shows_the_last(
    client, staff, register, asked, shown, rows_shown
):
    """A page number past the end (the list shrank since the link was made) shows the last
    page; anything but a page number shows the first. The count is right on either."""
    client.force_login(staff)
    response = client.get(reverse("findings:finding-list"), {"kind": "shortcoming", "page": asked})
    page = response.context["page"]
    assert (page.number, len(rows(response)), page.paginator.count) == (shown, rows_shown, 60)


def test_register_with_nothing_found_counts_none(client, staff, register):
    client.force_login(staff)
    response = client.get(reverse("findings:finding-list"), {"q": "không có từ này"})
    assert response.context["page"].paginator.count == 0
    assert "Không có kết quả kiểm tra phù hợp." in response.content.decode()


def test_register_keeps_each_plan_of_a_year_together(client, world, staff):
    """A year with two plans: the newer plan's findings first, then the other's; within a
    plan by the unit's name, one inspection's findings together in the outline's order."""
    extra = f.PlanFactory(agency=world.plan.agency, year=world.plan.year, title="Bổ sung 2023")
    again = f.InspectionFactory(plan=extra, unit=world.inspection_a.unit)  # Sở Tư pháp again
    nga_son = f.InspectionFactory(plan=extra, unit=f.UnitFactory(name="Huyện Nga Sơn"))
    tags = {world.inspection_a: "A", world.inspection_b: "B", again: "A2", nga_son: "N"}
    for inspection, tag in tags.items():
        for item in [world.heading, world.section]:  # recorded out of the outline's order
            f.FindingFactory(inspection=inspection, item=item, description=f"{tag} {item.label}")
    client.force_login(staff)
    shown = [
        (r["unit"], r["description"]) for r in rows(client.get(reverse("findings:finding-list")))
    ]
    assert shown == [
        ("Huyện Nga Sơn", "N I"),
        ("Huyện Nga Sơn", "N 1"),
        ("Sở Tư pháp", "A2 I"),
        ("Sở Tư pháp", "A2 1"),
        ("Huyện Đông Sơn", "B I"),
        ("Huyện Đông Sơn", "B 1"),
        ("Sở Tư pháp", "A I"),
        ("Sở Tư pháp", "A 1"),
    ]


def test_register_search_goes_with_the_other_filters(client, world, staff):
    """The words are looked for in the description or the unit's name; the year, kind and
    area filters still apply, and the count is of what matches all of them."""
    K = Finding.Kind
    a, b = world.inspection_a, world.inspection_b  # Sở Tư pháp; Huyện Đông Sơn
    older = f.InspectionFactory(plan=f.PlanFactory(year=2022), unit=b.unit)
    for inspection, item, kind, text in [
        (a, world.heading, K.SHORTCOMING, "Chưa niêm yết tại bộ phận một cửa"),
        (a, world.section, K.VIOLATION, "Bộ phận Một Cửa quá tải"),
        (a, world.heading, K.SHORTCOMING, "Chưa có kế hoạch tuyên truyền"),
        (b, world.heading, K.SHORTCOMING, "Chưa có kế hoạch"),
        (b, world.section, K.STRENGTH, "Ban hành kịp thời"),
        (older, world.heading, K.SHORTCOMING, "Năm trước"),
    ]:
        f.FindingFactory(inspection=inspection, item=item, kind=kind, description=text)
    url = reverse("findings:finding-list")
    client.force_login(staff)

    def found(**params):
        return sorted(x["description"] for x in client.get(url, params).context["page"])

    assert found(q="một cửa") == ["Bộ phận Một Cửa quá tải", "Chưa niêm yết tại bộ phận một cửa"]
    assert found(q="mot cua", kind="violation") == ["Bộ phận Một Cửa quá tải"]
    assert found(q="dong son") == ["Ban hành kịp thời", "Chưa có kế hoạch", "Năm trước"]
    assert found(q="dong son", year=2023) == ["Ban hành kịp thời", "Chưa có kế hoạch"]
    assert found(q="dong son", kind="strength") == ["Ban hành kịp thời"]
    assert found(q="ke hoach", area=world.heading.pk) == [
        "Chưa có kế hoạch",
        "Chưa có kế hoạch tuyên truyền",
    ]
    assert found(area=world.section.pk, year=2023) == [  # the section and its headings
        "Ban hành kịp thời",
        "Bộ phận Một Cửa quá tải",
        "Chưa có kế hoạch",
        "Chưa có kế hoạch tuyên truyền",
        "Chưa niêm yết tại bộ phận một cửa",
    ]
    assert found(area=world.heading.pk, year=2023) == [
        "Chưa có kế hoạch",
        "Chưa có kế hoạch tuyên truyền",
        "Chưa niêm yết tại bộ phận một cửa",
    ]
    body = client.get(url, {"q": "dong son", "year": "2023"}).content.decode()
    assert "Tìm thấy 2 kết quả" in body


def test_register_search_reads_a_long_description_to_its_end(client, world, staff):
    """A description of many pages is saved and found by its last words (no index may
    hold the folded text whole: PostgreSQL caps a B-tree entry at 2.7 kB)."""
    long_text = " ".join(secrets.token_hex(8) for _ in range(2000)) + " Chậm công khai"
    f.FindingFactory(inspection=world.inspection_a, item=world.heading, description=long_text)
    client.force_login(staff)
    response = client.get(reverse("findings:finding-list"), {"q": "cham cong khai"})
    assert [r["description"] for r in rows(response)] == [long_text]


@pytest.mark.parametrize(
    ("table", "index"),
    [("findings_finding", "finding_search_trgm"), ("units_unit", "unit_search_trgm")],
)
def test_search_has_trigram_indexes_on_postgresql_only(table, index):
    """The folded texts the search reads with LIKE '%…%' are trigram-indexed on
    PostgreSQL; the migration leaves SQLite alone."""
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, table)
    assert (index in indexes) == (connection.vendor == "postgresql")


def test_register_row_shows_the_finding(client, world, staff):
    f.FindingFactory(
        inspection=world.inspection_a,
        item=world.heading,
        kind=Finding.Kind.VIOLATION,
        description="Chưa niêm yết\nthủ tục hành chính",
        cause="Thiếu cán bộ",
        recommendation="Niêm yết đầy đủ",
        handling=Finding.Handling.REFER,
    )
    client.force_login(staff)
    body = client.get(reverse("findings:finding-list")).content.decode()
    detail = reverse("plans:inspection-detail", args=[world.inspection_a.pk])
    assert f'<td><a href="{detail}">Sở Tư pháp</a></td>' in body
    assert '<td class="small">1. Công tác tuyên truyền</td>' in body
    assert '<span class="badge text-bg-danger">Vi phạm</span>' in body
    assert "Chưa niêm yết<br>thủ tục hành chính" in body
    assert "Nguyên nhân: Thiếu cán bộ" in body
    assert "Niêm yết đầy đủ<div" in body and "Kiến nghị cấp có thẩm quyền xử lý" in body


def test_register_kinds_have_their_colours(client, world, staff):
    for kind in Finding.Kind.values:
        f.FindingFactory(inspection=world.inspection_a, item=world.heading, kind=kind)
    client.force_login(staff)
    body = client.get(reverse("findings:finding-list")).content.decode()
    assert '<span class="badge text-bg-success">Ưu điểm</span>' in body
    assert '<span class="badge text-bg-warning">Tồn tại, hạn chế</span>' in body
    assert '<span class="badge text-bg-danger">Vi phạm</span>' in body


def test_a_row_deleted_while_the_page_is_read_is_left_out():
    f.FindingFactory()
    request = RequestFactory().get("/", {"kind": "violation", "page": "1"})
    page, query = _page(request, Finding.objects.order_by("pk"), lambda pks: [])
    assert page.paginator.count == 1 and list(page) == []
    assert query == "kind=violation"


# --- Filter form -------------------------------------------------------------------------


def test_filter_form_keeps_what_was_typed(client, world, staff):
    client.force_login(staff)
    body = client.get(
        reverse("findings:finding-list"), {"q": 'thanh "hoa"', "year": "2023"}
    ).content.decode()
    assert 'name="q" type="text" value="thanh &quot;hoa&quot;"' in body
    assert 'name="year" step="any" type="number" value="2023"' in body
    assert f'<option value="{world.plan.pk}">Kế hoạch kiểm tra công tác' in body
    assert f'<option value="{world.inspection_a.unit_id}">Sở Tư pháp</option>' in body
    assert f'<option value="{world.heading.pk}">2023 · 1. Công tác tuyên truyền</option>' in body


def test_filter_error_is_announced_with_its_field(client, staff):
    client.force_login(staff)
    body = client.get(reverse("findings:finding-list"), {"year": "abc"}).content.decode()
    assert 'aria-describedby="id_year_error"' in body
    assert 'id="id_year_error"><div>Nhập một số.</div></div>' in body


def test_filter_offers_the_units_of_the_plan_of_the_chosen_year(client, world, staff):
    older = f.PlanFactory(agency=world.plan.agency, year=2022)
    f.InspectionFactory(plan=older, unit=f.UnitFactory(name="Sở Xây dựng"))
    client.force_login(staff)
    url = reverse("findings:finding-list")
    assert "Sở Xây dựng" not in client.get(url).content.decode()  # the latest plan's units
    body = client.get(url, {"year": "2022"}).content.decode()
    assert "Sở Xây dựng</option>" in body and "Sở Tư pháp</option>" not in body


# --- Remediation tracker -----------------------------------------------------------------


@pytest.fixture
def reported(world, media_root):
    """A reported, extended, overdue action with a proof file, on conclusion 05/TB-SNV."""
    conclusion = f.ConclusionFactory(
        inspection=world.inspection_a,
        status=Conclusion.Status.ISSUED,
        number=5,
        issued_on=datetime.date(2023, 7, 3),
    )
    action = f.RemediationActionFactory(
        conclusion=conclusion,
        item=world.heading,
        requirement="Ban hành kế hoạch\ntuyên truyền",
        deadline=TODAY - datetime.timedelta(days=2),
        status=A.REPORTED,
        unit_report="Đã ban hành kế hoạch số 12/KH-STP.",
        reported_at=timezone.now(),
    )
    RemediationAction.objects.filter(pk=action.pk).update(
        original_deadline=TODAY - datetime.timedelta(days=30)
    )
    proof = RemediationProof.objects.create(
        action=action,
        file="remediation/x.pdf",
        original_name="Kế hoạch 12.pdf",
        size=10,
        sha256="0" * 64,
        content_type="application/pdf",
        uploaded_by=f.UserFactory(),
    )
    return action, proof


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_tracker_row_shows_the_action_and_its_review(client, world, staff, reported):
    action, proof = reported
    client.force_login(staff)
    url = reverse("findings:tracker")
    response = client.get(url, {"overdue": "1"})
    body = response.content.decode()
    here = f"{url}?overdue=1"
    assert '<tr class="table-danger">' in body and "Quá hạn</span>" in body
    conclusion = reverse("findings:conclusion-detail", args=[action.conclusion_id])
    assert f'href="{conclusion}">05/TB-SNV</a>' in body
    assert '05/TB-SNV</a><div class="small text-secondary">03/7/2023</div>' in body
    assert "Ban hành kế hoạch<br>tuyên truyền" in body
    original = TODAY - datetime.timedelta(days=30)
    assert f"ban đầu {original.day:02d}/" in body
    assert "Đơn vị đã báo cáo" in body and "Đã ban hành kế hoạch số 12/KH-STP." in body
    assert f'href="{reverse("findings:proof-download", args=[proof.pk])}"' in body
    assert "Kế hoạch 12.pdf</a>" in body
    assert f'action="{reverse("findings:action-verify", args=[action.pk])}"' in body
    assert f'formaction="{reverse("findings:action-reject", args=[action.pk])}"' in body
    assert f'<input type="hidden" name="next" value="{here}">' in body
    assert f'name="version" value="{action.version}"' in body
    extend = reverse("findings:action-extend", args=[action.pk])
    assert f'href="{extend}?next={quote(here)}"' in body


def test_tracker_review_buttons_only_for_staff_and_open_actions(
    client, world, staff, team_member, reported
):
    action, _ = reported
    client.force_login(team_member)
    body = client.get(reverse("findings:tracker")).content.decode()
    assert "Đã ban hành kế hoạch số 12/KH-STP." in body
    assert "Xác nhận</button>" not in body and "Gia hạn" not in body
    client.force_login(staff)
    RemediationAction.objects.filter(pk=action.pk).update(status=A.VERIFIED)
    body = client.get(reverse("findings:tracker")).content.decode()
    assert "Đã xác nhận hoàn thành" in body
    assert "Xác nhận</button>" not in body and "Gia hạn" not in body
    assert '<tr class="table-danger">' not in body  # verified is never overdue


def test_tracker_pages(client, world, staff):
    conclusion = f.ConclusionFactory(
        inspection=world.inspection_a, status=Conclusion.Status.ISSUED, number=1, issued_on=TODAY
    )
    for n in range(PAGE_SIZE + 3):
        f.RemediationActionFactory(
            conclusion=conclusion,
            item=world.heading,
            requirement=f"Yêu cầu {n:03d}",
            deadline=TODAY + datetime.timedelta(days=n),
        )
    client.force_login(staff)
    url = reverse("findings:tracker")
    first, second = client.get(url), client.get(url, {"page": 2})
    shown = [r["requirement"] for r in rows(first) + rows(second)]
    assert shown == [f"Yêu cầu {n:03d}" for n in range(PAGE_SIZE + 3)]  # by deadline
    assert "Tìm thấy 53 yêu cầu" in first.content.decode()
    assert "Trang 2/2" in second.content.decode()


def test_tracker_lists_the_actions_in_force(client, world, staff):
    """The actions of issued conclusions that no issued correction replaced: not those of
    a draft, nor those of a replaced conclusion; the area filter takes a section's
    headings along, like the register's."""
    issued = Conclusion.Status.ISSUED
    old = f.ConclusionFactory(inspection=world.inspection_a, status=issued, issued_on=TODAY)
    fix = f.ConclusionFactory(
        inspection=world.inspection_a, status=issued, issued_on=TODAY, version=2, supersedes=old
    )
    draft = f.ConclusionFactory(inspection=world.inspection_b)
    for conclusion, item, requirement in [
        (old, world.heading, "Theo bản đã được đính chính"),
        (fix, world.heading, "Theo bản đính chính"),
        (fix, world.section, "Chung cho lĩnh vực"),
        (draft, world.heading, "Theo dự thảo"),
    ]:
        f.RemediationActionFactory(
            conclusion=conclusion, item=item, requirement=requirement, deadline=TODAY
        )
    client.force_login(staff)

    def shown(**params):
        return [r["requirement"] for r in rows(client.get(reverse("findings:tracker"), params))]

    assert shown() == ["Theo bản đính chính", "Chung cho lĩnh vực"]
    assert shown(area=world.heading.pk) == ["Theo bản đính chính"]
    assert shown(area=world.section.pk) == ["Theo bản đính chính", "Chung cho lĩnh vực"]
    Conclusion.objects.filter(pk=fix.pk).update(status=Conclusion.Status.DRAFT)
    assert shown() == ["Theo bản đã được đính chính"]  # a draft correction replaces nothing
