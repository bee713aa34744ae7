"""The daily work of each role: "Việc cần làm" on the home page, the bell and notifications read when opened,
the hand-off between focal point and leader (return with a comment, completeness before sending), chasing
late units with the reminder letter, the review list as a list that scales, and the fixed items."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from docx import Document

from chiso.monitoring.models import LineStatus, Notification, NotificationKind, ReportStatus
from chiso.monitoring.reports.approval import incomplete_lines
from chiso.monitoring.reports.services import LineData, save_line, submit_report
from chiso.plans.models import Assignment
from chiso.plans.services import derive_unit_plan
from tests.conftest import client_for
from tests.monitoring_helpers import minhxuan_report, quarter_three, todo_item, user


def _home(role: str) -> str:
    response = client_for(role).get("/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_coordinator_home_lists_late_units_and_reports_to_review_with_links(demo_plan):
    period = quarter_three(demo_plan)
    report = minhxuan_report(demo_plan)
    submit_report(report, user("leader"))
    page = _home("coordinator")
    assert "Việc cần làm" in page
    assert f"/theo-doi/ky-bao-cao/{period.pk}/?trang-thai=cho-tham-dinh" in page
    assert '<span class="todo-count">1</span> <span class="todo-label">báo cáo chờ thẩm định' in page
    assert f"/theo-doi/ky-bao-cao/{period.pk}/?trang-thai=tre-han" in page
    assert "đơn vị chưa gửi báo cáo quá hạn" in page


@pytest.mark.django_db
def test_focal_point_is_told_to_draft_the_report_and_the_leader_to_approve_it(demo_plan):
    period = quarter_three(demo_plan)
    assert f"/theo-doi/ky-bao-cao/{period.pk}/bao-cao-cua-don-vi/" in _home("focal_point")
    report = minhxuan_report(demo_plan)
    assert "Duyệt và gửi báo cáo" not in _home("leader")
    response = client_for("focal_point").post(f"/theo-doi/bao-cao/{report.pk}/trinh-duyet/",
                                              {"lock_version": report.lock_version})
    assert response.status_code == 302
    leader_home = _home("leader")
    assert f"/theo-doi/bao-cao/{report.pk}/" in leader_home and "Duyệt và gửi báo cáo Quý III/2025" in leader_home
    assert "0/" in leader_home  # the share of lines filled, beside the item
    note = Notification.objects.get(recipient=user("leader"), kind=NotificationKind.APPROVAL_REQUESTED)
    assert note.link == f"/theo-doi/bao-cao/{report.pk}/"
    detail = client_for("focal_point").get(f"/theo-doi/bao-cao/{report.pk}/").content.decode()
    assert "Chờ lãnh đạo đơn vị duyệt" in detail


@pytest.mark.django_db
def test_viewer_lands_on_the_leadership_overview(demo_plan):
    response = client_for("viewer").get("/", follow=True)
    # The first index with published results (Tuyên Quang's come from the provinces merged into it).
    assert response.redirect_chain[-1][0] == "/theo-doi/chi-so/PAPI/"
    assert "Kết quả gần nhất" in response.content.decode() and "Chưa có kết quả công bố" not in response.content.decode()


@pytest.mark.django_db
def test_bell_counts_unread_and_opening_a_notification_marks_it_read(demo_plan):
    leader = user("leader")
    note = Notification.objects.create(recipient=leader, event_key="t:1", kind=NotificationKind.REPORT_DUE,
                                       title="Sắp đến hạn", link="/ke-hoach/")
    client = client_for("leader")
    page = client.get("/ke-hoach/").content.decode()
    assert 'class="bell-count">1<' in page
    assert client.get(f"/theo-doi/thong-bao/{note.pk}/").status_code == 405
    response = client.post(f"/theo-doi/thong-bao/{note.pk}/")
    assert response.status_code == 302 and response["Location"] == "/ke-hoach/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'class="bell-count"' not in client.get("/ke-hoach/").content.decode()
    # Another person's notification is not theirs to open.
    assert client_for("focal_point").post(f"/theo-doi/thong-bao/{note.pk}/").status_code == 404


@pytest.mark.django_db
def test_notification_page_lists_what_waits_even_without_notifications(demo_plan):
    report = minhxuan_report(demo_plan)
    client_for("focal_point").post(f"/theo-doi/bao-cao/{report.pk}/trinh-duyet/", {"lock_version": report.lock_version})
    Notification.objects.filter(recipient=user("leader")).delete()
    page = client_for("leader").get("/theo-doi/thong-bao/").content.decode()
    assert "Chưa có thông báo." not in page and f"/theo-doi/bao-cao/{report.pk}/" in page


@pytest.mark.django_db
def test_leader_returns_the_draft_with_a_comment_and_a_stale_page_gets_409(demo_plan):
    report = minhxuan_report(demo_plan)
    leader = client_for("leader")
    url = f"/theo-doi/bao-cao/{report.pk}/tra-dau-moi/"
    assert leader.post(url, {"lock_version": report.lock_version, "comment": " "}).status_code == 302
    report.refresh_from_db()
    assert report.leader_returned_at is None  # an empty comment changes nothing
    assert leader.post(url, {"lock_version": report.lock_version, "comment": "Bổ sung minh chứng"}).status_code == 302
    report.refresh_from_db()
    assert report.leader_comment == "Bổ sung minh chứng" and report.status == ReportStatus.DRAFT
    assert Notification.objects.filter(recipient=user("focal_point"), kind=NotificationKind.LEADER_RETURNED).exists()
    item = todo_item(_home("focal_point"), "Báo cáo bị lãnh đạo đơn vị trả lại")
    assert "Bị trả lại" in item and "Quá hạn" not in item  # handed back, not late
    stale = leader.post(url, {"lock_version": report.lock_version - 1, "comment": "Lần nữa"})
    assert stale.status_code == 409
    # Only the leader returns; the focal point and the coordinator may not.
    assert client_for("focal_point").post(url, {"lock_version": report.lock_version, "comment": "x"}).status_code == 403
    assert client_for("other_commune").post(url, {"lock_version": report.lock_version, "comment": "x"}).status_code == 404


@pytest.mark.django_db
def test_leader_sees_what_is_incomplete_and_must_confirm_before_sending(demo_plan):
    report = minhxuan_report(demo_plan)
    problems = incomplete_lines(report)
    assert len(problems) == report.lines.count() and "chưa cập nhật tình trạng" in problems[0]
    leader = client_for("leader")
    page = leader.get(f"/theo-doi/bao-cao/{report.pk}/").content.decode()
    assert "điểm chưa đầy đủ" in page and 'name="confirm_incomplete"' in page
    response = leader.post(f"/theo-doi/bao-cao/{report.pk}/gui/", {"lock_version": report.lock_version})
    report.refresh_from_db()
    assert response.status_code == 302 and report.status == ReportStatus.DRAFT
    leader.post(f"/theo-doi/bao-cao/{report.pk}/gui/", {"lock_version": report.lock_version, "confirm_incomplete": "1"})
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


@pytest.mark.django_db
def test_a_done_line_whose_task_names_a_product_needs_evidence(demo_plan):
    report = minhxuan_report(demo_plan)
    line = report.lines.select_related("assignment__task").filter(assignment__task__outputs__gt="").first()
    assert line is not None
    save_line(line, LineData(status=LineStatus.DONE, progress=100, work_done="Đã ban hành",
                             completed_on=timezone.localdate().replace(year=2025, month=9, day=1)),
              expected_version=line.lock_version)
    assert any("chưa có minh chứng" in p for p in incomplete_lines(report))


@pytest.mark.django_db
def test_chasing_two_late_units_reminds_once_a_day_and_writes_the_letter(demo_plan):
    period = quarter_three(demo_plan)
    units = list(Assignment.objects.filter(task__plan=demo_plan, unit__users__role="focal_point")
                 .values_list("unit_id", flat=True).distinct().order_by("unit_id")[:2])
    client = client_for("coordinator")
    response = client.post(f"/theo-doi/ky-bao-cao/{period.pk}/don-doc/", {"don-vi": units})
    assert response.status_code == 302 and "da-nhac=" in response["Location"]
    sent = Notification.objects.filter(kind=NotificationKind.CHASE).count()
    assert sent >= 2
    client.post(f"/theo-doi/ky-bao-cao/{period.pk}/don-doc/", {"don-vi": units})
    assert Notification.objects.filter(kind=NotificationKind.CHASE).count() == sent  # idempotent per day
    page = client.get(response["Location"]).content.decode()
    assert "Tải công văn đôn đốc" in page
    letter = client.get(f"/van-ban/ky-bao-cao/{period.pk}/cong-van-don-doc/?don-vi={units[0]}&don-vi={units[1]}")
    assert letter.status_code == 200 and "cong%20van%20don%20doc" in letter["Content-Disposition"].replace("-", "%20")
    text = "\n".join(p.text for p in Document(io.BytesIO(letter.content)).paragraphs)
    cells = [c.text for t in Document(io.BytesIO(letter.content)).tables for row in t.rows for c in row.cells]
    assert "Kính gửi:" in text and "SỞ NỘI VỤ" in cells[0] and "V/v đôn đốc gửi báo cáo Quý III/2025" in cells[0]
    assert any("Chưa gửi báo cáo Quý III/2025" in c for c in cells)
    # Units and leaders may not chase; another province's period is 404.
    assert client_for("focal_point").post(f"/theo-doi/ky-bao-cao/{period.pk}/don-doc/",
                                          {"don-vi": units}).status_code == 403
    assert client_for("viewer").get(f"/van-ban/ky-bao-cao/{period.pk}/cong-van-don-doc/?don-vi={units[0]}"
                                    ).status_code == 403


@pytest.mark.django_db
def test_review_list_filters_by_state_kind_and_search_in_vietnamese_order(demo_plan):
    period = quarter_three(demo_plan)
    report = minhxuan_report(demo_plan)
    submit_report(report, user("leader"))
    client = client_for("coordinator")
    page = client.get(f"/theo-doi/ky-bao-cao/{period.pk}/").content.decode()
    first_row = page.split("<tbody>")[1].split("</tr>")[0]
    assert "Phường Minh Xuân" in first_row  # the one waiting for the coordinator first
    waiting = client.get(f"/theo-doi/ky-bao-cao/{period.pk}/?trang-thai=cho-tham-dinh").content.decode()
    assert "1 đơn vị phù hợp" in waiting
    found = client.get(f"/theo-doi/ky-bao-cao/{period.pk}/?q=minh+xuan").content.decode()
    assert "Phường Minh Xuân" in found
    communes = client.get(f"/theo-doi/ky-bao-cao/{period.pk}/?loai=xa&sap-xep=ten").content.decode()
    assert "Sở Khoa học" not in communes.split("<tbody>")[1]
    names = [cell.split(">", 1)[1].split("<")[0] for cell in communes.split('data-label="Đơn vị">')[1:]]
    from chiso.core.text import collation_key

    assert names == sorted(names, key=collation_key) and len(names) > 5


@pytest.mark.django_db
def test_deriving_a_unit_plan_leaves_the_unit_task_count_unchanged(demo_plan):
    focal = client_for("focal_point")
    before = focal.get("/").context["my_assignment_count"]
    derive_unit_plan(demo_plan, user("focal_point").unit)
    assert focal.get("/").context["my_assignment_count"] == before
    my_tasks = focal.get("/ke-hoach/nhiem-vu-cua-don-vi/").context["count"]
    assert my_tasks == before


@pytest.mark.django_db
def test_favicon_is_served(demo_plan, client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")
    assert 'rel="icon"' in client_for("coordinator").get("/").content.decode()


@pytest.mark.django_db
def test_a_comment_with_a_nul_character_is_refused_with_a_message_and_changes_nothing(demo_plan):
    """Typed outside any form (chiso.core.workflow.clean_comment): PostgreSQL refuses NUL in a text column, so it
    used to be a server error there; now the message says what to remove, on every engine."""
    report = minhxuan_report(demo_plan)
    returned = client_for("leader").post(f"/theo-doi/bao-cao/{report.pk}/tra-dau-moi/", {
        "lock_version": report.lock_version, "comment": "Bổ sung\x00 minh chứng"}, follow=True)
    assert returned.status_code == 200 and "ký tự NUL" in returned.content.decode()
    report.refresh_from_db()
    assert report.leader_returned_at is None and report.leader_comment == ""
    submit_report(report, user("leader"))
    report.refresh_from_db()
    coordinator = client_for("coordinator")
    for action in ("tra-lai", "chap-nhan"):
        response = coordinator.post(f"/theo-doi/bao-cao/{report.pk}/{action}/", {
            "lock_version": report.lock_version, "comment": "Đạt\x00"}, follow=True)
        assert response.status_code == 200 and "ký tự NUL" in response.content.decode()
        report.refresh_from_db()
        assert report.status == ReportStatus.SUBMITTED and report.review_comment == ""
