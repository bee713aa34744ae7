"""Evidence on a plan's public page: the province (its coordinator, or the admin) marks a file public from the
report page; the page lists it under its task once the report is accepted — never an unmarked file, a removed
one, or one of a report still under review or returned — and anyone downloads it without login. Everything else
is 404 alike, whether the file exists or not."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chiso.monitoring.models import Evidence, ReportLine
from chiso.monitoring.reports.evidence import check_evidence
from chiso.monitoring.reports.services import (
    accept_report,
    add_evidence,
    mark_evidence_public,
    remove_evidence,
    return_report,
    submit_report,
)
from chiso.plans.models import Plan
from tests.api_helpers import other_province_coordinator, reports
from tests.conftest import client_for
from tests.monitoring_helpers import pdf_bytes, user
from tests.public_helpers import fresh_cache_and_media, publish, task_block  # noqa: F401 (an autouse fixture)


def _page(plan: Plan) -> str:
    response = Client().get(f"/cong-khai/ke-hoach/{plan.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _download(evidence: Evidence) -> int:
    return Client().get(f"/cong-khai/minh-chung/{evidence.pk}/").status_code


def _upload(line: ReportLine, name: str, data: bytes | None = None) -> Evidence:
    checked = check_evidence(SimpleUploadedFile(name, data or pdf_bytes(name)), name)
    return add_evidence(line, checked, user("focal_point"))


def _accepted_with_files(plan: Plan) -> tuple[ReportLine, Evidence, Evidence]:
    """Minh Xuân's Q3 report, accepted, with one file marked public (1,2 MB) and one left unmarked."""
    publish(plan)
    _period, report, _other = reports(plan)
    line = report.lines.select_related("assignment__task").order_by("id").first()
    big = pdf_bytes("Quyet dinh ban hanh " + "x" * (1258291 - 200))
    marked = _upload(line, "quyet-dinh-cong-khai.pdf", big)
    unmarked = _upload(line, "bien-ban-noi-bo.pdf")
    mark_evidence_public(marked, True)
    submit_report(report, user("leader"))
    accept_report(report, user("coordinator"), notify=False)
    return line, marked, unmarked


@pytest.mark.django_db
def test_the_page_lists_a_marked_file_of_an_accepted_report_with_its_size_and_not_an_unmarked_one(demo_plan):
    line, marked, unmarked = _accepted_with_files(demo_plan)
    block = task_block(_page(demo_plan), line.assignment.task_id)
    assert "quyet-dinh-cong-khai.pdf" in block and "(1,2 MB)" in block
    assert f'href="/cong-khai/minh-chung/{marked.pk}/"' in block
    assert "bien-ban-noi-bo.pdf" not in _page(demo_plan)
    assert f"/cong-khai/minh-chung/{unmarked.pk}/" not in _page(demo_plan)


@pytest.mark.django_db
@pytest.mark.parametrize("outcome", ["draft", "submitted", "returned"])
def test_a_marked_file_of_a_report_not_accepted_is_neither_listed_nor_downloadable(demo_plan, outcome):
    publish(demo_plan)
    _period, _report, other = reports(demo_plan)
    line = other.lines.order_by("id").first()
    evidence = _upload(line, "ke-hoach-cua-xa.pdf")
    mark_evidence_public(evidence, True)
    if outcome != "draft":
        submit_report(other, user("leader"))
    if outcome == "returned":
        return_report(other, user("coordinator"), "Bổ sung số liệu", notify=False)
    assert "ke-hoach-cua-xa.pdf" not in _page(demo_plan)
    assert _download(evidence) == 404
    if outcome == "returned":
        submit_report(other, user("leader"))
    if outcome != "draft":  # accepted at last: it shows at once, the page being refreshed by the acceptance
        accept_report(other, user("coordinator"), notify=False)
        assert "ke-hoach-cua-xa.pdf" in _page(demo_plan) and _download(evidence) == 200


