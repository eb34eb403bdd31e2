from django import forms
from django.contrib import admin
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ConfirmImportForm, ImportForm
from simple_history.admin import SimpleHistoryAdmin

from cchc_inspection.admin import (
    ConstraintMessageFormSet,
    FoldedSearchMixin,
    LockedAdminMixin,
    SheetErrorsMixin,
)
from cchc_inspection.spreadsheets import SafeXLSX

from .imports import AppendixXLSX
from .models import Inspection, InspectionPlan, InspectionTeam, PlanEntry, PlanGroup, TeamMember
from .resources import PlanEntryResource


def _draft_plans():
    return InspectionPlan.objects.filter(status=InspectionPlan.Status.DRAFT).order_by("-year")


class PlanGroupInline(LockedAdminMixin, admin.TabularInline):
    model = PlanGroup
    extra = 0
    fields = ("order", "title", "category", "expected_period")


class PlanEntryInline(LockedAdminMixin, admin.TabularInline):
    model = PlanEntry
    formset = ConstraintMessageFormSet
    extra = 0
    fields = ("group", "order", "unit", "expected_period", "note")
    autocomplete_fields = ("unit",)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # Only the groups of this plan make sense in its Phụ lục 1.
        groups = formset.form.base_fields["group"]
        groups.queryset = PlanGroup.objects.filter(plan=obj) if obj else PlanGroup.objects.none()
        return formset


@admin.register(InspectionPlan)
class InspectionPlanAdmin(LockedAdminMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "year", "number_display", "issued_on", "status", "agency")
    list_filter = ("status", "year", "agency")
    list_select_related = ("agency",)
    search_fields = ("title", "symbol")
    date_hierarchy = "issued_on"
    readonly_fields = ("status", "number_display")
    autocomplete_fields = ("based_on",)
    inlines = (PlanGroupInline, PlanEntryInline)
    fieldsets = (
        (
            None,
            {"fields": ("agency", "year", "title", "status", "number_display", "symbol")},
        ),
        ("Ban hành", {"fields": ("issued_on", "signer_authority", "signer_title", "signer_name")}),
        (
            "Nội dung",
            {
                "fields": (
                    "legal_basis",
                    "purposes",
                    "requirements",
                    "subjects",
                    "subjects_note",
                    "forms",
                    "timing",
                    "contents",
                    "contents_note",
                    "duties_agency",
                    "duties_units",
                    "recipients",
                )
            },
        ),
        (
            "Phụ lục 1 và thời hạn",
            {
                "fields": (
                    "appendix_title",
                    "report_lead_days",
                    "deadline_basis",
                    "based_on",
                )
            },
        ),
    )

    @admin.display(description="số, ký hiệu")
    def number_display(self, obj):
        return obj.number_display


@admin.register(PlanGroup)
class PlanGroupAdmin(LockedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "plan", "order", "category", "expected_period")
    list_filter = ("plan__year", "category")
    list_select_related = ("plan",)
    search_fields = ("title",)
    autocomplete_fields = ("plan",)


class PlanEntryImportForm(ImportForm):
    plan = forms.ModelChoiceField(
        queryset=InspectionPlan.objects.none(),
        label="Kế hoạch (dự thảo)",
        help_text="Chỉ kế hoạch còn là dự thảo mới được thay đổi Phụ lục 1.",
    )
    field_order = ["plan", "resource", "import_file", "format"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = _draft_plans()


class PlanEntryConfirmImportForm(ConfirmImportForm):
    plan = forms.ModelChoiceField(
        queryset=InspectionPlan.objects.none(), widget=forms.HiddenInput()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = _draft_plans()


@admin.register(PlanEntry)
class PlanEntryAdmin(
    LockedAdminMixin,
    SheetErrorsMixin,
    FoldedSearchMixin,
    ImportExportModelAdmin,
    SimpleHistoryAdmin,
):
    """Phụ lục 1 rows; the Excel import takes the appendix layout (or the flat export)
    into the draft plan chosen on the import form."""

    list_display = ("unit", "group", "plan", "order", "period", "note")
    list_filter = ("plan__year", "plan", "group__category")
    list_select_related = ("unit", "group", "plan")
    search_fields = ("note",)
    folded_search_fields = ("unit__search_name",)
    autocomplete_fields = ("plan", "unit")
    resource_classes = (PlanEntryResource,)
    import_formats = (AppendixXLSX,)
    export_formats = (SafeXLSX,)
    import_form_class = PlanEntryImportForm
    confirm_form_class = PlanEntryConfirmImportForm

    @admin.display(description="thời gian dự kiến")
    def period(self, obj):
        return obj.period

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        if form is not None and form.is_bound and form.is_valid():
            return {"plan": form.cleaned_data["plan"]}
        return {}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["plan"] = import_form.cleaned_data["plan"].pk
        return initial


class TeamMemberInline(LockedAdminMixin, admin.TabularInline):
    model = TeamMember
    formset = ConstraintMessageFormSet
    extra = 0
    fields = ("order", "full_name", "user", "position", "agency_name", "role")
    autocomplete_fields = ("user",)


@admin.register(InspectionTeam)
class InspectionTeamAdmin(LockedAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "plan", "number_display", "issued_on", "status")
    list_filter = ("status", "plan__year")
    list_select_related = ("plan",)
    search_fields = ("name", "symbol")
    date_hierarchy = "issued_on"
    readonly_fields = ("status",)
    autocomplete_fields = ("plan",)
    inlines = (TeamMemberInline,)

    @admin.display(description="số, ký hiệu")
    def number_display(self, obj):
        return obj.number_display


@admin.register(TeamMember)
class TeamMemberAdmin(LockedAdminMixin, SimpleHistoryAdmin):
    list_display = ("full_name", "team", "role", "position", "agency_name", "user")
    list_filter = ("role", "team__plan__year")
    list_select_related = ("team", "user")
    search_fields = ("full_name", "agency_name", "user__username")
    autocomplete_fields = ("team", "user")


@admin.register(Inspection)
class InspectionAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = (
        "unit",
        "plan",
        "team",
        "form",
        "start_date",
        "report_deadline",
        "status",
    )
    list_filter = ("status", "form", "plan__year", "unit__category")
    list_select_related = ("unit", "plan", "team")
    search_fields = ("place",)
    folded_search_fields = ("unit__search_name",)
    date_hierarchy = "start_date"
    readonly_fields = ("status", "report_deadline_computed", "report_requested_at")
    autocomplete_fields = ("plan", "unit", "team")
