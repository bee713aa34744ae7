"""The public page of a plan in a real browser, as a citizen opens it on a phone (390 px) and on a desktop
(1366 px): no horizontal scrolling, the charts drawn, and axe-core finding no serious or critical violation of
WCAG 2.1 A/AA."""

from __future__ import annotations

import pytest

from chiso.plans.models import Plan, PlanStatus
from tests.browser_checks import axe_serious_violations

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [390, 1366])
def test_the_public_page_reads_well_at_phone_and_desktop_width_with_no_serious_axe_violation(
        browser, live_server, width):
    plan = Plan.objects.get(province__code="tuyen-quang", parent__isnull=True, status=PlanStatus.ISSUED)
    plan.is_public = True
    plan.save()
    errors: list[str] = []
    page = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900}).new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/cong-khai/ke-hoach/{plan.pk}/")
    assert plan.title[:40] in page.locator(".masthead").inner_text()
    assert page.locator("article.task").count() == plan.tasks.count()
    page.locator("canvas[data-chart][data-drawn='1']").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("img.qr").evaluate("img => img.complete && img.naturalWidth > 0")
    serious = axe_serious_violations(page, WCAG_21_AA)
    assert not serious, serious
    assert not errors, errors
    plan.is_public = False
    plan.save()
