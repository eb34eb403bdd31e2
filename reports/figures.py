"""The figures of a unit report: what a unit is asked, how its input is read, the checks.

What a unit is asked: the items of the outline that apply to it (``applies_to``; an item
that does not apply hides its whole branch) and the indicators of those items that apply
to it.

District rule (seed footnote 2, "Đối với các đơn vị cấp huyện thực hiện báo cáo kết quả
của UBND cấp xã thuộc quyền quản lý"): a district enters ONE figure per indicator, and on
the items its footnote covers (a ``Footnote`` with ``covers_communes`` at the item or an
ancestor, or an indicator marked ``includes_communes``) that figure is the total of the
district's own bodies and all its communes. The form labels such figures
"(gồm cả cấp xã)" and the item says so, so the matrix of figures stays one column per
indicator for every unit. Communes are not asked for separate figures here; when a
commune is inspected in its own right it answers its own report, which its district's
focal person may read (see ``reports.access``).

Input is read the way Vietnamese users type numbers: "6.882" is six thousand eight
hundred and eighty-two, "84,38" is 84.38; "%" after a percentage is ignored.

Checks (each gives a message shown beside the field): counts are whole numbers ≥ 0,
percentages 0–100, amounts ≥ 0, yes/no is yes or no, and every ``IndicatorRule`` of the
outline (sum of terms = or ≤ target). Errors block submission, warnings never do, and
nothing here ever blocks saving a draft.
"""

import re
import time
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from cchc_inspection import vn

from .models import (
    Footnote,
    Indicator,
    IndicatorRule,
    IndicatorValue,
    OutlineItem,
    ReportOutline,
)

ERROR = IndicatorRule.Severity.ERROR
WARNING = IndicatorRule.Severity.WARNING
COMMUNES_SUFFIX = " (gồm cả cấp xã)"
THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+")
PLAIN = re.compile(r"-?\d+(\.\d+)?")
MAX_INTEGER_DIGITS = 16  # IndicatorValue.value: 18 digits, 2 after the point


@dataclass(frozen=True)
class Message:
    level: str  # "error" or "warning"
    text: str
    from_rule: bool = False

    @property
    def is_error(self):
        return self.level == ERROR


# --- Reading and showing values ------------------------------------------------------------


def parse_figure(indicator, raw):
    """The Decimal a user typed for ``indicator`` (None if blank); ValidationError if it is
    not a number at all. Range and arithmetic are checked later, never here."""
    text = (raw or "").strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if indicator.kind == Indicator.Kind.BOOLEAN:
        answers = {"1": 1, "0": 0, "có": 1, "co": 1, "không": 0, "khong": 0}
        if text.lower() not in answers:
            raise ValidationError("Chọn “Có” hoặc “Không”.")
        return Decimal(answers[text.lower()])
    if indicator.kind == Indicator.Kind.PERCENT:
        text = text.rstrip("%")
    if "," in text:  # Vietnamese: "." groups thousands, "," marks the decimals
        text = text.replace(".", "").replace(",", ".")
    elif THOUSANDS.fullmatch(text):
        text = text.replace(".", "")
    if not PLAIN.fullmatch(text):
        raise ValidationError(f"“{raw.strip()}” không phải là một số.")
    try:
        value = Decimal(text)
    except InvalidOperation as error:  # pragma: no cover - the pattern above excludes it
        raise ValidationError(f"“{raw.strip()}” không phải là một số.") from error
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError("Chỉ nhập tối đa hai chữ số sau dấu phẩy.")
    if abs(value) >= Decimal(10) ** MAX_INTEGER_DIGITS:
        raise ValidationError("Số quá lớn.")
    return value


def input_text(indicator, value):
    """What an input shows for a stored value, in the form parse_figure reads back."""
    if value is None:
        return ""
    if indicator.kind == Indicator.Kind.BOOLEAN:
        return "1" if value == 1 else "0" if value == 0 else vn.number(value)
    return vn.number(value)


def display(indicator, value):
    """A value as a sentence shows it: "6.882 hồ sơ", "84,38%", "Có"."""
    if value is None:
        return "—"
    if indicator.kind == Indicator.Kind.BOOLEAN:
        return "Có" if value == 1 else "Không" if value == 0 else vn.number(value)
    if indicator.kind == Indicator.Kind.PERCENT:
        return vn.percent(value)
    unit = indicator.unit_of_measure or ("đồng" if indicator.kind == Indicator.Kind.AMOUNT else "")
    return f"{vn.number(value)} {unit}".strip()


