"""What an inspection found, the conclusion notice, and the follow-up to the last fix."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cchc_inspection.models import DocumentType, OfficialDocument
from cchc_inspection.text import fold
from plans.models import Inspection
from reports.models import OutlineItem


class SiteVisitMinutes(models.Model):
    """Biên bản kiểm tra: the record of an on-site visit."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="minutes", verbose_name="cuộc kiểm tra"
    )
    held_on = models.DateField("ngày kiểm tra")
    place = models.CharField("địa điểm", max_length=255)
    team_participants = models.TextField(
        "thành phần Đoàn kiểm tra", help_text="Mỗi dòng một người."
    )
    unit_participants = models.TextField(
        "thành phần đơn vị được kiểm tra", help_text="Mỗi dòng một người."
    )
    checked = models.TextField("nội dung đã kiểm tra")
    remarks = models.TextField("ý kiến của đơn vị", blank=True)
    unit_representative = models.CharField(
        "đại diện đơn vị ký biên bản", max_length=100, blank=True
    )
    unit_representative_title = models.CharField("chức vụ", max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người lập",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "biên bản kiểm tra"
        verbose_name_plural = "biên bản kiểm tra"
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"Biên bản kiểm tra {self.inspection.unit}"


class FindingQuerySet(models.QuerySet):
    def shortcomings(self):
        return self.exclude(kind=Finding.Kind.STRENGTH)

    def in_register_order(self):
        """The findings register's order: the newest year first; within a year plan by
        plan, the newest first (as plans are listed everywhere); within a plan by the
        unit's name, one inspection's findings together in the outline's order.

        Plan by plan rather than every unit of the year by name: PostgreSQL then reads the
        plans off their ``(year, id)`` index and sorts one plan's findings at a time, and
        the first page of the national register is found in 2 ms instead of 25 (it sorted
        the ~6,400 findings of the latest year). A Sở has one plan a year, read in
        the same order as before; where a year has several plans, the findings of each
        stay together instead of interleaving units of different plans by name."""
        return self.order_by(
            "-inspection__plan__year",
            "-inspection__plan_id",
            "inspection__unit__name",
            "inspection_id",
            "item__order",
            "pk",
        )


class Finding(models.Model):
    class Kind(models.TextChoices):
        STRENGTH = "strength", "Ưu điểm"
        SHORTCOMING = "shortcoming", "Tồn tại, hạn chế"
        VIOLATION = "violation", "Vi phạm"

    class Handling(models.TextChoices):
        UNIT_FIXES = "unit_fixes", "Đơn vị tự khắc phục"
        REFER = "refer", "Kiến nghị cấp có thẩm quyền xử lý"

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.CASCADE,
        related_name="findings",
        verbose_name="cuộc kiểm tra",
        db_index=False,  # led by the (inspection, kind) index of Meta.indexes
    )
    item = models.ForeignKey(
        OutlineItem,
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name="lĩnh vực (mục đề cương)",
    )
    kind = models.CharField("loại", max_length=20, choices=Kind.choices, db_index=True)
    description = models.TextField("nội dung")
    cause = models.TextField("nguyên nhân", blank=True)
    recommendation = models.TextField("kiến nghị", blank=True)
    responsible = models.CharField("trách nhiệm thuộc về", max_length=255, blank=True)
    handling = models.CharField("hướng xử lý", max_length=20, choices=Handling.choices, blank=True)
    # The description folded (no diacritics, lower case) so the register can search it
    # with a plain LIKE on SQLite and PostgreSQL alike.
    search_description = models.TextField(editable=False, blank=True, default="")
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người ghi nhận",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FindingQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["updated_at", "search_description"])

    class Meta:
        verbose_name = "kết quả kiểm tra"
        verbose_name_plural = "kết quả kiểm tra"
        ordering = ["inspection", "item__order", "pk"]
        indexes = [
            # The findings of an inspection, with their kind: counting the register's
            # findings of a year or a plan by kind reads this index alone rather than every
            # finding's row (nationally, a year by kind: 17 → 5 ms).
            models.Index(fields=["inspection", "kind"], name="finding_inspection_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description[:60]}"

    def save(self, *args, **kwargs):
        self.search_description = fold(self.description)
        if kwargs.get("update_fields") is not None and "description" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_description"}
        super().save(*args, **kwargs)


class Conclusion(OfficialDocument):
    """Thông báo kết luận kiểm tra; issued once, then immutable (a correction is a new version)."""

    DOC_TYPE = DocumentType.NOTICE

    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        ISSUED = "issued", "Đã ban hành"

    TRANSITIONS = {Status.DRAFT: {Status.ISSUED}}

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        related_name="conclusions",
        verbose_name="cuộc kiểm tra",
    )
    version = models.PositiveSmallIntegerField("phiên bản", default=1)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name="đính chính cho",
    )
    strengths = models.TextField("ưu điểm")
    shortcomings = models.TextField("tồn tại, hạn chế")
    requirements_intro = models.TextField("yêu cầu, kiến nghị", blank=True)
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người soạn",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "thông báo kết luận kiểm tra"
        verbose_name_plural = "thông báo kết luận kiểm tra"
        ordering = ["inspection", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "version"], name="conclusion_version_unique"
            ),
        ]
        # The conclusions that are not in force, as small indexes: the drafts, and the
        # conclusions an issued correction replaced. ``RemediationAction.objects.current()``
        # leaves out the actions of these.
        indexes = [
            models.Index(fields=["id"], condition=~Q(status="issued"), name="conclusion_draft"),
            models.Index(
                fields=["supersedes"],
                condition=Q(status="issued", supersedes__isnull=False),
                name="conclusion_issued_fix",
            ),
        ]

    def __str__(self):
        return f"Kết luận kiểm tra {self.inspection.unit}"

    @property
    def is_editable(self):
        return self.status == self.Status.DRAFT


