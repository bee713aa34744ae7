"""The REST API, version 1, at /api/v1/: django-ninja, with its OpenAPI 3 schema at /api/v1/openapi.json and
the interactive documentation (Swagger UI, served from the installed package's static files) at /api/v1/docs.

Every request is authenticated by a bearer token (chiso.api.tokens); the token's account is put on the
request as `request.user`, so every endpoint scopes and checks with the same functions as the pages:
404 for what the account may not see, 403 for what it may not change, 409 for a stale version."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.security import HttpBearer, SessionAuth

from chiso.api.limits import RateLimited, count_request
from chiso.api.models import ApiToken
from chiso.api.tokens import token_for
from chiso.core.locking import STALE_MESSAGE, StaleEdit
from chiso.core.workflow import InvalidTransition


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_for(token)
        if found is None:
            return None
        count_request(f"token:{found.pk}")
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found


class SignedInSession(SessionAuth):
    """A signed-in user's own session (the interactive documentation in the browser); writes need the CSRF token
    as on the pages. Counted against the same rate limit, per user."""

    def authenticate(self, request: HttpRequest, key: str | None) -> object | None:
        user = super().authenticate(request, key)
        if user is not None:
            count_request(f"user:{request.user.pk}")
        return user


api = NinjaAPI(
    title="chiso API", version="1.0.0", urls_namespace="api",
    description="Kế hoạch, nhiệm vụ, báo cáo định kỳ, kết quả chỉ số PAR INDEX, PAPI, SIPAS. "
                "Xác thực: Authorization: Bearer <khóa API>.",
    auth=[TokenAuth(), SignedInSession()],
)


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _error(request, 429, _("Quá nhiều yêu cầu; thử lại sau %(n)s giây.") % {"n": exc.retry_after})
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, _("Bạn không có quyền thực hiện thao tác này."))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Không tìm thấy."))


@api.exception_handler(StaleEdit)
def _stale(request: HttpRequest, exc: StaleEdit) -> HttpResponse:
    return _error(request, 409, str(STALE_MESSAGE))


@api.exception_handler(InvalidTransition)
def _invalid(request: HttpRequest, exc: InvalidTransition) -> HttpResponse:
    return _error(request, 409, str(exc))


def _register() -> None:
    from chiso.api.endpoints import monitoring, plans, reference, results

    api.add_router("/", reference.router)
    api.add_router("/", plans.router)
    api.add_router("/", monitoring.router)
    api.add_router("/", results.router)


_register()
