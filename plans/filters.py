"""Filters of the inspection list; the dashboard links here with the same GET parameters.

Parameters: ``plan``, ``status``, ``team``, ``group`` (a group of Phụ lục 1), ``unit``,
``overdue=1`` (report deadline passed, report still awaited) and ``due_within=N`` (report
due in the next N days).
"""

import django_filters
from django import forms
from django.utils import timezone

from units.models import Unit

from .models import Inspection, InspectionPlan, InspectionTeam, PlanGroup


class InspectionFilter(django_filters.FilterSet):
    plan = django_filters.ModelChoiceFilter(
        label="Kế hoạch", queryset=InspectionPlan.objects.all(), empty_label="Mọi kế hoạch"
    )
    status = django_filters.ChoiceFilter(
        label="Trạng thái", choices=Inspection.Status.choices, empty_label="Mọi trạng thái"
    )
    team = django_filters.ModelChoiceFilter(
        label="Đoàn kiểm tra",
        queryset=InspectionTeam.objects.select_related("plan"),
        empty_label="Mọi đoàn",
    )
    group = django_filters.ModelChoiceFilter(
        label="Nhóm đơn vị",
        queryset=PlanGroup.objects.select_related("plan"),
        method="filter_group",
        empty_label="Mọi nhóm",
    )
    unit = django_filters.ModelChoiceFilter(
        label="Đơn vị", queryset=Unit.objects.all(), widget=forms.HiddenInput
    )
    overdue = django_filters.BooleanFilter(
        label="Quá hạn gửi báo cáo", method="filter_overdue", widget=forms.HiddenInput
    )
    due_within = django_filters.NumberFilter(
        label="Hạn gửi báo cáo trong (ngày)", method="filter_due_within", widget=forms.HiddenInput
    )

    class Meta:
        model = Inspection
        fields = ["plan", "status", "team", "group", "unit"]

    def __init__(self, *args, teams=None, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        plan_id = str(self.data.get("plan") or "")
        if plans is not None:
            self.filters["plan"].queryset = plans
        if teams is not None:
            self.filters["team"].queryset = teams.select_related("plan")
        if plan_id.isdigit():
            self.filters["team"].queryset = self.filters["team"].queryset.filter(plan_id=plan_id)
            self.filters["group"].queryset = PlanGroup.objects.filter(
                plan_id=plan_id
            ).select_related("plan")
        # The form is built on first use, from the querysets set above.
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} form-select-sm")
        self.form.fields["group"].label_from_instance = lambda g: f"{g.title} ({g.plan.year})"
        self.form.fields["team"].label_from_instance = lambda t: f"{t.name} ({t.plan.year})"

    def filter_group(self, queryset, name, value):
        # A unit appears once in a plan's Phụ lục 1, so this join adds no duplicates.
        return queryset.filter(unit__plan_entries__group=value, plan=value.plan_id)

    def filter_overdue(self, queryset, name, value):
        return queryset.report_late() if value else queryset

    def filter_due_within(self, queryset, name, value):
        if value is None or value < 0:
            return queryset
        return queryset.report_due_within(int(value), today=timezone.localdate())