@pytest.mark.django_db
def test_anyone_downloads_the_marked_file_as_a_sandboxed_attachment_cached_publicly(demo_plan):
    _line, marked, _unmarked = _accepted_with_files(demo_plan)
    response = Client().get(f"/cong-khai/minh-chung/{marked.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    assert response["Content-Disposition"].startswith("attachment") and "quyet-dinh-cong-khai.pdf" in \
        response["Content-Disposition"]
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["Content-Security-Policy"] == "sandbox" and response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_download_is_404_for_an_unmarked_a_removed_or_a_missing_file_and_once_the_plan_is_not_public(
        demo_plan):
    publish(demo_plan)
    _period, report, _other = reports(demo_plan)
    line = report.lines.order_by("id").first()
    kept, unmarked, removed = (_upload(line, name) for name in ("giu-lai.pdf", "chua-danh-dau.pdf", "da-go.pdf"))
    mark_evidence_public(kept, True)
    mark_evidence_public(removed, True)
    remove_evidence(removed)
    submit_report(report, user("leader"))
    accept_report(report, user("coordinator"), notify=False)
    assert _download(kept) == 200
    assert _download(unmarked) == 404 and _download(removed) == 404
    assert Client().get("/cong-khai/minh-chung/999999/").status_code == 404
    html = _page(demo_plan)
    assert "giu-lai.pdf" in html and "chua-danh-dau.pdf" not in html and "da-go.pdf" not in html
    demo_plan.is_public = False
    demo_plan.save()
    assert _download(kept) == 404


@pytest.mark.django_db
def test_unmarking_takes_the_file_off_the_page_and_the_download_at_once(demo_plan):
    line, marked, _unmarked = _accepted_with_files(demo_plan)
    assert "quyet-dinh-cong-khai.pdf" in _page(demo_plan)  # now cached
    response = client_for("coordinator").post(f"/theo-doi/minh-chung/{marked.pk}/cong-khai/", {"public": "0"})
    assert response.status_code == 302
    assert response["Location"] == f"/theo-doi/bao-cao/{line.report_id}/#line-{line.pk}"
    assert "quyet-dinh-cong-khai.pdf" not in _page(demo_plan)
    assert _download(marked) == 404
    client_for("coordinator").post(f"/theo-doi/minh-chung/{marked.pk}/cong-khai/", {"public": "1"})
    assert "quyet-dinh-cong-khai.pdf" in _page(demo_plan) and _download(marked) == 200


@pytest.mark.django_db
def test_a_file_carried_forward_to_the_next_report_is_listed_once(demo_plan):
    from chiso.monitoring.reports.services import open_report

    line, marked, _unmarked = _accepted_with_files(demo_plan)
    later = demo_plan.reporting_periods.filter(due_date__gt=line.report.period.due_date).order_by("due_date").first()
    focal = user("focal_point")
    carried = open_report(later, focal.unit, focal, carry_forward=True)
    copy = Evidence.objects.get(line__report=carried, sha256=marked.sha256)
    mark_evidence_public(copy, True)
    submit_report(carried, user("leader"))
    accept_report(carried, user("coordinator"), notify=False)
    assert task_block(_page(demo_plan), line.assignment.task_id).count("quyet-dinh-cong-khai.pdf") == 1


# --- Marking: who may -------------------------------------------------------------------------------------

PERSONAS = ["admin", "coordinator", "focal_point", "leader", "viewer", "other_commune", "department_focal_point",
            "other_province", "anonymous"]
# The province decides what it publishes; the unit and the provincial leadership see the file but may not mark
# it; other units and provinces do not see it at all; an anonymous visitor is sent to log in.
MARK = {"admin": 302, "coordinator": 302, "focal_point": 403, "leader": 403, "viewer": 403, "other_commune": 404,
        "department_focal_point": 404, "other_province": 404, "anonymous": 302}


def _client(persona: str) -> Client:
    if persona == "other_province":
        client = Client()
        client.force_login(other_province_coordinator())
        return client
    return client_for(persona)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_province_marks_a_file_public(demo_plan, persona):
    _period, report, _other = reports(demo_plan)
    evidence = _upload(report.lines.order_by("id").first(), "to-trinh.pdf")
    submit_report(report, user("leader"))
    response = _client(persona).post(f"/theo-doi/minh-chung/{evidence.pk}/cong-khai/", {"public": "1"})
    assert response.status_code == MARK[persona]
    if persona == "anonymous":
        assert response["Location"].startswith("/tai-khoan/dang-nhap/")
    evidence.refresh_from_db()
    assert evidence.is_public == (persona in ("admin", "coordinator"))


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["admin", "coordinator"])
def test_only_the_province_takes_the_mark_off_and_never_of_a_removed_file(demo_plan, persona):
    _period, report, _other = reports(demo_plan)
    line = report.lines.order_by("id").first()
    evidence, removed = _upload(line, "to-trinh.pdf"), _upload(line, "da-go.pdf")
    mark_evidence_public(evidence, True)
    remove_evidence(removed)
    assert client_for("focal_point").post(f"/theo-doi/minh-chung/{evidence.pk}/cong-khai/",
                                          {"public": "0"}).status_code == 403
    assert _client(persona).post(f"/theo-doi/minh-chung/{evidence.pk}/cong-khai/", {"public": "0"}).status_code == 302
    assert _client(persona).post(f"/theo-doi/minh-chung/{removed.pk}/cong-khai/", {"public": "1"}).status_code == 403
    evidence.refresh_from_db()
    removed.refresh_from_db()
    assert not evidence.is_public and not removed.is_public


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", "yes", "2", "１"])
def test_a_mark_neither_0_nor_1_changes_nothing_and_says_so(demo_plan, value):
    _period, report, _other = reports(demo_plan)
    evidence = _upload(report.lines.order_by("id").first(), "to-trinh.pdf")
    mark_evidence_public(evidence, True)
    response = client_for("coordinator").post(f"/theo-doi/minh-chung/{evidence.pk}/cong-khai/", {"public": value},
                                              follow=True)
    assert "chưa có gì thay đổi" in response.content.decode()
    evidence.refresh_from_db()
    assert evidence.is_public