# --- What a unit is asked -------------------------------------------------------------------


# --- The outline's structure, kept while it is frozen ----------------------------------------

_OUTLINE_MODELS = {
    ReportOutline,
    OutlineItem,
    Indicator,
    IndicatorRule,
    IndicatorRule.terms.through,
    Footnote,
}
FROZEN_TTL = 300  # seconds; an issued plan's outline never changes, this only bounds memory
_frozen = {}


@dataclass
class OutlineParts:
    items: list
    indicators: list
    rules: list
    footnotes: list


def _load_parts(outline):
    items = list(OutlineItem.objects.filter(outline=outline).order_by("order"))
    depth = {}
    for item in items:  # in order, so a parent comes before its children
        item.depth = depth[item.pk] = depth.get(item.parent_id, -1) + 1
    rules = list(IndicatorRule.objects.filter(outline=outline).prefetch_related("terms"))
    for rule in rules:  # read at every check: ``rule.terms.all()`` builds a manager each time
        rule.term_ids = [term.pk for term in rule.terms.all()]
    return OutlineParts(
        items=items,
        indicators=list(Indicator.objects.filter(outline=outline).order_by("order")),
        rules=rules,
        footnotes=list(Footnote.objects.filter(outline=outline).order_by("number")),
    )


def outline_parts(outline):
    """Items (each with its ``depth``), indicators, rules (each with its ``term_ids``) and
    footnotes of ``outline``.

    Once its plan is issued the outline is frozen (``ReportOutline.is_frozen``), so every
    report page of that year reads the same rows: they are loaded once per process and
    kept for ``FROZEN_TTL`` seconds. Every request of the process then shares the same
    row objects (copying them took a millisecond per page): read them, never set an
    attribute on them. A draft outline, or one whose plan was not loaded with it, is read
    afresh for each request.
    """
    parts = getattr(outline, "_parts", None)
    if parts is None:  # once per outline object, i.e. per request
        parts = outline._parts = _frozen_parts(outline) or _load_parts(outline)
    return parts


def _frozen_parts(outline):
    plan_loaded = ReportOutline._meta.get_field("plan").is_cached(outline)
    if not (plan_loaded and outline.is_frozen):
        return None
    now = time.monotonic()
    cached = _frozen.get(outline.pk)
    if cached is None or cached[0] < now:
        if len(_frozen) > 200:
            _frozen.clear()
        cached = _frozen[outline.pk] = (now + FROZEN_TTL, _load_parts(outline))
    return cached[1]


@receiver([post_save, post_delete, m2m_changed])
def _forget_frozen(sender, **kwargs):
    """Any change to an outline's rows (an administrator's correction, a test's fixtures)
    empties this process's copy; other processes keep theirs at most ``FROZEN_TTL``."""
    if sender in _OUTLINE_MODELS and _frozen:
        _frozen.clear()


def visible_items(outline, unit):
    """The outline items that apply to ``unit``, in order (each with its ``depth``); an
    item that does not apply takes its whole branch with it."""
    shown = set()
    result = []
    for item in outline_parts(outline).items:
        if item.parent_id and item.parent_id not in shown:
            continue
        if not item.applies_to(unit):
            continue
        shown.add(item.id)
        result.append(item)
    return result


def commune_item_ids(outline, items):
    """Ids of the items whose figures a district reports together with its communes."""
    marked = {
        note.item_id
        for note in outline_parts(outline).footnotes
        if note.covers_communes and note.item_id
    }
    covered = set()
    for item in items:  # in order, so a parent is decided before its children
        if item.pk in marked or item.parent_id in covered:
            covered.add(item.pk)
    return covered


def asked_indicators(outline, unit, items):
    """The indicators of the visible items that apply to ``unit``, in order."""
    item_ids = {item.pk for item in items}
    return [
        indicator
        for indicator in outline_parts(outline).indicators
        if indicator.item_id in item_ids and indicator.applies_to(unit)
    ]


def includes_communes(indicator, unit, commune_items):
    return unit.is_district and (indicator.includes_communes or indicator.item_id in commune_items)


