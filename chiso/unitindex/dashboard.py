"""The coordinator's view of a round: progress by unit and stage, late units, the criteria where the
appraisers' scores fall furthest below the units' own, and the charts of ranking and classes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from chiso.core.text import fold, vietnamese_key
from chiso.unitindex.models import Entry, Participant, Round, SheetStatus, UnitType
from chiso.unitindex.publication import Standing, entries_by_participant, round_participants, standings
from chiso.unitindex.stages import late_units

PALETTE = ["#15803d", "#1d4e89", "#a16207", "#b91c1c", "#7c3aed", "#0f766e"]


@dataclass
class Gap:
    code: str
    name: str
    units: int
    self_total: Decimal
    appraised_total: Decimal

    @property
    def gap(self) -> Decimal:
        return self.self_total - self.appraised_total


def filter_participants(participants: list[Participant], *, unit_type: str = "", status: str = "",
                        query: str = "") -> list[Participant]:
    folded = fold(query)
    chosen = [p for p in participants if (not unit_type or p.unit_type == unit_type)
              and (not status or p.status == status) and (not folded or folded in fold(p.unit.name))]
    return sorted(chosen, key=lambda p: vietnamese_key(p.unit.name))


def progress(participants: list[Participant]) -> list[tuple[str, str, int]]:
    counts = Counter(p.status for p in participants)
    return [(status.value, str(status.label), counts.get(status.value, 0)) for status in SheetStatus]


def largest_gaps(entries: dict[int, list[Entry]], limit: int = 10) -> list[Gap]:
    gaps: dict[str, Gap] = {}
    for sheet_entries in entries.values():
        for entry in sheet_entries:
            appraised = entry.appraised_score
            if entry.not_applicable or appraised is None or entry.self_score is None:
                continue
            gap = gaps.setdefault(entry.node.code, Gap(entry.node.code, entry.node.name_vi, 0, Decimal(0), Decimal(0)))
            gap.units += 1
            gap.self_total += entry.self_score
            gap.appraised_total += appraised
    return sorted((g for g in gaps.values() if g.gap > 0), key=lambda g: (-g.gap, g.code))[:limit]


def ranking_chart(rows: list[Standing], unit_type: str) -> dict[str, Any]:
    chosen = [row for row in rows if row.participant.unit_type == unit_type]
    return {"type": "bar", "data": {
        "labels": [row.participant.unit.short_name or row.participant.unit.name for row in chosen],
        "datasets": [{"label": _("Tỷ lệ điểm (%)"), "data": [float(row.totals.percent) for row in chosen],
                      "backgroundColor": PALETTE[1]}]},
        "options": {"indexAxis": "y", "scales": {"x": {"beginAtZero": True, "max": 100}}}}


def classes_chart(rows: list[Standing], round_: Round) -> dict[str, Any]:
    names = [str(threshold["name"]) for threshold in round_.thresholds]
    counts = Counter(row.klass for row in rows)
    return {"type": "bar", "data": {"labels": names, "datasets": [
        {"label": _("Số đơn vị"), "data": [counts.get(name, 0) for name in names],
         "backgroundColor": PALETTE[:len(names)]}]},
        "options": {"scales": {"y": {"beginAtZero": True, "ticks": {"precision": 0}}}}}


def round_dashboard(round_: Round, *, unit_type: str = "", status: str = "", query: str = "") -> dict[str, Any]:
    participants = round_participants(round_)
    entries = entries_by_participant(round_)
    rows = standings(round_)
    appraised = [row for row in rows if row.participant.status in (SheetStatus.APPRAISED, SheetStatus.EXPLAINED,
                                                                   SheetStatus.FINAL)]
    charts = {f"ranking-{kind}": ranking_chart(appraised, kind) for kind in UnitType
              if any(row.participant.unit_type == kind for row in appraised)}
    if appraised:
        charts["classes"] = classes_chart(appraised, round_)
    return {"participants": filter_participants(participants, unit_type=unit_type, status=status, query=query),
            "all_count": len(participants), "progress": progress(participants), "late": late_units(participants),
            "gaps": largest_gaps(entries), "standings": rows, "appraised": appraised, "charts": charts}
