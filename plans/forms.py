"""Forms of the plans app; each carries its crispy helper (Bootstrap 5)."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from cchc_inspection import vn
from units.models import Unit

from .models import Inspection, InspectionPlan, InspectionTeam, PlanEntry, PlanGroup, TeamMember


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _helper(submit="Lưu", *layout):
    helper = FormHelper()
    helper.layout = Layout(*layout, Submit("submit", submit, css_class="mt-2"))
    return helper


def _rows(widget_rows=3, *names):
    return {name: forms.Textarea(attrs={"rows": widget_rows}) for name in names}


FILTER_BOX = (
    '<div class="mb-2"><label class="form-label" for="unit-filter">Tìm đơn vị</label>'
    '<input type="search" id="unit-filter" class="form-control" data-filter-select="#id_unit" '
    'placeholder="Gõ vài chữ của tên, có dấu hoặc không dấu" autocomplete="off"></div>'
)


# --- Plan ------------------------------------------------------------------------------------


class PlanForm(forms.ModelForm):
    class Meta:
        model = InspectionPlan
        fields = [
            "agency",
            "year",
            "symbol",
            "title",
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
            "report_lead_days",
            "deadline_basis",
            "appendix_title",
            "signer_authority",
            "signer_title",
            "signer_name",
            "recipients",
        ]
        widgets = _rows(
            4,
            "legal_basis",
            "purposes",
            "requirements",
            "subjects",
            "forms",
            "timing",
            "contents",
            "duties_agency",
            "duties_units",
            "recipients",
        )
        help_texts = {
            "purposes": "Mỗi dòng một đoạn, như in trong kế hoạch.",
            "contents": "Mỗi dòng một nội dung kiểm tra.",
            "deadline_basis": "Ngày làm việc: không tính thứ Bảy, Chủ nhật, ngày lễ, Tết và "
            "ngày nghỉ bù theo lịch nghỉ của Nhà nước.",
        }

    def __init__(self, *args, agencies=None, **kwargs):
        """``agencies``: those the user may issue for (their own, or every one)."""
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies
        self.fields["agency"].empty_label = None
        if not self.instance.pk:
            agency = self.fields["agency"].queryset.order_by("pk").first()
            year = timezone.localdate().year
            self.initial.setdefault("agency", agency.pk if agency else None)
            self.initial.setdefault("year", year)
            self.initial.setdefault("symbol", f"KH-{agency.code}" if agency else "KH-")
            self.initial.setdefault("title", f"Kiểm tra công tác cải cách hành chính năm {year}")
            if agency:
                self.initial.setdefault("signer_title", agency.head_title)
                self.initial.setdefault("signer_name", agency.head_name)
        self.helper = _helper(
            "Lưu kế hoạch",
            Fieldset(
                "Thông tin chung",
                Row(
                    Column("agency", css_class="col-md-6"),
                    Column("year", css_class="col-md-2"),
                    Column("symbol", css_class="col-md-4"),
                ),
                "title",
                "legal_basis",
            ),
            Fieldset("I. Mục đích, yêu cầu", "purposes", "requirements"),
            Fieldset(
                "II. Đối tượng và hình thức kiểm tra",
                "subjects",
                "subjects_note",
                "forms",
                "timing",
            ),
            Fieldset("III. Nội dung kiểm tra", "contents", "contents_note"),
            Fieldset("IV. Tổ chức thực hiện", "duties_agency", "duties_units"),
            Fieldset(
                "Hạn gửi báo cáo của đơn vị",
                Row(
                    Column("report_lead_days", css_class="col-md-6"),
                    Column("deadline_basis", css_class="col-md-6"),
                ),
            ),
            Fieldset(
                "Phụ lục 1, người ký và nơi nhận",
                "appendix_title",
                Row(
                    Column("signer_authority", css_class="col-md-3"),
                    Column("signer_title", css_class="col-md-4"),
                    Column("signer_name", css_class="col-md-5"),
                ),
                "recipients",
            ),
        )

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError("Năm kế hoạch không hợp lệ.")
        return year


class IssueForm(forms.Form):
    issued_on = forms.DateField(label="Ngày ban hành", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.initial.get("issued_on"):  # a team without a planned date: today
            self.initial["issued_on"] = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_tag = False


class PlanCopyForm(forms.Form):
    year = forms.IntegerField(
        label="Năm của kế hoạch mới",
        min_value=2000,
        max_value=2100,
        help_text="Giữ nguyên năm của kế hoạch đã ban hành để lập bản điều chỉnh của kế hoạch đó.",
    )

    def __init__(self, *args, source=None, **kwargs):
        super().__init__(*args, **kwargs)
        if source is not None:
            self.initial.setdefault("year", source.year + 1)
        self.helper = _helper("Tạo kế hoạch mới", "year")


# --- Groups and entries ----------------------------------------------------------------------


class GroupForm(forms.ModelForm):
    class Meta:
        model = PlanGroup
        fields = ["title", "category", "expected_period"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].help_text = "Dùng để gợi ý đơn vị khi thêm vào nhóm."
        self.helper = _helper("Lưu nhóm", "title", "category", "expected_period")


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.get_category_display()}"


class EntryForm(forms.ModelForm):
    """Add a unit to Phụ lục 1: a current unit of the roster not yet in the plan."""

    unit = UnitChoiceField(label="Cơ quan, đơn vị", queryset=Unit.objects.none())

    class Meta:
        model = PlanEntry
        fields = ["group", "unit", "expected_period", "note"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = plan.groups.all()
        self.fields["group"].empty_label = None
        self.fields["unit"].queryset = (
            Unit.objects.current().exclude(plan_entries__plan=plan).order_by("category", "name")
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "group",
            HTML(FILTER_BOX),
            "unit",
            "expected_period",
            "note",
            Submit("submit", "Thêm vào Phụ lục 1", css_class="mt-2"),
            Submit("another", "Thêm và chọn đơn vị khác", css_class="mt-2 btn-outline-primary"),
        )


class EntryUpdateForm(forms.ModelForm):
    class Meta:
        model = PlanEntry
        fields = ["group", "expected_period", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = self.instance.plan.groups.all()
        self.fields["group"].empty_label = None
        self.helper = _helper("Lưu", "group", "expected_period", "note")


# --- Teams -----------------------------------------------------------------------------------


def team_initial(plan):
    """What a new decision usually says, from the plan and its agency."""
    agency = plan.agency
    plan_ref = (
        f"Kế hoạch số {plan.number_display} {vn.long_date(plan.issued_on)}"
        if plan.issued_on
        else f"Kế hoạch {plan.title[:1].lower()}{plan.title[1:]}"
    )
    return {
        "symbol": f"QĐ-{agency.code}",
        "signer_title": agency.head_title,
        "signer_name": agency.head_name,
        "legal_basis": f"Căn cứ {plan_ref} của {agency.short_name} về kiểm tra công tác "
        f"cải cách hành chính năm {plan.year};",
        "duties": "Đoàn kiểm tra có nhiệm vụ kiểm tra công tác cải cách hành chính tại các cơ "
        "quan, đơn vị, địa phương theo Kế hoạch; tổng hợp, báo cáo kết quả kiểm tra; thông báo "
        "đến các đơn vị được kiểm tra biết và khắc phục những tồn tại, hạn chế (nếu có).",
        "executors": "Chánh Văn phòng Sở, Trưởng phòng Cải cách hành chính, Thủ trưởng các cơ "
        "quan, đơn vị có liên quan và các ông (bà) có tên tại Điều 1 chịu trách nhiệm thi hành "
        "Quyết định này.",
    }


class TeamForm(forms.ModelForm):
    class Meta:
        model = InspectionTeam
        fields = [
            "name",
            "symbol",
            "issued_on",
            "signer_authority",
            "signer_title",
            "signer_name",
            "legal_basis",
            "duties",
            "executors",
        ]
        labels = {"issued_on": "Ngày ký dự kiến", "symbol": "Ký hiệu quyết định"}
        help_texts = {"issued_on": "Lãnh đạo Sở xác nhận ngày ban hành khi ký quyết định."}
        widgets = {"issued_on": DateInput(), **_rows(3, "legal_basis", "duties", "executors")}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        if not self.instance.pk:
            for key, value in team_initial(plan).items():
                self.initial.setdefault(key, value)
            self.initial.setdefault("name", f"Đoàn kiểm tra số {plan.teams.count() + 1}")
        self.helper = _helper(
            "Lưu đoàn kiểm tra",
            Row(
                Column("name", css_class="col-md-6"),
                Column("symbol", css_class="col-md-3"),
                Column("issued_on", css_class="col-md-3"),
            ),
            Row(
                Column("signer_authority", css_class="col-md-3"),
                Column("signer_title", css_class="col-md-4"),
                Column("signer_name", css_class="col-md-5"),
            ),
            "legal_basis",
            "duties",
            "executors",
        )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = " ".join(f"{obj.last_name} {obj.first_name}".split())
        return f"{name} ({obj.username})" if name else obj.username


class MemberForm(forms.ModelForm):
    """A member who is a user (chosen) or an outside person (name, position, agency)."""

    user = UserChoiceField(
        label="Tài khoản trong hệ thống",
        queryset=get_user_model().objects.none(),
        required=False,
        help_text="Chọn nếu người này dùng hệ thống; để trống với người ngoài.",
    )

    class Meta:
        model = TeamMember
        fields = ["user", "full_name", "position", "agency_name", "role"]
        help_texts = {"full_name": "Để trống để lấy họ tên của tài khoản đã chọn."}

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.team = team
        self.fields["full_name"].required = False
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .exclude(memberships__is_active=True)
            .order_by("last_name", "first_name", "username")
        )
        self.helper = _helper(
            "Lưu thành viên",
            "user",
            "full_name",
            Row(
                Column("position", css_class="col-md-6"),
                Column("agency_name", css_class="col-md-6"),
            ),
            "role",
        )

    def clean(self):
        data = super().clean()
        if not data.get("user") and not (data.get("full_name") or "").strip():
            self.add_error("full_name", "Hãy chọn một tài khoản hoặc nhập họ và tên.")
        return data

    def validate_unique(self):
        # Duplicates and the single leader are checked (with messages at the fields) by
        # plans.services.member_save.
        pass


# --- Inspections -----------------------------------------------------------------------------


class InspectionFieldsMixin:
    def _setup(self, plan):
        self.fields["team"].queryset = plan.teams.all()
        self.fields["team"].required = True
        self.fields["start_date"].required = True
        self.fields["place"].help_text = "Để trống với hình thức xem xét hồ sơ, tài liệu."


class ScheduleForm(InspectionFieldsMixin, forms.ModelForm):
    unit = UnitChoiceField(label="Cơ quan, đơn vị được kiểm tra", queryset=Unit.objects.none())

    class Meta:
        model = Inspection
        fields = ["unit", "team", "form", "start_date", "end_date", "place", "logistics_notes"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "logistics_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup(plan)
        busy = plan.inspections.open().exclude(status=Inspection.Status.PLANNED).values("unit")
        self.fields["unit"].queryset = (
            Unit.objects.filter(plan_entries__plan=plan)
            .exclude(pk__in=busy)
            .order_by("plan_entries__group__order", "plan_entries__order", "name")
        )
        self.helper = _helper(
            "Lên lịch kiểm tra",
            HTML(FILTER_BOX),
            "unit",
            Row(Column("team", css_class="col-md-6"), Column("form", css_class="col-md-6")),
            Row(
                Column("start_date", css_class="col-md-6"), Column("end_date", css_class="col-md-6")
            ),
            "place",
            "logistics_notes",
        )

    def validate_unique(self):
        # The service decides (a planned inspection of the unit is the one scheduled).
        pass


class InspectionUpdateForm(InspectionFieldsMixin, forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ["team", "form", "start_date", "end_date", "place", "logistics_notes"]
        widgets = ScheduleForm.Meta.widgets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup(self.instance.plan)
        if self.instance.status not in {Inspection.Status.PLANNED, Inspection.Status.SCHEDULED}:
            for name in ["team", "form", "start_date", "end_date"]:
                del self.fields[name]
            layout = ["place", "logistics_notes"]
        else:
            layout = [
                Row(Column("team", css_class="col-md-6"), Column("form", css_class="col-md-6")),
                Row(
                    Column("start_date", css_class="col-md-6"),
                    Column("end_date", css_class="col-md-6"),
                ),
                "place",
                "logistics_notes",
            ]
        self.helper = _helper("Lưu", *layout)

    def validate_unique(self):
        pass


class LogisticsForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = ["logistics_notes"]
        widgets = {"logistics_notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Lưu ghi chú", "logistics_notes")


class DeadlineMoveForm(forms.Form):
    new_deadline = forms.DateField(label="Hạn gửi báo cáo mới", widget=DateInput())
    reason = forms.CharField(label="Lý do điều chỉnh", max_length=255)

    def __init__(self, *args, inspection, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("new_deadline", inspection.report_deadline)
        self.helper = _helper("Điều chỉnh hạn", "new_deadline", "reason")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Lý do", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, submit="Xác nhận", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit, "reason")


def parse_day(value):
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None
