"""``python manage.py backup_data OUTPUT.tar.gz``: the database and the stored files, together."""

from django.core.management.base import BaseCommand, CommandError

from cchc_inspection import backup


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ cơ sở dữ liệu (dumpdata, khóa tự nhiên) cùng mọi tệp trong MEDIA_ROOT "
        "(tài liệu kiểm chứng, tài liệu chứng minh khắc phục, bản PDF văn bản đã ban hành) vào "
        "một tệp .tar.gz, kèm manifest.json ghi số bản ghi từng loại và SHA-256 từng tệp. "
        "Khôi phục bằng restore_data."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="Tệp sao lưu sẽ tạo, ví dụ sao-luu-2024-01-31.tar.gz")

    def handle(self, *args, output, **options):
        if not output.endswith((".tar.gz", ".tgz")):
            raise CommandError("Tên tệp sao lưu phải có đuôi .tar.gz.")
        try:
            manifest = backup.create(output)
        except (backup.BackupError, OSError) as error:
            raise CommandError(f"Không sao lưu được: {error}") from error
        records = sum(manifest["records"].values())
        self.stdout.write(
            f"Đã sao lưu {records} bản ghi ({len(manifest['records'])} loại) và "
            f"{len(manifest['files'])} tệp vào {output}."
        )
        for name in manifest["missing_files"]:
            self.stderr.write(
                self.style.WARNING(f"Cảnh báo: bản ghi trỏ tới tệp không còn trên đĩa: {name}")
            )
