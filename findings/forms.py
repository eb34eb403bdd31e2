"""Staff-side forms: minutes, findings, the conclusion with its actions, remediation review."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from reports.models import OutlineItem

from .models import Conclusion, Finding, RemediationAction, SiteVisitMinutes


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _helper():
    helper = FormHelper()
    helper.form_tag = False  # templates own the <form> element and its buttons
    return helper


def area_label(item):
    """ "I. CÔNG TÁC …" for a section, "   1. Công tác …" (indented) for a heading."""
    text = str(item)
    return text if item.kind == OutlineItem.Kind.SECTION else f"\u00a0\u00a0\u00a0\u00a0{text}"


class AreaField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return area_label(obj)


class MinutesForm(forms.ModelForm):
    class Meta:
        model = SiteVisitMinutes
        fields = [
            "held_on",
            "place",
            "team_participants",
            "unit_participants",
            "checked",
            "remarks",
            "unit_representative",
            "unit_representative_title",
        ]
        widgets = {
            "held_on": DateInput(),
            "team_participants": forms.Textarea(attrs={"rows": 4}),
            "unit_participants": forms.Textarea(attrs={"rows": 4}),
            "checked": forms.Textarea(attrs={"rows": 6}),
            "remarks": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class FindingForm(forms.ModelForm):
    """A finding; ``areas`` (outline items) limits the area select; ``version`` travels
    with the form so a save over somebody else's newer one is refused."""

    item = AreaField(queryset=OutlineItem.objects.none(), label="Lĩnh vực (mục đề cương)")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Finding
        fields = [
            "item",
            "kind",
            "description",
            "cause",
            "recommendation",
            "responsible",
            "handling",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "cause": forms.Textarea(attrs={"rows": 3}),
            "recommendation": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = OutlineItem.objects.filter(
            pk__in=[a.pk for a in areas]
        ).order_by("order")
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        self.helper = _helper()

    def data_for_service(self):
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class ConclusionForm(forms.ModelForm):
    class Meta:
        model = Conclusion
        fields = [
            "strengths",
            "shortcomings",
            "requirements_intro",
            "signer_authority",
            "signer_title",
            "signer_name",
        ]
        widgets = {
            "strengths": forms.Textarea(attrs={"rows": 6}),
            "shortcomings": forms.Textarea(attrs={"rows": 6}),
            "requirements_intro": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "strengths": "Mỗi dòng một ý.",
            "shortcomings": "Mỗi dòng một ý.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class ActionForm(forms.ModelForm):
    item = AreaField(queryset=OutlineItem.objects.none(), label="Lĩnh vực")

    class Meta:
        model = RemediationAction
        fields = ["item", "requirement", "responsible", "deadline"]
        widgets = {
            "requirement": forms.Textarea(attrs={"rows": 2}),
            "deadline": DateInput(),
        }

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        if areas is not None:
            self.fields["item"].queryset = areas
        self.helper = _helper()


ActionFormSet = forms.inlineformset_factory(
    Conclusion,
    RemediationAction,
    form=ActionForm,
    extra=1,
    can_delete=True,
)


class IssueForm(forms.Form):
    issued_on = forms.DateField(label="Ngày ban hành", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].initial = timezone.localdate()
        self.helper = _helper()


class VerifyForm(forms.Form):
    comment = forms.CharField(
        label="Ý kiến của Sở Nội vụ",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    # The action's version when the page was opened: a decision over a newer change is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class RejectForm(VerifyForm):
    comment = forms.CharField(
        label="Lý do chưa xác nhận",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Cần nêu lý do chưa xác nhận kết quả khắc phục."},
    )


class ExtendForm(forms.Form):
    new_deadline = forms.DateField(label="Thời hạn mới", widget=DateInput())
    reason = forms.CharField(
        label="Lý do gia hạn",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Cần nêu lý do gia hạn."},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper()
