"""View helpers shared by every app: permission guard, page-or-fragment rendering for htmx."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render


def render_htmx(request: HttpRequest, page: str, fragment: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """htmx requests get the fragment (`_thing.html`), full navigations the page that includes it."""
    template = fragment if getattr(request, "htmx", False) else page
    return render(request, template, context, status=status)


def redirect_after_save(request: HttpRequest, url: str) -> HttpResponse:
    """After a successful save: htmx follows HX-Redirect (a 204 swaps nothing), a plain form a 302."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def int_param(raw: str | None) -> int | None:
    """A non-negative id, year or version from a query string or form, or None: malformed input (letters,
    other digits than ASCII, absurd lengths) becomes a 400/404 in the caller, never a 500."""
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        return None
    return int(raw)


def require(condition: bool) -> None:
    """Seeing but not being allowed to change is a 403; not being allowed to see is the caller's 404."""
    if not condition:
        raise PermissionDenied
