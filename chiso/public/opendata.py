"""Open data: the published provincial results chiso holds — per index, year and province, and per node
where the score is known — as rows for CSV and JSON, with their sources and a licence note. Results of a
province's own units are internal and never included."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from chiso.results.models import Result, Score

TOTAL_CODE = "TONG"
LICENCE = _("Số liệu do các cơ quan, tổ chức đánh giá công bố; mỗi dòng ghi nguồn. chiso tổng hợp và cung cấp lại "
            "nguyên trạng, không thay đổi giá trị, để tham khảo: khi sử dụng, ghi rõ nguồn gốc của số liệu. Các "
            "thứ hạng, nhóm không ghi nguồn là do chiso tính từ điểm của các tỉnh trong năm.")
COLUMNS = ["index", "year", "province_code", "province", "node_code", "node_name", "value", "rank", "rank_of",
           "group", "source"]


@cache
def sources_text() -> str:
    path = Path(__file__).resolve().parent.parent / "results" / "data" / "SOURCES.md"
    return path.read_text(encoding="utf-8")


def open_rows(index: str | None = None, year: int | None = None, province_code: str | None = None
              ) -> list[dict[str, Any]]:
    """One row per result for its total, then one per published node score. Two queries."""
    results = Result.objects.provincial().select_related("framework", "province").order_by(
        "framework__index", "year", "province__name", "id")
    if index:
        results = results.filter(framework__index=index)
    if year:
        results = results.filter(year=year)
    if province_code:
        results = results.filter(province__code=province_code)
    loaded = list(results)
    scores: dict[int, list[tuple[str, str, Decimal]]] = {}
    for result_id, code, name, value in (Score.objects.filter(result__in=[r.pk for r in loaded])
                                         .order_by("result_id", "node__position")
                                         .values_list("result_id", "node__code", "node__name_vi", "value")):
        scores.setdefault(result_id, []).append((code, name, value))
    rows = []
    for result in loaded:
        base = {"index": result.framework.index, "year": result.year, "province_code": result.province.code,
                "province": result.province.name, "source": result.source}
        rows.append({**base, "node_code": TOTAL_CODE, "node_name": str(_("Tổng điểm")), "value": result.total,
                     "rank": result.rank, "rank_of": result.rank_of, "group": result.group})
        for code, name, value in scores.get(result.pk, []):
            rows.append({**base, "node_code": code, "node_name": name, "value": value, "rank": None,
                         "rank_of": None, "group": None})
    return rows
