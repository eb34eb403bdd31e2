"""django-import-export resource for Phụ lục 1 (the units a plan expects to inspect)."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from import_export import fields, resources, widgets

from cchc_inspection.spreadsheets import ROW_COLUMN, clean_value
from cchc_inspection.text import fold
from units.models import Unit
from units.resources import TextWidget, UnitNameWidget

from .models import PlanEntry, PlanGroup
from .services import ensure_plan_editable

GROUP_COLUMN = "Nhóm"
UNIT_COLUMN = "Các cơ quan, đơn vị"
PERIOD_COLUMN = "Thời gian dự kiến"


class OrderWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        value = clean_value(value)
        if value is None:
            return 0
        try:
            number = int(str(value).strip().rstrip("."))
        except ValueError as exc:
            raise ValueError(f"“{value}” không phải là số thứ tự.") from exc
        if number < 0:
            raise ValueError(f"“{value}” không phải là số thứ tự.")
        return number


class GroupWidget(widgets.ForeignKeyWidget):
    """A group of the resource's plan, by its title (folded) or its order."""

    def __init__(self, resource):
        super().__init__(PlanGroup, field="title")
        self.resource = resource

    def clean(self, value, row=None, **kwargs):
        groups = self.resource.groups
        title = clean_value(value)
        if title is not None:
            found = groups.get(fold(str(title)))
            if found is None:
                raise ValueError(f"Kế hoạch không có nhóm “{title}”.")
            return found
        if len(self.resource.plan_groups) == 1:
            return self.resource.plan_groups[0]
        raise ValueError("Chưa xác định nhóm (dòng số La Mã phía trên hoặc cột “Nhóm”).")

    def render(self, value, obj=None, **kwargs):
        return value.title if value else ""


class PlanEntryResource(resources.ModelResource):
    """Rows of Phụ lục 1. On import the plan is given (``PlanEntryResource(plan=…)``);
    a row updates the plan's entry for the same unit or adds one; groups named in the
    file and missing from the plan are added (only while the plan is a draft)."""

    plan = fields.Field("plan", "Kế hoạch", readonly=True)
    group = fields.Field("group", GROUP_COLUMN)
    order = fields.Field("order", "TT", OrderWidget())
    unit = fields.Field("unit", UNIT_COLUMN)
    expected_period = fields.Field("expected_period", PERIOD_COLUMN, TextWidget())
    note = fields.Field("note", "Ghi chú", TextWidget())

    class Meta:
        model = PlanEntry
        name = "Phụ lục 1 — đơn vị dự kiến kiểm tra"
        fields = ("plan", "group", "order", "unit", "expected_period", "note")
        import_id_fields = ("unit",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, plan=None, **kwargs):
        super().__init__(**kwargs)
        self.plan = plan
        self.groups = {}
        self.plan_groups = []
        self.fields["group"].widget = GroupWidget(self)
        self.fields["unit"].widget = UnitNameWidget(units=self.plan_units)

    def plan_units(self):
        """Units in force during the plan's year (a 2023 plan keeps 2023 units)."""
        units = Unit.objects.all()
        if self.plan is None:
            return units
        first, last = datetime.date(self.plan.year, 1, 1), datetime.date(self.plan.year, 12, 31)
        return units.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=last)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=first)
        )

    def before_import(self, dataset, **kwargs):
        """Check the plan may change, then add the groups the file names."""
        if self.plan is None:
            raise ValidationError("Chưa chọn kế hoạch để nhập Phụ lục 1.")
        ensure_plan_editable(self.plan)
        self._seen = {}
        self._ensure_groups(dataset)

    def _ensure_groups(self, dataset):
        existing = list(self.plan.groups.order_by("order"))
        self.groups = {fold(g.title): g for g in existing}
        next_order = (self.plan.groups.aggregate(m=Max("order"))["m"] or 0) + 1
        headers = dataset.headers or []
        for row in dataset.dict:
            title = clean_value(row.get(GROUP_COLUMN)) if GROUP_COLUMN in headers else None
            if title is None or fold(str(title)) in self.groups:
                continue
            group = PlanGroup.objects.create(
                plan=self.plan,
                order=next_order,
                title=str(title),
                expected_period=clean_value(row.get(PERIOD_COLUMN)) or "",
            )
            next_order += 1
            self.groups[fold(group.title)] = group
        self.plan_groups = list(self.groups.values())

    def before_import_row(self, row, **kwargs):
        """Refuse a unit listed twice in one file; say where it first appeared."""
        name = clean_value(row.get(UNIT_COLUMN))
        if name is None:
            raise ValidationError({"unit": "Chưa nhập tên cơ quan, đơn vị."})
        here = row.get(ROW_COLUMN) or kwargs.get("row_number")
        first = self._seen.setdefault(fold(str(name)), here)
        if first != here:
            raise ValidationError({"unit": f"Đơn vị này đã có ở dòng {first} của tệp."})

    def get_instance(self, instance_loader, row):
        try:
            unit = self.fields["unit"].clean(row)
        except ValueError:
            return None  # reported by the unit column itself
        return PlanEntry.objects.filter(plan=self.plan, unit=unit).first()

    def init_instance(self, row=None):
        return PlanEntry(plan=self.plan)

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            # A period equal to the group's is the group's: keep it in one place.
            group = instance.group if instance.group_id else None
            if group and instance.expected_period == group.expected_period:
                instance.expected_period = ""

    def dehydrate_expected_period(self, entry):
        return entry.period

    def get_export_queryset(self, request=None):
        return PlanEntry.objects.select_related("plan", "group", "unit").order_by(
            "plan", "group__order", "order", "pk"
        )
