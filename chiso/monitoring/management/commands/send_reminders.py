from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from chiso.core.commands import day_option
from chiso.monitoring.reminders.rules import send_reminders


class Command(BaseCommand):
    help = ("Gửi nhắc việc: báo cáo và nhiệm vụ sắp đến hạn, quá hạn; bản tổng hợp cho Sở Nội vụ. "
            "Chạy lại nhiều lần không gửi trùng.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="Coi hôm nay là ngày dd/mm/yyyy (để kiểm tra, chạy bù).")

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = send_reminders(day_option(options["today"]))
        self.stdout.write(self.style.SUCCESS(
            f"Ngày {outcome.today:%d/%m/%Y}: ghi {outcome.recorded} thông báo mới, gửi {outcome.emailed} thư."))
        for kind, count in sorted(outcome.by_kind.items()):
            self.stdout.write(f"  {kind}: {count}")