def figure_label(indicator, unit, commune_items):
    suffix = COMMUNES_SUFFIX if includes_communes(indicator, unit, commune_items) else ""
    return f"{indicator.label}{suffix}"


# --- The checks ----------------------------------------------------------------------------


def kind_messages(indicator, value):
    """Messages about one value on its own (type and range)."""
    if value is None:
        return []
    kind = indicator.kind
    if kind == Indicator.Kind.COUNT:
        if value < 0:
            return [Message(ERROR, "Số lượng không được âm.")]
        if value != value.to_integral_value():
            return [Message(ERROR, "Số lượng phải là số nguyên.")]
    elif kind == Indicator.Kind.PERCENT:
        if value < 0 or value > 100:
            return [Message(ERROR, "Tỷ lệ phải từ 0 đến 100%.")]
    elif kind == Indicator.Kind.AMOUNT:
        if value < 0:
            return [Message(ERROR, "Số tiền không được âm.")]
    elif kind == Indicator.Kind.BOOLEAN and value not in (0, 1):
        return [Message(ERROR, "Chỉ nhận “Có” hoặc “Không”.")]
    return []


def rule_message(rule, values):
    """The message of a broken rule, or None if it holds or cannot be judged yet.

    An equality is judged once the target and every term are filled; "not more than" as
    soon as the target and one term are (the filled terms alone must not exceed it).
    """
    terms = rule.term_ids
    target = values.get(rule.target_id)
    filled = [values[pk] for pk in terms if values.get(pk) is not None]
    if target is None or not filled:
        return None
    total = sum(filled, Decimal(0))
    if rule.operator == IndicatorRule.Operator.EQUAL:
        if len(filled) < len(terms) or total == target:
            return None
        sign = "≠"
    else:
        if total <= target:
            return None
        sign = ">"
    detail = f"{vn.number(total)} {sign} {vn.number(target)}"
    return Message(rule.severity, f"{rule.message.rstrip('.')} ({detail}).", from_rule=True)


def outline_rules(outline, indicators):
    """The rules of the outline whose target and terms are all asked of this unit."""
    asked = {indicator.pk for indicator in indicators}
    rules = outline_parts(outline).rules
    return [
        rule
        for rule in rules
        if rule.target_id in asked and all(pk in asked for pk in rule.term_ids)
    ]


def check_values(indicators, rules, values):
    """Every message, by indicator id: its own checks, then each broken rule it is part of
    (shown beside the target and beside every term, wherever the user typed)."""
    messages = {
        indicator.pk: kind_messages(indicator, values.get(indicator.pk)) for indicator in indicators
    }
    for rule in rules:
        message = rule_message(rule, values)
        if message is None:
            continue
        for pk in [rule.target_id, *rule.term_ids]:
            if message not in messages.setdefault(pk, []):
                messages[pk].append(message)
    return messages


def stored_values(report):
    return dict(IndicatorValue.objects.filter(report=report).values_list("indicator_id", "value"))


@dataclass
class ReportCheck:
    items: list
    indicators: list
    values: dict
    messages: dict
    commune_items: set

    def blocking(self):
        """One line per error: what stops submission (a rule's message only once)."""
        return list(blocking_lines(self.indicators, self.messages))

    def warnings(self):
        return _unique(
            message.text
            for messages in self.messages.values()
            for message in messages
            if not message.is_error
        )


def _unique(lines):
    return list(dict.fromkeys(lines))


def blocking_lines(indicators, messages):
    """``{line: indicator}``, in order: one line per error that stops submission (a rule's
    message once, with the first indicator it is shown beside)."""
    lines = {}
    for indicator in indicators:
        for message in messages.get(indicator.pk, []):
            if message.is_error:
                text = message.text if message.from_rule else f"{indicator.label}: {message.text}"
                lines.setdefault(text, indicator)
    return lines


def check_report(report, unit=None):
    """Load what ``report`` asks of its unit and check its stored figures."""
    unit = unit or report.inspection.unit
    outline = report.inspection.plan.outline
    items = visible_items(outline, unit)
    indicators = asked_indicators(outline, unit, items)
    values = stored_values(report)
    rules = outline_rules(outline, indicators)
    return ReportCheck(
        items=items,
        indicators=indicators,
        values=values,
        messages=check_values(indicators, rules, values),
        commune_items=commune_item_ids(outline, items),
    )
