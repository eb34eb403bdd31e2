"""Figure checks: how input is read, each rule with its message, what blocks submission."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from reports import figures
from reports.models import Indicator, IndicatorRule, IndicatorValue, UnitReport
from tests import factories as f


def indicator(kind):
    return Indicator(kind=kind, label="Chỉ tiêu", unit_of_measure="hồ sơ")


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("count", "6.882", Decimal("6882")),
        ("count", "6882", Decimal("6882")),
        ("count", " 1 234 ", Decimal("1234")),
        ("percent", "84,38", Decimal("84.38")),
        ("percent", "84,38%", Decimal("84.38")),
        ("percent", "84.38", Decimal("84.38")),
        ("amount", "1.500.000", Decimal("1500000")),
        ("amount", "1.500.000,50", Decimal("1500000.50")),
        ("boolean", "1", Decimal("1")),
        ("boolean", "Không", Decimal("0")),
        ("count", "", None),
        ("count", "-5", Decimal("-5")),
    ],
)
def test_parse_reads_vietnamese_numbers(kind, raw, expected):
    assert figures.parse_figure(indicator(kind), raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        ("count", "mười", "“mười” không phải là một số."),
        ("count", "12a", "“12a” không phải là một số."),
        ("percent", "1,234", "Chỉ nhập tối đa hai chữ số sau dấu phẩy."),
        ("boolean", "có lẽ", "Chọn “Có” hoặc “Không”."),
        ("amount", "1" * 17, "Số quá lớn."),
    ],
)
def test_parse_refuses_what_is_not_a_number(kind, raw, message):
    with pytest.raises(ValidationError) as error:
        figures.parse_figure(indicator(kind), raw)
    assert error.value.messages == [message]


def test_input_text_round_trips():
    for kind, value in [("count", "6882"), ("percent", "84.38"), ("amount", "1500000.5")]:
        ind = indicator(kind)
        text = figures.input_text(ind, Decimal(value))
        assert figures.parse_figure(ind, text) == Decimal(value)
    assert figures.display(indicator("percent"), Decimal("84.38")) == "84,38%"
    assert figures.display(indicator("count"), Decimal("6882")) == "6.882 hồ sơ"
    assert figures.display(indicator("boolean"), Decimal("1")) == "Có"


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("count", "-1", "Số lượng không được âm."),
        ("count", "2.5", "Số lượng phải là số nguyên."),
        ("percent", "100.01", "Tỷ lệ phải từ 0 đến 100%."),
        ("percent", "-0.5", "Tỷ lệ phải từ 0 đến 100%."),
        ("amount", "-100", "Số tiền không được âm."),
        ("boolean", "2", "Chỉ nhận “Có” hoặc “Không”."),
    ],
)
def test_each_type_check_has_its_message(kind, value, message):
    messages = figures.kind_messages(indicator(kind), Decimal(value))
    assert [m.text for m in messages] == [message]
    assert messages[0].is_error


@pytest.mark.parametrize(
    ("kind", "value"),
    [("count", "0"), ("count", "7"), ("percent", "0"), ("percent", "100"), ("amount", "0")],
)
def test_valid_values_have_no_message(kind, value):
    assert figures.kind_messages(indicator(kind), Decimal(value)) == []


@pytest.fixture
def dossiers(world):
    """Received = in person + BCCI + online; on time + late ≤ resolved (as the seed)."""
    make = lambda label: f.IndicatorFactory(item=world.heading, label=label)  # noqa: E731
    ind = {
        name: make(label)
        for name, label in [
            ("received", "Tổng số hồ sơ tiếp nhận"),
            ("in_person", "Trực tiếp"),
            ("post", "Qua dịch vụ BCCI"),
            ("online", "Trực tuyến"),
            ("resolved", "Số hồ sơ đã giải quyết"),
            ("on_time", "Đúng hạn"),
            ("late", "Quá hạn"),
            ("quota", "Biên chế được giao"),
            ("present", "Biên chế có mặt"),
        ]
    }
    rules = [
        (
            "eq",
            ["in_person", "post", "online"],
            "received",
            "error",
            "Tổng số hồ sơ tiếp nhận phải bằng trực tiếp + BCCI + trực tuyến",
        ),
        (
            "le",
            ["on_time", "late"],
            "resolved",
            "error",
            "Số hồ sơ đúng hạn và quá hạn không được vượt số hồ sơ đã giải quyết",
        ),
        ("le", ["present"], "quota", "warning", "Biên chế có mặt vượt biên chế được giao."),
    ]
    for op, terms, target, severity, message in rules:
        rule = IndicatorRule.objects.create(
            outline=world.outline,
            operator=op,
            target=ind[target],
            severity=severity,
            message=message,
        )
        rule.terms.set([ind[t] for t in terms])
    return ind


def check(world, dossiers, **values):
    inds = list(dossiers.values())
    rules = figures.outline_rules(world.outline, inds)
    data = {dossiers[k].pk: Decimal(v) for k, v in values.items()}
    return figures.check_values(inds, rules, data)


def test_sum_rule_is_judged_once_every_term_is_filled(world, dossiers):
    messages = check(world, dossiers, received=100, in_person=60, post=10)
    assert not any(messages.values())  # online still blank: not judged yet
    messages = check(world, dossiers, received=100, in_person=60, post=10, online=20)
    text = "Tổng số hồ sơ tiếp nhận phải bằng trực tiếp + BCCI + trực tuyến (90 ≠ 100)."
    for name in ("received", "in_person", "post", "online"):  # beside every field involved
        assert [m.text for m in messages[dossiers[name].pk]] == [text]
    messages = check(world, dossiers, received=100, in_person=60, post=10, online=30)
    assert not any(messages.values())


def test_at_most_rule(world, dossiers):
    messages = check(world, dossiers, resolved=50, on_time=45, late=10)
    assert messages[dossiers["late"].pk][0].text == (
        "Số hồ sơ đúng hạn và quá hạn không được vượt số hồ sơ đã giải quyết (55 > 50)."
    )
    assert messages[dossiers["late"].pk][0].is_error
    # "Not more than" is judged as soon as one term is filled.
    assert check(world, dossiers, resolved=50, on_time=51)[dossiers["on_time"].pk]
    assert not any(check(world, dossiers, resolved=50, on_time=40, late=10).values())


def test_warning_rule_does_not_block(world, dossiers):
    report = UnitReport.objects.create(inspection=world.inspection_a)
    IndicatorValue.objects.create(report=report, indicator=dossiers["quota"], value=40)
    IndicatorValue.objects.create(report=report, indicator=dossiers["present"], value=42)
    result = figures.check_report(report)
    assert result.blocking() == []
    assert result.warnings() == ["Biên chế có mặt vượt biên chế được giao (42 > 40)."]
    IndicatorValue.objects.create(report=report, indicator=dossiers["late"], value=-1)
    assert figures.check_report(report).blocking() == ["Quá hạn: Số lượng không được âm."]


def test_rule_about_a_figure_not_asked_of_the_unit_is_skipped(world, dossiers):
    dossiers["post"].audience = "district"
    dossiers["post"].save()
    report = UnitReport.objects.create(inspection=world.inspection_a)  # a department
    for name, value in [("received", 100), ("in_person", 10), ("online", 5)]:
        IndicatorValue.objects.create(report=report, indicator=dossiers[name], value=value)
    assert figures.check_report(report).blocking() == []
