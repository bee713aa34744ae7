"""Built-in published results: PAPI dimension scores of all provinces 2018–2024, and the figures the
sample plans quote (see data/SOURCES.md). Loading is idempotent and never overwrites a result that a
user entered or imported: what people typed wins over what chiso ships."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import yaml
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from chiso.core.figures_cache import data_changed
from chiso.frameworks.models import Framework, IndexKind, Node
from chiso.orgs.models import Province
from chiso.orgs.provinces import ProvinceNames
from chiso.results.models import Origin, Result, Score

DATA = Path(__file__).parent / "data"
PAPI_CSV = DATA / "papi_dimension_scores_2018_2024.csv"
PUBLISHED = DATA / "published.yaml"
PAR_SIPAS_CSV = DATA / "par_sipas_published_results_partial.csv"
PAPI_CSV_SOURCE = ("PAPI, điểm 8 chỉ số nội dung của 63 tỉnh, thành phố (bảng chỉ tiêu cấp tỉnh); "
                   "tổng, thứ hạng và nhóm do chiso tính từ điểm các chỉ số nội dung")


class BuiltinDataError(Exception):
    pass


def load_reference_data() -> int:
    """Everything chiso ships for every province: the built-in frameworks, the national list of provinces
    and the published results. Idempotent; run after each upgrade (`chiso load_reference_data`)."""
    from chiso.frameworks.services import load_builtin_frameworks
    from chiso.orgs.provinces import load_provinces

    load_builtin_frameworks()
    load_provinces()
    return load_builtin_results()


def builtin_framework(index: str, year: int, frameworks: list[Framework]) -> Framework | None:
    """The built-in framework of `index` in force in `year`."""
    for framework in frameworks:
        if (framework.index == index and framework.province_id is None
                and (framework.valid_from or 0) <= year <= (framework.valid_to or 9999)):
            return framework
    return None


@transaction.atomic
def load_builtin_results() -> int:
    """Load the built-in tables; return the number of results created or changed. A second run with
    unchanged data writes nothing, so it can run at every start."""
    frameworks = list(Framework.objects.filter(province__isnull=True))
    provinces = ProvinceNames(list(Province.objects.all()))
    nodes = {(n.framework_id, n.code): n for n in Node.objects.filter(framework__in=frameworks)}
    wanted: dict[tuple[int, int, int], tuple[dict, dict[int, Decimal]]] = {}

    def want(province_name: str, year: int, index: str, header: dict, scores: dict[str, object], source: str) -> None:
        framework = builtin_framework(index, year, frameworks)
        province = provinces.find(province_name, year)
        if framework is None or province is None:
            raise BuiltinDataError(f"{index} {year} {province_name}: no built-in framework or province")
        key = (framework.pk, year, province.pk)
        fields, values = wanted.setdefault(key, ({"source": source}, {}))
        fields.update({name: value for name, value in header.items() if value is not None}, source=source)
        for code, value in scores.items():
            node = nodes.get((framework.pk, code))
            if node is None:
                raise BuiltinDataError(f"{framework.slug}: no node {code}")
            values[node.pk] = Decimal(str(value))

    with PAPI_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            scores = {str(d): row[f"D{d}"] for d in range(1, 9) if row[f"D{d}"].strip()}
            if scores:  # a province with no published value that year is a gap, not a zero result
                want(row["province_vi"], int(row["year"]), IndexKind.PAPI, {}, scores, PAPI_CSV_SOURCE)
    with PAR_SIPAS_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            year = int(row["year"])
            if row["scope"] != "province" or builtin_framework(row["index"], year, frameworks) is None:
                continue  # national and regional means are not provinces; no built-in framework for that year
            rank = int(row["rank"]) if row["rank"].strip() else None
            header = {"total": Decimal(row["value_pct"]), "rank": rank, "rank_of": 63 if rank else None}
            source = f"{row['note']} — {row['source_url']} ({row['confidence']})".lstrip(" —")
            want(row["entity"], year, row["index"], header, {}, source)
    for entry in yaml.safe_load(PUBLISHED.read_text(encoding="utf-8")):
        header = {key: entry.get(key) for key in ("rank", "rank_of", "group")}
        header["total"] = Decimal(str(entry["total"])) if entry.get("total") is not None else None
        want(entry["province"], entry["year"], entry["index"], header,
             {str(code): value for code, value in (entry.get("scores") or {}).items()}, entry["source"])
    return _write(wanted)


def _write(wanted: dict[tuple[int, int, int], tuple[dict, dict[int, Decimal]]]) -> int:
    existing = {(r.framework_id, r.year, r.province_id): r for r in Result.objects.provincial()}
    scores = {(s.result_id, s.node_id): s for s in Score.objects.filter(result__unit__isnull=True)}
    written = 0
    for (framework_id, year, province_id), (fields, values) in wanted.items():
        result = existing.get((framework_id, year, province_id))
        if result is not None and result.origin != Origin.BUILTIN:
            continue  # entered or imported by a user: theirs
        if result is None:
            result = Result.objects.create(framework_id=framework_id, year=year, province_id=province_id,
                                           origin=Origin.BUILTIN, **fields)
            written += 1
        elif any(getattr(result, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(result, name, value)
            result.save()
            written += 1
        new_scores = []
        for node_id, value in values.items():
            score = scores.get((result.pk, node_id))
            if score is None:
                new_scores.append(Score(result=result, node_id=node_id, value=value))
            elif score.value != value:
                score.value = value
                score.save(update_fields=["value"])
        if new_scores:
            bulk_create_with_history(new_scores, Score)
            data_changed()  # a bulk insert sends no signal; cached figures read the scores
    return written
