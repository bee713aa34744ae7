"""View helpers shared by every app: page-or-fragment rendering for htmx."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_htmx(request: HttpRequest, page: str, fragment: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """htmx requests get the fragment (`_thing.html`), full navigations the page that includes it."""
    template = fragment if getattr(request, "htmx", False) else page
    return render(request, template, context, status=status)
