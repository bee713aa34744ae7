"""The demo province's unit index: a demonstration tree (data/demo-tree.yaml, marked as such in the data and
on every page that shows it), the round of the year before the plan's published, and the plan's year in
progress with units at every stage. Written in bulk so the demo loads fast; scores are deterministic."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from chiso.accounts.models import User
from chiso.frameworks.models import Framework
from chiso.orgs.models import Province, Unit, UnitKind
from chiso.unitindex.importing.saving import save_tree
from chiso.unitindex.importing.tree_reader import ParsedRow, ParsedTree
from chiso.unitindex.models import (
    AppraiserAssignment,
    CriterionDetail,
    Entry,
    Method,
    Participant,
    RoundStage,
    SheetStatus,
    Stage,
    UnitType,
)
from chiso.unitindex.publication import publish_round
from chiso.unitindex.services import open_round

TREE_FILE = Path(__file__).parent / "data" / "demo-tree.yaml"
DEPARTMENTS = ["so-khoa-hoc-va-cong-nghe", "so-noi-vu", "so-tai-chinh", "so-tu-phap", "so-y-te", "so-xay-dung"]
COMMUNES = ["phuong-minh-xuan", "phuong-ha-giang-1", "phuong-ha-giang-2", "phuong-nong-tien", "xa-yen-son",
            "xa-thai-binh"]
# The plan's year: each participating unit at a different stage, in the order of the units above.
STAGES_NOW = [SheetStatus.FINAL, SheetStatus.EXPLAINED, SheetStatus.APPRAISED, SheetStatus.SENT,
              SheetStatus.IN_PROGRESS, SheetStatus.NOT_STARTED]


def demo_tree(province: Province) -> Framework:
    data = yaml.safe_load(TREE_FILE.read_text(encoding="utf-8"))
    rows: list[ParsedRow] = []
    explain: list[str] = []
    for field in data["fields"]:
        rows.append(ParsedRow(field["code"], field["name"], 0, Decimal(str(field["max"]))))
        for criterion in field["criteria"]:
            rows.append(ParsedRow(criterion["code"], criterion["name"], 1, Decimal(str(criterion["max"]))))
            for part in criterion["parts"]:
                rows.append(ParsedRow(part["code"], part["name"], 2, Decimal(str(part["max"])),
                                      rule=part.get("rule", ""), evidence=part.get("evidence", ""),
                                      method=part.get("method", Method.SELF), choices=part.get("choices", []),
                                      not_applicable=part.get("not_applicable", False)))
                if part.get("explanation"):
                    explain.append(part["code"])
    tree = ParsedTree(rows, total=Decimal(str(data["total"])), bonus_max=Decimal(str(data["bonus_max"])),
                      penalty_max=Decimal(str(data["penalty_max"])))
    framework = save_tree(tree, province=province, name=data["name"], year=2024, demonstration=data["demonstration"])
    CriterionDetail.objects.filter(node__framework=framework, node__code__in=explain).update(explanation_required=True)
    return framework


def _share(*keys: str) -> int:
    return hashlib.sha256("/".join(keys).encode()).digest()[0]


def _self_score(entry: Entry, unit: Unit, year: int) -> Decimal:
    maximum = entry.node.max_points or Decimal(0)
    choices = entry.node.criterion.choice_values()
    roll = _share(unit.code, entry.node.code, str(year))
    if choices:
        return choices[-1] if roll < 170 else choices[max(0, len(choices) - 2)]
    fraction = Decimal(1) if roll < 150 else (Decimal("0.75") if roll < 220 else Decimal("0.5"))
    return (maximum * fraction).quantize(Decimal("0.01"))


def _appraised(entry: Entry, unit: Unit, year: int) -> Decimal:
    assert entry.self_score is not None
    if _share(unit.code, entry.node.code, str(year), "appraisal") < 40:
        choices = entry.node.criterion.choice_values()
        lower = [c for c in choices if c < entry.self_score]
        return lower[-1] if choices and lower else (entry.self_score / 2).quantize(Decimal("0.01"))
    return entry.self_score


def _fill(sheet: Participant, status: str, year: int, now: dt.datetime) -> None:
    """The sheet's scores as far as `status`, written in bulk."""
    entries = list(sheet.entries.select_related("node__criterion"))
    order = list(SheetStatus)
    reached = order.index(SheetStatus(status))
    for entry in entries:
        method = entry.node.criterion.method
        if method == Method.SURVEY:
            if reached >= order.index(SheetStatus.FINAL) and entry.node.max_points is not None:
                entry.final_score = (entry.node.max_points * Decimal("0.8")).quantize(Decimal("0.01"))
            continue
        if entry.node.criterion.allows_not_applicable and sheet.unit.kind != UnitKind.DEPARTMENT:
            entry.not_applicable = True
            continue
        if reached >= order.index(SheetStatus.IN_PROGRESS):
            entry.self_score = _self_score(entry, sheet.unit, year)
            entry.explanation = "Đã thực hiện theo kế hoạch; chi tiết tại báo cáo năm của đơn vị."
        if reached >= order.index(SheetStatus.APPRAISED):
            entry.appraisal1_score = _appraised(entry, sheet.unit, year)
            entry.explanation_requested = entry.appraisal1_score != entry.self_score
            entry.appraisal1_comment = "Minh chứng chưa đầy đủ." if entry.explanation_requested else ""
        if reached >= order.index(SheetStatus.EXPLAINED) and entry.explanation_requested:
            entry.answer = "Đơn vị bổ sung văn bản chứng minh đã hoàn thành."
        if reached >= order.index(SheetStatus.FINAL):
            entry.final_score = entry.self_score if entry.answer else entry.appraisal1_score
    Entry.objects.bulk_update(entries, ["self_score", "not_applicable", "explanation", "appraisal1_score",
                                        "explanation_requested", "appraisal1_comment", "answer", "final_score"])
    sent = reached >= order.index(SheetStatus.SENT)
    Participant.objects.filter(pk=sheet.pk).update(
        status=status, sent_at=now if sent else None,
        signed_by=User.objects.filter(unit=sheet.unit, role="leader").first() if sent else None,
        bonus=Decimal("0.5") if reached == len(order) - 1 and _share(sheet.unit.code) < 90 else Decimal(0))


