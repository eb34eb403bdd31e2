"""Minutes of an on-site visit, the conclusion notice and the year's summary report, as PDFs.

Context builders turn the records into what the templates print; the download views
fetch through the access rules and serve an issued conclusion exactly as first stored.
"""

from django.db.models import Avg, Count, F, Q, Sum
from django.utils import timezone

from cchc_inspection import vn
from cchc_inspection.documents import (
    Frame,
    Signer,
    blank_number,
    document_pdf,
    is_issued,
    lower_first,
    paragraphs,
    pdf_response,
    recipients,
    render_pdf,
)
from cchc_inspection.roles import Role, role_required, staff_required
from plans.access import get_plan
from plans.documents import plan_reference, team_reference
from plans.models import Inspection
from reports.documents import inspection_dates
from reports.models import Indicator, IndicatorValue, OutlineItem, UnitReport

from . import access
from .models import Conclusion, Finding, RemediationAction

# ---------------------------------------------------------------------------------------
# Minutes
# ---------------------------------------------------------------------------------------


def _listed(text):
    """Participants one per line, each printed as "- …"."""
    return [f"- {line.lstrip('-–•+ ').strip()}" for line in paragraphs(text)]


def minutes_context(minutes):
    inspection = minutes.inspection
    plan, unit, team = inspection.plan, inspection.unit, inspection.team
    agency = plan.agency
    basis = team_reference(team) if team is not None and is_issued(team) else plan_reference(plan)
    team_name = team.name if team is not None else "Đoàn kiểm tra"
    leader = team.leader if team is not None else None
    return {
        "frame": Frame(
            agency=agency,
            kind="BIÊN BẢN",
            subject=f"Kiểm tra công tác cải cách hành chính tại {unit.name}",
            number=blank_number(f"BB-{agency.code}"),
            issued_on=minutes.held_on,
            title=f"Biên bản kiểm tra — {unit.name}",
        ),
        "minutes": minutes,
        "intro": (
            f"Thực hiện {basis}, hôm nay, {vn.long_date(minutes.held_on)}, tại {minutes.place}, "
            f"{team_name} tiến hành kiểm tra công tác cải cách hành chính tại {unit.name}."
        ),
        "team_people": _listed(minutes.team_participants),
        "unit_people": _listed(minutes.unit_participants),
        "checked": paragraphs(minutes.checked),
        "remarks": paragraphs(minutes.remarks) or ["Không có ý kiến khác."],
        "closing": (
            f"Biên bản được lập thành 02 bản có giá trị như nhau, {team_name} giữ 01 bản, "
            f"{unit.name} giữ 01 bản; đã được đọc lại cho những người tham dự cùng nghe và "
            "thống nhất ký tên dưới đây./."
        ),
        "unit_signer": {
            "title": minutes.unit_representative_title,
            "name": minutes.unit_representative,
        },
        "leader_name": leader.full_name if leader is not None else "",
    }


def render_minutes(minutes):
    return render_pdf("documents/minutes.html", minutes_context(minutes))


# ---------------------------------------------------------------------------------------
# Conclusion notice
# ---------------------------------------------------------------------------------------


