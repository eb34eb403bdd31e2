"""``python manage.py restore_data INPUT.tar.gz``: an archive of backup_data, into an empty
instance."""

from django.core.management.base import BaseCommand, CommandError

from cchc_inspection import backup


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu của backup_data vào cài đặt này: chạy migrate, từ chối nếu "
        "cơ sở dữ liệu đã có dữ liệu (trừ khi dùng --force), ghi lại các tệp vào MEDIA_ROOT "
        "(kiểm tra SHA-256 từng tệp), nạp dữ liệu rồi đối chiếu số bản ghi với manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("input", help="Tệp sao lưu .tar.gz do backup_data tạo")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Xóa toàn bộ dữ liệu hiện có của cơ sở dữ liệu rồi khôi phục.",
        )

    def handle(self, *args, input, force=False, **options):
        try:
            manifest = backup.restore(input, force=force)
        except (backup.BackupError, OSError) as error:
            raise CommandError(f"Không khôi phục được: {error}") from error
        records = sum(manifest["records"].values())
        self.stdout.write(
            f"Đã khôi phục {records} bản ghi và {len(manifest['files'])} tệp từ {input} "
            f"(sao lưu lúc {manifest['created_at']}); số bản ghi và SHA-256 từng tệp đều khớp."
        )
