"""What the report form reads of one report, in queries of fixed shape compiled once per
process (``cchc_inspection.queries.PrecompiledQuery``: building and compiling a queryset
cost more Python than PostgreSQL took to answer it). Rows come back as plain tuples with
only the columns the form shows."""

from collections import namedtuple

from cchc_inspection import vn
from cchc_inspection.queries import precompiled

from ..models import Evidence, IndicatorValue, ItemAnswer, ReviewComment, UnitReport

# Stand-ins of ``PrecompiledQuery``: no constant of a query equals them. A year is a
# PositiveSmallIntegerField: a stand-in outside its range would be folded into the SQL.
REPORT, UNIT, YEAR = -8_000_401, -8_000_402, 30_403

# An answer: ``by`` is the name of who saved it last ("" if nobody is recorded).
Answer = namedtuple("Answer", "item_id text version updated_at by")
Stored = namedtuple("Stored", "value version")  # a figure as saved
# A reviewer's comment; ``author`` is the reviewer's name.
Comment = namedtuple("Comment", "pk item_id round text created_at author")
PERSON = ("first_name", "last_name", "username")  # what ``vn.person_name`` reads


def _person(first_name, last_name, username):
    """``vn.person_name`` of a user read as its columns (all None: nobody, a name of "")."""
    return "" if username is None else vn.person_name(first_name, last_name, username)


@precompiled(report=REPORT)
def _answers(report):
    return ItemAnswer.objects.filter(report_id=report).values_list(
        "item_id", "text", "version", "updated_at", *(f"updated_by__{c}" for c in PERSON)
    )


def answers(report):
    """The report's answers by item id."""
    return {row[0]: Answer(*row[:4], _person(*row[4:])) for row in _answers(report=report.pk)}


@precompiled(report=REPORT)
def _values(report):
    return IndicatorValue.objects.filter(report_id=report).values_list(
        "indicator_id", "value", "version"
    )


def values(report):
    """The report's figures by indicator id."""
    return {pk: Stored(value, version) for pk, value, version in _values(report=report.pk)}


@precompiled(report=REPORT)
def _evidence_names(report):
    """(item id, file id, name, SHA-256, previous file id) of each file and item it proves,
    in the order the files were uploaded."""
    return (
        Evidence.items.through.objects.filter(evidence__report_id=report)
        .order_by("evidence__uploaded_at", "evidence_id")
        .values_list(
            "outlineitem_id",
            "evidence_id",
            "evidence__original_name",
            "evidence__sha256",
            "evidence__previous_id",
        )
    )


def evidence_names(report):
    return _evidence_names(report=report.pk)


@precompiled(report=REPORT)
def _comments(report):
    return (
        ReviewComment.objects.filter(report_id=report)
        .order_by("created_at")
        .values_list(
            "pk", "item_id", "round", "text", "created_at", *(f"author__{c}" for c in PERSON)
        )
    )


def comments(report):
    """The reviewers' comments on the report, oldest first."""
    return [Comment(*row[:5], _person(*row[5:])) for row in _comments(report=report.pk)]


@precompiled(unit=UNIT, year=YEAR)
def _earlier_reports(unit, year):
    return (
        UnitReport.objects.filter(inspection__unit_id=unit, inspection__plan__year__lt=year)
        .exclude(status=UnitReport.Status.DRAFT)
        .values_list("inspection__plan__year", "pk")
    )


@precompiled(report=REPORT)
def _figures_of(report):
    return IndicatorValue.objects.filter(report_id=report, value__isnull=False).values_list(
        "indicator__code", "value"
    )


def previous_values(report):
    """``(year, {indicator code: value})`` of the same unit's report under the latest
    earlier plan that it submitted, or ``(None, {})``. Outlines are copied from year to
    year keeping their indicator codes. Two plain queries: one with the joins and the
    ordering of both took longer to plan (PostgreSQL) than to run."""
    inspection = report.inspection
    earlier = _earlier_reports(unit=inspection.unit_id, year=inspection.plan.year)
    latest = max(earlier, default=None)  # one report a year: a handful of rows
    if latest is None:
        return None, {}
    year, pk = latest
    return year, dict(_figures_of(report=pk))
