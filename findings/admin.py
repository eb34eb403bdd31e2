from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cchc_inspection.admin import (
    FoldedSearchMixin,
    LockedAdminMixin,
    ReadOnlyAdminMixin,
    UploadedFileMixin,
)

from .models import (
    Conclusion,
    DeadlineExtension,
    Finding,
    RemediationAction,
    RemediationProof,
    SiteVisitMinutes,
)


@admin.register(SiteVisitMinutes)
class SiteVisitMinutesAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "held_on", "place", "created_by")
    list_filter = ("inspection__plan__year",)
    list_select_related = ("inspection__unit", "created_by")
    search_fields = ("place", "checked")
    folded_search_fields = ("inspection__unit__search_name",)
    date_hierarchy = "held_on"
    autocomplete_fields = ("inspection", "created_by")


@admin.register(Finding)
class FindingAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "unit", "item", "kind", "handling", "created_at")
    list_filter = ("kind", "handling", "inspection__plan__year", "inspection__unit__category")
    list_select_related = ("inspection__unit", "item")
    search_fields = ("responsible",)
    folded_search_fields = ("inspection__unit__search_name", "search_description")
    date_hierarchy = "created_at"
    autocomplete_fields = ("inspection", "item", "created_by")

    @admin.display(description="đơn vị", ordering="inspection__unit__name")
    def unit(self, obj):
        return obj.inspection.unit


class RemediationActionInline(LockedAdminMixin, admin.StackedInline):
    model = RemediationAction
    extra = 0
    fields = (
        ("order", "item", "finding"),
        "requirement",
        ("responsible", "deadline", "status"),
    )
    readonly_fields = ("status",)
    autocomplete_fields = ("item", "finding")


@admin.register(Conclusion)
class ConclusionAdmin(LockedAdminMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "number_display", "issued_on", "version", "status")
    list_filter = ("status", "inspection__plan__year")
    list_select_related = ("inspection__unit",)
    search_fields = ("symbol", "strengths", "shortcomings")
    folded_search_fields = ("inspection__unit__search_name",)
    date_hierarchy = "issued_on"
    readonly_fields = ("status",)
    autocomplete_fields = ("inspection", "supersedes", "created_by")
    inlines = (RemediationActionInline,)

    @admin.display(description="số, ký hiệu")
    def number_display(self, obj):
        return obj.number_display


class DeadlineExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    extra = 0
    fields = ("old_deadline", "new_deadline", "reason", "actor", "at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class RemediationProofInline(admin.TabularInline):
    model = RemediationProof
    extra = 0
    fields = ("original_name", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RemediationAction)
class RemediationActionAdmin(LockedAdminMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "unit", "responsible", "deadline", "status")
    list_filter = ("status", "conclusion__inspection__plan__year")
    list_select_related = ("conclusion__inspection__unit",)
    search_fields = ("requirement", "responsible")
    folded_search_fields = ("conclusion__inspection__unit__search_name",)
    date_hierarchy = "deadline"
    readonly_fields = ("status", "original_deadline", "reported_at", "verified_at")
    autocomplete_fields = ("conclusion", "finding", "item")
    inlines = (DeadlineExtensionInline, RemediationProofInline)

    @admin.display(description="đơn vị", ordering="conclusion__inspection__unit__name")
    def unit(self, obj):
        return obj.conclusion.inspection.unit


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Written by ``remediation_extend`` only, so that the original deadline is kept."""

    list_display = ("action", "old_deadline", "new_deadline", "actor", "at")
    list_select_related = ("action", "actor")
    search_fields = ("reason",)
    date_hierarchy = "at"
    autocomplete_fields = ("action", "actor")


@admin.register(RemediationProof)
class RemediationProofAdmin(UploadedFileMixin, admin.ModelAdmin):
    """Proof files; name, size, type and SHA-256 are read from the uploaded file."""

    list_display = ("original_name", "action", "size", "uploaded_by", "uploaded_at")
    list_select_related = ("action", "uploaded_by")
    search_fields = ("original_name", "sha256")
    date_hierarchy = "uploaded_at"
    fields = (
        "action",
        "file",
        "original_name",
        "size",
        "content_type",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    )
    readonly_fields = ("original_name", "size", "content_type", "sha256", "uploaded_by")
    readonly_fields += ("uploaded_at",)
    autocomplete_fields = ("action",)
