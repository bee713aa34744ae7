from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from chiso.ops.backup import BackupError, create_backup, prune_backups


class Command(BaseCommand):
    help = ("Sao lưu cơ sở dữ liệu, tệp đính kèm và bảng kê (số dòng, mã kiểm tra) vào một tệp .tar; "
            "giữ lại --keep bản mới nhất.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, default=None, help="Thư mục lưu (mặc định CHISO_BACKUP_DIR).")
        parser.add_argument("--keep", type=int, default=None,
                            help="Số bản giữ lại, cũ hơn thì xóa (mặc định CHISO_BACKUP_KEEP; 0: không xóa).")

    def handle(self, *args: Any, **options: Any) -> None:
        destination = options["dir"] or settings.CHISO_BACKUP_DIR
        keep = settings.CHISO_BACKUP_KEEP if options["keep"] is None else options["keep"]
        try:
            archive = create_backup(destination)
        except BackupError as error:
            raise CommandError(str(error)) from None
        removed = prune_backups(destination, keep)
        self.stdout.write(str(archive))
        if removed:
            self.stdout.write(f"Đã xóa {len(removed)} bản cũ.")
