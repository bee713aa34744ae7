"""The real-like corpus (tests/fixtures/import/real-like/): plans the team wrote in the forms provinces use, not
the existing fixtures' transcriptions. Its province, its truths and a seeded OCR degrader."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import yaml

from chiso.frameworks.models import Node
from chiso.orgs.models import Province, Unit
from chiso.orgs.services import import_units, seed_groups
from tests.import_quality import TrueRow

CORPUS = Path(__file__).resolve().parent / "fixtures" / "import" / "real-like"
FILES = CORPUS / "files"


def corpus_province() -> Province:
    province, created = Province.objects.get_or_create(code="son-lam", defaults={"name": "Sơn Lâm"})
    if created:
        with (CORPUS / "units.csv").open("rb") as units:
            assert import_units(province, units, "units.csv").created == 29
        seed_groups(province, yaml.safe_load((CORPUS / "groups.yaml").read_text(encoding="utf-8")))
    return province


def truth(stem: str, province: Province) -> tuple[list[TrueRow], Unit]:
    data = yaml.safe_load((CORPUS / f"{stem}.truth.yaml").read_text(encoding="utf-8"))
    units = {u.code: u.pk for u in Unit.objects.filter(province=province)}
    nodes = {f"{slug}:{code}": pk for slug, code, pk in Node.objects.values_list("framework__slug", "code", "pk")}
    rows = [TrueRow(r["content"], nodes[r["node"]] if r["node"] != "unmapped" else None,  # type: ignore[arg-type]
                    frozenset(units[c] for c in r["lead"]), r["schedule"] or "") for r in data["rows"]]
    return rows, Unit.objects.get(province=province, code=data["issuer"])


# ---- a seeded OCR degrader -----------------------------------------------------------------------------------
# What a scan read without the Vietnamese model does, at rates seen in scanned plans' text layers: every mark
# dropped (đ → d), then the look-alikes of the letters headings are made of (ô/ố → 6, o/ơ → 0, i/ị → 1 or l,
# đ → p, "của" → "ciia", "nội" → "ndi"), a word split in two now and then, long lines broken with a hyphen, a
# page number and the running header printed every 25 lines.

_WORD_SWAPS = {"của": ("ciia", 0.5), "nội": ("ndi", 0.5), "số": ("s6", 0.4), "thực": ("thu'c", 0.3)}


def _strip(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _letters(word: str, rng: random.Random) -> str:
    out = []
    for char in word:
        base = _strip(char)
        roll = rng.random()
        if char in "ôốồổỗộÔỐỒỔỖỘ" and roll < 0.15:
            out.append("6")
        elif base in "oO" and roll < 0.03:
            out.append("0")
        elif base in "iI" and roll < 0.03:
            out.append(rng.choice("1l"))
        elif char in "đĐ" and roll < 0.1:
            out.append("p")
        else:
            out.append(base)
    return "".join(out)


def degrade(text: str, seed: int, header: str = "UBND TINH SON LAM") -> str:
    rng = random.Random(seed)
    lines: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        words = []
        for word in line.split():
            swap = _WORD_SWAPS.get(word.lower())
            if swap and rng.random() < swap[1]:
                words.append(swap[0].upper() if word.isupper() else swap[0])
                continue
            word = _letters(word, rng)
            if len(word) > 6 and rng.random() < 0.01:
                cut = rng.randrange(2, len(word) - 2)
                word = f"{word[:cut]} {word[cut:]}"
            words.append(word)
        degraded = " ".join(words)
        if re.match(r"^đ\)|^d\)", _strip(line[:2]).lower()) is None and line.startswith("đ)"):
            degraded = "d)" + degraded[2:]
        while len(degraded) > 70:  # the scan's line breaks, sometimes inside a word
            cut = degraded.rfind(" ", 40, 70)
            if cut < 0 or rng.random() < 0.15:
                cut = 64
                lines.append(degraded[:cut] + "-")
            else:
                lines.append(degraded[:cut])
            degraded = degraded[cut:].lstrip()
        lines.append(degraded)
        if number % 25 == 0:
            lines += [f"- {number // 25 + 1} -", header]
    return "\n".join(lines)
