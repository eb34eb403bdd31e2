"""Admin for the issuing agency, its register and the status log, and the pieces every
app's admin shares (diacritic-insensitive unit search, read-only registers, the Excel
format that reports sheet problems in Vietnamese)."""

import hashlib

from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.db.models import Q, UniqueConstraint
from django.forms.models import BaseInlineFormSet

from .models import Agency, AgencyStaff, RegisterCounter, RegisterEntry, StatusLog, TableVersion
from .spreadsheets import SheetError
from .text import fold


class FoldedSearchMixin:
    """Search that also matches folded name columns (``Unit.search_name``).

    "thanh hoa", "Thanh Hoá" and "THANH HÓA" all find "Thành phố Thanh Hóa": the term is
    folded the way the column was, and every word must occur. This runs as plain
    ``LIKE`` on SQLite and PostgreSQL alike.
    """

    folded_search_fields = ()

    def get_search_results(self, request, queryset, search_term):
        results, may_duplicate = super().get_search_results(request, queryset, search_term)
        words = fold(search_term).split()
        if not (words and self.folded_search_fields):
            return results, may_duplicate
        condition = Q()
        for name in self.folded_search_fields:
            all_words = Q()
            for word in words:
                all_words &= Q(**{f"{name}__contains": word})
            condition |= all_words
        return results | queryset.filter(condition), may_duplicate


class ConstraintMessageFormSet(BaseInlineFormSet):
    """Inline rows that repeat each other get the model constraint's own message
    ("Người này đã là thành viên của đoàn.") instead of a generic one naming fields."""

    def get_unique_error_message(self, unique_check):
        for constraint in self.model._meta.constraints:
            if isinstance(constraint, UniqueConstraint) and set(constraint.fields) <= set(
                unique_check
            ):
                return constraint.violation_error_message
        return super().get_unique_error_message(unique_check)


class ReadOnlyAdminMixin:
    """Records written only by the application (numbers taken, status moves)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LockedAdminMixin:
    """Issued and submitted records (``cchc_inspection.integrity``) are shown read-only,
    with the reason, and cannot be deleted; on an inline, ``obj`` is the parent record,
    so the rows of an issued plan, decision or conclusion or of a submitted report are
    read-only too. The model refuses such changes anyway; this keeps the admin from
    offering them."""

    def _locked(self, obj):
        from .integrity import lock_reason

        return obj is not None and lock_reason(obj)

    def has_add_permission(self, request, obj=None):
        if isinstance(self, admin.options.InlineModelAdmin):
            return not self._locked(obj) and super().has_add_permission(request, obj)
        return super().has_add_permission(request)

    def get_form(self, request, obj=None, **kwargs):
        """The add form of a row refuses a locked parent (an entry for an issued plan)
        with the reason next to the form, instead of failing when saved."""
        from .integrity import LockedError, check_save

        form_class = super().get_form(request, obj, **kwargs)

        class IntegrityCheckedForm(form_class):
            def _post_clean(self):
                super()._post_clean()
                try:
                    check_save(self.instance)
                except LockedError as error:
                    self.add_error(None, error)

        return IntegrityCheckedForm

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        reason = self._locked(obj)
        if reason and request.method == "GET":
            messages.warning(request, reason)
        return super().change_view(request, object_id, form_url, extra_context)


class UploadedFileMixin:
    """A stored file whose name, size, type and SHA-256 are read from the upload, and
    whose uploader is the administrator who added it."""

    def save_model(self, request, obj, form, change):
        if "file" in form.changed_data:
            upload = form.cleaned_data["file"]
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            obj.sha256 = digest.hexdigest()
            obj.size = upload.size
            obj.original_name = upload.name
            obj.content_type = getattr(upload, "content_type", "") or "application/octet-stream"
        if not change:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)


class SheetErrorsMixin:
    """django-import-export admin: show why a sheet could not be read, in Vietnamese."""

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SheetError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "parent_name", "code", "place_name", "head_title", "head_name")
    search_fields = ("name", "parent_name", "code", "place_name")
    fieldsets = (
        (None, {"fields": ("parent_name", "name", "code", "division_code", "place_name")}),
        ("Người đứng đầu", {"fields": ("head_title", "head_name", "deputy_title")}),
        ("Liên hệ", {"fields": ("email",)}),
    )


class AgencyStaffInline(admin.StackedInline):
    """The Sở a staff-side user works for (none: they see every agency's data)."""

    model = AgencyStaff
    extra = 0
    max_num = 1
    autocomplete_fields = ("agency",)


@admin.register(AgencyStaff)
class AgencyStaffAdmin(admin.ModelAdmin):
    list_display = ("user", "agency")
    list_filter = ("agency",)
    list_select_related = ("user", "agency")
    autocomplete_fields = ("user", "agency")
    search_fields = ("user__username", "user__first_name", "user__last_name")


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    inlines = (*auth_admin.UserAdmin.inlines, AgencyStaffInline)
    list_display = (*auth_admin.UserAdmin.list_display, "agency")
    list_filter = (*auth_admin.UserAdmin.list_filter, "agency_staff__agency")
    list_select_related = ("agency_staff__agency",)

    @admin.display(description="cơ quan công tác", ordering="agency_staff__agency__code")
    def agency(self, user):
        staff = getattr(user, "agency_staff", None)
        return staff.agency if staff else "—"


@admin.register(RegisterEntry)
class RegisterEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "agency", "year", "doc_type", "issued_on", "issued_by")
    list_filter = ("year", "doc_type", "agency")
    list_select_related = ("agency", "issued_by")
    search_fields = ("symbol",)
    date_hierarchy = "issued_on"


@admin.register(RegisterCounter)
class RegisterCounterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("agency", "year", "doc_type", "last_number")
    list_filter = ("year", "doc_type")
    list_select_related = ("agency",)


@admin.register(StatusLog)
class StatusLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "content_type", "subject", "from_status", "to_status", "actor", "note")
    list_filter = ("content_type", "to_status")
    list_select_related = ("content_type", "actor")
    search_fields = ("note", "actor__username", "actor__last_name", "actor__first_name")
    date_hierarchy = "at"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("subject")


@admin.register(TableVersion)
class TableVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Counted by database triggers (``cchc_inspection.listcache``): shown, never edited."""

    list_display = ("table", "number")
