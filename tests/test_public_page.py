"""The public page of a plan: nothing until the coordinator opts in, then the header, targets and each task's
progress from accepted reports only — no person's name, e-mail or phone, no evidence but what the province
marked public (tests/test_public_evidence.py), nothing a unit wrote — and refreshed as soon as a report is
accepted; its QR code; and the open data of results, without login."""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chiso.accounts.models import User
from chiso.monitoring.models import ReportLine
from chiso.monitoring.reports.evidence import check_evidence
from chiso.monitoring.reports.services import (
    LineData,
    accept_report,
    add_evidence,
    mark_evidence_public,
    save_line,
    submit_report,
)
from chiso.plans.models import Plan, PlanStatus
from tests.api_helpers import reports
from tests.conftest import ROLES, USERNAMES, client_for
from tests.monitoring_helpers import pdf_bytes
from tests.public_helpers import fresh_cache_and_media, publish, task_block  # noqa: F401 (an autouse fixture)


def _url(plan: Plan) -> str:
    return f"/cong-khai/ke-hoach/{plan.pk}/"


@pytest.mark.django_db
def test_a_plan_not_opted_in_or_not_issued_is_not_found(demo_plan):
    anonymous = Client()
    assert anonymous.get(_url(demo_plan)).status_code == 404
    assert anonymous.get(f"/cong-khai/ke-hoach/{demo_plan.pk}/qr.svg").status_code == 404
    Plan.objects.filter(pk=demo_plan.pk).update(is_public=True, status=PlanStatus.DRAFT)
    assert anonymous.get(_url(demo_plan)).status_code == 404
    assert anonymous.get("/cong-khai/ke-hoach/999999/").status_code == 404


def _single_unit_line(report) -> ReportLine:  # type: ignore[no-untyped-def]
    """A line of Minh Xuân's report whose task is left to Minh Xuân alone, so its progress is Minh Xuân's."""
    line = report.lines.select_related("assignment__task").order_by("id").first()
    line.assignment.task.assignments.exclude(pk=line.assignment_id).delete()
    return line


@pytest.mark.django_db
def test_progress_comes_from_accepted_reports_only_and_shows_as_soon_as_one_is_accepted(demo_plan):
    publish(demo_plan)
    _period, report, _other = reports(demo_plan)
    line = _single_unit_line(report)
    save_line(line, LineData(status="in_progress", progress=37, work_done="Bí mật nội bộ: đang soạn dự thảo"),
              expected_version=line.lock_version)
    evidence = add_evidence(line, check_evidence(SimpleUploadedFile("ten-rieng-minh-chung.pdf", pdf_bytes()),
                                                 "ten-rieng-minh-chung.pdf"), User.objects.get(username="daumoi.minhxuan"))
    anonymous = Client()
    draft_html = anonymous.get(_url(demo_plan)).content.decode()
    assert 'value="37"' not in task_block(draft_html, line.assignment.task_id)
    submit_report(report, User.objects.get(username=USERNAMES["leader"]))
    waiting = anonymous.get(_url(demo_plan)).content.decode()
    assert 'value="37"' not in task_block(waiting, line.assignment.task_id)
    accept_report(report, User.objects.get(username=USERNAMES["coordinator"]), notify=False)
    accepted = anonymous.get(_url(demo_plan)).content.decode()
    block = task_block(accepted, line.assignment.task_id)
    assert 'value="37"' in block and "Chưa có báo cáo được chấp nhận" not in block
    assert "Bí mật nội bộ" not in accepted and evidence.original_name not in accepted


@pytest.mark.django_db
def test_the_page_shows_no_name_email_or_phone_of_any_user(demo_plan):
    publish(demo_plan)
    _period, report, _other = reports(demo_plan)
    # A file marked public is listed, with its name and size only: never who uploaded it.
    mark_evidence_public(_evidence(report.lines.order_by("id").first(), "quyet-dinh-kien-toan.pdf"), True)
    submit_report(report, User.objects.get(username=USERNAMES["leader"]))
    accept_report(report, User.objects.get(username=USERNAMES["coordinator"]), "Tốt", notify=False)
    User.objects.filter(username=USERNAMES["focal_point"]).update(phone="0912 345 678")
    cache.clear()
    html = Client().get(_url(demo_plan)).content.decode()
    assert demo_plan.title in html and "quyet-dinh-kien-toan.pdf" in html
    personal = set()
    for user in User.objects.all():
        personal |= {user.get_full_name(), f"{user.first_name} {user.last_name}".strip(), user.email, user.phone,
                     user.username}
    leaked = sorted(value for value in personal if value and len(value) > 3 and value in html)
    assert not leaked, leaked


def _evidence(line: ReportLine, name: str):  # type: ignore[no-untyped-def]
    checked = check_evidence(SimpleUploadedFile(name, pdf_bytes(name)), name)
    return add_evidence(line, checked, User.objects.get(username=USERNAMES["focal_point"]))


