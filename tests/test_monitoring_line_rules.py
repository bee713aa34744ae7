"""What a report line may say: a completed task needs its completion date (on-time is judged by it), no
date in the future or on a task not completed, no indicator value on a task not started. Each refusal has
a Vietnamese message and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from chiso.monitoring.models import LineStatus
from tests.conftest import client_for
from tests.monitoring_helpers import minhxuan_report

HTMX = {"HTTP_HX_REQUEST": "true"}


def _post(report, line, **fields):  # type: ignore[no-untyped-def]
    data = {"status": "in_progress", "reason": "", "progress": "0", "work_done": "", "indicator_value": "",
            "completed_on": "", "lock_version": line.lock_version, **fields}
    return client_for("focal_point").post(f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/sua/", data, **HTMX)


@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "message"), [
    ({"status": "done"}, "Nhập ngày hoàn thành"),
    ({"status": "done_late"}, "Nhập ngày hoàn thành"),
    ({"status": "in_progress", "progress": "40", "completed_on": "01/09/2025"}, "không có ngày hoàn thành"),
    ({"status": "not_started", "completed_on": "01/09/2025"}, "không có ngày hoàn thành"),
    ({"status": "done", "completed_on": "future"}, "không thể sau hôm nay"),
    ({"status": "not_started", "indicator_value": "97,8"}, "chưa có giá trị chỉ tiêu"),
])
def test_inconsistent_lines_are_refused(demo_plan, fields, message):
    if fields.get("completed_on") == "future":
        fields = {**fields, "completed_on": (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")}
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    response = _post(report, line, **fields)
    assert response.status_code == 400
    assert message in response.content.decode()
    line.refresh_from_db()
    assert (line.status, line.completed_on, line.indicator_value) == (LineStatus.NOT_STARTED, None, None)


@pytest.mark.django_db
def test_a_completed_line_with_its_date_is_saved(demo_plan):
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    assert _post(report, line, status="done", completed_on="01/09/2025").status_code == 200
    line.refresh_from_db()
    assert (line.status, line.completed_on) == (LineStatus.DONE, dt.date(2025, 9, 1))
