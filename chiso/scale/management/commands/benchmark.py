import gc
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from chiso.monitoring.models import ReportLine, UnitReport
from chiso.ops.collector import freeze_what_is_loaded
from chiso.orgs.models import Province, Unit
from chiso.plans.models import Assignment, Task
from chiso.scale.benchmark import (
    QUERY_BUDGET,
    NothingToMeasure,
    default_province,
    markdown_table,
    measure,
    over_query_budget,
    pages_for,
)


class Command(BaseCommand):
    help = ("Đo thời gian xử lý phía máy chủ (trung vị, phân vị 95) và số truy vấn của các trang chính cho "
            "điều phối, đầu mối, lãnh đạo đơn vị và lãnh đạo tỉnh, trên dữ liệu của cơ sở dữ liệu đang cấu hình. "
            "In bảng Markdown.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--province", help="Mã tỉnh (mặc định: tỉnh đầu tiên có điều phối và kế hoạch).")
        parser.add_argument("--runs", type=int, default=20, help="Số lần đo mỗi trang (mặc định 20).")
        parser.add_argument("--persona", action="append",
                            help="Chỉ đo vai này (coordinator, focal_point, leader, province_leader); lặp lại được.")
        parser.add_argument("--max-queries", type=int, default=QUERY_BUDGET,
                            help=f"Số truy vấn tối đa mỗi trang (mặc định {QUERY_BUDGET}): lệnh báo lỗi nếu có trang "
                                 "vượt.")
        parser.add_argument("--max-p95-ms", type=float, default=None,
                            help="Ngưỡng phân vị 95 (ms): lệnh báo lỗi (mã thoát khác 0) nếu có trang chậm hơn.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["runs"] < 2:
            raise CommandError("--runs phải từ 2 trở lên.")
        if options["max_p95_ms"] is not None and options["max_p95_ms"] <= 0:
            raise CommandError("--max-p95-ms phải lớn hơn 0.")
        # The test client speaks to "testserver"; the pages never see another host.
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        try:
            province = (Province.objects.get(code=options["province"]) if options["province"]
                        else default_province())
            pages = pages_for(province)
        except Province.DoesNotExist:
            raise CommandError(f"Không có tỉnh mã {options['province']}.") from None
        except NothingToMeasure:
            raise CommandError("Không có gì để đo: cần một tỉnh có điều phối, lãnh đạo, đơn vị có đầu mối và "
                               "lãnh đạo, và một kế hoạch đã ban hành (chạy generate_national_dataset).") from None
        if options["persona"]:
            pages = [p for p in pages if p.persona in options["persona"]]
        self.stdout.write(
            f"{connection.vendor}, DEBUG={settings.DEBUG}, "
            f"giữ kết nối CSDL {connection.settings_dict['CONN_MAX_AGE']} s; {Unit.objects.count()} đơn vị, {Task.objects.count()} nhiệm vụ, "
            f"{Assignment.objects.count()} lượt giao, {UnitReport.objects.count()} báo cáo, "
            f"{ReportLine.objects.count()} dòng báo cáo; tỉnh đo: {province.code}; {options['runs']} lần mỗi trang.\n")
        measures = []
        # Measured as the web server's processes serve them (chiso.wsgi): what is loaded is out of the garbage
        # collector's reach; given back afterwards, for a caller (the tests) that goes on.
        freeze_what_is_loaded()
        try:
            for page in pages:
                measures.append(measure(page, options["runs"]))
                if options["verbosity"] > 1:
                    self.stderr.write(f"{page.persona} {page.name}: {measures[-1].p95_ms:.0f} ms")
        finally:
            gc.unfreeze()
        self.stdout.write(markdown_table(measures))
        failed = [m for m in measures if m.status != 200]
        if failed:
            raise CommandError("Trang không trả về 200: " + ", ".join(f"{m.page.persona} {m.page.name} ({m.status})"
                                                                     for m in failed))
        greedy = over_query_budget(measures, options["max_queries"])
        if greedy:
            raise CommandError(f"Trang vượt {options['max_queries']} truy vấn: " + ", ".join(
                f"{m.page.persona} {m.page.name} ({m.queries})" for m in greedy))
        limit = options["max_p95_ms"]
        slow = [m for m in measures if limit is not None and m.p95_ms > limit]
        if slow:
            raise CommandError(f"Trang có p95 vượt {limit:g} ms: " + ", ".join(
                f"{m.page.persona} {m.page.name} ({m.p95_ms:.0f} ms)" for m in slow))
