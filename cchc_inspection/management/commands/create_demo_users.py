"""Create (or refresh) one demo account per persona, for trying the app out locally."""

import os
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F

from cchc_inspection.roles import GROUP_NAMES, Role
from cchc_inspection.text import fold
from units.models import Membership, Unit

DEFAULT_PASSWORD = "KiemTra@2023"


@dataclass(frozen=True)
class Persona:
    username: str
    last_name: str  # họ
    first_name: str  # tên đệm và tên
    title: str
    role: Role | None = None
    unit_name: str = ""
    superuser: bool = False

    @property
    def full_name(self):
        return f"{self.last_name} {self.first_name}"


PERSONAS = [
    Persona("cchc", "Nguyễn", "Thị Hương", "Chuyên viên Phòng CCHC, Sở Nội vụ", Role.STAFF),
    Persona("lanhdao", "Lê", "Văn Minh", "Phó Giám đốc Sở Nội vụ", Role.LEADER),
    Persona("doankiemtra", "Phạm", "Văn Đức", "Thành viên Đoàn kiểm tra", Role.TEAM_MEMBER),
    Persona(
        "sotuphap",
        "Hoàng",
        "Thị Lan",
        "Đầu mối CCHC của Sở Tư pháp",
        Role.FOCAL,
        unit_name="Sở Tư pháp",
    ),
    Persona(
        "dongson",
        "Trịnh",
        "Văn Nam",
        "Đầu mối CCHC của Huyện Đông Sơn",
        Role.FOCAL,
        unit_name="Huyện Đông Sơn",
    ),
    Persona("quantri", "Đỗ", "Minh Tuấn", "Quản trị hệ thống", superuser=True),
]


def find_unit(name):
    """The unit named ``name`` (diacritics ignored), preferring the one valid today.

    A unit abolished since (e.g. a district after 1 July 2025) is still found: the 2023
    inspections are of that unit.
    """
    units = Unit.objects.filter(search_name=fold(name))
    current = units.current().order_by(F("valid_from").desc(nulls_last=True)).first()
    return current or units.order_by(F("valid_to").desc(nulls_first=True)).first()


class Command(BaseCommand):
    help = (
        "Tạo hoặc cập nhật tài khoản thử nghiệm cho từng vai trò (cchc, lanhdao, doankiemtra, "
        "sotuphap, dongson, quantri). Mật khẩu lấy từ biến môi trường DEMO_PASSWORD, mặc định "
        f"{DEFAULT_PASSWORD}. Chỉ chạy khi DEBUG bật, trừ khi dùng --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Chạy cả khi DEBUG tắt (máy chủ thật). Chỉ dùng cho máy chủ thử nghiệm.",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Từ chối tạo tài khoản thử nghiệm vì DEBUG đang tắt (môi trường vận hành). "
                "Các tài khoản này có mật khẩu công khai. Nếu đây là máy thử nghiệm, chạy lại "
                "với DEBUG=1 hoặc thêm tùy chọn --force."
            )
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(
                "Mật khẩu trong DEMO_PASSWORD không đạt yêu cầu: " + " ".join(error.messages)
            ) from error

        with transaction.atomic():
            rows = [self.save_persona(persona, password) for persona in PERSONAS]
        self.report(rows, from_env=bool(os.environ.get("DEMO_PASSWORD")))

    def save_persona(self, persona, password):
        user, created = get_user_model().objects.update_or_create(
            username=persona.username,
            defaults={
                "first_name": persona.first_name,
                "last_name": persona.last_name,
                "email": f"{persona.username}@example.vn",
                "is_active": True,
                "is_staff": persona.superuser,
                "is_superuser": persona.superuser,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        if persona.role:
            user.groups.set([Group.objects.get_or_create(name=GROUP_NAMES[persona.role])[0]])
        else:
            user.groups.clear()
        unit = self.attach_unit(user, persona) if persona.unit_name else None
        return persona, created, unit

    def attach_unit(self, user, persona):
        unit = find_unit(persona.unit_name)
        if unit is None:
            self.stderr.write(
                self.style.WARNING(
                    f"Chưa có đơn vị “{persona.unit_name}” trong danh mục nên tài khoản "
                    f"{persona.username} chưa được gắn làm đầu mối. Hãy nạp dữ liệu gốc "
                    "(python manage.py loaddata thanh_hoa_2023) rồi chạy lại lệnh này."
                )
            )
            return None
        Membership.objects.update_or_create(
            user=user,
            unit=unit,
            defaults={"is_active": True, "position": "Chuyên viên phụ trách CCHC"},
        )
        user.memberships.exclude(unit=unit).update(is_active=False)
        return unit

    def report(self, rows, *, from_env):
        created = sum(1 for _, was_created, _ in rows if was_created)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo {created} và cập nhật {len(rows) - created} tài khoản thử nghiệm."
            )
        )
        shown = "giá trị của biến DEMO_PASSWORD" if from_env else DEFAULT_PASSWORD
        self.stdout.write(f"Mật khẩu chung: {shown}")
        for persona, _, unit in rows:
            role = persona.title
            if persona.unit_name and unit is None:
                role += " (chưa gắn đơn vị)"
            self.stdout.write(f"  {persona.username:<12} {persona.full_name:<18} {role}")
