"""Cross-cutting records: the issuing agency, its document register, the status log."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Agency(models.Model):
    """The body that issues plans, decisions and conclusions (e.g. Sở Nội vụ Thanh Hóa).

    Everything a document header or signature block says about the issuer comes from
    here, so that no province is written into code.
    """

    parent_name = models.CharField(
        "tên cơ quan chủ quản", max_length=200, help_text="Ví dụ: UBND TỈNH THANH HÓA"
    )
    name = models.CharField("tên cơ quan ban hành", max_length=200, help_text="Ví dụ: SỞ NỘI VỤ")
    # Capitalisation of Vietnamese names cannot be derived from capitals, so the way
    # running text writes each name is data too.
    short_name = models.CharField(
        "tên cơ quan ban hành trong câu văn", max_length=200, help_text="Ví dụ: Sở Nội vụ"
    )
    parent_short_name = models.CharField(
        "tên cơ quan chủ quản trong câu văn",
        max_length=200,
        help_text="Ví dụ: UBND tỉnh Thanh Hóa",
    )
    code = models.CharField(
        "chữ viết tắt",
        max_length=20,
        unique=True,
        help_text="Dùng trong ký hiệu văn bản, ví dụ: SNV",
    )
    division_code = models.CharField(
        "đơn vị soạn thảo",
        max_length=20,
        default="CCHC",
        help_text="Dùng trong nơi lưu, ví dụ: CCHC",
    )
    place_name = models.CharField("địa danh", max_length=100, help_text="Ví dụ: Thanh Hóa")
    head_title = models.CharField("chức vụ người đứng đầu", max_length=100, default="GIÁM ĐỐC")
    head_name = models.CharField("họ tên người đứng đầu", max_length=100)
    deputy_title = models.CharField(
        "chức vụ cấp phó", max_length=100, default="PHÓ GIÁM ĐỐC", blank=True
    )
    email = models.EmailField("thư điện tử", blank=True)

    class Meta:
        verbose_name = "cơ quan ban hành"
        verbose_name_plural = "cơ quan ban hành"

    def __str__(self):
        return f"{self.short_name} {self.place_name}".strip()


class AgencyStaff(models.Model):
    """The Sở Nội vụ a CCHC staff member, leader or office clerk works for.

    Such a user sees that agency's plans, teams, inspections, reports, findings and
    follow-up and nothing of another agency's (404). A user without one (and an
    administrator) sees every agency's: the national level, or a deployment with a single
    Sở. Team members and focal persons are scoped by their teams and units instead.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="agency_staff",
        verbose_name="người dùng",
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name="cơ quan công tác",
        help_text="Chuyên viên, lãnh đạo và Văn phòng của một Sở chỉ xem dữ liệu của Sở mình. "
        "Không gắn cơ quan: xem dữ liệu của mọi cơ quan (cấp Trung ương, hoặc khi chỉ có một Sở).",
    )

    class Meta:
        verbose_name = "cơ quan công tác"
        verbose_name_plural = "cơ quan công tác"

    def __str__(self):
        return f"{self.user} — {self.agency}"


class DocumentType(models.TextChoices):
    """Type abbreviations of Nghị định 30/2020, Phụ lục III."""

    PLAN = "KH", "Kế hoạch"
    DECISION = "QĐ", "Quyết định"
    NOTICE = "TB", "Thông báo"
    REPORT = "BC", "Báo cáo"
    MINUTES = "BB", "Biên bản"
    LETTER = "CV", "Công văn"


class RegisterEntry(models.Model):
    """One number taken from an agency's register for one year and document type."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, verbose_name="cơ quan")
    year = models.PositiveSmallIntegerField("năm")
    doc_type = models.CharField("loại văn bản", max_length=4, choices=DocumentType.choices)
    number = models.PositiveIntegerField("số")
    symbol = models.CharField("ký hiệu", max_length=40)
    issued_on = models.DateField("ngày ban hành")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    document = GenericForeignKey("content_type", "object_id")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, verbose_name="người cấp số"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "số văn bản đã cấp"
        verbose_name_plural = "sổ đăng ký văn bản"
        ordering = ["-year", "doc_type", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "doc_type", "number"],
                name="register_number_unique_per_agency_year_type",
                violation_error_message="Số văn bản này đã được cấp trong năm cho loại văn bản này.",
            ),
        ]

    def __str__(self):
        return f"{self.number:02d}/{self.symbol}"


class RegisterCounter(models.Model):
    """The last number handed out; locked row by row so numbers never skip or repeat."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    doc_type = models.CharField(max_length=4, choices=DocumentType.choices)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "bộ đếm số văn bản"
        verbose_name_plural = "bộ đếm số văn bản"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "doc_type"], name="register_counter_unique"
            ),
        ]

    def __str__(self):
        return f"{self.agency.code} {self.year} {self.doc_type}: {self.last_number}"


class StatusLog(models.Model):
    """Every status move of every stateful record: who, when, from, to, why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField("từ trạng thái", max_length=30, blank=True)
    to_status = models.CharField("sang trạng thái", max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name="người thực hiện",
    )
    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "nhật ký trạng thái"
        verbose_name_plural = "nhật ký trạng thái"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status}"


class OfficialDocument(models.Model):
    """Fields every numbered, signed document carries (plan, decision, conclusion)."""

    DOC_TYPE = None  # a DocumentType, set by each concrete model

    number = models.PositiveIntegerField("số", null=True, blank=True, editable=False)
    symbol = models.CharField("ký hiệu", max_length=40, help_text="Ví dụ: KH-SNV")
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    signer_authority = models.CharField(
        "quyền hạn ký",
        max_length=40,
        blank=True,
        help_text="Để trống nếu người đứng đầu ký; “KT.” nếu cấp phó ký thay.",
    )
    signer_title = models.CharField("chức vụ người ký", max_length=100, blank=True)
    signer_name = models.CharField("họ tên người ký", max_length=100, blank=True)
    pdf = models.FileField(
        "bản PDF đã ban hành", upload_to="documents/%Y/", blank=True, editable=False
    )
    pdf_sha256 = models.CharField("SHA-256 của bản PDF", max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def number_display(self):
        """ "05/KH-SNV" once issued; a blank number ("     /KH-SNV") on a draft."""
        if self.number is None:
            return f"\u00a0\u00a0\u00a0\u00a0\u00a0/{self.symbol}"
        return f"{self.number:02d}/{self.symbol}"


class TableVersion(models.Model):
    """How many writing statements a table has seen, counted by the database itself.

    Triggers (migration ``0005_table_version``) add one to a watched table's row on every
    insert, update, delete or truncate, whatever wrote it (a service, the admin, an import,
    a queryset ``update()``, raw SQL, another process), inside the writer's transaction: the
    new number is seen exactly when the new rows are. ``cchc_inspection.listcache`` keeps
    rendered pages under these numbers."""

    table = models.CharField("bảng dữ liệu", max_length=100, primary_key=True)
    number = models.BigIntegerField("số lần ghi", default=0)

    class Meta:
        verbose_name = "phiên bản bảng dữ liệu"
        verbose_name_plural = "phiên bản bảng dữ liệu"
        ordering = ["table"]

    def __str__(self):
        return f"{self.table}: {self.number}"
