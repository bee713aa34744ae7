from typing import Any

from django.core.management.base import BaseCommand

from chiso.orgs.models import Province
from chiso.results.builtin import load_reference_data
from chiso.results.models import Result


class Command(BaseCommand):
    help = ("Nạp (hoặc cập nhật) dữ liệu dựng sẵn: bộ chỉ số, danh sách tỉnh trước và sau sắp xếp 01/7/2025, "
            "kết quả chỉ số đã công bố. Không ghi đè kết quả người dùng đã nhập.")

    def handle(self, *args: Any, **options: Any) -> None:
        written = load_reference_data()
        self.stdout.write(f"{Province.objects.count()} tỉnh, thành phố; {Result.objects.count()} kết quả "
                          f"({written} mới hoặc cập nhật).")
