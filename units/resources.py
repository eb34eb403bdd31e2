"""django-import-export resources for the unit roster, and the widgets other apps reuse
to read Vietnamese sheets (names matched by their folded form, dates as dd/mm/yyyy,
choices by their Vietnamese label)."""

import datetime

from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets

from cchc_inspection.spreadsheets import ROW_COLUMN, clean_value
from cchc_inspection.text import fold, nfc

from .models import Unit


class TextWidget(widgets.Widget):
    """Trimmed NFC text; a blank cell is an empty string, never NULL."""

    def clean(self, value, row=None, **kwargs):
        value = clean_value(value)
        return "" if value is None else nfc(str(value))


class DateWidget(widgets.Widget):
    """A date typed as a date cell, "05/3/2023" or "2023-03-05"."""

    FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")

    def clean(self, value, row=None, **kwargs):
        value = clean_value(value)
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        for fmt in self.FORMATS:
            try:
                return datetime.datetime.strptime(str(value), fmt).date()
            except ValueError:
                continue
        raise ValueError(f"“{value}” không phải là ngày hợp lệ (ngày/tháng/năm).")

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""


class ChoiceWidget(widgets.Widget):
    """A choice written as its Vietnamese label (or its code, or a listed short form)."""

    def __init__(self, choices, aliases=None, required=True):
        super().__init__()
        self.choices = choices
        self.required = required
        self.lookup = {}
        for value, label in choices.choices:
            self.lookup[_key(value)] = value
            self.lookup[_key(label)] = value
        for value, names in (aliases or {}).items():
            for name in names:
                self.lookup[_key(name)] = value

    def clean(self, value, row=None, **kwargs):
        value = clean_value(value)
        if value is None:
            if self.required:
                raise ValueError("Chưa nhập.")
            return ""
        found = self.lookup.get(_key(value))
        if found is None:
            allowed = "; ".join(label for _, label in self.choices.choices)
            raise ValueError(f"“{value}” không hợp lệ; chọn một trong: {allowed}.")
        return found

    def render(self, value, obj=None, **kwargs):
        return str(self.choices(value).label) if value else ""


def _key(text):
    return " ".join(fold(str(text)).replace(",", " ").replace("-", " ").split())


def match_unit(name, units=None):
    """The one unit called ``name``: the exact NFC name first, else the folded name
    ("Thanh Hoá" = "Thanh Hóa" = "thanh hoa"). Raises ``ValueError`` with a Vietnamese
    reason when there is none or more than one."""
    units = Unit.objects.all() if units is None else units
    name = nfc(" ".join(str(name).split()))
    exact = list(units.filter(name=name)[:2])
    if len(exact) == 1:
        return exact[0]
    folded = exact or list(units.filter(search_name=fold(name))[:2])
    if len(folded) == 1:
        return folded[0]
    if not folded:
        raise ValueError(f"Không tìm thấy cơ quan, đơn vị “{name}” trong danh mục.")
    raise ValueError(
        f"Có nhiều cơ quan, đơn vị mang tên “{name}” trong danh mục; "
        "hãy ghi đúng tên như trong danh mục."
    )


class UnitNameWidget(widgets.ForeignKeyWidget):
    """A unit referred to by its name, matched with ``match_unit``."""

    def __init__(self, units=None, **kwargs):
        super().__init__(Unit, field="name", **kwargs)
        self.units = units

    def clean(self, value, row=None, **kwargs):
        value = clean_value(value)
        if value is None:
            return None
        units = self.units() if callable(self.units) else self.units
        return match_unit(value, units)

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


CATEGORY_ALIASES = {
    Unit.Category.DEPARTMENT: ("Sở, ngành", "Sở", "Cấp tỉnh", "Sở, ban, ngành"),
    Unit.Category.CENTRAL: ("Trung ương", "Cơ quan Trung ương", "Cơ quan ngành dọc"),
    Unit.Category.DISTRICT: ("Cấp huyện", "Huyện", "UBND huyện"),
    Unit.Category.COMMUNE: ("Cấp xã", "Xã", "UBND xã"),
}


class UnitResource(resources.ModelResource):
    """The unit roster as one sheet; a row updates the unit of the same (folded) name
    and start date, or adds a new one."""

    name = fields.Field("name", "Tên cơ quan, đơn vị", TextWidget())
    category = fields.Field(
        "category", "Loại", ChoiceWidget(Unit.Category, aliases=CATEGORY_ALIASES)
    )
    commune_kind = fields.Field(
        "commune_kind", "Loại đơn vị cấp xã", ChoiceWidget(Unit.CommuneKind, required=False)
    )
    parent = fields.Field("parent", "Đơn vị cấp trên", UnitNameWidget())
    agency_code = fields.Field("agency_code", "Mã định danh điện tử", TextWidget())
    address = fields.Field("address", "Địa chỉ", TextWidget())
    phone = fields.Field("phone", "Điện thoại", TextWidget())
    email = fields.Field("email", "Thư điện tử", TextWidget())
    head_name = fields.Field("head_name", "Người đứng đầu", TextWidget())
    valid_from = fields.Field("valid_from", "Hiệu lực từ ngày", DateWidget())
    valid_to = fields.Field("valid_to", "Hiệu lực đến ngày", DateWidget())

    class Meta:
        model = Unit
        name = "Danh mục cơ quan, đơn vị"
        fields = (
            "name",
            "category",
            "commune_kind",
            "parent",
            "agency_code",
            "address",
            "phone",
            "email",
            "head_name",
            "valid_from",
            "valid_to",
        )
        import_id_fields = ("name",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def before_import(self, dataset, **kwargs):
        self._seen = {}

    def before_import_row(self, row, **kwargs):
        """Refuse a unit named twice in one file; say where it first appeared."""
        name = clean_value(row.get(self.fields["name"].column_name))
        if name is None:
            raise ValidationError({"name": "Chưa nhập tên cơ quan, đơn vị."})
        key = (fold(str(name)), row.get(self.fields["valid_from"].column_name))
        here = row.get(ROW_COLUMN) or kwargs.get("row_number")
        first = self._seen.setdefault(key, here)
        if first != here:
            raise ValidationError({"name": f"Đơn vị này đã có ở dòng {first} của tệp."})

    def get_instance(self, instance_loader, row):
        name = clean_value(row.get(self.fields["name"].column_name))
        try:
            valid_from = self.fields["valid_from"].clean(row)
            return match_unit(name, Unit.objects.filter(valid_from=valid_from))
        except ValueError:
            # No unit yet (or a bad date, which the date column reports itself).
            return None

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # Keep the roster's spelling of an existing unit when the sheet differs only in
        # tone-mark placement or Unicode form.
        same_name = field.attribute == "name" and instance.pk
        if same_name and fold(instance.name) == fold(field.clean(row)):
            return
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def get_export_queryset(self, request=None):
        return Unit.objects.select_related("parent").order_by("category", "name")
