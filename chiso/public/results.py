"""The province's index results over the years for the public page: a table and a chart per index of the
plan, on the province and the former provinces it was formed from (a merged province's history is theirs)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from chiso.plans.models import Plan
from chiso.results.charts import side_by_side_chart
from chiso.results.models import Result


def results_over_years(plan: Plan) -> list[dict[str, Any]]:
    """One block per index of the plan's frameworks: years, one series per province, rows for the table.
    Three queries."""
    indices = sorted({f.index for f in plan.frameworks.all()})
    province_ids = [plan.province_id, *plan.province.predecessors.values_list("pk", flat=True)]
    results = (Result.objects.provincial().filter(province_id__in=province_ids, framework__index__in=indices)
               .select_related("framework", "province").order_by("year", "province__name"))
    blocks: dict[str, dict[str, Any]] = {}
    for result in results:
        block = blocks.setdefault(result.framework.index, {"index": result.framework.get_index_display(),
                                                           "unit": result.framework.get_unit_display(),
                                                           "rows": [], "series": {}})
        block["rows"].append(result)
        block["series"].setdefault(result.province.name, {})[result.year] = result.total
    out = []
    for position, index in enumerate(sorted(blocks)):
        block = blocks[index]
        years = sorted({r.year for r in block["rows"]})
        series: dict[str, list[Decimal | None]] = {
            name: [values.get(year) for year in years] for name, values in block["series"].items()}
        out.append({**block, "years": years, "chart_id": f"chart-{position}",
                    "chart": side_by_side_chart(years, series)})
    return out
