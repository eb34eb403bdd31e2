"""Fill an empty database with a province's or the whole country's data (findings.scale)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from findings.scale import SIZES, GenerationError, Generator


class Command(BaseCommand):
    help = (
        "Sinh bộ dữ liệu quy mô một tỉnh hoặc toàn quốc để đo hiệu năng: đơn vị, kế hoạch "
        "10 năm, đoàn, cuộc kiểm tra ở mọi trạng thái, báo cáo với số liệu và tài liệu kiểm "
        "chứng, kết quả kiểm tra, kết luận và yêu cầu khắc phục (đúng hạn và quá hạn). Ghi "
        "hàng loạt (bulk_create); chỉ chạy trên cơ sở dữ liệu chưa có dữ liệu sinh tự động."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size",
            choices=sorted(SIZES),
            default="province",
            help="small: vài chục bản ghi (kiểm thử); province: một tỉnh, 10 năm; "
            "national: 34 tỉnh, 10 năm (~10.000 đơn vị, ~20.000 cuộc kiểm tra, "
            "~200.000 kết quả, ~1.000.000 số liệu, ~600.000 tài liệu kiểm chứng).",
        )
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Nhân số đơn vị và số cuộc kiểm tra mỗi kế hoạch với hệ số này.",
        )
        parser.add_argument("--seed", type=int, default=2025, help="Hạt giống ngẫu nhiên.")
        parser.add_argument(
            "--password",
            default=None,
            help="Mật khẩu chung của các tài khoản được sinh (mặc định: DEMO_PASSWORD hoặc "
            "KiemTra@2023).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Chạy cả khi DEBUG tắt (máy đo hiệu năng, máy thử nghiệm).",
        )

    def handle(self, *args, size, scale, seed, password, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Từ chối sinh dữ liệu vì DEBUG đang tắt (môi trường vận hành). Nếu đây là máy "
                "thử nghiệm, chạy lại với DEBUG=1 hoặc thêm tùy chọn --force."
            )
        chosen = SIZES[size] if scale == 1 else SIZES[size].scaled(scale)
        password = password or getattr(settings, "DEMO_PASSWORD", None) or "KiemTra@2023"
        self.stdout.write(
            f"Sinh dữ liệu cỡ “{chosen.name}” trên {connection.vendor} "
            f"({connection.settings_dict['NAME']})…"
        )
        generator = Generator(chosen, seed=seed, password=password, out=self.stdout.write)
        try:
            stats = generator.run()
        except GenerationError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("")
        self.stdout.write(f"{'bảng':<40}{'số dòng':>12}{'giây':>10}")
        for label, rows in sorted(stats.rows.items(), key=lambda kv: -kv[1]):
            self.stdout.write(f"{label:<40}{rows:>12,}{stats.seconds[label]:>10.1f}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong: {sum(stats.rows.values()):,} dòng trong {generator.seconds:.1f} giây."
            )
        )
