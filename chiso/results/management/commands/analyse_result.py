"""The analysis of one result as JSON, for scripted reporting:

    chiso analyse_result --index PAPI --year 2021 --province "Bắc Kạn"
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chiso.orgs.models import Province
from chiso.orgs.provinces import ProvinceNames
from chiso.results.analysis import analyse
from chiso.results.models import Result
from chiso.results.writing import analysis_as_dict


class Command(BaseCommand):
    help = "Prints the analysis of a result (flags per node, ranks, the written paragraph) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--index", required=True, help="PAPI, PAR_INDEX, SIPAS…")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--province", required=True, help="code, name or alias of the province")
        parser.add_argument("--unit", help="code of a unit of the province, for its own index")
        parser.add_argument("--low-share", default=None,
                            help="below this share of the maximum a node is low: 0.5 or 50 (per cent); default 0.5")

    def handle(self, *args: Any, **options: Any) -> None:
        province = ProvinceNames(list(Province.objects.all())).find(options["province"], options["year"])
        if province is None:
            raise CommandError(f"Không tìm thấy tỉnh «{options['province']}».")
        results = Result.objects.filter(framework__index=options["index"], year=options["year"], province=province)
        results = results.filter(unit__code=options["unit"]) if options["unit"] else results.filter(unit__isnull=True)
        result = results.select_related("framework", "province", "unit").first()
        if result is None:
            raise CommandError(f"Chưa có kết quả {options['index']} {options['year']} của {province.name}.")
        low_share = None
        if options["low_share"]:
            try:
                low_share = Decimal(options["low_share"].replace(",", "."))
            except InvalidOperation:
                low_share = Decimal("NaN")
            if low_share.is_finite() and 1 < low_share < 100:
                low_share /= 100  # the web page's "50%"
            if not low_share.is_finite() or not 0 < low_share < 1:
                raise CommandError("--low-share phải là một tỷ lệ như 0.5 hoặc phần trăm như 50.")
        data = analysis_as_dict(analyse(result, low_share))
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
