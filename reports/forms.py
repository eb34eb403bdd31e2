"""Unit-side forms: one form per outline item (text + figures), the evidence upload."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError

from . import figures
from .models import Indicator
from .uploads import ACCEPT_ATTR, ALLOWED_HELP, max_bytes, size_label

BOOLEAN_CHOICES = [("", "— chưa chọn —"), ("1", "Có"), ("0", "Không")]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.Field):
    """Hands the view every file chosen; each is checked by ``reports.uploads``, which
    names the bad ones (Django's own FileField would stop at the first, without its name).
    """

    widget = MultipleFileInput

    def to_python(self, data):
        if not data:
            return []
        return list(data) if isinstance(data, list | tuple) else [data]


class ItemForm(forms.Form):
    """Reads what the save of one item posts: its text and figures, each with the version
    the editor loaded. The report page writes these inputs itself (``unit_item.html``,
    same names), so the form has no widgets to render."""

    def __init__(self, *args, item, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.indicators = indicators
        if item.answerable:
            self.fields["text"] = forms.CharField(required=False)
            self.fields["text_version"] = forms.IntegerField(required=False)
        for indicator in indicators:
            self.fields[f"v{indicator.pk}"] = self._figure_field(indicator)
            self.fields[f"ver{indicator.pk}"] = forms.IntegerField(required=False)

    @staticmethod
    def _figure_field(indicator):
        if indicator.kind == Indicator.Kind.BOOLEAN:
            return forms.ChoiceField(choices=BOOLEAN_CHOICES, required=False)
        return forms.CharField(required=False, max_length=40)

    def clean(self):
        data = super().clean()
        for indicator in self.indicators:
            name = f"v{indicator.pk}"
            if name in self.errors:
                continue
            try:
                data[name] = figures.parse_figure(indicator, self.data.get(self.add_prefix(name)))
            except ValidationError as error:
                self.add_error(name, error)
        return data

    def saved_values(self):
        """``(indicator, value, version)`` for the service, once the form is valid."""
        data = self.cleaned_data
        return [
            (indicator, data.get(f"v{indicator.pk}"), data.get(f"ver{indicator.pk}") or 0)
            for indicator in self.indicators
        ]


class EvidenceUploadForm(forms.Form):
    files = MultipleFileField(
        label="Tệp tài liệu kiểm chứng",
        required=False,
        help_text="",
        widget=MultipleFileInput(attrs={"accept": ACCEPT_ATTR}),
    )
    items = forms.MultipleChoiceField(
        label="Chứng minh cho các mục",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label="Mô tả (không bắt buộc)", max_length=255, required=False)

    def __init__(self, *args, items, replacing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item_objects = {str(item.pk): item for item in items}
        self.fields["items"].choices = [
            (str(item.pk), f"{'— ' * item.depth}{item}") for item in items
        ]
        self.fields[
            "files"
        ].help_text = (
            f"{ALLOWED_HELP} Tối đa {size_label(max_bytes())} mỗi tệp; chọn được nhiều tệp."
        )
        if replacing is not None:
            self.fields["files"].label = f"Tệp thay cho “{replacing.original_name}”"
            self.fields["files"].widget.allow_multiple_selected = False
            self.fields["items"].help_text = "Để trống để giữ các mục của phiên bản cũ."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("files", css_class="js-upload-files"),
            "description",
            "items",
            Submit("submit", "Tải lên", css_class="js-upload-submit"),
        )

    def selected_items(self):
        return [self.item_objects[pk] for pk in self.cleaned_data.get("items", [])]
