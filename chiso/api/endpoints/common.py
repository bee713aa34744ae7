"""Shared pieces of the endpoints: the pagination, the province filter, parsing of filters."""


import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from ninja.pagination import PageNumberPagination

from chiso.accounts.models import User

PAGE_SIZE = 100


class Pages(PageNumberPagination):
    """?page=N, 100 items a page: {"items": [...], "count": total}."""

    class Input(PageNumberPagination.Input):
        pass

    def __init__(self, **kwargs: Any):
        super().__init__(page_size=PAGE_SIZE, **kwargs)


def account(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def require_writable(request: HttpRequest) -> None:
    """A read-only token changes nothing, whatever its account could do on the pages."""
    token = getattr(request, "api_token", None)
    if token is not None and token.read_only:
        raise PermissionDenied


def since(value: dt.datetime | None) -> dict[str, dt.datetime]:
    return {"updated_at__gte": value} if value else {}


def refused(status: int, detail: str, errors: dict[str, list[str]] | None = None) -> JsonResponse:
    """A refusal in the shape of ErrorOut: what went wrong, and by field where it can say."""
    return JsonResponse({"detail": detail, **({"errors": errors} if errors else {})}, status=status)
