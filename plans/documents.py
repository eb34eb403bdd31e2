"""The plan (Kế hoạch with Phụ lục 1 and 2) and the decision setting up a team, as PDFs.

Context builders turn the records into what the templates print; the download views
fetch through ``plans.access`` and serve the stored PDF once a document is issued.
"""

import re

from django.db.models import Prefetch

from cchc_inspection import vn
from cchc_inspection.documents import (
    Frame,
    Signer,
    document_pdf,
    is_issued,
    legal_bases,
    lower_first,
    paragraphs,
    pdf_response,
    recipients,
    render_pdf,
)
from cchc_inspection.roles import staff_required

from . import access
from .models import PlanEntry

# ---------------------------------------------------------------------------------------
# Shared wording
# ---------------------------------------------------------------------------------------


def plan_reference(plan):
    """ "Kế hoạch số 05/KH-SNV ngày 05/3/2023 của Sở Nội vụ về kiểm tra …"."""
    dated = f" ngày {vn.short_date(plan.issued_on)}" if plan.issued_on else ""
    return (
        f"Kế hoạch số {plan.number_display}{dated} của {plan.agency.short_name} "
        f"về {lower_first(plan.title)}"
    )


def team_reference(team):
    """ "Quyết định số 12/QĐ-SNV ngày … của Giám đốc Sở Nội vụ về việc thành lập …"."""
    plan = team.plan
    dated = f" ngày {vn.short_date(team.issued_on)}" if team.issued_on else ""
    head = plan.agency.head_title.capitalize()
    return (
        f"Quyết định số {team.number_display}{dated} của {head} {plan.agency.short_name} "
        f"về việc thành lập {team.name}"
    )


# ---------------------------------------------------------------------------------------
# The plan
# ---------------------------------------------------------------------------------------


def appendix_rows(plan):
    """Phụ lục 1: groups numbered I, II, …; entries 1, 2, …; equal periods merged.

    Within a group, consecutive entries with the same expected period share one cell
    spanning their rows, as the appendix prints "Quý II, quý III năm 2023" once per group.
    """
    groups = plan.groups.prefetch_related(
        Prefetch("entries", queryset=PlanEntry.objects.select_related("unit", "group"))
    )
    result = []
    for index, group in enumerate(groups, start=1):
        entries = list(group.entries.all())
        rows = [{"number": n, "entry": e, "span": 0} for n, e in enumerate(entries, start=1)]
        start = 0
        while start < len(rows):
            end = start
            while end + 1 < len(rows) and entries[end + 1].period == entries[start].period:
                end += 1
            rows[start]["span"] = end - start + 1
            start = end + 1
        result.append({"roman": vn.roman(index), "group": group, "rows": rows})
    return result


def outline_label(item):
    """How the outline prints an item: "I. …", "1. …", "- …", "a) …" — labels as stored."""
    label, title = item.label.strip(), item.title.strip()
    if not label:
        return title
    if label in {"-", "+", "–", "•"}:
        return f"- {title}" if label == "–" else f"{label} {title}"
    if re.fullmatch(r"[a-zđ]", label):
        return f"{label}) {title}"
    if label[-1] in ".)":
        return f"{label} {title}"
    return f"{label}. {title}"


def outline_context(plan):
    outline = getattr(plan, "outline", None)
    if outline is None:
        return None
    items = list(outline.items.all())
    footnotes = list(outline.footnotes.all())
    by_item = {}
    for note in footnotes:
        by_item.setdefault(note.item_id, []).append(note)
    return {
        "outline": outline,
        "title_footnotes": by_item.get(None, []),
        "items": [
            {
                "kind": item.kind,
                "text": outline_label(item),
                "guidance": paragraphs(item.guidance),
                "footnotes": by_item.get(item.pk, []),
            }
            for item in items
        ],
    }