def conclusion_context(conclusion):
    inspection = conclusion.inspection
    plan, unit, team = inspection.plan, inspection.unit, inspection.team
    agency = plan.agency
    agency_name = plan.agency.short_name
    basis = plan_reference(plan)
    if team is not None and is_issued(team):
        basis += f"; {team_reference(team)}"
    team_name = team.name if team is not None else "Đoàn kiểm tra"
    dates = inspection_dates(inspection)
    actions = list(conclusion.actions.order_by("order", "pk"))
    previous = conclusion.supersedes
    replaces = ""
    if previous is not None and is_issued(previous):
        replaces = (
            f"Thông báo này thay thế Thông báo số {previous.number_display} "
            f"ngày {vn.short_date(previous.issued_on)}."
        )
    lines = [unit.name] + ([f"Thành viên {team.name}"] if team is not None else [])
    return {
        "frame": Frame(
            agency=agency,
            kind="THÔNG BÁO",
            subject=f"Kết luận kiểm tra công tác cải cách hành chính tại {unit.name}",
            number=conclusion.number_display,
            issued_on=conclusion.issued_on,
            draft=not is_issued(conclusion),
            signer=Signer.for_document(conclusion, agency),
            recipients=recipients(lines, agency.division_code),
            title=f"Thông báo kết luận kiểm tra — {unit.name}",
        ),
        "intro": (
            f"Thực hiện {basis}, {dates + ', ' if dates else ''}{team_name} đã tiến hành kiểm "
            f"tra công tác cải cách hành chính tại {unit.name}. Trên cơ sở báo cáo của đơn vị "
            f"và kết quả kiểm tra, {agency_name} thông báo kết luận kiểm tra như sau:"
        ),
        "replaces": replaces,
        "strengths": paragraphs(conclusion.strengths),
        "shortcomings": paragraphs(conclusion.shortcomings),
        "requirements": paragraphs(conclusion.requirements_intro),
        # The standard request stands only where the draft wrote none of its own.
        "table_intro": ""
        if conclusion.requirements_intro.strip()
        else (
            f"Đề nghị {unit.name} khắc phục các tồn tại, hạn chế nêu trên theo các yêu cầu dưới "
            f"đây và báo cáo kết quả về {agency_name} đúng thời hạn:"
        ),
        "actions": [
            {
                "requirement": action.requirement,
                "deadline": vn.short_date(action.original_deadline or action.deadline),
                "responsible": action.responsible,
            }
            for action in actions
        ],
        "closing": f"{agency_name} thông báo để {unit.name} biết, thực hiện./.",
    }


def render_conclusion(conclusion):
    return render_pdf("documents/conclusion.html", conclusion_context(conclusion))


def conclusion_filename(conclusion):
    unit = conclusion.inspection.unit.name
    if is_issued(conclusion):
        return f"Thông báo kết luận số {conclusion.number:02d}-{conclusion.symbol} - {unit}.pdf"
    return f"Dự thảo Thông báo kết luận kiểm tra - {unit}.pdf"


# ---------------------------------------------------------------------------------------
# The year's summary report
# ---------------------------------------------------------------------------------------

DONE = {
    Inspection.Status.REVIEWED,
    Inspection.Status.CONCLUDED,
    Inspection.Status.REMEDIATING,
    Inspection.Status.CLOSED,
}
COMMON_SHORTCOMINGS = 5


def _ratio(part, whole):
    return vn.percent(part * 100 / whole) if whole else ""


def _plan_progress(plan):
    """Planned entries against inspections, per group of Phụ lục 1 and by status."""
    statuses = dict(plan.inspections.order_by().values_list("status").annotate(n=Count("pk")))
    done_units = set(plan.inspections.filter(status__in=DONE).values_list("unit_id", flat=True))
    units_by_group = {}
    for group_id, unit_id in plan.entries.values_list("group_id", "unit_id"):
        units_by_group.setdefault(group_id, []).append(unit_id)
    groups, done_in_plan = [], 0
    for group in plan.groups.order_by("order"):
        units = units_by_group.get(group.pk, [])
        done = sum(1 for u in units if u in done_units)
        done_in_plan += done
        groups.append({"title": group.title, "planned": len(units), "done": done})
    planned = sum(g["planned"] for g in groups)
    for row in groups:
        row["ratio"] = _ratio(row["done"], row["planned"])
    return {
        "planned": planned,
        "done": sum(n for s, n in statuses.items() if s in DONE),
        "done_in_plan": done_in_plan,
        "ratio": _ratio(done_in_plan, planned),
        "groups": groups,
        "by_status": [
            {"label": label, "count": statuses[value]}
            for value, label in Inspection.Status.choices
            if statuses.get(value)
        ],
    }


