from typing import Any

from django.core.management.base import BaseCommand

from chiso.demo.loader import load_demo


class Command(BaseCommand):
    help = "Nạp tỉnh mẫu Tuyên Quang với đơn vị thật và kế hoạch năm 2025 đầy đủ; in tài khoản đăng nhập."

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_demo()
        verb = "Đã nạp" if result.created else "Đã có sẵn"
        self.stdout.write(self.style.SUCCESS(
            f"{verb} dữ liệu mẫu: tỉnh {result.province.name}, kế hoạch “{result.plan.title[:80]}…” "
            f"với {result.plan.tasks.count()} nhiệm vụ."))
        self.stdout.write("Tài khoản đăng nhập (mật khẩu giống nhau):")
        for username, password, label in result.logins:
            self.stdout.write(f"  {username:<18} {password:<16} {label}")
