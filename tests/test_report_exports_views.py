"""Downloading reports: the consolidated report of a period with the period review's rights, a unit's report
(as it stands or one version) with the report's rights — another unit gets 404 — each in a bounded number of
queries whatever the number of lines."""

from __future__ import annotations

import io

import pytest
from django.urls import resolve
from docx import Document
from openpyxl import load_workbook

from chiso.documents.exports import report_views
from chiso.documents.exports.views import DOCX, XLSX
from chiso.monitoring import permissions as perm
from chiso.monitoring.models import LineStatus
from chiso.monitoring.reports.services import LineData, accept_report, open_report, save_line, submit_report
from chiso.plans.models import Assignment
from chiso.plans.services import TaskData, save_task
from tests.conftest import client_for
from tests.monitoring_helpers import minhxuan_report, quarter_three, user
from tests.test_queries import _add_tasks

ROLES = ["admin", "coordinator", "focal_point", "leader", "viewer", "other_commune", "department_focal_point",
         "anonymous"]
FORMATS = {"docx": DOCX, "xlsx": XLSX}
# As the period review page (monitoring.permissions.can_review_period).
PERIOD = {role: 403 for role in ROLES} | {"admin": 200, "coordinator": 200, "viewer": 200, "anonymous": 302}
# As Minh Xuân's report page: its own unit and the province; other units learn nothing of it.
REPORT = dict.fromkeys(ROLES, 200) | {"other_commune": 404, "department_focal_point": 404, "anonymous": 302}


def _check_file(response, extension: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[extension]
    assert response["Content-Disposition"].startswith("attachment; filename=")
    content = io.BytesIO(response.content)
    if extension == "docx":
        assert Document(content).paragraphs
    else:
        assert load_workbook(content).sheetnames[0] == "Thông tin"


# The role matrices below stop before a document is built: a refusal is asked of the view itself (it refuses
# before building), a grant of the URL's view and the permission rule it applies; each document is built for
# real once per format in the tests that follow them.
def _leads_to(url: str, view: object, extension: str) -> None:
    assert resolve(url).func is view and extension in report_views.WRITERS


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_the_consolidated_report_is_downloaded_by_those_who_review_the_period(demo_plan, role, extension):
    period = quarter_three(demo_plan)
    url = f"/van-ban/ky-bao-cao/{period.pk}/{extension}/"
    if PERIOD[role] != 200:
        assert client_for(role).get(url).status_code == PERIOD[role]
        return
    _leads_to(url, report_views.period_report_download, extension)
    assert perm.can_review_period(user(role), perm.get_visible_period(user(role), period.pk))


@pytest.mark.django_db
@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_a_reviewer_downloads_the_consolidated_report(demo_plan, extension):
    period = quarter_three(demo_plan)
    _check_file(client_for("viewer").get(f"/van-ban/ky-bao-cao/{period.pk}/{extension}/"), extension)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_a_units_report_is_downloaded_by_whoever_sees_it(demo_plan, role, extension):
    report = minhxuan_report(demo_plan)
    url = f"/van-ban/bao-cao/{report.pk}/{extension}/"
    if REPORT[role] != 200:
        assert client_for(role).get(url).status_code == REPORT[role]
        return
    _leads_to(url, report_views.unit_report_download, extension)
    assert perm.get_visible_report(user(role), report.pk) == report


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_a_version_is_downloaded_by_whoever_sees_the_report(demo_plan, role, extension):
    report = minhxuan_report(demo_plan)
    submit_report(report, user("leader"))
    url = f"/van-ban/bao-cao/{report.pk}/lan-gui/1/{extension}/"
    if REPORT[role] != 200:
        assert client_for(role).get(url).status_code == REPORT[role]
        return
    _leads_to(url, report_views.unit_report_download, extension)
    assert perm.get_visible_report(user(role), report.pk).versions.filter(number=1).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_the_unit_and_the_province_download_the_report_and_its_version(demo_plan, extension):
    report = minhxuan_report(demo_plan)
    submit_report(report, user("leader"))
    _check_file(client_for("leader").get(f"/van-ban/bao-cao/{report.pk}/{extension}/"), extension)
    _check_file(client_for("admin").get(f"/van-ban/bao-cao/{report.pk}/lan-gui/1/{extension}/"), extension)


@pytest.mark.django_db
def test_an_unknown_version_or_format_is_not_found(demo_plan):
    report = minhxuan_report(demo_plan)
    client = client_for("coordinator")
    assert client.get(f"/van-ban/bao-cao/{report.pk}/lan-gui/1/docx/").status_code == 404
    assert client.get(f"/van-ban/bao-cao/{report.pk}/pdf/").status_code == 404
    assert client.get(f"/van-ban/ky-bao-cao/{report.period_id}/pdf/").status_code == 404


@pytest.mark.django_db
def test_file_names_are_ascii_and_name_the_period_and_unit(demo_plan):
    report = minhxuan_report(demo_plan)
    submit_report(report, user("leader"))
    client = client_for("coordinator")
    consolidated = client.get(f"/van-ban/ky-bao-cao/{report.period_id}/docx/")
    assert consolidated["Content-Disposition"] == (
        f'attachment; filename="bao-cao-tong-hop-quy-iii-2025-ke-hoach-{demo_plan.pk}.docx"')
    version = client.get(f"/van-ban/bao-cao/{report.pk}/lan-gui/1/xlsx/")
    assert version["Content-Disposition"] == 'attachment; filename="bao-cao-quy-iii-2025-ubnd-phuong-minh-xuan-lan-gui-1.xlsx"'


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "coordinator", "viewer"])
def test_the_period_review_page_offers_the_consolidated_downloads(demo_plan, role):
    period = quarter_three(demo_plan)
    page = client_for(role).get(f"/theo-doi/ky-bao-cao/{period.pk}/").content.decode()
    assert f'href="/van-ban/ky-bao-cao/{period.pk}/docx/"' in page
    assert f'href="/van-ban/ky-bao-cao/{period.pk}/xlsx/"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "focal_point", "leader", "viewer"])