def _areas(plan):
    """Each outline item mapped to its area (the numbered heading or section above it)."""
    items = {item.pk: item for item in OutlineItem.objects.filter(outline__plan=plan)}

    def area_of(item):
        while item.kind in {OutlineItem.Kind.POINT, OutlineItem.Kind.NOTE} and item.parent_id:
            item = items[item.parent_id]
        return item

    def code_of(area):
        parent = items.get(area.parent_id)
        if parent is not None and parent.label and area.label:
            return f"{parent.label}.{area.label}"
        return area.label

    return items, area_of, code_of


def _findings_by_area(plan):
    items, area_of, code_of = _areas(plan)
    findings = Finding.objects.filter(inspection__plan=plan).exclude(
        inspection__status=Inspection.Status.CANCELLED
    )
    rows = {}
    for item_id, kind, count in (
        findings.values_list("item_id", "kind").annotate(n=Count("pk")).order_by()
    ):
        area = area_of(items[item_id])
        row = rows.setdefault(area.pk, {"area": area, "code": code_of(area), "counts": {}})
        row["counts"][kind] = row["counts"].get(kind, 0) + count
    units_by_area, names = {}, {}
    shortcomings = findings.shortcomings().values_list(
        "item_id", "inspection__unit_id", "inspection__unit__name"
    )
    for item_id, unit_id, unit_name in shortcomings.distinct().order_by():
        area = area_of(items[item_id])
        units_by_area.setdefault(area.pk, set()).add(unit_id)
        names[unit_id] = unit_name
    table = []
    for row in sorted(rows.values(), key=lambda r: r["area"].order):
        counts = row["counts"]
        table.append(
            {
                "code": row["code"],
                "title": row["area"].title,
                "strengths": counts.get(Finding.Kind.STRENGTH, 0),
                "shortcomings": counts.get(Finding.Kind.SHORTCOMING, 0),
                "violations": counts.get(Finding.Kind.VIOLATION, 0),
                "units": len(units_by_area.get(row["area"].pk, ())),
            }
        )
    inspected = findings.values("inspection__unit_id").distinct().count()
    common = sorted(
        (
            {
                "code": code_of(items[pk]),
                "title": items[pk].title.strip().rstrip("."),
                "count": len(units),
                "units": sorted(names[u] for u in units),
                "order": items[pk].order,
            }
            for pk, units in units_by_area.items()
        ),
        key=lambda row: (-row["count"], row["order"]),
    )[:COMMON_SHORTCOMINGS]
    for row in common:
        row["inspected"] = inspected
    return table, common


def _remediation(plan):
    today = timezone.localdate()
    verified = RemediationAction.Status.VERIFIED
    actions = RemediationAction.objects.filter(
        conclusion__inspection__plan=plan,
        conclusion__status=Conclusion.Status.ISSUED,
        conclusion__superseded_by__isnull=True,
    )
    totals = actions.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(deadline__lt=today) & ~Q(status=verified)),
        extended=Count("pk", filter=Q(deadline__gt=F("original_deadline"))),
    )
    by_status = dict(actions.values_list("status").annotate(n=Count("pk")).order_by())
    return {
        **totals,
        "today": today,
        "by_status": [
            {"label": label, "count": by_status.get(value, 0)}
            for value, label in RemediationAction.Status.choices
        ],
        "conclusions": Conclusion.objects.filter(
            inspection__plan=plan, status=Conclusion.Status.ISSUED, supersedes__isnull=True
        ).count(),
    }


