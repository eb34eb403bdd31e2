"""The roster of inspected bodies, dated so that a 2023 inspection keeps its 2023 unit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cchc_inspection.text import fold, nfc


class UnitQuerySet(models.QuerySet):
    def search(self, text):
        """Units whose name matches ``text`` ignoring case, diacritics and tone placement."""
        folded = fold(text)
        return self.filter(search_name__contains=folded) if folded else self

    def valid_on(self, day):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def current(self):
        return self.valid_on(timezone.localdate())


class Unit(models.Model):
    class Category(models.TextChoices):
        DEPARTMENT = "department", "Sở, ngành cấp tỉnh"
        CENTRAL = "central", "Cơ quan Trung ương đóng trên địa bàn tỉnh"
        DISTRICT = "district", "UBND cấp huyện"
        COMMUNE = "commune", "UBND cấp xã"

    class CommuneKind(models.TextChoices):
        COMMUNE = "xa", "Xã"
        WARD = "phuong", "Phường"
        TOWNSHIP = "thi_tran", "Thị trấn"

    name = models.CharField("tên cơ quan, đơn vị", max_length=255)
    search_name = models.CharField(max_length=255, editable=False, db_index=True)
    category = models.CharField("loại", max_length=20, choices=Category.choices, db_index=True)
    commune_kind = models.CharField(
        "loại đơn vị cấp xã", max_length=10, choices=CommuneKind.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="đơn vị cấp trên",
        help_text="Với đơn vị cấp xã: huyện quản lý (trước 01/7/2025).",
    )
    agency_code = models.CharField("mã định danh điện tử", max_length=30, blank=True)
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    phone = models.CharField("điện thoại", max_length=30, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    head_name = models.CharField("người đứng đầu", max_length=100, blank=True)
    valid_from = models.DateField("hiệu lực từ ngày", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến ngày", null=True, blank=True)
    predecessors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="successors",
        verbose_name="đơn vị tiền thân",
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "cơ quan, đơn vị"
        verbose_name_plural = "cơ quan, đơn vị"
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "valid_from"],
                name="unit_name_unique_per_start",
                violation_error_message="Đã có cơ quan, đơn vị cùng tên với cùng ngày hiệu lực.",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
                violation_error_message="Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(" ".join(self.name.split()))
        self.search_name = fold(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    @property
    def is_district(self):
        return self.category == self.Category.DISTRICT


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Membership(models.Model):
    """Ties a user to the unit they answer for (đầu mối CCHC của đơn vị)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name="người dùng",
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name="đơn vị"
    )
    position = models.CharField("chức vụ", max_length=100, blank=True)
    is_active = models.BooleanField("đang là đầu mối", default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "đầu mối CCHC của đơn vị"
        verbose_name_plural = "đầu mối CCHC của đơn vị"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit"],
                name="membership_unique",
                violation_error_message="Người dùng này đã là đầu mối của đơn vị.",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.unit}"