@pytest.mark.django_db
def test_marking_is_a_post(demo_plan):
    _period, report, _other = reports(demo_plan)
    evidence = _upload(report.lines.order_by("id").first(), "to-trinh.pdf")
    assert client_for("coordinator").get(f"/theo-doi/minh-chung/{evidence.pk}/cong-khai/").status_code == 405


@pytest.mark.django_db
def test_the_report_page_shows_the_button_to_the_province_and_the_badge_to_everyone_who_sees_it(demo_plan):
    _period, report, _other = reports(demo_plan)
    evidence = _upload(report.lines.order_by("id").first(), "to-trinh.pdf")
    submit_report(report, user("leader"))
    url = f"/theo-doi/bao-cao/{report.pk}/"
    action = f'action="/theo-doi/minh-chung/{evidence.pk}/cong-khai/"'
    coordinator_page = client_for("coordinator").get(url).content.decode()
    assert action in coordinator_page and ">Công khai</button>" in coordinator_page
    assert action not in client_for("focal_point").get(url).content.decode()
    assert action not in client_for("viewer").get(url).content.decode()
    response = client_for("coordinator").post(f"/theo-doi/minh-chung/{evidence.pk}/cong-khai/", {"public": "1"},
                                              follow=True)
    page = response.content.decode()
    assert "Đã công khai minh chứng “to-trinh.pdf”" in page
    assert ">Thôi công khai</button>" in page and '<span class="badge badge-issued"' in page
    focal_page = client_for("focal_point").get(url).content.decode()
    assert '<span class="badge badge-issued"' in focal_page and ">Thôi công khai</button>" not in focal_page
