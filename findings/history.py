"""What the change history panels of the inspection, conclusion and remediation pages
list (see ``cchc_inspection.history``): the inspection page combines the inspection,
the unit's report with its answers, figures and evidence, the minutes, the findings, the
conclusions and their remediation actions."""

from cchc_inspection import vn
from cchc_inspection.history import Source
from plans.history import inspection_source
from reports.models import Evidence, IndicatorValue, ItemAnswer, UnitReport

from .models import Conclusion, Finding, RemediationAction, SiteVisitMinutes


def _cut(text, size=60):
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _conclusion_subject(row):
    if row.number:
        return f"Thông báo kết luận số {row.number:02d}/{row.symbol}"
    return f"Thông báo kết luận (phiên bản {row.version})"


def action_source(where):
    return Source(
        RemediationAction,
        where,
        subject=lambda row: f"Yêu cầu khắc phục: {_cut(row.requirement)}",
    )


def report_sources(inspection_id):
    """The unit's report, its answers, figures and evidence."""
    of_report = {"report__inspection_id": inspection_id}
    return [
        Source(UnitReport, {"inspection_id": inspection_id}),
        Source(
            ItemAnswer,
            of_report,
            subject=lambda row: f"Nội dung trả lời mục {row.item}",
            subject_refs=("item",),
        ),
        Source(
            IndicatorValue,
            of_report,
            subject=lambda row: f"Số liệu: {row.indicator}",
            subject_refs=("indicator",),
        ),
        Source(
            Evidence,
            of_report,
            subject=lambda row: f"Tài liệu kiểm chứng “{row.original_name}”",
        ),
    ]


def inspection_sources(inspection):
    """Everything recorded about one inspection, for its page."""
    pk = inspection.pk
    return [
        inspection_source(inspection),
        *report_sources(pk),
        Source(
            SiteVisitMinutes,
            {"inspection_id": pk},
            subject=lambda row: f"Biên bản kiểm tra ngày {vn.short_date(row.held_on)}",
        ),
        Source(
            Finding,
            {"inspection_id": pk},
            subject=lambda row: f"Kết quả kiểm tra: {_cut(row.description)}",
        ),
        Source(
            Conclusion,
            {"inspection_id": pk},
            subject=_conclusion_subject,
        ),
        action_source({"conclusion__inspection_id": pk}),
    ]


def conclusion_sources(conclusion):
    """The conclusion and its remediation actions."""
    return [
        Source(
            Conclusion,
            {"id": conclusion.pk},
            subject=_conclusion_subject,
        ),
        action_source({"conclusion_id": conclusion.pk}),
    ]


def action_sources(action):
    return [action_source({"id": action.pk})]
