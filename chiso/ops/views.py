from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from chiso.ops.health import run_checks


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """No login: a load balancer or a monitor calls it. 200 when every check passes, else 503."""
    checks = run_checks()
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "error",
            "checks": {name: "ok" if passed else "error" for name, passed in checks.items()}}
    return JsonResponse(body, status=200 if healthy else 503)
