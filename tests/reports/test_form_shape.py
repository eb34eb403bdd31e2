"""The report form once its plan is issued: what each unit is asked of the outline is
worked out once per process and kept (``reports.views.unit_shape``), so one unit's form
must never show another's items or labels, and a correction to the outline must show at
once. The pieces the form writes in Python (``reports.views.unit_html``) escape what
they show."""

import pytest

from cchc_inspection.roles import Role
from plans.models import InspectionPlan
from reports.models import Audience, Footnote, IndicatorRule, IndicatorValue
from tests import factories as f

from .test_portal import edit_url, request_report

SCRIPT = '<script>alert("xss")</script>'


def issue(plan):
    InspectionPlan.objects.filter(pk=plan.pk).update(status=InspectionPlan.Status.ISSUED)


def body(client, user, inspection):
    client.force_login(user)
    response = client.get(edit_url(inspection))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def issued(world):
    """Both units' reports requested under an issued plan; the district's figures at the
    heading include its communes; one point is for districts only."""
    Footnote.objects.create(
        outline=world.outline,
        number=2,
        text="Đối với các đơn vị cấp huyện thực hiện báo cáo kết quả của UBND cấp xã.",
        item=world.heading,
        covers_communes=True,
    )
    f.OutlineItemFactory(
        outline=world.outline,
        parent=world.heading,
        kind="point",
        label="-",
        title="Việc riêng của cấp huyện",
        audience=Audience.DISTRICT,
        order=3,
    )
    request_report(world.inspection_a)
    request_report(world.inspection_b)
    issue(world.plan)
    return world


def test_each_unit_sees_its_own_form_of_one_issued_outline(client, issued, focal_a, focal_b):
    label = issued.indicator.label
    for _ in range(2):  # the second time, both forms come from what the process kept
        department = body(client, focal_a, issued.inspection_a)
        assert "Việc riêng của cấp huyện" not in department
        assert f"{label} (gồm cả cấp xã)" not in department and label in department
        district = body(client, focal_b, issued.inspection_b)
        assert "Việc riêng của cấp huyện" in district
        assert f"{label} (gồm cả cấp xã)" in district


def test_an_item_for_one_named_unit_is_shown_to_that_unit_only(client, world, focal_a):
    f.OutlineItemFactory(
        outline=world.outline,
        parent=world.section,
        title="Việc riêng của Sở Tư pháp",
        audience=Audience.NAMED_UNIT,
        audience_unit=world.inspection_a.unit,
        order=3,
    )
    other = f.UnitFactory(name="Sở Tài chính", category=world.inspection_a.unit.category)
    other_focal = f.UserFactory(username="sotaichinh", roles=[Role.FOCAL])
    f.MembershipFactory(user=other_focal, unit=other)
    inspection = f.InspectionFactory(plan=world.plan, unit=other)
    request_report(world.inspection_a)
    request_report(inspection)
    issue(world.plan)
    for _ in range(2):
        assert "Việc riêng của Sở Tư pháp" in body(client, focal_a, world.inspection_a)
        assert "Việc riêng của Sở Tư pháp" not in body(client, other_focal, inspection)


def test_a_correction_to_an_issued_outline_shows_on_the_next_page(client, issued, focal_a):
    assert "Công tác tuyên truyền" in body(client, focal_a, issued.inspection_a)
    with f.unlocked():  # an administrator's correction; the application refuses it
        issued.heading.title = "Công tác thông tin, tuyên truyền"
        issued.heading.save()
        issued.indicator.label = "Số văn bản chỉ đạo đã ban hành"
        issued.indicator.save()
    page = body(client, focal_a, issued.inspection_a)
    assert "1. Công tác thông tin, tuyên truyền" in page
    assert "Số văn bản chỉ đạo đã ban hành" in page


def test_the_checks_of_an_issued_outline_apply_to_each_report(client, world, focal_a):
    total = f.IndicatorFactory(item=world.heading, label="Tổng số", order=10)
    rule = IndicatorRule.objects.create(
        outline=world.outline,
        target=total,
        operator=IndicatorRule.Operator.EQUAL,
        message="Tổng số phải bằng số văn bản đã ban hành",
    )
    rule.terms.set([world.indicator])
    report = request_report(world.inspection_a)
    issue(world.plan)
    assert "phải bằng" not in body(client, focal_a, world.inspection_a)
    IndicatorValue.objects.create(report=report, indicator=world.indicator, value=3)
    IndicatorValue.objects.create(report=report, indicator=total, value=5)
    page = body(client, focal_a, world.inspection_a)
    assert "Tổng số phải bằng số văn bản đã ban hành (3 ≠ 5)." in page
    # In the list of parts: both figures of the broken rule have an error.
    assert '<span class="badge text-bg-danger">2 lỗi</span>' in page


def test_what_the_form_writes_itself_is_escaped(client, world, focal_a):
    world.section.title = f"CÔNG TÁC {SCRIPT}"
    world.section.save()
    world.indicator.label = f"Số văn bản {SCRIPT}"
    world.indicator.unit_of_measure = f"<i>{SCRIPT}</i>"
    world.indicator.save()
    report = request_report(world.inspection_a)
    IndicatorValue.objects.create(report=report, indicator=world.indicator, value=7)
    page = body(client, focal_a, world.inspection_a)
    assert "<script>" not in page
    escaped = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;"
    nav = page[page.index('id="report-parts"') :]
    assert f"I. CÔNG TÁC {escaped}</span>" in nav
    assert f'class="form-label small mb-1">Số văn bản {escaped}</label>' in page
    assert f'<span class="input-group-text">&lt;i&gt;{escaped}&lt;/i&gt;</span>' in page
    assert f'value="7" class="form-control js-figure" data-indicator="{world.indicator.pk}"' in page


def test_a_district_reads_the_report_of_each_unit_under_it(client, world, focal_b, unit_b):
    """Whatever the keys of the units and inspections (a query that mixed up the
    inspection's key with a unit's would find another report, or none)."""
    f.UnitFactory.create_batch(5)  # the keys of units and inspections no longer coincide
    communes = [
        f.UnitFactory(name=f"Xã Đông {name}", category="commune", parent=unit_b)
        for name in ("Hòa", "Tiến", "Thanh")
    ]
    for commune in communes:
        f.InspectionFactory(plan=world.plan, unit=commune)
    request_report(world.inspection_b)
    issue(world.plan)
    for commune in communes:
        inspection = commune.inspections.get()
        request_report(inspection)
        page = body(client, focal_b, inspection)
        assert f"<strong>{commune.name}</strong>" in page and "Chỉ xem" in page
    assert "js-item-form" in body(client, focal_b, world.inspection_b)