def _queries_of_a_fresh_render(plan: Plan) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(_url(plan)).status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_public_files_on_many_tasks_cost_no_query_more(demo_plan):
    """All the plan's public files are read in one query, grouped by task: the count does not grow with them."""
    publish(demo_plan)
    without = _queries_of_a_fresh_render(demo_plan)
    _period, report, other = reports(demo_plan)
    for unit_report in (report, other):
        for number, line in enumerate(unit_report.lines.order_by("id")[:3]):
            for copy in range(2):
                mark_evidence_public(_evidence(line, f"minh-chung-{unit_report.pk}-{number}-{copy}.pdf"), True)
        submit_report(unit_report, User.objects.get(username=USERNAMES["leader"]))
        accept_report(unit_report, User.objects.get(username=USERNAMES["coordinator"]), notify=False)
    assert _queries_of_a_fresh_render(demo_plan) == without
    assert Client().get(_url(demo_plan)).content.decode().count('href="/cong-khai/minh-chung/') == 12


@pytest.mark.django_db
def test_the_page_has_no_inline_script_style_or_handler_and_is_cached_in_few_queries(
        demo_plan, django_assert_max_num_queries):
    publish(demo_plan)
    _period, report, _other = reports(demo_plan)
    mark_evidence_public(_evidence(report.lines.order_by("id").first(), "quyet-dinh.pdf"), True)
    submit_report(report, User.objects.get(username=USERNAMES["leader"]))
    accept_report(report, User.objects.get(username=USERNAMES["coordinator"]), notify=False)
    cache.clear()
    with django_assert_max_num_queries(25):
        html = Client().get(_url(demo_plan)).content.decode()
    assert "quyet-dinh.pdf" in html
    inline_scripts = [s for s in re.findall(r"<script([^>]*)>", html) if "src=" not in s
                      and 'type="application/json"' not in s]
    assert not inline_scripts and not re.search(r"\son\w+=", html) and " style=" not in html
    assert "javascript:" not in html
    with django_assert_max_num_queries(2):  # the plan (opted in?) and the cached page
        again = Client().get(_url(demo_plan))
    assert again.content.decode() == html and "public" in again["Cache-Control"]


@pytest.mark.django_db
def test_the_qr_code_is_an_svg_pointing_to_the_page(demo_plan):
    publish(demo_plan)
    response = Client().get(f"/cong-khai/ke-hoach/{demo_plan.pk}/qr.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<?xml") and b"<svg" in response.content


PUBLISHERS = {"admin": 302, "coordinator": 302, "focal_point": 403, "leader": 403, "viewer": 403, "anonymous": 302}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_the_coordinator_or_admin_opts_a_plan_in(demo_plan, role):
    response = client_for(role).post(f"/cong-khai/ke-hoach/{demo_plan.pk}/cong-khai/", {"public": "1"})
    assert response.status_code == PUBLISHERS[role]
    demo_plan.refresh_from_db()
    assert demo_plan.is_public == (role in ("admin", "coordinator"))


@pytest.mark.django_db
def test_open_data_downloads_without_login_with_sources_and_licence(demo_plan):
    anonymous = Client()
    csv_body = anonymous.get("/cong-khai/du-lieu-mo/ket-qua.csv").content.decode("utf-8-sig")
    header, *rows = csv_body.splitlines()
    assert header == "index,year,province_code,province,node_code,node_name,value,rank,rank_of,group,source"
    assert any(row.startswith("PAPI,2021,") and "Bắc Kạn" in row for row in rows)
    data = json.loads(anonymous.get("/cong-khai/du-lieu-mo/ket-qua.json").content)
    assert data["count"] == len(rows) and "nguồn" in data["licence"] and "SOURCES" not in data["licence"]
    assert "papi_dimension_scores_2018_2024.csv" in data["sources"]
    page = anonymous.get("/cong-khai/du-lieu-mo/")
    assert page.status_code == 200 and "ket-qua.csv" in page.content.decode()
    api = anonymous.get("/api/v1/open-data/results?index=PAPI&year=2021").json()
    assert api["count"] == sum(1 for row in rows if row.startswith("PAPI,2021,"))


@pytest.mark.django_db
def test_a_change_replaces_the_page_version_when_it_commits(demo_plan, django_capture_on_commit_callbacks):
    """A page rendered by another process while the change is still uncommitted shows the rows as they were;
    it must not be cached under the version that stands for the change."""
    from chiso.public.cache import _plan_key, page_key

    with django_capture_on_commit_callbacks(execute=True):
        publish(demo_plan)  # committed before the change
    before, shared = page_key(demo_plan.pk, "vi"), cache.get(_plan_key(demo_plan.pk))
    with django_capture_on_commit_callbacks(execute=True):
        demo_plan.title = demo_plan.title + " (sửa đổi)"
        demo_plan.save()
        assert page_key(demo_plan.pk, "vi") != before  # the changing request renders afresh
        assert cache.get(_plan_key(demo_plan.pk)) == shared  # the others, not yet
    assert cache.get(_plan_key(demo_plan.pk)) != shared
