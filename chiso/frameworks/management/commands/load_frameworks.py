from typing import Any

from django.core.management.base import BaseCommand

from chiso.frameworks.services import load_builtin_frameworks


class Command(BaseCommand):
    help = "Nạp (hoặc cập nhật) các bộ chỉ số dựng sẵn từ chiso/frameworks/data/*.yaml."

    def handle(self, *args: Any, **options: Any) -> None:
        for framework in load_builtin_frameworks():
            self.stdout.write(f"{framework.slug}: {framework.nodes.count()} nội dung")
