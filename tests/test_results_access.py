"""Results pages per role, their query bounds with 34 provinces × 10 years, and charts in a real browser."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chiso.frameworks.models import Framework, Node
from chiso.orgs.models import Province, Unit
from chiso.results.models import Origin, Result, Score
from tests.conftest import ROLES, client_for

pytestmark = pytest.mark.django_db

SEES = {"admin", "coordinator", "focal_point", "leader", "viewer"}
ENTERS = {"admin", "coordinator"}


def _ids(demo_plan):  # type: ignore[no-untyped-def]
    unit = Unit.objects.get(province=demo_plan.province, code="so-khoa-hoc-va-cong-nghe")
    unit_result, _ = Result.objects.get_or_create(
        framework=Framework.objects.get(slug="par-index-province-2022"), year=2024, province=demo_plan.province,
        unit=unit, defaults={"total": Decimal("86.2"), "rank": 3, "rank_of": 20})
    return {
        "own": Result.objects.get(province__code="tuyen-quang-cu", year=2024).pk,
        "other": Result.objects.get(province__code="bac-kan-cu", year=2021).pk,
        "unit": unit_result.pk,
        "plan": demo_plan.pk,
        "framework": Framework.objects.get(slug="papi-2021").pk,
    }


# url, roles that get 200 (the others: 403 when signed in, login redirect when anonymous)
PAGES = {
    "overview": ("/ket-qua/", SEES),
    "overview_year": ("/ket-qua/?index=PAPI&year=2019", SEES),
    "detail_provincial": ("/ket-qua/{other}/", SEES),
    "detail_unit": ("/ket-qua/{unit}/", SEES),
    "province": ("/ket-qua/tinh/tuyen-quang/", SEES),
    "whatif": ("/ket-qua/{own}/gia-dinh/?t_8=6", SEES),
    "coverage": ("/ket-qua/ke-hoach/{plan}/", SEES),
    "create": ("/ket-qua/nhap/", ENTERS),
    "create_step_two": ("/ket-qua/nhap/?framework={framework}&year=2025&province=" , ENTERS),
    "edit_own": ("/ket-qua/{own}/sua/", ENTERS),
    "edit_other_province": ("/ket-qua/{other}/sua/", {"admin"}),
    "import": ("/ket-qua/nhap-tep/", ENTERS),
    "template": ("/ket-qua/mau/?framework={framework}&year=2024", ENTERS),
}


@pytest.mark.parametrize("role", ROLES)
def test_every_results_page_answers_each_role_as_its_rights_allow(demo_plan, role):
    ids = _ids(demo_plan)
    client = client_for(role)
    for name, (url, allowed) in PAGES.items():
        url = url.format(**ids)
        if name == "create_step_two":
            url += str(Province.objects.get(code="tuyen-quang").pk)
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"], name
        elif role in allowed:
            assert response.status_code == 200, (name, response.status_code)
        else:
            assert response.status_code == 403, (name, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_only_plan_editors_copy_a_suggested_task_into_a_plan(demo_plan, role):
    task = demo_plan.tasks.filter(nodes__code="8", nodes__framework__slug="papi-2021").first()
    before = demo_plan.tasks.count()
    response = client_for(role).post(f"/ket-qua/ke-hoach/{demo_plan.pk}/sao-chep/",
                                     {"task": task.pk, "code": "8", "index": "PAPI"})
    if role == "anonymous":
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    elif role in ENTERS:
        assert response.status_code == 302  # the coordinator edits the province plan (the source is its own)
    else:
        assert response.status_code == 403
    assert demo_plan.tasks.count() == before + (1 if role in ENTERS else 0)


@pytest.mark.parametrize("role", ["focal_point", "leader", "viewer"])
def test_roles_without_rights_cannot_post_results(demo_plan, role):
    ids = _ids(demo_plan)
    client = client_for(role)
    before = list(Score.objects.filter(result_id=ids["own"]).values_list("value", flat=True))
    assert client.post(f"/ket-qua/{ids['own']}/sua/", {"total": "1"}).status_code == 403
    assert client.post("/ket-qua/nhap-tep/", {}).status_code == 403
    assert list(Score.objects.filter(result_id=ids["own"]).values_list("value", flat=True)) == before


def _add_years(first: int, last: int) -> None:
    """Results for the 34 provinces of the new map, every node of PAPI 2021, for years first..last."""
    framework = Framework.objects.get(slug="papi-2021")
    nodes = list(Node.objects.filter(framework=framework))
    provinces = list(Province.objects.on_map_in(2025))
    for year in range(first, last + 1):
        results = Result.objects.bulk_create([
            Result(framework=framework, year=year, province=p, origin=Origin.IMPORTED) for p in provinces])
        Score.objects.bulk_create([
            Score(result=r, node=n, value=min(n.max_points or Decimal(10), Decimal("0.5") + Decimal(i % 7) / 3))
            for i, r in enumerate(results) for n in nodes])


RESULT_PAGES = {
    "overview": ("/ket-qua/?index=PAPI", 16),
    # Issue 12's budget of 20: every analysis of a page in one batch (analysis.analyse_many).
    "detail": ("/ket-qua/{result}/", 20),
    "province": ("/ket-qua/tinh/tuyen-quang/", 40),
    "province_single": ("/ket-qua/tinh/ha-noi/", 30),
    "whatif": ("/ket-qua/{result}/gia-dinh/?t_8=6", 24),
    "coverage": ("/ket-qua/ke-hoach/{plan}/", 20),
    "coverage_htmx": ("/ket-qua/ke-hoach/{plan}/", 20),
}


@pytest.mark.parametrize("page", sorted(RESULT_PAGES))
def test_results_pages_keep_a_bounded_number_of_queries(demo_plan, page, django_assert_max_num_queries):
    """The same pages for the latest year, first with one year of results on the new map (2025), then with
    four more (2026–2029, twelve years in all with the 63-province years): a new province's result with its
    whole trend, the national table of the latest year, and a plan answering the latest results."""
    client = client_for("coordinator")
    url, bound = RESULT_PAGES[page]
    for first, last in ((2025, 2025), (2026, 2029)):
        _add_years(first, last)
        result = Result.objects.get(province__code="tuyen-quang", year=last)
        plan = demo_plan
        if page.startswith("coverage"):
            plan.period_start = plan.period_start.replace(year=last + 1)
            plan.save(update_fields=["period_start"])
        with django_assert_max_num_queries(bound):
            headers = {"HX-Request": "true"} if page == "coverage_htmx" else {}
            assert client.get(url.format(result=result.pk, plan=plan.pk), headers=headers).status_code == 200