def test_the_report_and_version_pages_offer_their_downloads(demo_plan, role):
    report = minhxuan_report(demo_plan)
    submit_report(report, user("leader"))
    client = client_for(role)
    page = client.get(f"/theo-doi/bao-cao/{report.pk}/").content.decode()
    assert f'href="/van-ban/bao-cao/{report.pk}/docx/"' in page and f'href="/van-ban/bao-cao/{report.pk}/xlsx/"' in page
    version = client.get(f"/theo-doi/bao-cao/{report.pk}/lan-gui/1/").content.decode()
    assert f'href="/van-ban/bao-cao/{report.pk}/lan-gui/1/docx/"' in version


def _report_everything(plan) -> None:  # type: ignore[no-untyped-def]
    """Minh Xuân reports every line done and it is accepted: more lines, more counted versions."""
    report = minhxuan_report(plan)
    for line in report.lines.all():
        save_line(line, LineData(status=LineStatus.DONE, progress=100, work_done="Đã thực hiện."),
                  expected_version=line.lock_version)
    submit_report(report, user("leader"))
    accept_report(report, user("coordinator"), notify=False)


# session, user; the period (plan and province joined), the plan's issuing unit, the user's unit; tasks, their
# nodes, the frameworks, the nodes, assignments, units, the period's reports, counted versions, closed lines.
PERIOD_BOUND = 15
# session, user; the report (period, plan, unit joined), the plan's issuing unit; lines with their tasks and
# their evidence (the version instead: the version and its sender).
REPORT_BOUND = 8


@pytest.mark.django_db
@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_consolidated_export_queries_do_not_grow_with_the_data(demo_plan, extension, django_assert_max_num_queries):
    period = quarter_three(demo_plan)
    client = client_for("coordinator")
    url = f"/van-ban/ky-bao-cao/{period.pk}/{extension}/"
    with django_assert_max_num_queries(PERIOD_BOUND):
        assert client.get(url).status_code == 200
    before = Assignment.objects.filter(task__plan=demo_plan).count()
    _add_tasks(demo_plan, 30)
    _report_everything(demo_plan)
    assert Assignment.objects.filter(task__plan=demo_plan).count() > before
    with django_assert_max_num_queries(PERIOD_BOUND):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_unit_report_export_queries_do_not_grow_with_the_lines(demo_plan, extension, django_assert_max_num_queries):
    period = quarter_three(demo_plan)
    focal = user("focal_point")
    client = client_for("coordinator")
    report = open_report(period, focal.unit, focal)
    url = f"/van-ban/bao-cao/{report.pk}/{extension}/"
    with django_assert_max_num_queries(REPORT_BOUND):
        assert client.get(url).status_code == 200
    lines = report.lines.count()
    node = demo_plan.frameworks.get(index="PAPI").nodes.get(code="3")
    for number in range(20):
        save_task(demo_plan, TaskData(content=f"Nhiệm vụ của phường {number}", nodes=[node], lead_units=[focal.unit],
                                      lead_groups=[], coordinating_units=[], coordinating_groups=[],
                                      schedule_text="Năm 2025"))
    submit_report(report, user("leader"))
    assert report.lines.count() > lines
    with django_assert_max_num_queries(REPORT_BOUND):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(REPORT_BOUND):
        assert client.get(f"/van-ban/bao-cao/{report.pk}/lan-gui/1/{extension}/").status_code == 200
