"""Downloading a plan as .docx / .xlsx: whoever may see the plan may download it, in a bounded number of
queries whatever the size of the plan."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from chiso.accounts.models import User
from chiso.documents.exports.views import DOCX, XLSX
from chiso.plans.models import Plan
from chiso.plans.services import derive_unit_plan
from tests.conftest import ROLES, USERNAMES, client_for
from tests.test_queries import _add_tasks

FORMATS = {"docx": DOCX, "xlsx": XLSX}


@pytest.fixture
def commune_draft(demo_plan) -> Plan:
    return derive_unit_plan(demo_plan, User.objects.get(username=USERNAMES["focal_point"]).unit)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_everyone_who_sees_the_issued_plan_may_download_it(demo_plan, role, extension):
    response = client_for(role).get(f"/van-ban/ke-hoach/{demo_plan.pk}/{extension}/")
    if role == "anonymous":
        assert response.status_code == 302 and "/tai-khoan/" in response["Location"]
        return
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[extension]
    assert response["Content-Disposition"] == f'attachment; filename="ke-hoach-{demo_plan.pk}.{extension}"'
    content = io.BytesIO(response.content)
    if extension == "docx":
        assert Document(content).tables[0].rows[0].cells[0].text.startswith(demo_plan.issuer.upper())
    else:
        assert len(load_workbook(content).sheetnames) == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("coordinator", 200), ("focal_point", 200), ("leader", 200), ("viewer", 200),
     ("other_commune", 404), ("department_focal_point", 404), ("anonymous", 302)],
)
@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_a_commune_draft_is_downloaded_only_by_those_who_see_it(commune_draft, role, status, extension):
    response = client_for(role).get(f"/van-ban/ke-hoach/{commune_draft.pk}/{extension}/")
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == FORMATS[extension]


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
