"""Downloading a plan as .docx / .xlsx: whoever may see the plan may download it, in a bounded number of
queries whatever the size of the plan."""

from __future__ import annotations

import io

import pytest
from django.urls import resolve
from docx import Document
from openpyxl import load_workbook

from chiso.accounts.models import User
from chiso.documents.exports.views import DOCX, XLSX, plan_download_docx, plan_download_xlsx
from chiso.plans import permissions as perm
from chiso.plans.models import Plan, PlanStatus
from chiso.plans.services import derive_unit_plan
from tests.conftest import ROLES, USERNAMES, client_for
from tests.test_queries import _add_tasks

FORMATS = {"docx": DOCX, "xlsx": XLSX}


@pytest.fixture
def commune_draft(demo_plan) -> Plan:
    return derive_unit_plan(demo_plan, User.objects.get(username=USERNAMES["focal_point"]).unit)


def _check_download(response, plan: Plan, extension: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[extension]
    stem = "ke-hoach-du-thao" if plan.status == PlanStatus.DRAFT else "ke-hoach"
    assert response["Content-Disposition"] == f'attachment; filename="{stem}-{plan.pk}.{extension}"'
    content = io.BytesIO(response.content)
    if extension == "docx":
        assert plan.issuer.upper() in Document(content).tables[0].rows[0].cells[0].text
    else:
        assert len(load_workbook(content).sheetnames) == 4


# The role matrices stop before a document is built: a refusal is asked of the view itself (it refuses before
# building), a grant of the URL's view and the rule it applies (plans.permissions.get_visible_plan); each
# document is built for real by one role per format.
DOWNLOAD_VIEWS = {"docx": plan_download_docx, "xlsx": plan_download_xlsx}


def _granted(url: str, extension: str, role: str, plan: Plan) -> None:
    assert resolve(url).func is DOWNLOAD_VIEWS[extension]
    assert perm.get_visible_plan(User.objects.get(username=USERNAMES[role]), plan.pk) == plan


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_everyone_who_sees_the_issued_plan_may_download_it(demo_plan, role, extension):
    url = f"/van-ban/ke-hoach/{demo_plan.pk}/{extension}/"
    if role == "anonymous":
        response = client_for(role).get(url)
        assert response.status_code == 302 and "/tai-khoan/" in response["Location"]
        return
    _granted(url, extension, role, demo_plan)


@pytest.mark.django_db
@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_a_focal_point_downloads_the_issued_plan(demo_plan, extension):
    _check_download(client_for("focal_point").get(f"/van-ban/ke-hoach/{demo_plan.pk}/{extension}/"), demo_plan,
                    extension)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("coordinator", 200), ("focal_point", 200), ("leader", 200), ("viewer", 200),
     ("other_commune", 404), ("department_focal_point", 404), ("anonymous", 302)],
)
@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_a_commune_draft_is_downloaded_only_by_those_who_see_it(commune_draft, role, status, extension):
    url = f"/van-ban/ke-hoach/{commune_draft.pk}/{extension}/"
    if status == 200:
        _granted(url, extension, role, commune_draft)
        return
    assert client_for(role).get(url).status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_the_communes_leader_downloads_its_draft(commune_draft, extension):
    _check_download(client_for("leader").get(f"/van-ban/ke-hoach/{commune_draft.pk}/{extension}/"), commune_draft,
                    extension)


@pytest.mark.django_db
def test_a_numbered_plan_is_named_by_its_number(demo_plan):
    Plan.objects.filter(pk=demo_plan.pk).update(number="154")
    response = client_for("coordinator").get(f"/van-ban/ke-hoach/{demo_plan.pk}/docx/")
    assert response["Content-Disposition"] == 'attachment; filename="ke-hoach-154-kh-ubnd.docx"'
    assert "Số: 154/KH-UBND" in Document(io.BytesIO(response.content)).tables[0].rows[0].cells[0].text


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "focal_point", "viewer"])
def test_the_plan_page_offers_both_downloads(demo_plan, role):
    page = client_for(role).get(f"/ke-hoach/{demo_plan.pk}/").content.decode()
    assert f'href="/van-ban/ke-hoach/{demo_plan.pk}/docx/"' in page
    assert f'href="/van-ban/ke-hoach/{demo_plan.pk}/xlsx/"' in page


# session, user and the user's unit; the plan (issuer, province, parent joined); tasks with 5 prefetches (nodes, lead/coordinating units and groups; the
# monitoring unit is joined), nodes, frameworks; the .xlsx also reads the frameworks and targets for its
# header sheet.
QUERY_BOUNDS = {"docx": 12, "xlsx": 14}


@pytest.mark.django_db
@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_export_query_count_does_not_grow_with_the_plan(demo_plan, extension, django_assert_max_num_queries):
    client = client_for("coordinator")
    url = f"/van-ban/ke-hoach/{demo_plan.pk}/{extension}/"
    with django_assert_max_num_queries(QUERY_BOUNDS[extension]):
        assert client.get(url).status_code == 200
    _add_tasks(demo_plan, 60)
    with django_assert_max_num_queries(QUERY_BOUNDS[extension]):
        response = client.get(url)
    assert response.status_code == 200
    if extension == "docx":
        tables = Document(io.BytesIO(response.content)).tables[2:]
        rows = sum(1 for t in tables for r in t.rows[1:] if len(r._tr.tc_lst) == len(t.columns))
        assert rows == demo_plan.tasks.count()


@pytest.mark.django_db
def test_a_plan_download_is_not_cached_and_its_name_reads_d_for_dj(demo_plan):
    Plan.objects.filter(pk=demo_plan.pk).update(number="7", symbol="KH-BCĐ")
    response = client_for("coordinator").get(f"/van-ban/ke-hoach/{demo_plan.pk}/xlsx/")
    assert response["Content-Disposition"] == 'attachment; filename="ke-hoach-7-kh-bcd.xlsx"'
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_a_user_of_another_province_cannot_download_this_provinces_documents(demo_plan, extension):
    from django.test import Client

    from chiso.accounts.models import Role
    from chiso.orgs.models import Province, Unit
    from tests.monitoring_helpers import minhxuan_report

    other = Province.objects.get(code="thai-nguyen")
    department = Unit.objects.create(province=other, code="so-noi-vu", name="Sở Nội vụ", kind="department")
    outsider = User.objects.create_user("dieuphoi.tn", password="x", role=Role.COORDINATOR, unit=department)
    client = Client()
    client.force_login(outsider)
    report = minhxuan_report(demo_plan)
    for url in (f"/van-ban/ke-hoach/{demo_plan.pk}/{extension}/", f"/van-ban/ky-bao-cao/{report.period_id}/{extension}/",
                f"/van-ban/bao-cao/{report.pk}/{extension}/"):
        assert client.get(url).status_code == 404, url
