"""Lists of units that stay usable with 150 of them: filter by state and by kind (sở / xã, phường / other),
search without diacritics, sort in Vietnamese order (core.text.collation_key), by a number column or with what
waits first, group by kind, a page at a time. Every list of units (period review, cascade of unit plans, plan
dashboard, emulation ranking) describes itself in a `UnitList` and renders with core/_unit_filters.html.

The rows are any objects whose unit `UnitList.unit_of` finds; they are filtered in memory, over rows the page
fetches anyway, so a filter never adds a query."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chiso.core.text import collation_key, fold
from chiso.orgs.models import Unit, UnitKind

Row = TypeVar("Row")
PER_PAGE = 50

KIND_GROUPS: dict[str, tuple[Promise, tuple[str, ...]]] = {
    "so": (_("Sở, ban, ngành"), (UnitKind.DEPARTMENT, UnitKind.OFFICE, UnitKind.PROVINCE_COMMITTEE)),
    "xa": (_("Xã, phường"), (UnitKind.COMMUNE, UnitKind.WARD, UnitKind.DISTRICT, UnitKind.VILLAGE)),
    "khac": (_("Cơ quan, tổ chức khác"), (UnitKind.OUTSIDE,)),
}
WAITING_FIRST = "cho-toi"
BY_NAME = "ten"


def kind_group(unit: Unit) -> str:
    return next((key for key, (_label, kinds) in KIND_GROUPS.items() if unit.kind in kinds), "khac")


def unit_order(unit: Unit) -> tuple[str, str, str]:
    return collation_key(unit.name)


Number = Decimal | int | float | None
Sorts = dict[str, tuple[Promise, Callable[[Any], Any]]]


@dataclass(frozen=True)
class UnitList(Generic[Row]):
    """What one list means by its states and its columns. sorts: key → (label, sort key of a row), units with
    equal keys in Vietnamese order; the first is the list's default order. Build them with waiting_first,
    by_name and by_number."""

    states: Mapping[str, Promise]
    states_of: Callable[[Row], set[str]]
    unit_of: Callable[[Row], Unit]
    sorts: Sorts
    per_page: int | None = PER_PAGE  # None: one page, for lists short enough to read whole (a ranking)

    @property
    def default_sort(self) -> str:
        return next(iter(self.sorts))

    def order(self, sort: str) -> Callable[[Row], Any]:
        by_column = self.sorts[sort][1]
        return lambda row: (by_column(row), unit_order(self.unit_of(row)))


def waiting_first(urgency: Callable[[Any], Any]) -> Sorts:
    """urgency: lower is more waiting for the user (0 first)."""
    return {WAITING_FIRST: (_("Việc chờ tôi trước"), urgency)}


def by_name() -> Sorts:
    return {BY_NAME: (_("Tên đơn vị (A–Z)"), lambda row: 0)}


def by_number(key: str, label: Promise, value_of: Callable[[Any], Number], *, descending: bool = True) -> Sorts:
    """A number column, largest first unless told; rows without a value last."""
    def sort_key(row: Any) -> tuple[bool, Number]:
        value = value_of(row)
        if value is None:
            return True, 0
        return False, -value if descending else value
    return {key: (label, sort_key)}


@dataclass
class UnitFilter:
    state: str = ""
    kind: str = ""
    q: str = ""
    sort: str = WAITING_FIRST
    grouped: bool = False
    page: str = "1"
    kept: tuple[tuple[str, str], ...] = ()  # the page's own parameters (a year, a block) the filter carries along

    def query_without_page(self) -> str:
        params = {"trang-thai": self.state, "loai": self.kind, "q": self.q, "sap-xep": self.sort,
                  "nhom": "1" if self.grouped else ""}
        return urlencode([*self.kept, *((k, v) for k, v in params.items() if v)])


def read_filter(params: Mapping[str, str], spec: UnitList[Any], keep: Sequence[str] = ()) -> UnitFilter:
    """Unknown values are ignored rather than refused: a filter link typed by hand still shows the list."""
    state = params.get("trang-thai", "")
    kind = params.get("loai", "")
    sort = params.get("sap-xep", spec.default_sort)
    kept = tuple((name, params.get(name, "")[:20]) for name in keep if params.get(name))
    return UnitFilter(state=state if state in spec.states else "", kind=kind if kind in KIND_GROUPS else "",
                      q=params.get("q", "")[:100].strip(), sort=sort if sort in spec.sorts else spec.default_sort,
                      grouped=params.get("nhom") == "1", page=params.get("trang", "1")[:6], kept=kept)


def filter_rows(rows: Sequence[Row], chosen: UnitFilter, spec: UnitList[Row]) -> list[Row]:
    """The rows the filter keeps, in its order."""
    needle = fold(chosen.q)
    unit_of = spec.unit_of
    kept = [row for row in rows
            if (not chosen.state or chosen.state in spec.states_of(row))
            and (not chosen.kind or kind_group(unit_of(row)) == chosen.kind)
            and (not needle or needle in fold(unit_of(row).name) or needle in fold(unit_of(row).short_name or ""))]
    kept.sort(key=spec.order(chosen.sort))
    if chosen.grouped:
        order = list(KIND_GROUPS)
        kept.sort(key=lambda row: order.index(kind_group(unit_of(row))))  # stable: keeps the order inside
    return kept


def page_of(rows: list[Row], chosen: UnitFilter, per_page: int | None = PER_PAGE) -> Page:
    return Paginator(rows, per_page or max(len(rows), 1)).get_page(chosen.page)


def counts_by_state(rows: Sequence[Row], spec: UnitList[Row]) -> dict[str, int]:
    return {state: sum(1 for row in rows if state in spec.states_of(row)) for state in spec.states}


def unit_list(rows: Sequence[Row], params: Mapping[str, str], spec: UnitList[Row], *,
              keep: Sequence[str] = ()) -> dict[str, Any]:
    """The context core/_unit_filters.html, core/_pager.html and the list's table read: `shown` holds
    (kind group label, row) pairs of the page, `kept` every row the filter keeps (for a chart)."""
    chosen = read_filter(params, spec, keep)
    kept = filter_rows(rows, chosen, spec)
    page = page_of(kept, chosen, spec.per_page)
    labels = {key: label for key, (label, _kinds) in KIND_GROUPS.items()}
    counts = counts_by_state(rows, spec)
    return {
        "filter": chosen, "page": page, "matching": len(kept), "kept": kept,
        "shown": [(labels[kind_group(spec.unit_of(row))], row) for row in page.object_list],
        "states": [(key, label, counts[key]) for key, label in spec.states.items()],
        "kinds": [(key, label) for key, (label, _kinds) in KIND_GROUPS.items()],
        "sorts": [(key, label) for key, (label, _key) in spec.sorts.items()],
    }
