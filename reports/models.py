"""The report outline (Phụ lục 2), its figures, and each unit's answer with evidence."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from plans.models import Inspection, InspectionPlan
from units.models import Unit


class Audience(models.TextChoices):
    """To whom an outline item or a figure applies."""

    ALL = "all", "Mọi cơ quan, đơn vị"
    PROVINCIAL = "provincial", "Sở, ngành và cơ quan Trung ương"
    DISTRICT = "district", "Chỉ UBND cấp huyện"
    NAMED_UNIT = "unit", "Chỉ đơn vị được nêu"


class AudienceMixin(models.Model):
    audience = models.CharField(
        "áp dụng cho", max_length=20, choices=Audience.choices, default=Audience.ALL
    )
    audience_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="đơn vị được nêu",
    )

    class Meta:
        abstract = True

    def applies_to(self, unit):
        if self.audience == Audience.DISTRICT:
            return unit.category == Unit.Category.DISTRICT
        if self.audience == Audience.PROVINCIAL:
            return unit.category in {Unit.Category.DEPARTMENT, Unit.Category.CENTRAL}
        if self.audience == Audience.NAMED_UNIT:
            return self.audience_unit_id == unit.pk
        return True


class ReportOutline(models.Model):
    """Đề cương báo cáo: the tree every unit answers; frozen once its plan is issued."""

    plan = models.OneToOneField(
        InspectionPlan, on_delete=models.CASCADE, related_name="outline", verbose_name="kế hoạch"
    )
    version = models.PositiveSmallIntegerField("phiên bản", default=1)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, verbose_name="sao từ đề cương"
    )
    heading = models.CharField("tên loại", max_length=100, default="ĐỀ CƯƠNG BÁO CÁO")
    title = models.CharField("trích yếu", max_length=255)
    period_start = models.DateField("số liệu báo cáo từ ngày", null=True, blank=True)
    period_end = models.DateField(
        "đến ngày", null=True, blank=True, help_text="Để trống: đến thời điểm báo cáo."
    )

    class Meta:
        verbose_name = "đề cương báo cáo"
        verbose_name_plural = "đề cương báo cáo"

    def __str__(self):
        return f"{self.heading.capitalize()} — {self.plan.year}"

    @property
    def is_frozen(self):
        return self.plan.status != InspectionPlan.Status.DRAFT


class OutlineItem(AudienceMixin):
    """A node of the outline; its label is data ("I", "II", "IV", "1", "-", "")."""

    class Kind(models.TextChoices):
        SECTION = "section", "Phần (số La Mã)"
        HEADING = "heading", "Mục (số Ả Rập)"
        POINT = "point", "Gạch đầu dòng"
        NOTE = "note", "Đoạn riêng"

    outline = models.ForeignKey(
        ReportOutline, on_delete=models.CASCADE, related_name="items", verbose_name="đề cương"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="mục cha",
    )
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    label = models.CharField("số thứ tự như in", max_length=10, blank=True)
    title = models.TextField("nội dung")
    guidance = models.TextField("hướng dẫn", blank=True)
    order = models.PositiveIntegerField("thứ tự", help_text="Thứ tự trong toàn đề cương.")
    answerable = models.BooleanField(
        "đơn vị trả lời tại mục này",
        default=True,
        help_text="Bỏ chọn với các đầu mục chỉ dùng để nhóm.",
    )

    class Meta:
        verbose_name = "mục đề cương"
        verbose_name_plural = "mục đề cương"
        ordering = ["outline", "order"]
        constraints = [
            models.UniqueConstraint(fields=["outline", "order"], name="outline_item_order_unique"),
        ]

    def __str__(self):
        text = self.title if len(self.title) < 80 else self.title[:77] + "…"
        return f"{self.label}. {text}" if self.label and self.label != "-" else text

    @property
    def area(self):
        """The numbered heading (or section) this item belongs to, for findings by area."""
        node = self
        while node.kind in {self.Kind.POINT, self.Kind.NOTE} and node.parent_id:
            node = node.parent
        return node


class Footnote(models.Model):
    outline = models.ForeignKey(
        ReportOutline, on_delete=models.CASCADE, related_name="footnotes", verbose_name="đề cương"
    )
    number = models.PositiveSmallIntegerField("số")
    text = models.TextField("nội dung")
    item = models.ForeignKey(
        OutlineItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="footnotes",
        verbose_name="trích dẫn tại mục",
        help_text="Để trống nếu chú thích gắn với tên đề cương.",
    )
    covers_communes = models.BooleanField(
        "UBND cấp huyện báo cáo cả kết quả của cấp xã",
        default=False,
        help_text="Số liệu của mục này do cấp huyện báo cáo là tổng của huyện và các xã thuộc huyện.",
    )

    class Meta:
        verbose_name = "chú thích"
        verbose_name_plural = "chú thích"
        ordering = ["outline", "number"]
        constraints = [
            models.UniqueConstraint(fields=["outline", "number"], name="footnote_number_unique"),
        ]

    def __str__(self):
        return f"({self.number}) {self.text}"


class Indicator(AudienceMixin):
    """A figure the outline asks for, typed, with its unit of measure."""

    class Kind(models.TextChoices):
        COUNT = "count", "Số lượng"
        PERCENT = "percent", "Tỷ lệ (%)"
        AMOUNT = "amount", "Số tiền (đồng)"
        BOOLEAN = "boolean", "Có/Không"

    outline = models.ForeignKey(
        ReportOutline, on_delete=models.CASCADE, related_name="indicators", verbose_name="đề cương"
    )
    item = models.ForeignKey(
        OutlineItem,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name="mục đề cương",
    )
    code = models.SlugField("mã", max_length=60)
    label = models.CharField("chỉ tiêu", max_length=255)
    kind = models.CharField("kiểu", max_length=10, choices=Kind.choices)
    unit_of_measure = models.CharField("đơn vị tính", max_length=50, blank=True)
    order = models.PositiveIntegerField("thứ tự")
    includes_communes = models.BooleanField("cấp huyện báo cáo gồm cả cấp xã", default=False)

    class Meta:
        verbose_name = "chỉ tiêu số liệu"
        verbose_name_plural = "chỉ tiêu số liệu"
        ordering = ["outline", "order"]
        constraints = [
            models.UniqueConstraint(fields=["outline", "code"], name="indicator_code_unique"),
        ]

    def __str__(self):
        return self.label


class IndicatorRule(models.Model):
    """Arithmetic that binds figures: sum(terms) = target, or sum(terms) ≤ target."""

    class Operator(models.TextChoices):
        EQUAL = "eq", "bằng"
        AT_MOST = "le", "không lớn hơn"

    class Severity(models.TextChoices):
        ERROR = "error", "Lỗi (chặn nộp báo cáo)"
        WARNING = "warning", "Cảnh báo"

    outline = models.ForeignKey(
        ReportOutline, on_delete=models.CASCADE, related_name="rules", verbose_name="đề cương"
    )
    terms = models.ManyToManyField(
        Indicator, related_name="rules_as_term", verbose_name="các số hạng"
    )
    operator = models.CharField("phép so sánh", max_length=2, choices=Operator.choices)
    target = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="rules_as_target", verbose_name="so với"
    )
    severity = models.CharField(
        "mức độ", max_length=10, choices=Severity.choices, default=Severity.ERROR
    )
    message = models.CharField("thông báo khi vi phạm", max_length=255)

    class Meta:
        verbose_name = "ràng buộc số liệu"
        verbose_name_plural = "ràng buộc số liệu"

    def __str__(self):
        return self.message


class UnitReport(models.Model):
    """A unit's answer to the outline for one inspection."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang soạn"
        SUBMITTED = "submitted", "Đã nộp"
        RETURNED = "returned", "Trả lại để bổ sung"
        ACCEPTED = "accepted", "Đã chấp nhận"

    TRANSITIONS = {
        Status.DRAFT: {Status.SUBMITTED},
        Status.SUBMITTED: {Status.RETURNED, Status.ACCEPTED},
        Status.RETURNED: {Status.SUBMITTED},
    }

    inspection = models.OneToOneField(
        Inspection, on_delete=models.CASCADE, related_name="report", verbose_name="cuộc kiểm tra"
    )
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người nộp",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "báo cáo của đơn vị"
        verbose_name_plural = "báo cáo của đơn vị"

    def __str__(self):
        return f"Báo cáo của {self.inspection.unit}"

    @property
    def is_editable(self):
        return self.status in {self.Status.DRAFT, self.Status.RETURNED}

    @property
    def is_late(self):
        deadline = self.inspection.report_deadline
        if not (self.submitted_at and deadline):
            return False
        return timezone.localdate(self.submitted_at) > deadline


