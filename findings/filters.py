"""Filters of the findings register and the remediation tracker (GET parameters)."""

import functools

import django_filters
from django import forms
from django.db.models import BooleanField, F, Func, Q, Subquery
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from cchc_inspection.queries import instance, precompiled
from cchc_inspection.text import fold
from plans.access import plan_rows, visible_plans
from plans.models import Inspection, InspectionPlan
from reports.models import OutlineItem
from units.models import Unit

from .forms import area_label
from .models import Finding, RemediationAction


def _area_choices(request=None):
    return OutlineItem.objects.filter(
        kind__in=[OutlineItem.Kind.SECTION, OutlineItem.Kind.HEADING]
    ).order_by("-outline__plan__year", "outline__plan", "order")


def _plans(request):
    """The plans the user may filter by: those of the pages they see (``visible_plans``)."""
    return visible_plans(request.user).order_by("-year", "-pk")


def _inspected_units(request=None):
    return Unit.objects.filter(inspections__isnull=False).distinct().order_by("name")


class _AreaFilter(django_filters.ModelChoiceFilter):
    """An area is a section or heading; findings recorded at a section's headings count
    for the section too."""

    def filter(self, qs, value):
        if not value:
            return qs
        # The area and its headings first, then their rows off the item index: "item is
        # the area or its parent is" joined every row to its item (~200 → 1 ms nationally).
        items = OutlineItem.objects.filter(Q(pk=value.pk) | Q(parent=value.pk))
        return qs.filter(**{f"{self.field_name}__in": items.order_by().values("pk")})


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


class QuickInput(forms.widgets.Input):
    """A text or number box written out directly, for the same reason as ``QuickSelect``:
    Django renders each widget through two templates, a millisecond per filter field."""

    def render(self, name, value, attrs=None, renderer=None):
        extra = {"type": self.input_type, "name": name, **(attrs or {})}
        value = self.format_value(value)
        if value is not None:
            extra["value"] = value
        return mark_safe(f"<input{flatatt(self.build_attrs(self.attrs, extra))}>")


def _quick(widget):
    """The direct-rendering twin of a filter field's widget (others are kept)."""
    if type(widget) is forms.Select:
        return QuickSelect(attrs=widget.attrs, choices=widget.choices)
    if type(widget) in {forms.TextInput, forms.NumberInput}:
        quick = QuickInput(attrs=widget.attrs)
        quick.input_type = widget.input_type
        return quick
    return widget


@functools.lru_cache(maxsize=1024)
def _plan_label(title):
    """A plan as it prints itself; a national register lists hundreds of plans, and
    building a model instance for each cost milliseconds."""
    return str(InspectionPlan(title=title))


class _OneOf(Func):
    """``column IN (subquery)``, written ``column = ANY(ARRAY(subquery))`` on PostgreSQL.

    The register's search is "the description or the unit's name contains the words".
    PostgreSQL computes the ARRAY once, before reading the findings: the units are
    searched once rather than joined to every finding, and the condition can join the
    description's trigram index in a bitmap OR (beside an OR, ``IN (subquery)`` is
    re-checked for every finding and the index goes unused). On the national data the
    count of a search over all years went from ~190 to ~1 ms for a rare word (~200 to
    ~50 ms for "một cửa", in a quarter of the findings), within one year from 27 to 18."""

    output_field = BooleanField()
    template = "%(expressions)s"
    arg_joiner = " IN "

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="%(expressions)s)",
            arg_joiner=" = ANY(ARRAY",
            **extra_context,
        )


def _area_label(item, year):
    """ "2025 · I. CÔNG TÁC …" """
    return f"{year} · {area_label(item).strip()}"


PLAN = -8_000_301
AREA_COLUMNS = ("id", "kind", "label", "title")


def _units_where(condition):
    """(pk, name) of the units ``condition`` keeps, by name."""
    return Unit.objects.filter(condition).distinct().order_by("name").values_list("pk", "name")


def _areas_where(condition):
    """``AREA_COLUMNS`` and the plan's year of the areas ``condition`` keeps."""
    areas = _area_choices().filter(condition)
    return areas.values_list(*AREA_COLUMNS, "outline__plan__year")