def _figures(plan):
    """Totals of the figures matrix over submitted and accepted reports."""
    values = IndicatorValue.objects.filter(
        report__inspection__plan=plan,
        report__status__in=[UnitReport.Status.SUBMITTED, UnitReport.Status.ACCEPTED],
        value__isnull=False,
    ).exclude(report__inspection__status=Inspection.Status.CANCELLED)
    aggregates = {
        row["indicator_id"]: row
        for row in values.values("indicator_id")
        .annotate(total=Sum("value"), mean=Avg("value"), n=Count("pk"))
        .order_by()
    }
    reports = (
        UnitReport.objects.filter(
            inspection__plan=plan,
            status__in=[UnitReport.Status.SUBMITTED, UnitReport.Status.ACCEPTED],
        )
        .exclude(inspection__status=Inspection.Status.CANCELLED)
        .count()
    )
    rows = []
    for indicator in Indicator.objects.filter(outline__plan=plan).order_by("order"):
        agg = aggregates.get(indicator.pk, {"total": None, "mean": None, "n": 0})
        if indicator.kind == Indicator.Kind.PERCENT:
            shown = f"{vn.percent(agg['mean'])} (bình quân)" if agg["n"] else ""
        elif indicator.kind == Indicator.Kind.BOOLEAN:
            shown = f"{vn.number(agg['total'] or 0, 0)} đơn vị có" if agg["n"] else ""
        else:
            shown = vn.number(agg["total"]) if agg["n"] else ""
        rows.append(
            {
                "label": indicator.label,
                "unit": indicator.unit_of_measure,
                "total": shown,
                "units": agg["n"],
            }
        )
    return {"reports": reports, "rows": rows}


def summary_context(plan):
    agency = plan.agency
    agency_name = plan.agency.short_name
    province = agency.parent_short_name
    areas, common = _findings_by_area(plan)
    progress = _plan_progress(plan)
    return {
        "frame": Frame(
            agency=agency,
            kind="BÁO CÁO",
            subject=f"Kết quả kiểm tra công tác cải cách hành chính năm {plan.year}",
            number=blank_number(f"BC-{agency.code}"),
            signer=Signer.head_of(agency),
            recipients=recipients(
                ["Bộ Nội vụ (để b/c)", f"{province} (để b/c)"], agency.division_code
            ),
            title=f"Báo cáo kết quả kiểm tra công tác CCHC năm {plan.year}",
        ),
        "plan": plan,
        "intro": (
            f"Thực hiện {plan_reference(plan)}, {agency_name} báo cáo {province} và Bộ Nội vụ "
            f"kết quả kiểm tra công tác cải cách hành chính năm {plan.year} như sau:"
        ),
        "progress": progress,
        "areas": areas,
        "common": common,
        "remediation": _remediation(plan),
        "figures": _figures(plan),
        "closing": (
            f"Trên đây là báo cáo kết quả kiểm tra công tác cải cách hành chính năm {plan.year} "
            f"của {agency_name}, kính báo cáo {province} và Bộ Nội vụ./."
        ),
        "lower_first": lower_first,
    }


def render_summary(plan):
    return render_pdf("documents/summary.html", summary_context(plan))


# ---------------------------------------------------------------------------------------
# Downloads
# ---------------------------------------------------------------------------------------


@role_required(Role.STAFF, Role.LEADER, Role.TEAM_MEMBER)
def minutes_pdf(request, pk):
    minutes = access.get_document_minutes(request.user, pk)
    name = f"Biên bản kiểm tra {vn.short_date(minutes.held_on)} - {minutes.inspection.unit.name}"
    return pdf_response(render_minutes(minutes), name)


@role_required(Role.STAFF, Role.LEADER, Role.TEAM_MEMBER, Role.FOCAL)
def conclusion_pdf(request, pk):
    conclusion = access.get_document_conclusion(request.user, pk)
    data = document_pdf(conclusion, render_conclusion)
    return pdf_response(data, conclusion_filename(conclusion))


@staff_required
def summary_pdf(request, pk):
    plan = get_plan(request.user, pk)
    name = f"Báo cáo kết quả kiểm tra CCHC năm {plan.year}"
    return pdf_response(render_summary(plan), name)
