"""ETag and If-None-Match for the API's and the open data's GET responses: a client polling for changes
gets 304 with no body when nothing changed. The tag is the hash of the body (what ConditionalGetMiddleware
does), limited to these paths so that pages with CSRF tokens are left alone."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, set_response_etag

CONDITIONAL_PREFIXES = ("/api/v1/", "/cong-khai/du-lieu-mo/")


class ApiConditionalGetMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (request.method != "GET" or response.status_code != 200 or response.streaming
                or not request.path.startswith(CONDITIONAL_PREFIXES)):
            return response
        set_response_etag(response)
        # The body depends on the token (its scope): caches between client and server must not share it.
        response.headers.setdefault("Cache-Control", "private, no-cache")
        return get_conditional_response(request, etag=response.get("ETag"), response=response) or response


class ApiWriteLogMiddleware:
    """Records every write request made with a token (whatever its outcome short of a server error), so the
    province can see what each system changed and when; the rows' history says what changed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        token = getattr(request, "api_token", None)
        if token is not None and request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 500:
            from chiso.api.models import ApiWrite

            ApiWrite.objects.create(token=token, method=request.method or "", path=request.path[:300],
                                    status=response.status_code)
        return response
