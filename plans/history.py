"""What the change history panels of the plan and team pages list (see
``cchc_inspection.history``)."""

from cchc_inspection.history import Source

from .models import Inspection, InspectionPlan, InspectionTeam, PlanEntry, TeamMember


def plan_sources(plan):
    """The plan and the rows of its Phụ lục 1."""
    return [
        Source(InspectionPlan, {"id": plan.pk}),
        Source(
            PlanEntry,
            {"plan_id": plan.pk},
            subject=lambda row: f"Phụ lục 1: {row.unit or 'đơn vị'}",
            subject_refs=("unit",),
        ),
    ]


def team_sources(team):
    """The team (its decision) and its members."""
    return [
        Source(InspectionTeam, {"id": team.pk}),
        Source(
            TeamMember,
            {"team_id": team.pk},
            subject=lambda row: f"Thành viên đoàn: {row.full_name}",
        ),
    ]


def inspection_source(inspection):
    return Source(Inspection, {"id": inspection.pk})
