"""Lists of units that stay usable with 150 of them: filter by state and by kind (sở / xã, phường / other),
search without diacritics, sort in Vietnamese order (core.text.collation_key) or with what waits first,
group by kind, a page at a time. The rows are any objects with a `unit`; the page says what a state means."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext_lazy as _

from chiso.core.text import collation_key, fold
from chiso.orgs.models import Unit, UnitKind

Row = TypeVar("Row")
PER_PAGE = 50

KIND_GROUPS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "so": (_("Sở, ban, ngành"), (UnitKind.DEPARTMENT, UnitKind.OFFICE, UnitKind.PROVINCE_COMMITTEE)),
    "xa": (_("Xã, phường"), (UnitKind.COMMUNE, UnitKind.WARD, UnitKind.DISTRICT, UnitKind.VILLAGE)),
    "khac": (_("Cơ quan, tổ chức khác"), (UnitKind.OUTSIDE,)),
}
SORTS = {"cho-toi": _("Việc chờ tôi trước"), "ten": _("Tên đơn vị (A–Z)")}


def kind_group(unit: Unit) -> str:
    return next((key for key, (_label, kinds) in KIND_GROUPS.items() if unit.kind in kinds), "khac")


@dataclass
class UnitFilter:
    state: str = ""
    kind: str = ""
    q: str = ""
    sort: str = "cho-toi"
    grouped: bool = False
    page: str = "1"

    def query_without_page(self) -> str:
        from urllib.parse import urlencode

        params = {"trang-thai": self.state, "loai": self.kind, "q": self.q, "sap-xep": self.sort,
                  "nhom": "1" if self.grouped else ""}
        return urlencode({k: v for k, v in params.items() if v})


def read_filter(params: Mapping[str, str], states: Mapping[str, Any]) -> UnitFilter:
    """Unknown values are ignored rather than refused: a filter link typed by hand still shows the list."""
    state = params.get("trang-thai", "")
    kind = params.get("loai", "")
    sort = params.get("sap-xep", "cho-toi")
    return UnitFilter(state=state if state in states else "", kind=kind if kind in KIND_GROUPS else "",
                      q=params.get("q", "")[:100].strip(), sort=sort if sort in SORTS else "cho-toi",
                      grouped=params.get("nhom") == "1", page=params.get("trang", "1")[:6])


def unit_order(unit: Unit) -> tuple[str, str, str]:
    return collation_key(unit.name)


def filter_rows(rows: Sequence[Row], chosen: UnitFilter, *, unit_of: Callable[[Row], Unit],
                states_of: Callable[[Row], set[str]], urgency: Callable[[Row], int]) -> list[Row]:
    """The rows the filter keeps, in its order. urgency: lower is more waiting for the user (0 first)."""
    needle = fold(chosen.q)
    kept = [row for row in rows
            if (not chosen.state or chosen.state in states_of(row))
            and (not chosen.kind or kind_group(unit_of(row)) == chosen.kind)
            and (not needle or needle in fold(unit_of(row).name) or needle in fold(unit_of(row).short_name or ""))]
    if chosen.sort == "ten":
        key: Callable[[Row], Any] = lambda row: unit_order(unit_of(row))  # noqa: E731
    else:
        key = lambda row: (urgency(row), unit_order(unit_of(row)))  # noqa: E731
    kept.sort(key=key)
    if chosen.grouped:
        order = list(KIND_GROUPS)
        kept.sort(key=lambda row: order.index(kind_group(unit_of(row))))  # stable: keeps the order inside
    return kept


def page_of(rows: list[Row], chosen: UnitFilter) -> Page:
    return Paginator(rows, PER_PAGE).get_page(chosen.page)


def counts_by_state(rows: Sequence[Row], states_of: Callable[[Row], set[str]], states: Mapping[str, Any]) -> dict[str, int]:
    return {state: sum(1 for row in rows if state in states_of(row)) for state in states}
