"""Filters of the findings register and the remediation tracker (GET parameters)."""

import django_filters
from django import forms
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from cchc_inspection.text import fold
from plans.models import InspectionPlan
from reports.models import OutlineItem
from units.models import Unit

from .forms import area_label
from .models import Finding, RemediationAction


def _area_choices(request=None):
    return (
        OutlineItem.objects.filter(kind__in=[OutlineItem.Kind.SECTION, OutlineItem.Kind.HEADING])
        .select_related("outline__plan")
        .order_by("-outline__plan__year", "outline__plan", "order")
    )


def _inspected_units(request=None):
    return Unit.objects.filter(inspections__isnull=False).distinct().order_by("name")


class _AreaFilter(django_filters.ModelChoiceFilter):
    """An area is a section or heading; findings recorded at a section's headings count
    for the section too."""

    def filter(self, qs, value):
        if not value:
            return qs
        path = self.field_name
        return qs.filter(Q(**{path: value}) | Q(**{f"{path}__parent": value}))


class QuickSelect(forms.Select):
    """A select whose options are written out directly rather than through a template
    each: the plan list of a national register has hundreds of options, and rendering
    them one template at a time took half of the page's time."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(v) for v in self.format_value(value)}
        options = []
        for option_value, label in self.choices:
            key = "" if option_value is None else str(option_value)
            selected = " selected" if key in chosen else ""
            options.append(f'<option value="{escape(key)}"{selected}>{escape(label)}</option>')
        return mark_safe(f"<select{flatatt(attrs)}>{''.join(options)}</select>")


def _area_label(item):
    return f"{item.outline.plan.year} · {area_label(item).strip()}"


class _BaseFilter(django_filters.FilterSet):
    """The unit and area selects list the choices of one plan: the chosen one, else the
    latest (of the chosen year, if any), plus the value already chosen. Any inspected unit
    and any area is still accepted, so links from other pages keep working; a national
    register does not render tens of thousands of options on every page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["area"].label_from_instance = _area_label
        for field in self.form.fields.values():
            if getattr(field, "empty_label", None) == "---------":
                field.empty_label = "Tất cả"
            if type(field.widget) is forms.Select:
                field.widget = QuickSelect(attrs=field.widget.attrs, choices=field.widget.choices)
        self._limit_choices()
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} form-select-sm form-control-sm")

    def _scope_plan(self):
        chosen = self.data.get("plan", "") if self.data else ""
        if chosen.isdigit():
            return int(chosen)
        plans = InspectionPlan.objects.order_by("-year", "-pk")
        year = self.data.get("year", "") if self.data else ""
        if year.isdigit():
            plans = plans.filter(year=int(year))
        return plans.values_list("pk", flat=True).first()

    def _chosen(self, name):
        value = self.data.get(name, "") if self.data else ""
        return int(value) if value.isdigit() else None

    def _or_chosen(self, in_plan, name, plan):
        condition = Q(pk__in=[]) if plan is None else in_plan
        chosen = self._chosen(name)
        return condition | Q(pk=chosen) if chosen else condition

    def _limit_choices(self):
        plan = self._scope_plan()
        unit, area = self.form.fields["unit"], self.form.fields["area"]
        units = Unit.objects.filter(self._or_chosen(Q(inspections__plan=plan), "unit", plan))
        areas = _area_choices().filter(self._or_chosen(Q(outline__plan=plan), "area", plan))
        unit.widget.choices = [("", unit.empty_label)] + [
            (u.pk, str(u)) for u in units.distinct().order_by("name").only("pk", "name")
        ]
        area.widget.choices = [("", area.empty_label)] + [(a.pk, _area_label(a)) for a in areas]


class FindingFilter(_BaseFilter):
    """The findings register: by year, plan, unit, unit group, area, kind, and a search
    over the unit's name and the description that ignores diacritics."""

    q = django_filters.CharFilter(label="Tìm kiếm", method="search")
    year = django_filters.NumberFilter(field_name="inspection__plan__year", label="Năm")
    plan = django_filters.ModelChoiceFilter(
        field_name="inspection__plan",
        queryset=InspectionPlan.objects.order_by("-year", "-pk"),
        label="Kế hoạch",
    )
    unit = django_filters.ModelChoiceFilter(
        field_name="inspection__unit", queryset=_inspected_units, label="Đơn vị"
    )
    group = django_filters.ChoiceFilter(
        field_name="inspection__unit__category",
        choices=Unit.Category.choices,
        label="Nhóm đơn vị",
    )
    area = _AreaFilter(field_name="item", queryset=_area_choices, label="Lĩnh vực")
    kind = django_filters.ChoiceFilter(choices=Finding.Kind.choices, label="Loại")

    class Meta:
        model = Finding
        fields = ["q", "year", "plan", "unit", "group", "area", "kind"]

    def search(self, qs, name, value):
        folded = fold(value)
        if not folded:
            return qs
        return qs.filter(
            Q(search_description__contains=folded)
            | Q(inspection__unit__search_name__contains=folded)
        )


class RemediationFilter(_BaseFilter):
    """The remediation tracker: by plan, unit, unit group, area, status, overdue and
    due within N days; expects a queryset annotated by ``with_overdue_flag``."""

    plan = django_filters.ModelChoiceFilter(
        field_name="conclusion__inspection__plan",
        queryset=InspectionPlan.objects.order_by("-year", "-pk"),
        label="Kế hoạch",
    )
    unit = django_filters.ModelChoiceFilter(
        field_name="conclusion__inspection__unit", queryset=_inspected_units, label="Đơn vị"
    )
    group = django_filters.ChoiceFilter(
        field_name="conclusion__inspection__unit__category",
        choices=Unit.Category.choices,
        label="Nhóm đơn vị",
    )
    area = _AreaFilter(field_name="item", queryset=_area_choices, label="Lĩnh vực")
    status = django_filters.ChoiceFilter(
        choices=RemediationAction.Status.choices, label="Trạng thái"
    )
    overdue = django_filters.ChoiceFilter(
        label="Quá hạn",
        method="filter_overdue",
        choices=[("1", "Quá hạn"), ("0", "Chưa quá hạn")],
        empty_label="Tất cả",
    )
    due_within = django_filters.NumberFilter(
        label="Đến hạn trong (ngày)", method="filter_due_within", min_value=0
    )

    class Meta:
        model = RemediationAction
        fields = ["plan", "unit", "group", "area", "status", "overdue", "due_within"]

    def filter_overdue(self, qs, name, value):
        if value not in {"0", "1"}:
            return qs
        return qs.filter(overdue=value == "1")

    def filter_due_within(self, qs, name, value):
        if value is None:
            return qs
        today = timezone.localdate()
        return qs.due_within(int(value), today=today)
