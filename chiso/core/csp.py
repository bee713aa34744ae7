"""Content-Security-Policy on every HTML page: scripts, styles, images, fonts and requests only from chiso
itself; no inline script or style, no eval, no plugin, no framing, forms posting only to chiso.

A middleware of our own rather than django-csp: the policy is one constant with no per-view variation (no
nonce is needed, since the templates carry no inline script, style or event handler: behaviour lives in
core/static/chiso/*.js, data in json_script blocks, which are not executed). A response that sets its own
policy (evidence downloads are sandboxed) keeps it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html") and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = POLICY
        return response
