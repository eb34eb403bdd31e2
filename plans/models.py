"""The annual plan, its Phụ lục 1, the teams set up by decision, and the inspections."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cchc_inspection.models import Agency, DocumentType, OfficialDocument
from units.models import Unit


class DeadlineBasis(models.TextChoices):
    CALENDAR = "calendar", "Ngày lịch"
    WORKING = "working", "Ngày làm việc"


class InspectionPlan(OfficialDocument):
    """Kế hoạch kiểm tra công tác CCHC of one year.

    Each text section holds its paragraphs one per line, exactly as the document prints
    them; the headings (I. MỤC ĐÍCH, YÊU CẦU …) are the fixed frame of every such plan.
    """

    DOC_TYPE = DocumentType.PLAN

    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo"
        ISSUED = "issued", "Đã ban hành"
        CLOSED = "closed", "Đã kết thúc"

    TRANSITIONS = {Status.DRAFT: {Status.ISSUED}, Status.ISSUED: {Status.CLOSED}}

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, verbose_name="cơ quan ban hành")
    year = models.PositiveSmallIntegerField("năm", db_index=True)
    title = models.CharField("trích yếu", max_length=255)
    legal_basis = models.TextField("căn cứ", help_text="Đoạn mở đầu nêu căn cứ ban hành kế hoạch.")
    purposes = models.TextField("mục đích")
    requirements = models.TextField("yêu cầu")
    subjects = models.TextField("đối tượng kiểm tra")
    subjects_note = models.CharField("ghi chú đối tượng", max_length=255, blank=True)
    forms = models.TextField("hình thức kiểm tra")
    timing = models.TextField("thời gian kiểm tra")
    contents = models.TextField("nội dung kiểm tra")
    contents_note = models.CharField("ghi chú nội dung", max_length=255, blank=True)
    duties_agency = models.TextField("trách nhiệm của cơ quan ban hành")
    duties_units = models.TextField("trách nhiệm của các đơn vị được kiểm tra")
    recipients = models.TextField("nơi nhận", help_text="Mỗi dòng một nơi nhận.")
    appendix_title = models.CharField(
        "tên Phụ lục 1",
        max_length=255,
        default="Danh sách cơ quan, đơn vị dự kiến thực hiện kiểm tra",
    )
    report_lead_days = models.PositiveSmallIntegerField(
        "số ngày gửi báo cáo trước khi kiểm tra",
        default=3,
        help_text="Báo cáo gửi Đoàn kiểm tra trước thời gian kiểm tra ít nhất số ngày này.",
    )
    deadline_basis = models.CharField(
        "cách tính ngày",
        max_length=10,
        choices=DeadlineBasis.choices,
        default=DeadlineBasis.CALENDAR,
    )
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, verbose_name="sao từ kế hoạch"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "kế hoạch kiểm tra"
        verbose_name_plural = "kế hoạch kiểm tra"
        ordering = ["-year", "-pk"]
        # Plans in their order, off an index: the findings register walks them so
        # (``Finding.objects.in_register_order()``).
        indexes = [models.Index(fields=["year", "id"], name="plan_year_id")]

    def __str__(self):
        return f"Kế hoạch {self.title[:1].lower()}{self.title[1:]}"

    @property
    def is_editable(self):
        return self.status == self.Status.DRAFT


class PlanGroup(models.Model):
    """A group of Phụ lục 1 (I. Các Sở, ngành cấp tỉnh …), numbered by its order."""

    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.CASCADE, related_name="groups", verbose_name="kế hoạch"
    )
    order = models.PositiveSmallIntegerField("thứ tự")
    title = models.CharField("tên nhóm", max_length=255)
    category = models.CharField(
        "loại đơn vị", max_length=20, choices=Unit.Category.choices, blank=True
    )
    expected_period = models.CharField(
        "thời gian dự kiến", max_length=100, blank=True, help_text="Ví dụ: Quý II, quý III năm 2023"
    )

    class Meta:
        verbose_name = "nhóm đơn vị"
        verbose_name_plural = "nhóm đơn vị"
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="plan_group_order_unique"),
        ]

    def __str__(self):
        return self.title


class PlanEntry(models.Model):
    """One row of Phụ lục 1: a unit the plan expects to inspect."""

    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.CASCADE, related_name="entries", verbose_name="kế hoạch"
    )
    group = models.ForeignKey(
        PlanGroup, on_delete=models.PROTECT, related_name="entries", verbose_name="nhóm"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="plan_entries", verbose_name="cơ quan, đơn vị"
    )
    order = models.PositiveSmallIntegerField("thứ tự trong nhóm", default=0)
    expected_period = models.CharField(
        "thời gian dự kiến",
        max_length=100,
        blank=True,
        help_text="Để trống để dùng thời gian dự kiến của nhóm.",
    )
    note = models.CharField("ghi chú", max_length=255, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "đơn vị trong kế hoạch"
        verbose_name_plural = "Phụ lục 1 — đơn vị dự kiến kiểm tra"
        ordering = ["plan", "group__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "unit"],
                name="plan_entry_unique_unit",
                violation_error_message="Đơn vị này đã có trong Phụ lục 1 của kế hoạch.",
            ),
        ]

    def __str__(self):
        return str(self.unit)

    @property
    def period(self):
        return self.expected_period or self.group.expected_period


class InspectionTeam(OfficialDocument):
    """Đoàn kiểm tra, set up by a decision (Quyết định thành lập Đoàn kiểm tra)."""

    DOC_TYPE = DocumentType.DECISION

    class Status(models.TextChoices):
        DRAFT = "draft", "Dự thảo quyết định"
        ISSUED = "issued", "Đã ban hành quyết định"

    TRANSITIONS = {Status.DRAFT: {Status.ISSUED}}

    plan = models.ForeignKey(
        InspectionPlan, on_delete=models.PROTECT, related_name="teams", verbose_name="kế hoạch"
    )
    name = models.CharField("tên đoàn", max_length=100, help_text="Ví dụ: Đoàn kiểm tra số 1")
    legal_basis = models.TextField("căn cứ", blank=True, help_text="Mỗi dòng một căn cứ.")
    duties = models.TextField("nhiệm vụ của Đoàn (Điều 2)", blank=True)
    executors = models.TextField("tổ chức thực hiện (Điều 3)", blank=True)
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "đoàn kiểm tra"
        verbose_name_plural = "đoàn kiểm tra"
        ordering = ["plan", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "name"],
                name="team_name_unique_per_plan",
                violation_error_message="Kế hoạch đã có đoàn kiểm tra mang tên này.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def leader(self):
        return next((m for m in self.members.all() if m.role == TeamMember.Role.LEADER), None)


class TeamMember(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", "Trưởng đoàn"
        DEPUTY = "deputy", "Phó Trưởng đoàn"
        MEMBER = "member", "Thành viên"
        SECRETARY = "secretary", "Thư ký"

    team = models.ForeignKey(
        InspectionTeam, on_delete=models.CASCADE, related_name="members", verbose_name="đoàn"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="team_memberships",
        verbose_name="tài khoản",
        help_text="Để trống với thành viên ngoài hệ thống.",
    )
    full_name = models.CharField("họ và tên", max_length=100)
    position = models.CharField("chức vụ", max_length=150, blank=True)
    agency_name = models.CharField("cơ quan công tác", max_length=200, blank=True)
    role = models.CharField("nhiệm vụ trong đoàn", max_length=20, choices=Role.choices)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "thành viên đoàn"
        verbose_name_plural = "thành viên đoàn"
        ordering = ["team", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=Q(user__isnull=False),
                name="team_member_user_once",
                violation_error_message="Người này đã là thành viên của đoàn.",
            ),
            models.UniqueConstraint(
                fields=["team", "full_name"],
                name="team_member_name_once",
                violation_error_message="Người này đã là thành viên của đoàn.",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} ({self.get_role_display()})"


class InspectionQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=[Inspection.Status.CLOSED, Inspection.Status.CANCELLED])

    def report_due_within(self, days, today=None):
        today = today or timezone.localdate()
        return self.filter(
            status=Inspection.Status.REPORT_REQUESTED,
            report_deadline__gte=today,
            report_deadline__lte=today + timezone.timedelta(days=days),
        )

    def report_late(self, today=None):
        today = today or timezone.localdate()
        return self.filter(status=Inspection.Status.REPORT_REQUESTED, report_deadline__lt=today)


class Inspection(models.Model):
    """One unit inspected under the plan by one team."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Dự kiến"
        SCHEDULED = "scheduled", "Đã lên lịch"
        REPORT_REQUESTED = "report_requested", "Đã yêu cầu báo cáo"
        REPORT_SUBMITTED = "report_submitted", "Đơn vị đã nộp báo cáo"
        REVIEWED = "reviewed", "Đã kiểm tra"
        CONCLUDED = "concluded", "Đã có kết luận"
        REMEDIATING = "remediating", "Đang khắc phục"
        CLOSED = "closed", "Đã kết thúc"
        CANCELLED = "cancelled", "Đã hủy"

    class Form(models.TextChoices):
        DOCUMENTS = "documents", "Xem xét báo cáo, hồ sơ, tài liệu"
        ON_SITE = "on_site", "Kiểm tra trực tiếp tại đơn vị"
        UNANNOUNCED = "unannounced", "Kiểm tra đột xuất"

    S = Status
    TRANSITIONS = {
        S.PLANNED: {S.SCHEDULED, S.CANCELLED},
        S.SCHEDULED: {S.REPORT_REQUESTED, S.REVIEWED, S.CANCELLED},
        S.REPORT_REQUESTED: {S.REPORT_SUBMITTED, S.CANCELLED},
        S.REPORT_SUBMITTED: {S.REPORT_REQUESTED, S.REVIEWED, S.CANCELLED},
        S.REVIEWED: {S.CONCLUDED, S.CANCELLED},
        S.CONCLUDED: {S.REMEDIATING, S.CLOSED},
        S.REMEDIATING: {S.CLOSED},
    }

    plan = models.ForeignKey(
        InspectionPlan,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name="kế hoạch",
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name="đơn vị được kiểm tra",
    )
    team = models.ForeignKey(
        InspectionTeam,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name="đoàn kiểm tra",
    )
    form = models.CharField("hình thức", max_length=20, choices=Form.choices, default=Form.ON_SITE)
    start_date = models.DateField("ngày kiểm tra", null=True, blank=True, db_index=True)
    end_date = models.DateField("đến ngày", null=True, blank=True)
    place = models.CharField("địa điểm", max_length=255, blank=True)
    report_deadline = models.DateField("hạn gửi báo cáo", null=True, blank=True, db_index=True)
    report_deadline_computed = models.DateField(
        "hạn gửi báo cáo theo kế hoạch", null=True, blank=True, editable=False
    )
    deadline_change_reason = models.CharField("lý do điều chỉnh hạn", max_length=255, blank=True)
    logistics_notes = models.TextField("ghi chú hậu cần (phương tiện, kinh phí)", blank=True)
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    report_requested_at = models.DateTimeField("ngày yêu cầu báo cáo", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InspectionQuerySet.as_manager()

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "cuộc kiểm tra"
        verbose_name_plural = "cuộc kiểm tra"
        ordering = ["start_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "unit"],
                condition=~Q(status="cancelled"),
                name="inspection_one_open_per_unit_and_plan",
                violation_error_message="Đơn vị này đã có cuộc kiểm tra trong kế hoạch.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="inspection_dates_ordered",
                violation_error_message="Ngày kết thúc phải sau ngày bắt đầu kiểm tra.",
            ),
        ]
        indexes = [models.Index(fields=["plan", "status"])]

    def __str__(self):
        return f"Kiểm tra {self.unit} ({self.plan.year})"

    @property
    def is_unannounced(self):
        return self.form == self.Form.UNANNOUNCED

    @property
    def is_open(self):
        return self.status not in {self.Status.CLOSED, self.Status.CANCELLED}
