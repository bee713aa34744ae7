"""The OpenAPI 3 schema validates, documents every endpoint the URLconf routes to the API, and the interactive
documentation is served from chiso's own static files (no CDN)."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from openapi_spec_validator import validate

PREFIX = "api/v1/"
NOT_ENDPOINTS = {"", "openapi.json", "docs"}  # the root, the schema and the documentation page


def _routes(patterns: list, prefix: str = "") -> list[tuple[str, URLPattern]]:  # type: ignore[type-arg]
    found = []
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            found += _routes(pattern.url_patterns, route)
        else:
            found.append((route, pattern))
    return found


def _as_openapi(route: str) -> str:
    """Django's 'api/v1/reports/<int:report_id>' as OpenAPI's '/api/v1/reports/{report_id}'."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


@pytest.mark.django_db
def test_the_schema_validates_and_lists_every_api_route():
    schema = Client().get("/api/v1/openapi.json").json()
    validate(schema)
    api_routes = [route for route, _ in _routes(get_resolver().url_patterns) if route.startswith(PREFIX)
                  and route[len(PREFIX):] not in NOT_ENDPOINTS]
    assert len(api_routes) >= 18
    missing = [route for route in api_routes if _as_openapi(route) not in schema["paths"]]
    assert not missing, missing
    # Every operation says who may call it: a bearer token (or the signed-in session), or nobody for open data.
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), (method, path)


@pytest.mark.django_db
def test_the_interactive_documentation_is_served_locally():
    html = Client().get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui" in html
    assert "cdn" not in html.lower()
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    assert all(finders.find(asset) for asset in assets), assets
