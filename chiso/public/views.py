"""Pages anyone may open without logging in: a plan's public page (only once its coordinator opted in),
its QR code and the evidence files the province marked public, and the open data of published results.
Rendered pages are cached whole (chiso.public.cache)."""

from __future__ import annotations

import csv
import io
import json

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chiso.accounts.requests import AuthenticatedRequest
from chiso.core.http import require
from chiso.monitoring.reports.downloads import evidence_file_response
from chiso.plans.models import Plan
from chiso.plans.permissions import get_visible_plan
from chiso.public.cache import page_key
from chiso.public.evidence import downloadable_evidence
from chiso.public.opendata import COLUMNS, LICENCE, open_rows, sources_text
from chiso.public.progress import plan_progress
from chiso.public.results import results_over_years
from chiso.public.scope import PUBLISHED, public_plans

PAGE_MAX_AGE = 300
# Pages of superseded versions are never read again; a day's expiry keeps the shared cache's table small.
PAGE_CACHE_SECONDS = 24 * 3600


def _public_plan(pk: int) -> Plan:
    """The plan if it is issued and opted in; 404 otherwise, whether or not it exists."""
    plan = public_plans().filter(pk=pk).select_related("province", "owner_unit").first()
    if plan is None:
        raise Http404
    return plan


def _public_response(body: str | bytes, content_type: str = "text/html; charset=utf-8") -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = f"public, max-age={PAGE_MAX_AGE}"
    return response


def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _public_plan(pk)
    key = page_key(plan.pk, translation.get_language() or "vi")
    html = cache.get(key)
    if html is None:
        today = timezone.localdate()
        html = render_to_string("public/plan.html", {
            "plan": plan, "targets": list(plan.targets.all()), "progress": plan_progress(plan, today),
            "results": results_over_years(plan), "today": today,
            "page_url": request.build_absolute_uri(reverse("public:plan", args=[plan.pk])),
        }, request=request)
        cache.set(key, html, PAGE_CACHE_SECONDS)
    return _public_response(html)


def plan_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """An SVG QR code of the page's address, to print in the plan."""
    plan = _public_plan(pk)
    url = request.build_absolute_uri(reverse("public:plan", args=[plan.pk]))
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=2, title=_("Mã QR trang công khai"))
    return _public_response(buffer.getvalue(), "image/svg+xml")


def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """A file listed on a public page, without login; 404 alike for a file that does not exist and one that is
    not (or no longer) public, so nothing is learnt about what is kept."""
    evidence = downloadable_evidence(pk)
    if evidence is None:
        raise Http404
    return evidence_file_response(evidence, f"public, max-age={PAGE_MAX_AGE}")


@login_required
@require_POST
def plan_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The coordinator opts the province plan in (or out) of its public page."""
    plan = get_visible_plan(request.user, pk)
    require(request.user.manages_province and not plan.is_unit_plan and plan.status in PUBLISHED)
    plan.is_public = request.POST.get("public") == "1"
    plan.save(update_fields=["is_public", "updated_at"])
    messages.success(request, _("Đã công khai tiến độ kế hoạch.") if plan.is_public
                     else _("Đã thôi công khai tiến độ kế hoạch."))
    return redirect("plans:plan_detail", pk=plan.pk)


def open_data(request: HttpRequest) -> HttpResponse:
    return render(request, "public/open_data.html", {"licence": LICENCE, "sources": sources_text()})


def open_data_csv(request: HttpRequest) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 with the BOM, so Vietnamese names read right
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row in open_rows():
        writer.writerow(row)
    response = _public_response(buffer.getvalue(), "text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="chiso-ket-qua-chi-so.csv"'
    return response


def open_data_json(request: HttpRequest) -> HttpResponse:
    rows = open_rows()
    body = json.dumps({"licence": str(LICENCE), "sources": sources_text(), "count": len(rows), "rows": rows},
                      cls=DjangoJSONEncoder, ensure_ascii=False)
    return _public_response(body, "application/json")
