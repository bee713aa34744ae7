from typing import Any

from django.core.management.base import BaseCommand

from chiso.ops.periodic import run_due_jobs


class Command(BaseCommand):
    help = ("Xếp vào hàng đợi các công việc định kỳ đã đến hạn (nhịp hoạt động, nhắc việc, dọn dẹp); "
            "chạy nhiều lần cùng lúc vẫn chỉ xếp mỗi việc một lần. Do bộ hẹn giờ systemd gọi mỗi phút.")

    def handle(self, *args: Any, **options: Any) -> None:
        queued = run_due_jobs()
        self.stdout.write(", ".join(queued) if queued else "-")