class RemediationQuerySet(models.QuerySet):
    def current(self):
        """Actions of issued conclusions that no issued correction has replaced."""
        # Written as "no conclusion that is not in force": a draft, or one an issued
        # correction replaced. Those are few and each kind is read off a small partial
        # index (Conclusion.Meta.indexes), where joining every issued conclusion hashed
        # all of them for each count (the national tracker's overdue count: 10 → 3 ms).
        # NOT EXISTS also lets PostgreSQL estimate the rows well and walk the
        # (deadline, id) index for the tracker's first page.
        conclusion, issued = models.OuterRef("conclusion_id"), Conclusion.Status.ISSUED
        draft = Conclusion.objects.filter(pk=conclusion).exclude(status=issued)
        replaced = Conclusion.objects.filter(supersedes=conclusion, status=issued)
        return self.exclude(models.Exists(draft)).exclude(models.Exists(replaced))

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.exclude(status=RemediationAction.Status.VERIFIED).filter(deadline__lt=today)

    def due_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.exclude(status=RemediationAction.Status.VERIFIED).filter(
            deadline__gte=today, deadline__lte=today + timezone.timedelta(days=days)
        )

    def with_overdue_flag(self, today=None):
        today = today or timezone.localdate()
        return self.annotate(
            overdue=models.ExpressionWrapper(
                Q(deadline__lt=today) & ~Q(status=RemediationAction.Status.VERIFIED),
                output_field=models.BooleanField(),
            )
        )


