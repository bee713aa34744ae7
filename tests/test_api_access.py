"""Every API endpoint, per persona: who reads (200), who may not change (403), who may not even know it exists
(404), and callers without a token (401). Personal tokens carry their owner's rights; system tokens are a
provincial read-only account or one unit's focal point."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from chiso.frameworks.models import Framework
from chiso.monitoring.models import UnitReport
from chiso.results.models import Result
from tests.api_helpers import PERSONAS, api_for, reports
from tests.monitoring_helpers import pdf_bytes

V1 = "/api/v1"
EVERYONE = {p: 200 for p in PERSONAS} | {"anonymous": 401}
IN_PROVINCE = EVERYONE | {"other_province": 404}
UNIT_WRITERS = {"admin": 403, "coordinator": 403, "focal_point": 200, "leader": 403, "viewer": 403,
                "system_read": 403, "system_unit": 200, "anonymous": 401, "other_province": 404}
ALL_INCLUDING_ANONYMOUS = {p: 200 for p in PERSONAS}


@pytest.fixture(autouse=True)
def _fresh_cache_and_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


def _reads(plan, report, other_report) -> dict[str, tuple[str, dict[str, int]]]:  # type: ignore[no-untyped-def]
    framework = Framework.objects.get(slug="papi-2021")
    result = Result.objects.provincial().order_by("id").first()
    return {
        "frameworks": (f"{V1}/frameworks", EVERYONE),
        "framework": (f"{V1}/frameworks/{framework.pk}", EVERYONE),
        "units": (f"{V1}/units", EVERYONE),
        "unit_groups": (f"{V1}/unit-groups", EVERYONE),
        "plans": (f"{V1}/plans", EVERYONE),
        "plan": (f"{V1}/plans/{plan.pk}", IN_PROVINCE),
        "tasks": (f"{V1}/plans/{plan.pk}/tasks", IN_PROVINCE),
        "assignments": (f"{V1}/assignments?plan={plan.pk}", EVERYONE),
        "periods": (f"{V1}/periods?plan={plan.pk}", EVERYONE),
        "reports": (f"{V1}/reports", EVERYONE),
        "report": (f"{V1}/reports/{report.pk}", IN_PROVINCE),
        # Another commune's report: its own unit's people (not these personas) and the province see it.
        "other_report": (f"{V1}/reports/{other_report.pk}", IN_PROVINCE | {
            "focal_point": 404, "leader": 404, "system_unit": 404}),
        "results": (f"{V1}/results", EVERYONE),
        "result": (f"{V1}/results/{result.pk}", EVERYONE),
        "emulation": (f"{V1}/emulation", EVERYONE),
        "open_data": (f"{V1}/open-data/results?index=PAPI&year=2021", ALL_INCLUDING_ANONYMOUS),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_read_endpoint_answers_each_persona_as_its_rights_allow(demo_plan, persona):
    _period, report, other = reports(demo_plan)
    api = api_for(persona)
    failures = [f"{name} {url}: {status} != {expected[persona]}"
                for name, (url, expected) in _reads(demo_plan, report, other).items()
                if (status := api.get(url).status_code) != expected[persona]]
    assert not failures, failures


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_show_another_province_nothing_of_this_one(demo_plan, persona):
    reports(demo_plan)
    body = api_for(persona).get(f"{V1}/reports?plan={demo_plan.pk}")
    if persona == "anonymous":
        assert body.status_code == 401
        return
    in_plan = UnitReport.objects.filter(period__plan=demo_plan)
    minhxuan = in_plan.filter(unit__code="phuong-minh-xuan").count()
    expected = {"other_province": 0, "focal_point": minhxuan, "leader": minhxuan, "system_unit": minhxuan}
    assert body.json()["count"] == expected.get(persona, in_plan.count())


def _line_body(line, **changes):  # type: ignore[no-untyped-def]
    return {"status": "in_progress", "progress": 40, "work_done": "Đã tổ chức hội nghị", "reason": "",
            "indicator_value": None, "completed_on": None, "lock_version": line.lock_version, **changes}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_units_focal_point_or_its_system_writes_its_report_lines(demo_plan, persona):
    _period, report, _other = reports(demo_plan)
    line = report.lines.order_by("id").first()
    response = api_for(persona).put(f"{V1}/reports/{report.pk}/lines/{line.pk}", _line_body(line))
    assert response.status_code == UNIT_WRITERS[persona], response.content
    line.refresh_from_db()
    assert (line.progress == 40) == (UNIT_WRITERS[persona] == 200)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_units_focal_point_or_its_system_uploads_evidence(demo_plan, persona):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _period, report, _other = reports(demo_plan)
    line = report.lines.order_by("id").first()
    upload = SimpleUploadedFile("bien-ban.pdf", pdf_bytes(), content_type="application/pdf")
    response = api_for(persona).post(f"{V1}/reports/{report.pk}/lines/{line.pk}/evidence", {"file": upload})
    expected = {**UNIT_WRITERS, "focal_point": 201, "system_unit": 201}[persona]
    assert response.status_code == expected, response.content
    assert line.evidence.count() == (1 if expected == 201 else 0)


IMPORTERS = {"admin": 200, "coordinator": 200, "focal_point": 403, "leader": 403, "viewer": 403,
             "system_read": 403, "system_unit": 403, "anonymous": 401,
             # A coordinator of another province may import, but not this province's results: refused by line.
             "other_province": 400}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_results_import_is_for_coordinators_of_the_province(demo_plan, persona):
    from django.core.files.uploadedfile import SimpleUploadedFile

    framework = Framework.objects.get(slug="par-index-province-2022")
    node = framework.nodes.filter(depth=0).order_by("position").first()
    csv_text = f"Đối tượng,Mã,Điểm\nTuyên Quang,{node.code},1\n"
    upload = SimpleUploadedFile("ket-qua.csv", csv_text.encode(), content_type="text/csv")
    response = api_for(persona).post(f"{V1}/results/import", {"framework": framework.pk, "year": 2025,
                                                              "file": upload})
    assert response.status_code == IMPORTERS[persona], response.content
    saved = Result.objects.filter(framework=framework, year=2025, province__code="tuyen-quang").exists()
    assert saved == (IMPORTERS[persona] == 200)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_opening_the_units_report_is_for_its_focal_point_or_system(demo_plan, persona):
    period, _report, _other = reports(demo_plan)
    response = api_for(persona).post(f"{V1}/periods/{period.pk}/own-report")
    expected = {**UNIT_WRITERS, "other_province": 404}[persona]
    assert response.status_code == expected, response.content
