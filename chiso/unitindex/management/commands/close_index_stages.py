"""Close every unit-index stage whose deadline has passed (for hosts where cron runs the schedule)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from chiso.unitindex.stages import close_due_stages


class Command(BaseCommand):
    help = "Đóng các giai đoạn Chỉ số CCHC đã hết hạn (chạy lại nhiều lần không đóng hai lần)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{close_due_stages()}")
