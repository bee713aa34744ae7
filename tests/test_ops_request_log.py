"""One JSON line per request on the chiso.request logger: user id, method, path, status, duration, queries."""

from __future__ import annotations

import json
import logging

import pytest

from chiso.accounts.models import User
from chiso.ops.request_log import JsonFormatter
from tests.conftest import client_for


@pytest.fixture
def request_lines():  # type: ignore[no-untyped-def]
    logger = logging.getLogger("chiso.request")
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(JsonFormatter().format(record))

    handler, level = Collect(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lines
    logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.mark.django_db
def test_each_request_logs_one_json_line_with_user_status_duration_and_queries(request_lines):
    client_for("coordinator").get("/ke-hoach/")
    assert len(request_lines) == 1
    line = json.loads(request_lines[0])
    assert line["user_id"] == User.objects.get(username="dieuphoi").pk
    assert (line["method"], line["path"], line["status"]) == ("GET", "/ke-hoach/", 200)
    assert line["queries"] > 0 and line["duration_ms"] > 0 and line["logger"] == "chiso.request"


@pytest.mark.django_db
def test_anonymous_requests_log_no_user_and_no_extra_query(request_lines, django_assert_num_queries):
    from django.test import Client

    with django_assert_num_queries(0):
        Client().get("/tai-khoan/dang-nhap/")
    line = json.loads(request_lines[0])
    assert line["user_id"] is None and line["status"] == 200 and line["queries"] == 0


def test_json_formatter_writes_one_line_with_vietnamese_intact():
    record = logging.LogRecord("chiso", logging.ERROR, __file__, 1, "Lỗi gửi thư\ntiếp", None, None)
    text = JsonFormatter().format(record)
    assert "\n" not in text and json.loads(text)["message"] == "Lỗi gửi thư\ntiếp"
