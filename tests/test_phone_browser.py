"""Lists of units on a phone and on an office screen, in a real browser (Playwright + Debian's chromium).

At 390×844 the tables that cannot fit become stacked cards (`table.stack`, each cell labelled with its column
through `data-label`): nothing scrolls sideways, neither the page nor a table inside its card, for the coordinator
on the period review, the plan dashboard's units, the emulation ranking, the cascade of unit plans, the recent
plans of the home page and the plan's reporting periods, for the focal point on their unit's tasks, dashboard and
ranking, for the province's leadership on an index's page and the national results. axe-core finds no serious or
critical violation there. At 1366 px the shared filters of a list of units filter by state and by kind, find a unit
typed without diacritics and sort in Vietnamese order (`core.text.collation_key`)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from chiso.core.text import collation_key
from chiso.orgs import unit_lists
from chiso.orgs.models import Unit
from chiso.plans.models import Plan, PlanStatus
from tests.browser_checks import AXE, axe_serious_violations
from tests.conftest import login  # the session's Chromium is conftest's `browser` fixture

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
OFFICE = {"width": 1366, "height": 900}
UNIT = "Đơn vị"  # the column every list of units starts with


@pytest.fixture
def plan(browser) -> Plan:  # type: ignore[no-untyped-def]
    """The demo's issued plan with its reporting periods (the review list needs one)."""
    from tests.monitoring_helpers import quarter_three

    issued = Plan.objects.get(province__code="tuyen-quang", parent__isnull=True, status=PlanStatus.ISSUED)
    quarter_three(issued)
    return issued


def _page(browser: Any, live_server: Any, username: str, viewport: dict[str, int]) -> Any:
    page = browser.new_context(locale="vi-VN", viewport=viewport).new_page()
    login(page, live_server, username)
    return page


def _urls(plan: Plan) -> dict[str, str]:
    period = plan.reporting_periods.get(label="Quý III/2025")
    return {"review": f"/theo-doi/ky-bao-cao/{period.pk}/", "dashboard": f"/theo-doi/ke-hoach/{plan.pk}/",
            "ranking": "/theo-doi/thi-dua/", "cascade": f"/ke-hoach/{plan.pk}/"}


def _fits_the_phone(page: Any) -> None:
    """Neither the page nor any table inside main is wider than what it is shown in; no element of main reaches
    past the screen's right edge (the page hides sideways overflow, which would otherwise only cut it off)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url}: the page is {width} px wide"
    too_wide = page.evaluate("""() => [...document.querySelectorAll('main table')]
        .filter(t => t.offsetParent !== null && t.scrollWidth > t.clientWidth)
        .map(t => `table.${[...t.classList].join('.')}: ${t.scrollWidth} > ${t.clientWidth}`)""")
    assert not too_wide, f"{page.url}: {too_wide}"
    past_the_edge = page.evaluate("""(screen) => [...document.querySelectorAll('main *')]
        .filter(e => !e.closest('thead, .visually-hidden') && e.getClientRects().length)
        .filter(e => e.getBoundingClientRect().right > screen + 1)
        .slice(0, 5).map(e => `${e.tagName.toLowerCase()}.${e.className}: ${e.getBoundingClientRect().right}`)""",
                                  PHONE["width"])
    assert not past_the_edge, f"{page.url}: {past_the_edge}"


def _rows_are_cards(page: Any, table: str, label: str) -> None:
    """The table's header is out of sight, its first row is a block (a card) and one of the row's cells shows
    `label`, a column header of the same table, above or beside its value."""
    header = page.locator(f"{table} thead").first
    expect(header.locator("th", has_text=label).first).to_be_attached()
    assert header.evaluate("h => h.getBoundingClientRect().height") <= 1  # left to screen readers only
    row = page.locator(f"{table} tbody tr:not(.group-row)").first
    expect(row).to_be_visible()
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    cell = row.locator(f"td[data-label='{label}']")
    expect(cell).to_be_visible()
    shown = cell.evaluate("c => getComputedStyle(c, '::before').content")
    assert shown == f'"{label}"', shown
    card, cell_box = row.bounding_box(), cell.bounding_box()
    assert card and cell_box and card["x"] <= cell_box["x"] and cell_box["x"] + cell_box["width"] <= card["x"] + \
        card["width"] + 1


@pytest.mark.django_db(transaction=True)
def test_coordinator_reads_every_list_of_units_as_cards_on_a_phone(browser, live_server, plan):
    urls = _urls(plan)
    page = _page(browser, live_server, "dieuphoi", PHONE)
    for name, table in [("review", "table.report-status"), ("dashboard", "table.dashboard-units"),
                        ("ranking", "table.emulation-table"), ("cascade", "table.cascade-list")]:
        page.goto(f"{live_server.url}{urls[name]}")
        _rows_are_cards(page, table, UNIT)
        _fits_the_phone(page)
    for url, table, label in [("/", "table.plan-rows", "Trích yếu"),  # the home page's recent plans
                              (f"/theo-doi/ke-hoach/{plan.pk}/ky-bao-cao/", "main table", "Kỳ báo cáo")]:
        page.goto(f"{live_server.url}{url}")
        _rows_are_cards(page, table, label)
        _fits_the_phone(page)
    # Grouped by kind, the group's name heads its cards and still nothing scrolls sideways.
    page.goto(f"{live_server.url}{urls['ranking']}?nhom=1&sap-xep=ten")
    expect(page.locator("table.emulation-table tr.group-row").first).to_be_visible()
    _rows_are_cards(page, "table.emulation-table", "Điểm")
    _fits_the_phone(page)


@pytest.mark.django_db(transaction=True)
def test_focal_point_and_province_leadership_read_their_lists_as_cards_on_a_phone(browser, live_server, plan):
    focal = _page(browser, live_server, "daumoi.minhxuan", PHONE)
    for url, table, label in [("/ke-hoach/nhiem-vu-cua-don-vi/", "table.my-tasks", "Nhiệm vụ"),
                              ("/theo-doi/don-vi/", "#assignments table", "Kế hoạch"),
                              ("/theo-doi/don-vi/", "#overdue table", "Hạn"),
                              ("/theo-doi/thi-dua/", "table.emulation-table", UNIT)]:
        focal.goto(f"{live_server.url}{url}")
        _rows_are_cards(focal, table, label)
        _fits_the_phone(focal)
    leadership = _page(browser, live_server, "lanhdaotinh", PHONE)
    for url, table, label in [("/theo-doi/chi-so/PAR_INDEX/", "#by-node table", "Nội dung"),
                              ("/ket-qua/", "table.results-table", "Tỉnh, thành phố")]:  # the national ranking
        leadership.goto(f"{live_server.url}{url}")
        _rows_are_cards(leadership, table, label)
        _fits_the_phone(leadership)


def _names(page: Any, table: str) -> list[str]:
    return [name.strip() for name in page.locator(f"{table} td[data-label='{UNIT}'] a:first-child, "
                                                   f"{table} td[data-label='{UNIT}']:not(:has(a))").all_inner_texts()]


def _filter(page: Any, **choices: str) -> None:
    """Chooses in the list's filter form (select id → value, or q → text) and sends it, as a person does."""
    for field, value in choices.items():
        if field == "q":
            page.fill("#f-q", value)
        else:
            page.select_option(f"#f-{field}", value)
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")