class RemediationAction(models.Model):
    """A requirement of a conclusion with its deadline, followed until verified."""

    class Status(models.TextChoices):
        OPEN = "open", "Đang khắc phục"
        REPORTED = "reported", "Đơn vị đã báo cáo"
        VERIFIED = "verified", "Đã xác nhận hoàn thành"

    TRANSITIONS = {
        Status.OPEN: {Status.REPORTED},
        Status.REPORTED: {Status.VERIFIED, Status.OPEN},
    }

    conclusion = models.ForeignKey(
        Conclusion, on_delete=models.CASCADE, related_name="actions", verbose_name="kết luận"
    )
    finding = models.ForeignKey(
        Finding,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name="từ kết quả kiểm tra",
    )
    item = models.ForeignKey(
        OutlineItem, on_delete=models.PROTECT, related_name="+", verbose_name="lĩnh vực"
    )
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    requirement = models.TextField("yêu cầu khắc phục")
    responsible = models.CharField("đơn vị, cá nhân thực hiện", max_length=255)
    deadline = models.DateField("thời hạn khắc phục", db_index=True)
    original_deadline = models.DateField("thời hạn ban đầu", editable=False)
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    unit_report = models.TextField("kết quả khắc phục do đơn vị báo cáo", blank=True)
    reported_at = models.DateTimeField("đơn vị báo cáo lúc", null=True, blank=True)
    review_comment = models.TextField("ý kiến của Sở Nội vụ", blank=True)
    verified_at = models.DateTimeField("xác nhận lúc", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = RemediationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = "yêu cầu khắc phục"
        verbose_name_plural = "yêu cầu khắc phục"
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            # The tracker's order: its first page is read off this index.
            models.Index(fields=["deadline", "id"], name="remediation_deadline_id"),
            # Overdue and due-soon counts read only the actions not yet verified.
            models.Index(
                fields=["deadline", "conclusion"],
                condition=~Q(status="verified"),
                name="remediation_open_deadline",
            ),
            # The same, read conclusion by conclusion: a Sở's tracker (its ~500 conclusions
            # among a country's) joins from them rather than scanning the country's overdue
            # actions (7,5 → 1,8 ms for the overdue count on the national data).
            models.Index(
                fields=["conclusion", "deadline"],
                condition=~Q(status="verified"),
                name="remediation_open_by_conclusion",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("original_deadline")),
                name="remediation_deadline_not_before_original",
                violation_error_message="Thời hạn gia hạn không được sớm hơn thời hạn ban đầu.",
            ),
        ]

    def __str__(self):
        return self.requirement[:80]

    def save(self, *args, **kwargs):
        if self.original_deadline is None:
            self.original_deadline = self.deadline
        super().save(*args, **kwargs)

    @property
    def is_overdue(self):
        return self.status != self.Status.VERIFIED and self.deadline < timezone.localdate()


class DeadlineExtension(models.Model):
    action = models.ForeignKey(
        RemediationAction,
        on_delete=models.CASCADE,
        related_name="extensions",
        verbose_name="yêu cầu",
    )
    old_deadline = models.DateField("thời hạn cũ")
    new_deadline = models.DateField("thời hạn mới")
    reason = models.TextField("lý do gia hạn")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người gia hạn",
    )
    at = models.DateTimeField("thời điểm", auto_now_add=True)

    class Meta:
        verbose_name = "gia hạn khắc phục"
        verbose_name_plural = "gia hạn khắc phục"
        ordering = ["at"]

    def __str__(self):
        return f"{self.old_deadline} → {self.new_deadline}"


def proof_path(instance, filename):
    return f"remediation/{instance.action_id}/{instance.sha256[:2]}/{instance.sha256}"


class RemediationProof(models.Model):
    action = models.ForeignKey(
        RemediationAction, on_delete=models.CASCADE, related_name="proofs", verbose_name="yêu cầu"
    )
    file = models.FileField("tệp", upload_to=proof_path, max_length=255)
    original_name = models.CharField("tên tệp gốc", max_length=255)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    sha256 = models.CharField("SHA-256", max_length=64)
    content_type = models.CharField("kiểu tệp", max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="người tải lên",
    )
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)

    class Meta:
        verbose_name = "tài liệu chứng minh khắc phục"
        verbose_name_plural = "tài liệu chứng minh khắc phục"
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.original_name
