"""Vietnamese first: the UI is Vietnamese unless the user chose English with the language switch.
Office browsers often announce en-US, so the Accept-Language header is deliberately not followed."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

from chiso.core.bounds import holds_nul

logger = logging.getLogger(__name__)


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RetryOnDatabaseLock:
    """On SQLite, a write that still finds the database locked after the busy timeout is run again, a few
    times, instead of showing an error page. The view is retried, not the request: the middlewares around it
    ran once. With IMMEDIATE transactions the lock is met when a transaction begins, before it wrote
    anything, so running the view again repeats no write. PostgreSQL waits on row locks and never raises this."""

    ATTEMPTS = 4

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.enabled = connection.vendor == "sqlite"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable[..., HttpResponse], args: tuple[Any, ...],
                     kwargs: dict[str, Any]) -> HttpResponse | None:
        if not self.enabled or request.method in {"GET", "HEAD", "OPTIONS"}:
            return None
        for attempt in range(1, self.ATTEMPTS + 1):
            try:
                return view(request, *args, **kwargs)
            except OperationalError as error:
                if "locked" not in str(error) or attempt == self.ATTEMPTS or connection.in_atomic_block:
                    raise
                logger.warning("database locked on %s %s, attempt %s", request.method, request.path, attempt)
                time.sleep(0.05 * attempt + random.random() * 0.1)  # noqa: S311 - jitter, not security
        return None  # unreachable: the last attempt returns or raises


class RefuseNulInQuery:
    """A NUL character in a query string (?q=%00) is never something a person typed, and PostgreSQL refuses
    it in a string: answer 400 with the Vietnamese page before any view filters on it. Forms refuse NUL in
    their fields with their own message (core.bounds)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if holds_nul(request.path, *(text for key, values in request.GET.lists() for text in (key, *values))):
            from chiso.core.errors import bad_request

            return bad_request(request)
        return self.get_response(request)
