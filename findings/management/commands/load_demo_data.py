"""Fill the latest plan with a year of inspections, for trying the product out locally."""

from io import StringIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Q
from django.test.utils import override_settings
from django.utils import timezone

from findings import demo
from findings.models import (
    Conclusion,
    DeadlineExtension,
    Finding,
    RemediationAction,
    SiteVisitMinutes,
)
from plans.models import Inspection, InspectionPlan
from reports.models import Evidence, UnitReport

PERSONAS = ("cchc", "lanhdao", "doankiemtra", "sotuphap", "dongson", "quantri")
DUE_SOON_DAYS = 7


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu thử nghiệm vào kế hoạch mới nhất (dự thảo vừa nạp bằng loaddata "
        "thanh_hoa_2023): ban hành kế hoạch, ba đoàn kiểm tra, các cuộc kiểm tra ở mọi trạng "
        "thái, báo cáo của đơn vị với số liệu và tài liệu kiểm chứng, biên bản, kết quả kiểm "
        "tra, thông báo kết luận và yêu cầu khắc phục. Mọi bước đi qua đúng các chức năng mà "
        "người dùng dùng trên trang. Chạy sau create_demo_users; chỉ chạy khi DEBUG bật, trừ "
        "khi dùng --force. Không gửi thư điện tử. Kế hoạch đã có dữ liệu thử nghiệm hoặc đã "
        "được người dùng ban hành thì không nạp lại (chỉ cảnh báo)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Xóa dữ liệu thử nghiệm đã nạp trước đó vào kế hoạch rồi nạp lại từ đầu.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Chạy cả khi DEBUG tắt. Chỉ dùng cho máy chủ thử nghiệm.",
        )

    def handle(self, *args, reset=False, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Từ chối nạp dữ liệu thử nghiệm vì DEBUG đang tắt (môi trường vận hành). Nếu "
                "đây là máy thử nghiệm, chạy lại với DEBUG=1 hoặc thêm tùy chọn --force."
            )
        plan = InspectionPlan.objects.order_by("-year", "-pk").first()
        if plan is None:
            raise CommandError(
                "Chưa có kế hoạch kiểm tra nào. Hãy nạp dữ liệu gốc trước: "
                "python manage.py loaddata thanh_hoa_2023"
            )
        users = self.demo_users(force)
        today = timezone.localdate()
        # The demo's addresses are made up: keep its notifications out of any real mailbox.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            if reset:
                self.wipe(plan)
                plan.refresh_from_db()
            try:
                demo.check_loadable(plan)
            except demo.DemoError as error:
                # Not an error for scripts that run this on every start (scripts/run.sh):
                # nothing is loaded twice, the message says why and how to start over.
                self.stderr.write(self.style.WARNING(str(error)))
                return
            loader = self.load(plan, today, users)
        for line in summary(plan, today, loader):
            self.stdout.write(line)

    def demo_users(self, force):
        """The persona accounts, made by create_demo_users when some are missing."""
        User = get_user_model()
        if User.objects.filter(username__in=PERSONAS).count() < len(PERSONAS):
            call_command("create_demo_users", force=force, stdout=StringIO(), stderr=StringIO())
        users = {u.username: u for u in User.objects.filter(username__in=PERSONAS)}
        missing = [name for name in PERSONAS if name not in users]
        if missing:
            raise CommandError(
                "Thiếu tài khoản thử nghiệm: " + ", ".join(missing) + ". Hãy chạy "
                "python manage.py create_demo_users trước."
            )
        return users

    def wipe(self, plan):
        try:
            with transaction.atomic():
                count = demo.wipe(plan)
        except demo.DemoError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Đã xóa dữ liệu thử nghiệm cũ ({count} cuộc kiểm tra).")

    def load(self, plan, today, users):
        loader = demo.Loader(plan, today=today, users=users)
        try:
            with transaction.atomic():
                loader.run()
        except Exception as error:
            # The rows rolled back; the files written on the way must go too.
            for name in loader.stored:
                default_storage.delete(name)
            if isinstance(error, demo.DemoError):
                raise CommandError(str(error)) from error
            raise
        return loader


def summary(plan, today, loader):
    """The short report of what was made, in Vietnamese."""
    plan.refresh_from_db()
    inspections = Inspection.objects.filter(plan=plan)
    by_status = dict(inspections.values_list("status").annotate(n=Count("pk")))
    reports = UnitReport.objects.filter(inspection__plan=plan)
    by_report = dict(reports.values_list("status").annotate(n=Count("pk")))
    late = sum(1 for r in reports.select_related("inspection") if r.is_late)
    actions = RemediationAction.objects.current().filter(conclusion__inspection__plan=plan)
    conclusions = Conclusion.objects.filter(inspection__plan=plan).aggregate(
        issued=Count("pk", filter=Q(status=Conclusion.Status.ISSUED)),
        draft=Count("pk", filter=Q(status=Conclusion.Status.DRAFT)),
    )

    def counts(choices, found):
        return ", ".join(f"{label} {found[value]}" for value, label in choices if found.get(value))

    lines = [
        f"Đã nạp dữ liệu thử nghiệm vào {plan} (số {plan.number_display}):",
        f"  - {plan.teams.count()} đoàn kiểm tra, quyết định thành lập đã ban hành;",
        f"  - {inspections.count()} cuộc kiểm tra: {counts(Inspection.Status.choices, by_status)};",
        f"  - {reports.count()} báo cáo của đơn vị: {counts(UnitReport.Status.choices, by_report)}"
        f" ({late} nộp muộn); "
        f"{Evidence.objects.filter(report__in=reports).count()} tài liệu kiểm chứng;",
        f"  - {SiteVisitMinutes.objects.filter(inspection__plan=plan).count()} biên bản, "
        f"{Finding.objects.filter(inspection__plan=plan).count()} kết quả kiểm tra, "
        f"{conclusions['issued']} thông báo kết luận đã ban hành, {conclusions['draft']} dự thảo;",
        f"  - {actions.count()} yêu cầu khắc phục: {actions.overdue(today).count()} quá hạn, "
        f"{actions.due_within(DUE_SOON_DAYS, today).count()} đến hạn trong {DUE_SOON_DAYS} ngày, "
        f"{actions.filter(status=RemediationAction.Status.VERIFIED).count()} đã xác nhận hoàn "
        f"thành, {DeadlineExtension.objects.filter(action__in=actions).count()} lần gia hạn.",
    ]
    unscheduled = plan.entries.exclude(unit__in=inspections.values("unit")).select_related("unit")
    if unscheduled:
        lines.append(
            "  Chưa lên lịch kiểm tra: " + ", ".join(str(e.unit) for e in unscheduled) + "."
        )
    if loader.skipped:
        lines.append(
            "  Bỏ qua (không có trong Phụ lục 1 của kế hoạch): " + ", ".join(loader.skipped) + "."
        )
    focal = sorted(u.username for u in loader.focal.values() if u.username not in PERSONAS)
    lines.append(
        "Đăng nhập bằng các tài khoản của create_demo_users (cchc, lanhdao, doankiemtra, "
        "sotuphap, dongson, quantri); đầu mối các đơn vị khác: " + ", ".join(focal) + "."
    )
    return lines