def plan_context(plan):
    agency = plan.agency
    agency_name = plan.agency.short_name
    attached = f"(Kèm theo Kế hoạch số {plan.number_display}"
    if plan.issued_on:
        attached += f" ngày {vn.short_date(plan.issued_on)}"
    attached += f" của {agency_name})"
    timing = paragraphs(plan.timing)
    return {
        "frame": Frame(
            agency=agency,
            kind="KẾ HOẠCH",
            subject=plan.title,
            number=plan.number_display,
            issued_on=plan.issued_on,
            draft=not is_issued(plan),
            signer=Signer.for_document(plan, agency),
            recipients=recipients(paragraphs(plan.recipients), agency.division_code),
            title=f"Kế hoạch {lower_first(plan.title)}",
        ),
        "plan": plan,
        "agency_name": agency_name,
        "timing_first": timing[0] if timing else "",
        "timing_rest": timing[1:],
        "groups": appendix_rows(plan),
        "appendix_note": attached,
        "outline": outline_context(plan),
    }


def render_plan(plan):
    return render_pdf("documents/plan.html", plan_context(plan))


def plan_filename(plan):
    if is_issued(plan):
        return f"Kế hoạch số {plan.number:02d}-{plan.symbol} năm {plan.year}.pdf"
    return f"Dự thảo Kế hoạch kiểm tra CCHC năm {plan.year}.pdf"


# ---------------------------------------------------------------------------------------
# The decision setting up a team
# ---------------------------------------------------------------------------------------


def team_context(team):
    plan = team.plan
    agency = plan.agency
    agency_name = plan.agency.short_name
    head = f"{agency.head_title.capitalize()} {agency_name}"
    bases = paragraphs(team.legal_basis)
    if not bases and is_issued(plan):
        bases = [f"Căn cứ {plan_reference(plan)}"]
    duties = paragraphs(team.duties) or [
        f"{team.name} có nhiệm vụ kiểm tra công tác cải cách hành chính tại các cơ quan, "
        f"đơn vị, địa phương theo {plan_reference(plan)}; tổng hợp, báo cáo kết quả kiểm tra "
        f"với {head}. {team.name} tự giải thể sau khi hoàn thành nhiệm vụ."
    ]
    executors = paragraphs(team.executors) or [
        "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Sở, Trưởng phòng Cải cách "
        "hành chính, các ông (bà) có tên tại Điều 1 và các cơ quan, đơn vị có liên quan "
        "chịu trách nhiệm thi hành Quyết định này./."
    ]
    return {
        "frame": Frame(
            agency=agency,
            kind="QUYẾT ĐỊNH",
            subject=f"Về việc thành lập {team.name} {lower_first(plan.title)}",
            number=team.number_display,
            issued_on=team.issued_on,
            draft=not is_issued(team),
            signer=Signer.for_document(team, agency),
            recipients=recipients(["Như Điều 3"], agency.division_code),
            title=f"Quyết định thành lập {team.name}",
        ),
        "team": team,
        "authority": f"{agency.head_title} {agency.name}",
        "bases": legal_bases(bases),
        "establish": f"Thành lập {team.name} {lower_first(plan.title)}, gồm các ông (bà) có tên sau:",
        "members": list(team.members.all()),
        "duties": duties,
        "executors": executors,
    }


def render_team_decision(team):
    return render_pdf("documents/team_decision.html", team_context(team))


def team_filename(team):
    if is_issued(team):
        return f"Quyết định số {team.number:02d}-{team.symbol} thành lập {team.name}.pdf"
    return f"Dự thảo Quyết định thành lập {team.name}.pdf"


# ---------------------------------------------------------------------------------------
# Downloads
# ---------------------------------------------------------------------------------------


@staff_required
def plan_pdf(request, pk):
    plan = access.get_plan(request.user, pk)
    return pdf_response(document_pdf(plan, render_plan), plan_filename(plan))


@access.schedule_required
def team_pdf(request, pk):
    team = access.get_document_team(request.user, pk)
    return pdf_response(document_pdf(team, render_team_decision), team_filename(team))
