from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from cchc_inspection.admin import FoldedSearchMixin, SheetErrorsMixin
from cchc_inspection.spreadsheets import SafeXLSX

from .imports import RosterXLSX
from .models import Membership, Unit
from .resources import UnitResource


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Unit)
class UnitAdmin(SheetErrorsMixin, FoldedSearchMixin, ImportExportModelAdmin):
    """The roster; search ignores diacritics ("thanh hoa" finds "Thành phố Thanh Hóa"),
    and Excel import goes through the same cleaning as the staff import page."""

    list_display = ("name", "category", "parent", "agency_code", "valid_from", "valid_to")
    list_filter = ("category", "commune_kind", "valid_to")
    list_select_related = ("parent",)
    search_fields = ("agency_code",)
    folded_search_fields = ("search_name",)
    autocomplete_fields = ("parent", "predecessors")
    inlines = (MembershipInline,)
    fieldsets = (
        (None, {"fields": ("name", "category", "commune_kind", "parent", "agency_code")}),
        ("Liên hệ", {"fields": ("address", "phone", "email", "head_name")}),
        ("Hiệu lực", {"fields": ("valid_from", "valid_to", "predecessors")}),
    )
    resource_classes = (UnitResource,)
    import_formats = (RosterXLSX,)
    export_formats = (SafeXLSX,)


@admin.register(Membership)
class MembershipAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("user", "unit", "position", "is_active")
    list_filter = ("is_active", "unit__category")
    list_select_related = ("user", "unit")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    folded_search_fields = ("unit__search_name",)
    autocomplete_fields = ("user", "unit")
