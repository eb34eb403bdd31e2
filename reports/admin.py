from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cchc_inspection.admin import FoldedSearchMixin, LockedAdminMixin, UploadedFileMixin

from .models import (
    Evidence,
    Footnote,
    Indicator,
    IndicatorRule,
    IndicatorValue,
    ItemAnswer,
    OutlineItem,
    ReportOutline,
    ReviewComment,
    UnitReport,
)


class OutlineItemInline(LockedAdminMixin, admin.TabularInline):
    model = OutlineItem
    extra = 0
    fields = ("order", "label", "kind", "title", "parent", "audience", "answerable")
    autocomplete_fields = ("parent",)
    show_change_link = True


class IndicatorInline(LockedAdminMixin, admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ("order", "code", "label", "kind", "unit_of_measure", "item", "includes_communes")
    autocomplete_fields = ("item",)


class FootnoteInline(LockedAdminMixin, admin.TabularInline):
    model = Footnote
    extra = 0
    fields = ("number", "text", "item", "covers_communes")
    autocomplete_fields = ("item",)


@admin.register(ReportOutline)
class ReportOutlineAdmin(LockedAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "plan", "version", "period_start", "period_end")
    list_filter = ("plan__year",)
    list_select_related = ("plan",)
    search_fields = ("title", "plan__title")
    autocomplete_fields = ("plan", "based_on")
    inlines = (OutlineItemInline, IndicatorInline, FootnoteInline)


@admin.register(OutlineItem)
class OutlineItemAdmin(LockedAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "outline", "kind", "order", "audience", "answerable")
    list_filter = ("kind", "audience", "outline__plan__year")
    list_select_related = ("outline__plan",)
    search_fields = ("title", "label", "guidance")
    autocomplete_fields = ("outline", "parent", "audience_unit")


@admin.register(Footnote)
class FootnoteAdmin(LockedAdminMixin, admin.ModelAdmin):
    list_display = ("number", "text", "outline", "item", "covers_communes")
    list_filter = ("covers_communes", "outline__plan__year")
    list_select_related = ("outline__plan", "item")
    search_fields = ("text",)
    autocomplete_fields = ("outline", "item")


@admin.register(Indicator)
class IndicatorAdmin(LockedAdminMixin, admin.ModelAdmin):
    list_display = ("label", "code", "kind", "unit_of_measure", "outline", "order", "audience")
    list_filter = ("kind", "audience", "includes_communes", "outline__plan__year")
    list_select_related = ("outline__plan",)
    search_fields = ("label", "code")
    autocomplete_fields = ("outline", "item", "audience_unit")


@admin.register(IndicatorRule)
class IndicatorRuleAdmin(LockedAdminMixin, admin.ModelAdmin):
    list_display = ("message", "target", "operator", "severity", "outline")
    list_filter = ("operator", "severity", "outline__plan__year")
    list_select_related = ("target", "outline__plan")
    search_fields = ("message",)
    autocomplete_fields = ("outline", "target", "terms")


class ItemAnswerInline(LockedAdminMixin, admin.StackedInline):
    model = ItemAnswer
    extra = 0
    fields = ("item", "text", "updated_by", "updated_at")
    readonly_fields = ("updated_by", "updated_at")
    autocomplete_fields = ("item",)


class IndicatorValueInline(LockedAdminMixin, admin.TabularInline):
    model = IndicatorValue
    extra = 0
    fields = ("indicator", "value", "updated_by", "updated_at")
    readonly_fields = ("updated_by", "updated_at")
    autocomplete_fields = ("indicator",)


class EvidenceInline(LockedAdminMixin, admin.TabularInline):
    """Files are listed here; each is added on its own page, where its hash is taken."""

    model = Evidence
    fk_name = "report"
    extra = 0
    fields = ("original_name", "description", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(UnitReport)
class UnitReportAdmin(LockedAdminMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "plan_year", "status", "submitted_at", "submitted_by")
    list_filter = ("status", "inspection__plan__year", "inspection__unit__category")
    list_select_related = ("inspection__unit", "inspection__plan", "submitted_by")
    search_fields = ("submitted_by__username",)
    folded_search_fields = ("inspection__unit__search_name",)
    date_hierarchy = "submitted_at"
    readonly_fields = ("status", "submitted_at", "submitted_by")
    autocomplete_fields = ("inspection",)
    inlines = (ItemAnswerInline, IndicatorValueInline, EvidenceInline)

    @admin.display(description="năm", ordering="inspection__plan__year")
    def plan_year(self, obj):
        return obj.inspection.plan.year


@admin.register(ItemAnswer)
class ItemAnswerAdmin(LockedAdminMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ("report", "item", "updated_at", "updated_by")
    list_select_related = ("report__inspection__unit", "item", "updated_by")
    search_fields = ("text",)
    folded_search_fields = ("report__inspection__unit__search_name",)
    readonly_fields = ("updated_by", "updated_at")
    autocomplete_fields = ("report", "item")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(LockedAdminMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ("report", "indicator", "value", "updated_at")
    list_filter = ("indicator__kind",)
    list_select_related = ("report__inspection__unit", "indicator")
    search_fields = ("indicator__label",)
    folded_search_fields = ("report__inspection__unit__search_name",)
    readonly_fields = ("updated_by", "updated_at")
    autocomplete_fields = ("report", "indicator")


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "report", "item", "author", "round", "created_at")
    list_select_related = ("report__inspection__unit", "item", "author")
    search_fields = ("text",)
    date_hierarchy = "created_at"
    autocomplete_fields = ("report", "item", "author")


@admin.register(Evidence)
class EvidenceAdmin(LockedAdminMixin, UploadedFileMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    """Evidence files; name, size, type and SHA-256 are read from the uploaded file."""

    list_display = ("original_name", "report", "size", "uploaded_by", "uploaded_at")
    list_select_related = ("report__inspection__unit", "uploaded_by")
    search_fields = ("original_name", "description", "sha256")
    folded_search_fields = ("report__inspection__unit__search_name",)
    date_hierarchy = "uploaded_at"
    fields = (
        "report",
        "file",
        "description",
        "items",
        "previous",
        "original_name",
        "size",
        "content_type",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    )
    readonly_fields = (
        "original_name",
        "size",
        "content_type",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    )
    autocomplete_fields = ("report", "items", "previous")
