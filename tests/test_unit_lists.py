"""Every list of units filters by state and kind, searches without diacritics, sorts by name in Vietnamese order
(Đ after D) or by a number column, puts what waits first, groups by kind; one shared component
(chiso.orgs.unit_lists + core/_unit_filters.html) behind the period review, the cascade of unit plans, the plan
dashboard's units and the emulation ranking. The filters change no one's access and add no query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse, QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from chiso.core.text import collation_key
from chiso.orgs import unit_lists
from chiso.orgs.models import Unit, UnitKind
from tests.accounts_helpers import logged_in, make_other_province_coordinator
from tests.conftest import client_for
from tests.test_queries import _add_tasks

COMMUNE_KINDS = set(unit_lists.KIND_GROUPS["xa"][1])


@dataclass
class _Row:
    unit: Unit
    count: int | None


def _spec() -> unit_lists.UnitList[_Row]:
    return unit_lists.UnitList(
        states={"co-so": _("Có số")}, states_of=lambda row: {"co-so"} if row.count is not None else set(),
        unit_of=lambda row: row.unit,
        sorts={**unit_lists.waiting_first(lambda row: -(row.count or 0)), **unit_lists.by_name(),
               **unit_lists.by_number("so", _("Số"), lambda row: row.count)})


def _rows() -> list[_Row]:
    units = [("Xã Giáp Trung", UnitKind.COMMUNE, 3), ("Xã Đồng Tâm", UnitKind.COMMUNE, None),
             ("Sở Y tế", UnitKind.DEPARTMENT, 7), ("Xã Du Già", UnitKind.COMMUNE, 3),
             ("Phường Hà Giang 1", UnitKind.WARD, 1), ("Công an tỉnh", UnitKind.OUTSIDE, 5)]
    return [_Row(Unit(name=name, kind=kind), count) for name, kind, count in units]


def _names(context: dict[str, Any]) -> list[str]:
    return [unit.name for unit in _units(context)]


def _units(context: Any) -> list[Unit]:
    return [row.unit if hasattr(row, "unit") else row.key for _group, row in context["shown"]]


def test_the_shared_list_filters_searches_and_orders_as_vietnamese_reads():
    rows = _rows()
    listed = unit_lists.unit_list(rows, QueryDict("sap-xep=ten"), _spec())
    assert _names(listed) == ["Công an tỉnh", "Phường Hà Giang 1", "Sở Y tế", "Xã Du Già", "Xã Đồng Tâm",
                              "Xã Giáp Trung"]  # Đ after every D, before G
    assert _names(unit_lists.unit_list(rows, QueryDict("q=ha+giang"), _spec())) == ["Phường Hà Giang 1"]
    assert _names(unit_lists.unit_list(rows, QueryDict("q=DONG+TAM"), _spec())) == ["Xã Đồng Tâm"]
    communes = unit_lists.unit_list(rows, QueryDict("loai=xa&sap-xep=ten"), _spec())
    assert _names(communes) == ["Phường Hà Giang 1", "Xã Du Già", "Xã Đồng Tâm", "Xã Giáp Trung"]
    assert communes["matching"] == 4 and communes["states"] == [("co-so", _("Có số"), 5)]
    # A number column: largest first, equal values by name, rows without a value last.
    assert _names(unit_lists.unit_list(rows, QueryDict("sap-xep=so"), _spec())) == [
        "Sở Y tế", "Công an tỉnh", "Xã Du Già", "Xã Giáp Trung", "Phường Hà Giang 1", "Xã Đồng Tâm"]
    # The default order is the first: what waits first (here the largest count).
    assert _names(unit_lists.unit_list(rows, QueryDict(""), _spec()))[0] == "Sở Y tế"
    grouped = unit_lists.unit_list(rows, QueryDict("nhom=1&sap-xep=ten&trang-thai=co-so"), _spec())
    assert [(str(group), unit.name) for group, unit in ((g, r.unit) for g, r in grouped["shown"])] == [
        ("Sở, ban, ngành", "Sở Y tế"), ("Xã, phường", "Phường Hà Giang 1"), ("Xã, phường", "Xã Du Già"),
        ("Xã, phường", "Xã Giáp Trung"), ("Cơ quan, tổ chức khác", "Công an tỉnh")]


def test_the_shared_list_ignores_unknown_values_and_carries_the_pages_own_parameters():
    listed = unit_lists.unit_list(_rows(), QueryDict("loai=<x>&sap-xep=nope&trang-thai=zz&trang=abc&nam=2025"),
                                  _spec(), keep=["nam", "khoi"])
    chosen = listed["filter"]
    assert (chosen.kind, chosen.sort, chosen.state, listed["matching"]) == ("", "cho-toi", "", 6)
    assert chosen.query_without_page() == "nam=2025&sap-xep=cho-toi"


def _table(html: str, marker: str) -> str:
    return html.split(marker, 1)[1].split("</table>", 1)[0]


def _assert_rendered_in_order(table: str, names: list[str]) -> None:
    positions = [table.index(escape(name)) for name in names]
    assert positions == sorted(positions), names


def _get(url: str, role: str = "coordinator") -> HttpResponse:
    response = client_for(role).get(url)
    assert response.status_code == 200, url
    return response


LISTS = {
    # name: (url of the list, the marker its table starts with)
    "dashboard": ("/theo-doi/ke-hoach/{plan}/", 'class="list stack dashboard-units"'),
    "ranking": ("/theo-doi/thi-dua/", 'class="list stack emulation-table"'),
    "cascade": ("/ke-hoach/{plan}/", 'class="list stack cascade-list"'),
    "review": ("/theo-doi/ky-bao-cao/{period}/", 'class="list report-status stack"'),
}


def _url(demo_plan: Any, name: str, query: str = "") -> str:
    from tests.monitoring_helpers import quarter_three

    period = quarter_three(demo_plan).pk if "{period}" in LISTS[name][0] else 0
    return LISTS[name][0].format(plan=demo_plan.pk, period=period) + (f"?{query}" if query else "")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(LISTS))
def test_each_list_filters_by_kind_in_vietnamese_order_with_d_before_dj(demo_plan, name):
    response = _get(_url(demo_plan, name, "loai=xa&sap-xep=ten"))
    assert response.context["matching"] > 100  # the province's 124 communes and wards, a page at a time
    units = []
    for number in range(1, response.context["page"].paginator.num_pages + 1):
        units += _units(_get(_url(demo_plan, name, f"loai=xa&sap-xep=ten&trang={number}")).context)
    assert len(units) == response.context["matching"] and {unit.kind for unit in units} <= COMMUNE_KINDS
    names = [unit.name for unit in units]
    assert names == sorted(names, key=collation_key) and names[-1] == "Xã Yên Thành"
    assert names.index("Xã Du Già") < names.index("Xã Đồng Tâm") < names.index("Xã Giáp Trung")
    table = _table(response.content.decode(), LISTS[name][1])
    assert "Sở Nội vụ" not in table
    _assert_rendered_in_order(table, ["Phường Hà Giang 1", "Xã Du Già", "Xã Đồng Tâm", "Xã Đồng Văn",
                                      "Xã Giáp Trung"])


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(LISTS))
def test_each_list_finds_a_unit_typed_without_diacritics(demo_plan, name):
    response = _get(_url(demo_plan, name, "q=ha+giang"))
    assert _names(response.context) == ["Phường Hà Giang 1", "Phường Hà Giang 2"]
    page = response.content.decode()
    assert "2 đơn vị phù hợp" in page and 'value="ha giang"' in page
    assert "Xã Du Già" not in _table(page, LISTS[name][1])


@pytest.mark.django_db
def test_dashboard_units_put_the_most_overdue_first_and_sort_by_each_column(demo_plan):
    rows = [row for _group, row in _get(_url(demo_plan, "dashboard")).context["shown"]]
    assert rows[0].overdue == max(row.overdue for row in rows) > 0  # the unit to chase first
    assert [row.overdue for row in rows] == sorted((row.overdue for row in rows), reverse=True)
    by_assigned = [row for _g, row in _get(_url(demo_plan, "dashboard", "sap-xep=luot-giao")).context["shown"]]
    assert [row.assigned for row in by_assigned] == sorted((row.assigned for row in by_assigned), reverse=True)
    least_done = [row for _g, row in _get(_url(demo_plan, "dashboard", "sap-xep=hoan-thanh")).context["shown"]]
    assert [row.done_percent for row in least_done] == sorted(row.done_percent for row in least_done)
    late = _get(_url(demo_plan, "dashboard", "trang-thai=qua-han&loai=so"))
    assert all(row.overdue for _g, row in late.context["shown"]) and late.context["matching"] >= 1
    # The chart shows the units the table keeps, in its order.
    assert late.context["unit_chart"]["data"]["labels"] == _names(late.context)
    # Opening a unit's overdue tasks keeps the list as it was filtered.
    first = late.context["shown"][0][1].key
    assert f"?trang-thai=qua-han&amp;loai=so&amp;sap-xep=cho-toi&amp;don-vi={first.pk}#overdue" in \
        late.content.decode()


@pytest.mark.django_db
def test_ranking_keeps_rank_order_by_default_and_its_year_and_block_through_the_filter(demo_plan):
    response = _get(_url(demo_plan, "ranking", "khoi=xa-phuong&q=minh"))
    ranks = [row.rank for _g, row in response.context["shown"]]
    assert [r for r in ranks if r is not None] == sorted(r for r in ranks if r is not None)
    first_unranked = next((i for i, rank in enumerate(ranks) if rank is None), len(ranks))
    assert all(rank is None for rank in ranks[first_unranked:])  # the units not ranked come last
    page = response.content.decode()
    assert '<input type="hidden" name="khoi" value="xa-phuong">' in page
    assert {unit.kind for unit in _units(response.context)} <= COMMUNE_KINDS
    assert all("minh" in unit.name.lower() for unit in _units(response.context))
    # The chart shows the ranked units the filter keeps.
    whole_chart = _get(_url(demo_plan, "ranking")).context["chart"]
    assert "Sở Khoa học và Công nghệ" in whole_chart["data"]["labels"]
    communes_chart = _get(_url(demo_plan, "ranking", "loai=xa")).context["chart"]
    assert communes_chart is None or "Sở Khoa học và Công nghệ" not in communes_chart["data"]["labels"]
    missing = _get(_url(demo_plan, "ranking", "sap-xep=chua-gui"))
    counts = [row.reports_missing for _g, row in missing.context["shown"]]
    assert counts == sorted(counts, reverse=True)


@pytest.mark.django_db
def test_cascade_sorts_by_tasks_given_and_review_list_by_times_sent(demo_plan):
    cascade = [row for _g, row in _get(_url(demo_plan, "cascade", "sap-xep=nhiem-vu")).context["shown"]]
    assert [row.task_count for row in cascade] == sorted((row.task_count for row in cascade), reverse=True)
    assert _get(_url(demo_plan, "review", "sap-xep=so-lan-gui")).context["filter"].sort == "so-lan-gui"


ACCESS = {
    # Who sees each list, with or without a filter: unchanged by it.
    "dashboard": {"admin": 200, "coordinator": 200, "viewer": 200, "focal_point": 403, "leader": 403,
                  "other_commune": 403, "anonymous": 302, "other_province": 404},
    # The ranking is open to the whole province; another province's coordinator sees their own (empty here).
    "ranking": {"admin": 200, "coordinator": 200, "viewer": 200, "focal_point": 200, "leader": 200,
                "other_commune": 200, "anonymous": 302, "other_province": 200},
    "cascade": {"admin": 200, "coordinator": 200, "viewer": 200, "focal_point": 200, "leader": 200,
                "other_commune": 200, "anonymous": 302, "other_province": 404},
}
SHOWS_THE_LIST = {"dashboard": {"admin", "coordinator", "viewer"},
                  "ranking": {"admin", "coordinator", "viewer", "focal_point", "leader", "other_commune"},
                  "cascade": {"admin", "coordinator", "viewer"}}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ACCESS))
def test_filtering_a_list_changes_no_ones_access(demo_plan, name):
    failures = []
    for role, expected in ACCESS[name].items():
        client = logged_in(make_other_province_coordinator()) if role == "other_province" else client_for(role)
        for query in ("", "loai=xa&q=ha+giang&sap-xep=ten&nhom=1"):
            response = client.get(_url(demo_plan, name, query))
            page = response.content.decode()
            if response.status_code != expected:
                failures.append(f"{role} {query}: {response.status_code}")
            elif expected == 200 and (LISTS[name][1] in page) != (role in SHOWS_THE_LIST[name]):
                failures.append(f"{role} {query}: list shown or hidden wrongly")
            elif LISTS[name][1] in page and query and "Phường Hà Giang 1" not in _table(page, LISTS[name][1]):
                failures.append(f"{role} {query}: the filtered list misses its unit")
    assert not failures, failures


BOUNDS = {"dashboard": 14, "ranking": 14, "cascade": 25}  # as in test_monitoring_dashboard, _boards, test_queries


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(BOUNDS))
def test_filtered_lists_make_no_more_queries_than_the_whole_list_on_a_larger_plan(demo_plan, name,
                                                                                 django_assert_max_num_queries):
    """Filtering, searching, sorting and grouping are done on rows the page fetches anyway."""
    client = client_for("coordinator")
    client.get(_url(demo_plan, name))  # the session warmed
    caches["default"].clear()  # the bound is the whole list computed afresh, as after any change
    with CaptureQueriesContext(connection) as whole:
        assert client.get(_url(demo_plan, name)).status_code == 200
    bound = len(whole.captured_queries)
    assert bound <= BOUNDS[name]
    queries = ["loai=xa&q=ha+giang&sap-xep=ten&nhom=1", "trang-thai=qua-han&sap-xep=luot-giao&trang=2"]
    for query in queries:
        with django_assert_max_num_queries(bound, info=query):
            assert client.get(_url(demo_plan, name, query)).status_code == 200
    _add_tasks(demo_plan, 60)
    for query in ["", *queries]:
        with django_assert_max_num_queries(bound, info=query):
            assert client.get(_url(demo_plan, name, query)).status_code == 200
