"""One JSON line per request (user id, method, path, status, duration in ms, query count) on the
`chiso.request` logger, which settings route to standard output in production (journald keeps it)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

logger = logging.getLogger("chiso.request")


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


def user_id_of(request: HttpRequest) -> int | None:
    """The user id only if something already loaded the user: logging must not add a query (or fail on
    a database that is down, which /healthz reports)."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not logger.isEnabledFor(logging.INFO):
            return self.get_response(request)
        counter = QueryCounter()
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        logger.info("request", extra={"fields": {
            "user_id": user_id_of(request), "method": request.method, "path": request.path,
            "status": response.status_code, "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "queries": counter.count,
        }})
        return response


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object per line; the request fields at top level."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
            "logger": record.name, "message": record.getMessage(),
        }
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
