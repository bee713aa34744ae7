"""Measuring an import against a transcription: rows found, and the share of right nodes, lead units and
schedules among them. Imported rows are paired with true rows in order, by their wording."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from chiso.core.text import fold
from chiso.documents.importing.mapping import similarity
from chiso.frameworks.models import Framework, Node
from chiso.orgs.matching import AgencyMatcher
from chiso.orgs.models import Province, Unit, UnitGroup
from chiso.orgs.services import import_units, seed_groups
from chiso.plans.schedules import parse_schedule
from scripts.make_import_fixtures import bac_kan_rows

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
TUYEN_QUANG = Path(__file__).resolve().parent.parent / "chiso" / "demo" / "data" / "plans" / "tuyen-quang-2025.yaml"
TQ_FRAMEWORKS = {"PAR_INDEX": "par-index-province-2022", "PAPI": "papi-2021", "SIPAS": "sipas-2022"}


@dataclass
class TrueRow:
    content: str
    node_id: int
    leads: frozenset[int | str]
    schedule: str


@dataclass
class Quality:
    true_count: int
    found: int
    nodes: int
    leads: int
    schedules: int

    def share(self, value: int) -> float:
        return value / self.found if self.found else 0.0

    @property
    def found_share(self) -> float:
        return self.found / self.true_count

    def line(self, name: str, kind: str) -> str:
        def pct(value: float) -> str:
            return f"{100 * value:.1f}".replace(".", ",") + " %"
        return (f"| {name} | {kind} | {self.true_count} | {self.found} ({pct(self.found_share)}) | "
                f"{pct(self.share(self.nodes))} | {pct(self.share(self.leads))} | {pct(self.share(self.schedules))} |")


def _fixture_province(code: str, name: str, stem: str) -> Province:
    """A sample plan's own province, with the units and group wordings of its fixture files, made once."""
    province, created = Province.objects.get_or_create(code=code, defaults={"name": name})
    if created:
        with (FIXTURES / f"{stem}-units.csv").open("rb") as units:
            import_units(province, units, f"{stem}-units.csv")
        seed_groups(province, yaml.safe_load((FIXTURES / f"{stem}-groups.yaml").read_text(encoding="utf-8")))
    return province


def vi_xuyen_province() -> Province:
    return _fixture_province("vi-xuyen-2021", "Hà Giang (cũ), huyện Vị Xuyên", "vi-xuyen")


def vi_xuyen_truth(province: Province) -> tuple[list[TrueRow], list[Framework]]:
    framework = Framework.objects.get(slug="papi-2020")
    nodes = {n.code: n.pk for n in Node.objects.filter(framework=framework)}
    units = {u.code: u.pk for u in Unit.objects.filter(province=province)}
    truth = yaml.safe_load((FIXTURES / "vi-xuyen-truth.yaml").read_text(encoding="utf-8"))
    rows = [TrueRow(r["content"], nodes[r["node"]], frozenset(units[c] for c in r["lead"]), r["schedule"] or "")
            for r in truth["rows"]]
    return rows, [framework]


def bac_kan_province() -> Province:
    return _fixture_province("bac-kan-2022", "Bắc Kạn (2022)", "bac-kan")


def bac_kan_truth(province: Province) -> tuple[list[TrueRow], list[Framework]]:
    framework = Framework.objects.get(slug="papi-2021")
    nodes = {n.code: n.pk for n in Node.objects.filter(framework=framework)}
    units = {u.code: u.pk for u in Unit.objects.filter(province=province)}
    groups = {g.name: g.pk for g in UnitGroup.objects.filter(province=province)}

    def lead(code: str) -> int | str:
        return f"g{groups[code.removeprefix('group:')]}" if code.startswith("group:") else units[code]

    truth = yaml.safe_load((FIXTURES / "bac-kan-truth.yaml").read_text(encoding="utf-8"))
    rows = [TrueRow(r["content"], nodes[r["node"]], frozenset(lead(c) for c in r["lead"]), r["schedule"])
            for r in bac_kan_rows(truth)]
    assert len(rows) == truth["task_count"]
    return rows, [framework]


def tuyen_quang_truth(province: Province) -> tuple[list[TrueRow], list[Framework]]:
    data = yaml.safe_load(TUYEN_QUANG.read_text(encoding="utf-8"))
    matcher = AgencyMatcher(province)
    frameworks = {index: Framework.objects.get(slug=slug) for index, slug in TQ_FRAMEWORKS.items()}
    rows = []
    for appendix in data["appendices"]:
        nodes = {n.code: n.pk for n in Node.objects.filter(framework=frameworks[appendix["index"]])}
        for task in appendix["tasks"]:
            lead = matcher.resolve("; ".join(task.get("lead") or []))
            rows.append(TrueRow(task["content"], nodes[str(task["node"])],
                                frozenset([u.pk for u in lead.units] + [f"g{g.pk}" for g in lead.groups]),
                                task.get("schedule") or ""))
    return rows, list(frameworks.values())


def measure(imported: list[dict], truth: list[TrueRow], *, pairing: float = 0.85, by_meaning: bool = False) -> Quality:
    """by_meaning: a schedule is right when it reads to the same kind and dates (for damaged text, whose words
    cannot equal the truth's); pairing: the wording similarity that pairs rows (lower for damaged text)."""
    found = nodes = leads = schedules = 0
    start = 0
    for true in truth:
        for position in range(start, min(start + 6, len(imported))):
            row = imported[position]
            if similarity(row["content"], true.content) >= pairing:
                start = position + 1
                found += 1
                nodes += (row["node_ids"] or [None])[0] == true.node_id
                got = frozenset(row["lead_unit_ids"] + [f"g{g}" for g in row["lead_group_ids"]])
                leads += got == true.leads
                if by_meaning:
                    meant = parse_schedule(true.schedule, 2025)
                    schedules += (row["schedule"]["kind"], row["schedule"]["due"]) == (
                        str(meant.kind), meant.due.isoformat() if meant.due else None)
                else:
                    schedules += fold(row["schedule_text"]) == fold(true.schedule)
                break
    return Quality(len(truth), found, nodes, leads, schedules)


# What OCR does to Vietnamese text, as seen in scanned plans' text layers: letters read as their look-alikes.
_OCR_CONFUSIONS = {"l": "1", "o": "0", "e": "c", "n": "u", "u": "n", "i": "l", "h": "b", "m": "rn", "t": "f",
                   "a": "o", "c": "e", "g": "q", "y": "v", "S": "5", "B": "8", "I": "l", "O": "0"}


def strip_diacritics(text: str) -> str:
    """Vietnamese as an OCR without the language reads it: every mark gone, đ as d."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def garble(text: str, share: float, seed: int) -> str:
    """Replace about `share` of the letters by an OCR look-alike, the same way every run (seeded)."""
    chance = random.Random(f"{seed}:{text}")
    return "".join(_OCR_CONFUSIONS.get(char, char) if char.isalpha() and chance.random() < share else char
                   for char in text)
