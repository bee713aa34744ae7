"""The public page of a plan in a real browser, as a citizen opens it on a phone (390 px) and on a desktop
(1366 px): no horizontal scrolling, the charts drawn, a file the province marked public listed and downloadable,
and axe-core finding no serious or critical violation of WCAG 2.1 A/AA."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chiso.monitoring.reports.evidence import check_evidence
from chiso.monitoring.reports.services import accept_report, add_evidence, mark_evidence_public, submit_report
from chiso.plans.models import Plan, PlanStatus
from tests.api_helpers import reports
from tests.browser_checks import axe_serious_violations
from tests.monitoring_helpers import pdf_bytes, user

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [390, 1366])
def test_the_public_page_reads_well_at_phone_and_desktop_width_with_no_serious_axe_violation(
        browser, live_server, width, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = Plan.objects.get(province__code="tuyen-quang", parent__isnull=True, status=PlanStatus.ISSUED)
    plan.is_public = True
    plan.save()
    _period, report, _other = reports(plan)
    name = "quyet-dinh-kien-toan-ban-chi-dao-cai-cach-hanh-chinh-nam-2025.pdf"
    evidence = add_evidence(report.lines.order_by("id").first(), check_evidence(
        SimpleUploadedFile(name, pdf_bytes()), name), user("focal_point"))
    mark_evidence_public(evidence, True)
    submit_report(report, user("leader"))
    accept_report(report, user("coordinator"), notify=False)
    errors: list[str] = []
    page = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900}).new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/cong-khai/ke-hoach/{plan.pk}/")
    assert plan.title[:40] in page.locator(".masthead").inner_text()
    assert page.locator("article.task").count() == plan.tasks.count()
    page.locator("canvas[data-chart][data-drawn='1']").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert page.locator("img.qr").evaluate("img => img.complete && img.naturalWidth > 0")
    link = page.locator("ul.files a")
    assert link.inner_text() == name
    download = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert download.status == 200 and download.body().startswith(b"%PDF")
    serious = axe_serious_violations(page, WCAG_21_AA)
    assert not serious, serious
    assert not errors, errors
    plan.is_public = False
    plan.save()