class ItemAnswer(models.Model):
    """The unit's text under one outline item; saved per item so editors don't collide."""

    report = models.ForeignKey(
        UnitReport, on_delete=models.CASCADE, related_name="answers", verbose_name="báo cáo"
    )
    item = models.ForeignKey(OutlineItem, on_delete=models.PROTECT, verbose_name="mục đề cương")
    text = models.TextField("nội dung trả lời", blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "nội dung trả lời"
        verbose_name_plural = "nội dung trả lời"
        constraints = [
            models.UniqueConstraint(fields=["report", "item"], name="answer_unique_per_item"),
        ]

    def __str__(self):
        return f"{self.report} — {self.item}"


class IndicatorValue(models.Model):
    report = models.ForeignKey(
        UnitReport, on_delete=models.CASCADE, related_name="values", verbose_name="báo cáo"
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name="chỉ tiêu"
    )
    value = models.DecimalField("giá trị", max_digits=18, decimal_places=2, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "số liệu"
        verbose_name_plural = "số liệu"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="indicator_value_unique_per_report"
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value}"


class ReviewComment(models.Model):
    """A reviewer's comment at an item when a report is returned for changes."""

    report = models.ForeignKey(
        UnitReport, on_delete=models.CASCADE, related_name="comments", verbose_name="báo cáo"
    )
    item = models.ForeignKey(
        OutlineItem, on_delete=models.PROTECT, null=True, blank=True, verbose_name="mục đề cương"
    )
    text = models.TextField("nhận xét")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người nhận xét",
    )
    created_at = models.DateTimeField("thời điểm", auto_now_add=True)
    round = models.PositiveSmallIntegerField("lần trả lại", default=1)

    class Meta:
        verbose_name = "nhận xét của Đoàn"
        verbose_name_plural = "nhận xét của Đoàn"
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:80]


def evidence_path(instance, filename):
    # The original (Vietnamese) name is kept in the row, never in the storage path.
    return f"evidence/{instance.report_id}/{instance.sha256[:2]}/{instance.sha256}"


class EvidenceQuerySet(models.QuerySet):
    def current(self):
        return self.filter(replaced_by__isnull=True)


class Evidence(models.Model):
    """Tài liệu kiểm chứng: a file proving one or more outline items."""

    report = models.ForeignKey(
        UnitReport, on_delete=models.CASCADE, related_name="evidence", verbose_name="báo cáo"
    )
    items = models.ManyToManyField(
        OutlineItem, related_name="evidence", blank=True, verbose_name="chứng minh cho mục"
    )
    file = models.FileField("tệp", upload_to=evidence_path, max_length=255)
    original_name = models.CharField("tên tệp gốc", max_length=255)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    content_type = models.CharField("kiểu tệp", max_length=100)
    description = models.CharField("mô tả", max_length=255, blank=True)
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name="thay cho phiên bản",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người tải lên",
    )
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "tài liệu kiểm chứng"
        verbose_name_plural = "tài liệu kiểm chứng"
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["report", "sha256"])]

    def __str__(self):
        return self.original_name
