"""Downloads of a plan as documents. Whoever may see a plan may download it (plans.permissions)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from chiso.documents.plan_docx import plan_docx
from chiso.documents.plan_xlsx import plan_xlsx
from chiso.plans import permissions as perm
from chiso.plans.models import Plan

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(plan: Plan, extension: str) -> str:
    """'ke-hoach-154-kh-ubnd.docx'; a plan without a number yet is named by its id."""
    stem = f"ke hoach {plan.number} {plan.symbol}" if plan.number else f"ke hoach du thao {plan.pk}"
    return f"{slugify(stem)}.{extension}"


def _download(request: HttpRequest, pk: int, render: Callable[[Plan], bytes], extension: str,
              content_type: str) -> HttpResponse:
    plan = perm.get_visible_plan(request.user, pk)
    response = HttpResponse(render(plan), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, file_name(plan, extension))
    return response


@login_required
def plan_download_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, plan_docx, "docx", DOCX)


@login_required
def plan_download_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, plan_xlsx, "xlsx", XLSX)