@precompiled(plan=PLAN)
def _plan_units(plan):
    """The units a plan inspects."""
    return _units_where(Q(inspections__plan=plan))


@precompiled(plan=PLAN)
def _plan_areas(plan):
    """The areas of a plan's outline."""
    return _areas_where(Q(outline__plan=plan))


class _BaseFilter(django_filters.FilterSet):
    """The unit and area selects list the choices of one plan: the chosen one, else the
    latest (of the chosen year, if any), plus the value already chosen. Any inspected unit
    and any area is still accepted, so links from other pages keep working; a national
    register does not render tens of thousands of options on every page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if getattr(field, "empty_label", None) == "---------":
                field.empty_label = "Tất cả"
            field.widget = _quick(field.widget)
        self._limit_choices()
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} form-select-sm form-control-sm")

    def _scope_plan(self, plans):
        """The plan whose units and areas are offered (``plans``: those the user sees,
        newest first)."""
        chosen = self._chosen("plan")
        if chosen is not None and any(pk == chosen for pk, _, _ in plans):
            return chosen
        year = self._chosen("year")
        return next((pk for pk, plan_year, _ in plans if year in {None, plan_year}), None)

    def _chosen(self, name):
        value = self.data.get(name, "") if self.data else ""
        return int(value) if value.isdigit() else None

    def _or_chosen(self, in_plan, name, plan):
        condition = Q(pk__in=[]) if plan is None else in_plan
        chosen = self._chosen(name)
        return condition | Q(pk=chosen) if chosen else condition

    def _unit_options(self, plan):
        if plan is not None and not self._chosen("unit"):
            return _plan_units(plan=plan)
        return _units_where(self._or_chosen(Q(inspections__plan=plan), "unit", plan))

    def _area_options(self, plan):
        if plan is not None and not self._chosen("area"):
            rows = _plan_areas(plan=plan)
        else:
            rows = _areas_where(self._or_chosen(Q(outline__plan=plan), "area", plan))
        return [
            (row[0], _area_label(instance(OutlineItem, AREA_COLUMNS, row[:-1]), row[-1]))
            for row in rows
        ]

    def _limit_choices(self):
        # The plan list is read once, narrow, and also tells which plan is the latest. The
        # lists are read by queries compiled once (``cchc_inspection.queries``) unless a unit
        # or area outside the plan is asked for: building them cost 2–3 ms a page.
        plans = [(pk, year, title) for pk, year, title, _ in plan_rows(self.request.user)]
        plan = self._scope_plan(plans)
        fields = self.form.fields
        fields["plan"].widget.choices = [("", fields["plan"].empty_label)] + [
            (pk, _plan_label(title)) for pk, _, title in plans
        ]
        fields["unit"].widget.choices = [("", fields["unit"].empty_label)] + list(
            self._unit_options(plan)
        )
        fields["area"].widget.choices = [
            ("", fields["area"].empty_label),
            *self._area_options(plan),
        ]


class FindingFilter(_BaseFilter):
    """The findings register: by year, plan, unit, unit group, area, kind, and a search
    over the unit's name and the description that ignores diacritics."""

    q = django_filters.CharFilter(label="Tìm kiếm", method="search")
    year = django_filters.NumberFilter(field_name="inspection__plan__year", label="Năm")
    plan = django_filters.ModelChoiceFilter(
        field_name="inspection__plan",
        queryset=_plans,
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
        units = Inspection.objects.filter(unit__search_name__contains=folded)
        of_units = units.order_by().values("pk")
        return qs.filter(
            Q(search_description__contains=folded) | _OneOf(F("inspection_id"), Subquery(of_units))
        )


class RemediationFilter(_BaseFilter):
    """The remediation tracker: by plan, unit, unit group, area, status, overdue and
    due within N days; expects a queryset annotated by ``with_overdue_flag``."""

    plan = django_filters.ModelChoiceFilter(
        field_name="conclusion__inspection__plan",
        queryset=_plans,
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