def _units(province: Province, codes: list[str]) -> list[Unit]:
    found = {u.code: u for u in Unit.objects.filter(province=province, code__in=codes)}
    return [found[code] for code in codes if code in found]


def _deadlines(start: dt.datetime) -> dict[str, dt.datetime]:
    return {stage: start + dt.timedelta(days=20 * (i + 1)) for i, stage in enumerate(Stage)}


@transaction.atomic
def load_unitindex_demo(province: Province, year: int, coordinator: User, appraiser: User | None) -> dict[str, Any]:
    """The round of `year - 1`, published, and the round of `year`, in progress."""
    tree = demo_tree(province)
    departments, communes = _units(province, DEPARTMENTS), _units(province, COMMUNES)
    trees = {UnitType.DEPARTMENTS: tree, UnitType.COMMUNES: tree}
    now = timezone.now()
    past = open_round(province=province, year=year - 1, name=f"Chỉ số CCHC năm {year - 1} (minh hoạ)", trees=trees,
                      units=departments + communes, deadlines=_deadlines(now - dt.timedelta(days=200)))
    RoundStage.objects.filter(round=past).update(closed_at=now - dt.timedelta(days=90))
    for sheet in past.participants.select_related("unit"):
        _fill(sheet, SheetStatus.FINAL, year - 1, now)
    publish_round(past, decision_text=f"Quyết định công bố Chỉ số CCHC năm {year - 1} (minh hoạ)", by=coordinator)
    current = open_round(province=province, year=year, name=f"Chỉ số CCHC năm {year} (minh hoạ)", trees=trees,
                         units=departments + communes, deadlines=_deadlines(now - dt.timedelta(days=5)))
    sheets = {s.unit_id: s for s in current.participants.select_related("unit")}
    for group in (departments, communes):
        for unit, status in zip(group, STAGES_NOW, strict=False):
            _fill(sheets[unit.pk], status, year, now)
    if appraiser is not None:
        AppraiserAssignment.objects.bulk_create([
            AppraiserAssignment(round=current, appraiser=appraiser, participant=sheets[unit.pk])
            for unit in departments[:4] + communes[:4]])
    return {"published": past, "current": current}
