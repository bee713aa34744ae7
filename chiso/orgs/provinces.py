"""The national list of provinces, before and after the merger of 1/7/2025, from `data/provinces.yaml`.

Loading is idempotent and keyed on the province code, so a database that already has its own
province (the demo's Tuyên Quang) gains the rest of the country without duplicates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from django.db import transaction

from chiso.core.text import fold
from chiso.orgs.models import Province

PROVINCES_FILE = Path(__file__).parent / "data" / "provinces.yaml"

_VI_TO_ASCII = str.maketrans({"đ": "d", "Đ": "D"})


def former_code(name: str) -> str:
    return fold(name.translate(_VI_TO_ASCII)).replace(" - ", "-").replace(" ", "-") + "-cu"


@transaction.atomic
def load_provinces() -> int:
    """Create or update all 63 former and 34 current provinces; return how many records exist."""
    data = yaml.safe_load(PROVINCES_FILE.read_text(encoding="utf-8"))
    merged_on = data["merged_on"]
    dissolved_on = merged_on - dt.timedelta(days=1)
    former_cities = set(data["former_cities"])
    for entry in data["unchanged"]:
        _put(entry["code"], entry["name"], city=entry.get("city", False), aliases=entry.get("aliases", []))
    for entry in data["merged"]:
        province = _put(entry["code"], entry["name"], city=entry.get("city", False),
                        aliases=entry.get("aliases", []), formed_on=merged_on)
        formers = [
            _put(former_code(name), f"{name} (cũ)", city=name in former_cities, aliases=[name],
                 dissolved_on=dissolved_on)
            for name in entry["predecessors"]
        ]
        province.predecessors.add(*formers)
    return Province.objects.count()


def _put(code: str, name: str, *, city: bool, aliases: list[str], formed_on: dt.date | None = None,
         dissolved_on: dt.date | None = None) -> Province:
    province, _ = Province.objects.update_or_create(code=code, defaults={
        "name": name, "is_city": city, "aliases": aliases, "formed_on": formed_on, "dissolved_on": dissolved_on,
    })
    return province


class ProvinceNames:
    """Finds the province a published table means by a name: by code, name or alias, diacritics-blind;
    where a name is both a former and a current province ("Tuyên Quang"), the one on that year's map.
    Names are folded once, so a file of thousands of lines is matched in linear time."""

    def __init__(self, provinces: list[Province]):
        self.by_key: dict[str, list[Province]] = {}
        for province in provinces:
            for name in {province.code, province.name, *province.aliases}:
                matches = self.by_key.setdefault(fold(name), [])
                if province not in matches:
                    matches.append(province)

    def find(self, name: str, year: int | None) -> Province | None:
        matches = self.by_key.get(fold(name), [])
        if len(matches) > 1 and year is not None:
            matches = [p for p in matches if p.on_map_in(year)] or matches
        return matches[0] if len(matches) == 1 else None

