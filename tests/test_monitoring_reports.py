"""A unit's periodic report: the focal point drafts it line by line with evidence, the leader submits,
the coordinator returns it with a comment or accepts it; every submitted version stays readable, and a
unit can carry its last report forward."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chiso.monitoring.models import Evidence, LineStatus, ReportLine, ReportStatus, UnitReport
from chiso.monitoring.periods import generate_periods
from chiso.monitoring.reports.services import accept_report, open_report, return_report, submit_report
from chiso.plans.models import Assignment
from tests.conftest import client_for
from tests.monitoring_helpers import minhxuan_report, pdf_bytes, quarter_three, user

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _v(report: UnitReport, **fields: object) -> dict[str, object]:
    """A transition form as the report page sends it: with the version the page was opened on."""
    return {"lock_version": UnitReport.objects.get(pk=report.pk).lock_version, **fields}


def _line_form(line: ReportLine, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {"status": line.status, "reason": line.reason, "progress": line.progress,
                               "work_done": line.work_done, "indicator_value": "", "completed_on": "",
                               "lock_version": line.lock_version}
    data.update(changes)
    return data


@pytest.mark.django_db
def test_a_report_has_one_line_per_assignment_of_the_unit(demo_plan):
    report = minhxuan_report(demo_plan)
    assigned = Assignment.objects.filter(task__plan=demo_plan, unit=report.unit)
    assert assigned.count() > 0
    assert sorted(report.lines.values_list("assignment_id", flat=True)) == sorted(assigned.values_list("pk", flat=True))
    # Opening it again returns the same report.
    assert open_report(report.period, report.unit, user("focal_point")).pk == report.pk


@pytest.mark.django_db
def test_focal_point_updates_a_line_in_place_with_a_decimal_comma(demo_plan):
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    client = client_for("focal_point")
    url = f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/sua/"
    fragment = client.get(url, **HTMX)
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content and b'name="status"' in fragment.content
    response = client.post(url, _line_form(line, status="in_progress", progress="60",
                                           work_done="Đã niêm yết TTHC tại bộ phận một cửa", indicator_value="97,8"), **HTMX)
    assert response.status_code == 200
    assert "97,8" in response.content.decode() and "Đang thực hiện" in response.content.decode()
    line.refresh_from_db()
    assert (line.status, line.progress, line.indicator_value) == ("in_progress", 60, Decimal("97.8"))
    assert line.history.count() == 2  # created, then this edit: each change is kept


@pytest.mark.django_db
def test_a_task_that_cannot_be_done_needs_its_reason_and_bad_input_changes_nothing(demo_plan):
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    client = client_for("focal_point")
    url = f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/sua/"
    response = client.post(url, _line_form(line, status="cannot_do"), **HTMX)
    assert response.status_code == 400
    assert "Nêu lý do không thực hiện được." in response.content.decode()
    response = client.post(url, _line_form(line, status="in_progress", progress="140"), **HTMX)
    assert response.status_code == 400
    assert "Tiến độ từ 0 đến 100%." in response.content.decode()
    line.refresh_from_db()
    assert line.status == LineStatus.NOT_STARTED and line.progress == 0


@pytest.mark.django_db
def test_a_line_edit_based_on_an_old_version_is_refused(demo_plan):
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    client = client_for("focal_point")
    url = f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/sua/"
    first = _line_form(line, status="in_progress", progress="30", work_done="Bản thứ nhất")
    assert client.post(url, first, **HTMX).status_code == 200
    stale = client.post(url, {**first, "work_done": "Bản ghi đè"}, **HTMX)
    assert stale.status_code == 409
    line.refresh_from_db()
    assert line.work_done == "Bản thứ nhất"


def _both_versions_kept_and_shown(report: UnitReport, line: ReportLine, first_evidence: Evidence) -> None:
    """The returned and the accepted versions, each with the text and file it was sent with, on the pages."""
    focal, coordinator = client_for("focal_point"), client_for("coordinator")
    first, second = report.versions.order_by("number")
    assert (first.outcome, first.review_comment) == (ReportStatus.RETURNED, "Bổ sung số văn bản ban hành.")
    assert second.outcome == ReportStatus.ACCEPTED
    line_in = {v.number: next(x for x in v.content["lines"] if x["line_id"] == line.pk) for v in (first, second)}
    assert line_in[1]["work_done"] == "Đã ban hành kế hoạch"
    assert [e["name"] for e in line_in[1]["evidence"]] == ["ke-hoach.pdf"]
    assert line_in[2]["work_done"] == "Đã ban hành Kế hoạch số 12/KH-UBND"
    assert [e["name"] for e in line_in[2]["evidence"]] == ["ke-hoach-12.pdf"]
    # Both versions are visible, and the first still offers the file it was sent with.
    page = coordinator.get(f"/theo-doi/bao-cao/{report.pk}/lan-gui/1/").content.decode()
    assert "Đã ban hành kế hoạch" in page and "Bổ sung số văn bản ban hành." in page
    assert f"/theo-doi/minh-chung/{first_evidence.pk}/" in page
    download = coordinator.get(f"/theo-doi/minh-chung/{first_evidence.pk}/")
    assert download.status_code == 200 and b"v1" in b"".join(download.streaming_content)
    detail = focal.get(f"/theo-doi/bao-cao/{report.pk}/").content.decode()
    assert "Lần 1" in detail and "Lần 2" in detail and "Đã chấp nhận" in detail
    # The unit was told of both reviews.
    assert set(user("focal_point").notifications.values_list("kind", flat=True)) >= {
        "report_returned", "report_accepted"}


@pytest.mark.django_db
def test_draft_submit_return_correct_accept_keeps_every_version(demo_plan):
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    focal, leader, coordinator = client_for("focal_point"), client_for("leader"), client_for("coordinator")
    edit = f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/sua/"
    assert focal.post(edit, _line_form(line, status="done", work_done="Đã ban hành kế hoạch",
                                       completed_on="10/09/2025")).status_code == 302
    upload = focal.post(f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/minh-chung/",
                        {"file": SimpleUploadedFile("ke-hoach.pdf", pdf_bytes("v1"))}, follow=True)
    assert "Đã tải lên minh chứng “ke-hoach.pdf”" in upload.content.decode()
    first_evidence = Evidence.objects.get(line=line)

    # The focal point may not send; the leader does.
    assert focal.post(f"/theo-doi/bao-cao/{report.pk}/gui/", _v(report)).status_code == 403
    assert leader.post(f"/theo-doi/bao-cao/{report.pk}/gui/", _v(report, confirm_incomplete="1")).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.version_count) == (ReportStatus.SUBMITTED, 1)
    # Under review nobody edits it.
    line.refresh_from_db()
    assert focal.post(edit, _line_form(line, work_done="sửa khi đang thẩm định")).status_code == 403

    # A return needs a comment.
    refused = coordinator.post(f"/theo-doi/bao-cao/{report.pk}/tra-lai/", _v(report, comment=" "), follow=True)
    assert "Ghi rõ ý kiến" in refused.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    coordinator.post(f"/theo-doi/bao-cao/{report.pk}/tra-lai/", _v(report, comment="Bổ sung số văn bản ban hành."))
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.review_comment == "Bổ sung số văn bản ban hành."

    # Corrected: new text, the first file replaced by another.
    line.refresh_from_db()
    assert focal.post(edit, _line_form(line, status="done", work_done="Đã ban hành Kế hoạch số 12/KH-UBND",
                                       completed_on="10/09/2025")).status_code == 302
    assert focal.post(f"/theo-doi/minh-chung/{first_evidence.pk}/go/").status_code == 302
    focal.post(f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/minh-chung/",
               {"file": SimpleUploadedFile("ke-hoach-12.pdf", pdf_bytes("v2"))})
    assert leader.post(f"/theo-doi/bao-cao/{report.pk}/gui/", _v(report, confirm_incomplete="1")).status_code == 302
    assert coordinator.post(f"/theo-doi/bao-cao/{report.pk}/chap-nhan/", _v(report, comment="")).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.version_count) == (ReportStatus.ACCEPTED, 2)

    _both_versions_kept_and_shown(report, line, first_evidence)


@pytest.mark.django_db
def test_an_accepted_report_cannot_be_submitted_or_reviewed_again(demo_plan):
    report = minhxuan_report(demo_plan)
    submit_report(report, user("leader"))
    accept_report(report, user("coordinator"))
    assert client_for("leader").get(f"/theo-doi/bao-cao/{report.pk}/").status_code == 200
    assert client_for("leader").post(f"/theo-doi/bao-cao/{report.pk}/gui/", _v(report)).status_code == 403
    assert client_for("coordinator").post(f"/theo-doi/bao-cao/{report.pk}/tra-lai/", _v(report, comment="x")).status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED and report.versions.count() == 1


@pytest.mark.django_db
def test_the_next_report_carries_the_last_one_forward_with_its_evidence(demo_plan, settings):
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    focal = client_for("focal_point")
    focal.post(f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/sua/",
               _line_form(line, status="in_progress", progress="50", work_done="Đang rà soát", indicator_value="97,8"))
    focal.post(f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/minh-chung/",
               {"file": SimpleUploadedFile("ra-soat.pdf", pdf_bytes())})
    submit_report(report, user("leader"))
    accept_report(report, user("coordinator"))
    year = demo_plan.reporting_periods.get(label="Năm 2025")

    page = focal.get(f"/theo-doi/ky-bao-cao/{year.pk}/bao-cao-cua-don-vi/")
    assert "Kế thừa nội dung và minh chứng của báo cáo Quý III/2025" in page.content.decode()
    response = focal.post(f"/theo-doi/ky-bao-cao/{year.pk}/bao-cao-cua-don-vi/", {"carry_forward": "1"})
    assert response.status_code == 302
    yearly = UnitReport.objects.get(period=year, unit=report.unit)
    assert yearly.carried_from_id == report.pk and yearly.status == ReportStatus.DRAFT
    carried = yearly.lines.get(assignment=line.assignment)
    assert (carried.status, carried.progress, carried.work_done, carried.indicator_value) == (
        "in_progress", 50, "Đang rà soát", Decimal("97.8"))
    copy = carried.evidence.get()
    assert copy.original_name == "ra-soat.pdf" and copy.file.name == line.evidence.get().file.name
    # The quarter's report is untouched by edits to the year's.
    assert yearly.lines.count() == report.lines.count()


@pytest.mark.django_db
def test_without_carrying_forward_the_report_starts_blank(demo_plan):
    report = minhxuan_report(demo_plan)
    ReportLine.objects.filter(report=report).update(status="done", progress=100)
    generate_periods(demo_plan)
    year = demo_plan.reporting_periods.get(label="Năm 2025")
    fresh = open_report(year, report.unit, user("focal_point"), carry_forward=False)
    assert fresh.carried_from is None
    assert set(fresh.lines.values_list("status", flat=True)) == {"not_started"}


@pytest.mark.django_db
def test_report_page_query_count_is_bounded(demo_plan, django_assert_max_num_queries):
    report = minhxuan_report(demo_plan)
    client = client_for("focal_point")
    for line in report.lines.all()[:3]:
        client.post(f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/minh-chung/",
                    {"file": SimpleUploadedFile("a.pdf", pdf_bytes())})
    # session, user, unit; report; lines; evidence; versions; the unread-notification count in the header; the
    # locked check for missing lines (savepoint, lock, lines present, assignments, release).
    with django_assert_max_num_queries(13):
        assert client.get(f"/theo-doi/bao-cao/{report.pk}/").status_code == 200
    period = quarter_three(demo_plan)
    coordinator = client_for("coordinator")
    # session, user, unit; period with plan; owing units; reports.
    with django_assert_max_num_queries(8):
        assert coordinator.get(f"/theo-doi/ky-bao-cao/{period.pk}/").status_code == 200
    # session, user, unit; plans with their periods; units owing per plan; submitted per period.
    with django_assert_max_num_queries(10):
        assert coordinator.get("/theo-doi/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/theo-doi/").status_code == 200


@pytest.mark.django_db
def test_a_task_assigned_after_the_report_was_opened_gets_its_line(demo_plan):
    from chiso.plans.services import TaskData, save_task

    report = minhxuan_report(demo_plan)
    before = report.lines.count()
    node = demo_plan.frameworks.get(index="PAPI").nodes.get(code="3")
    task = save_task(demo_plan, TaskData(content="Nhiệm vụ giao thêm cho phường", nodes=[node],
                                         lead_units=[report.unit], lead_groups=[], coordinating_units=[],
                                         coordinating_groups=[], schedule_text="Quý IV"))
    page = client_for("focal_point").get(f"/theo-doi/bao-cao/{report.pk}/").content.decode()
    assert "Nhiệm vụ giao thêm cho phường" in page
    assert report.lines.count() == before + 1
    assert report.lines.filter(assignment__task=task, status="not_started").exists()


@pytest.mark.django_db
def test_a_review_or_submission_from_a_page_opened_before_a_change_is_refused(demo_plan):
    report = minhxuan_report(demo_plan)
    leader, coordinator = client_for("leader"), client_for("coordinator")
    opened = _v(report, confirm_incomplete="1")  # the leader has seen what is incomplete and sends
    assert leader.post(f"/theo-doi/bao-cao/{report.pk}/gui/", opened).status_code == 302
    # The coordinator's page shows version 1 as submitted; meanwhile it is returned and sent again.
    seen = _v(report, comment="")
    return_report(report, user("coordinator"), "Bổ sung minh chứng")
    submit_report(report, user("leader"))
    stale = coordinator.post(f"/theo-doi/bao-cao/{report.pk}/chap-nhan/", seen)
    assert stale.status_code == 409
    assert "Báo cáo vừa thay đổi" in stale.content.decode()
    report.refresh_from_db()
    assert (report.status, report.version_count) == (ReportStatus.SUBMITTED, 2)
    # A stale submit (the page before the first submission) and a form without a version are refused too.
    stale_submit = leader.post(f"/theo-doi/bao-cao/{report.pk}/gui/", opened)
    assert stale_submit.status_code == 409 and "Báo cáo vừa thay đổi" in stale_submit.content.decode()
    assert coordinator.post(f"/theo-doi/bao-cao/{report.pk}/tra-lai/", {"comment": "x"}).status_code == 409
    assert coordinator.post(f"/theo-doi/bao-cao/{report.pk}/chap-nhan/", _v(report)).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


@pytest.mark.django_db
def test_lines_added_when_the_page_opens_are_written_in_one_locked_transaction(demo_plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chiso.monitoring.reports.services import add_missing_lines
    from chiso.plans.services import TaskData, save_task

    report = minhxuan_report(demo_plan)
    node = demo_plan.frameworks.get(index="PAPI").nodes.get(code="3")
    save_task(demo_plan, TaskData(content="Nhiệm vụ giao thêm", nodes=[node], lead_units=[report.unit],
                                  lead_groups=[], coordinating_units=[], coordinating_groups=[]))
    with CaptureQueriesContext(connection) as captured:
        assert add_missing_lines(report) == 1
    statements = [q["sql"].split()[0].upper() for q in captured.captured_queries]
    # Inside the test's own transaction, atomic() shows as a savepoint around the lock, the read and the insert.
    assert statements[0] == "SAVEPOINT" and "INSERT" in statements
    assert add_missing_lines(report) == 0
    assert report.lines.filter(assignment__task__content="Nhiệm vụ giao thêm").count() == 1
