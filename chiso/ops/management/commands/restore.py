from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chiso.ops.backup import BackupError
from chiso.ops.restore import restore_backup


class Command(BaseCommand):
    help = ("Khôi phục một bản sao lưu vào cơ sở dữ liệu và thư mục tệp trống (--force để ghi đè), "
            "rồi đối chiếu số dòng và mã kiểm tra với bảng kê.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument("--force", action="store_true", help="Ghi đè cơ sở dữ liệu và tệp đang có.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore_backup(options["archive"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Đã khôi phục {len(manifest['tables'])} bảng, {sum(manifest['tables'].values())} dòng, "
            f"{len(manifest['media'])} tệp; khớp với bảng kê."))