@pytest.mark.django_db(transaction=True)
def test_review_list_filters_by_state_and_kind_finds_without_diacritics_and_sorts_in_vietnamese(
        browser, live_server, plan):
    page = _page(browser, live_server, "dieuphoi", OFFICE)
    page.goto(f"{live_server.url}{_urls(plan)['review']}")
    rows = page.locator("table.report-status tbody tr")
    communes = set(Unit.objects.filter(province__code="tuyen-quang", kind__in=unit_lists.KIND_GROUPS["xa"][1])
                   .values_list("name", flat=True))

    _filter(page, state="tre-han")
    late = int(page.locator("#f-state option[value='tre-han']").inner_text().rsplit("(", 1)[1].rstrip(")"))
    assert late > 0
    expect(rows).to_have_count(min(late, unit_lists.PER_PAGE))
    expect(rows.locator(".badge-late")).to_have_count(min(late, unit_lists.PER_PAGE))

    _filter(page, state="", kind="xa", sort="ten")
    expect(page.locator("form.filters + p")).to_have_text(f"{len(communes)} đơn vị phù hợp")
    names = []
    while True:
        expect(rows).to_have_count(min(unit_lists.PER_PAGE, len(communes) - len(names)))
        names += _names(page, "table.report-status")
        following = page.locator(".pager a:has-text('Trang sau')")
        if not following.count():
            break
        with page.expect_navigation():
            following.click()
    assert set(names) == communes and len(names) == len(communes)
    assert names == sorted(names, key=collation_key)
    assert names.index("Xã Bạch Ngọc") < names.index("Xã Bình An")
    assert names.index("Xã Cán Tỷ") < names.index("Xã Chiêm Hóa")

    _filter(page, kind="", q="minh xuan")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Phường Minh Xuân")


@pytest.mark.django_db(transaction=True)
def test_dashboard_and_ranking_sort_by_name_in_vietnamese_order_and_filter_by_kind(browser, live_server, plan):
    page = _page(browser, live_server, "dieuphoi", OFFICE)
    urls = _urls(plan)
    for name, table in [("dashboard", "table.dashboard-units"), ("ranking", "table.emulation-table")]:
        page.goto(f"{live_server.url}{urls[name]}")
        _filter(page, kind="so", sort="ten")
        departments = page.locator(f"{table} tbody tr")
        expect(departments.first).to_be_visible()
        names = _names(page, table)
        assert names and not [n for n in names if n.startswith(("Xã ", "Phường "))], names
        assert names == sorted(names, key=collation_key)
        _filter(page, kind="xa")
        expect(page.locator(f"{table} tbody tr").first).to_be_visible()
        communes = _names(page, table)
        assert communes == sorted(communes, key=collation_key)
        assert communes.index("Xã Bạch Ngọc") < communes.index("Xã Bình An"), name


PHONE_PAGES = {
    "dieuphoi": ["review", "dashboard", "ranking"],
    "daumoi.minhxuan": ["/ke-hoach/nhiem-vu-cua-don-vi/", "/theo-doi/don-vi/", "ranking"],
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not AXE.exists(), reason="axe-core is installed by npm (package.json devDependencies)")
def test_axe_finds_no_serious_or_critical_violation_on_the_lists_at_phone_width(browser, live_server, plan):
    urls = _urls(plan)
    found = {}
    for username, pages in PHONE_PAGES.items():
        page = _page(browser, live_server, username, PHONE)
        for name in pages:
            page.goto(f"{live_server.url}{urls.get(name, name)}")
            violations = axe_serious_violations(page)
            if violations:
                found[f"{username} {name}"] = violations
    assert not found, found
