import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from chiso.core.commands import day_option
from chiso.scale.synthetic import PASSWORD, DatasetRefused, Sizes, generate_national_dataset


class Command(BaseCommand):
    help = ("Sinh bộ dữ liệu tổng hợp toàn quốc để đo hiệu năng: 34 tỉnh, mỗi tỉnh khoảng 20 sở và 100 xã, "
            "5 năm kế hoạch, 150 nhiệm vụ mỗi kế hoạch, kế hoạch của các đơn vị, báo cáo quý có minh chứng. "
            "Chỉ chạy trên cơ sở dữ liệu trống, hoặc với --yes.")

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = Sizes()
        parser.add_argument("--seed", type=int, default=1, help="Cùng seed, cùng dữ liệu (mặc định 1).")
        parser.add_argument("--provinces", type=int, default=defaults.provinces)
        parser.add_argument("--departments", type=int, default=defaults.departments)
        parser.add_argument("--communes", type=int, default=defaults.communes)
        parser.add_argument("--years", type=int, default=defaults.years)
        parser.add_argument("--last-year", type=int, default=defaults.last_year)
        parser.add_argument("--tasks", type=int, default=defaults.tasks, help="Nhiệm vụ mỗi kế hoạch của tỉnh.")
        parser.add_argument("--no-unit-plans", action="store_true", help="Không sinh kế hoạch của các đơn vị.")
        parser.add_argument("--as-of", help="Báo cáo được sinh cho các kỳ có hạn trước ngày dd/mm/yyyy "
                                            "(mặc định hôm nay).")
        parser.add_argument("--yes", action="store_true",
                            help="Đồng ý ghi vào cơ sở dữ liệu đã có dữ liệu (các tỉnh đã có đơn vị được bỏ qua).")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = day_option(options["as_of"])
        for name in ("provinces", "departments", "communes", "years", "tasks"):
            if options[name] < 1:
                raise CommandError(f"--{name} phải lớn hơn 0.")
        sizes = Sizes(provinces=options["provinces"], departments=options["departments"],
                      communes=options["communes"], years=options["years"], last_year=options["last_year"],
                      tasks=options["tasks"], unit_plans=not options["no_unit_plans"])
        self.stdout.write(f"Cơ sở dữ liệu: {connection.vendor} {connection.settings_dict.get('NAME')}")
        started = time.perf_counter()
        try:
            counts = generate_national_dataset(sizes, options["seed"], allow_existing=options["yes"], as_of=as_of,
                                               progress=self.stdout.write)
        except DatasetRefused:
            raise CommandError("Cơ sở dữ liệu đã có kế hoạch hoặc người dùng: dữ liệu tổng hợp sẽ lẫn với dữ liệu "
                               "thật. Dùng một cơ sở dữ liệu trống, hoặc thêm --yes nếu chắc chắn.") from None
        elapsed = time.perf_counter() - started
        if counts.skipped:
            self.stdout.write(f"Bỏ qua các tỉnh đã có đơn vị: {', '.join(counts.skipped)}")
        self.stdout.write(self.style.SUCCESS(
            f"Xong sau {elapsed:.0f} giây: {counts.provinces} tỉnh, {counts.units} đơn vị, {counts.users} người dùng, "
            f"{counts.plans} kế hoạch, {counts.tasks} nhiệm vụ, {counts.assignments} lượt giao, "
            f"{counts.periods} kỳ báo cáo, {counts.reports} báo cáo, {counts.lines} dòng báo cáo, "
            f"{counts.evidence} minh chứng."))
        self.stdout.write(f"Mật khẩu của mọi tài khoản tổng hợp: {PASSWORD} (dieuphoi.<tỉnh>, lanhdaotinh.<tỉnh>, "
                          "daumoi.<tỉnh>.<đơn vị>, lanhdao.<tỉnh>.<đơn vị>).")
