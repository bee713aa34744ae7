"""Downloads of a plan as documents. Whoever may see a plan may download it (plans.permissions)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from chiso.accounts.requests import AuthenticatedRequest
from chiso.core.text import fold
from chiso.documents.exports.plan_docx import plan_docx
from chiso.documents.exports.plan_xlsx import plan_xlsx
from chiso.plans import permissions as perm
from chiso.plans.models import Plan

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"docx": DOCX, "xlsx": XLSX}


def download_name(stem: str, extension: str) -> str:
    """'ke-hoach-154-kh-bcd.docx': ASCII, with đ read as d (slugify alone would drop it) and the number's
    slash as a dash."""
    return f"{slugify(fold(stem).replace('/', ' '))}.{extension}"


def attachment(content: bytes, stem: str, extension: str) -> HttpResponse:
    """A document download. Not kept by the browser or a proxy: a shared computer's next user must not find
    a plan or report the server would no longer show them."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = content_disposition_header(True, download_name(stem, extension))
    response["Cache-Control"] = "private, no-store"
    return response


def file_stem(plan: Plan) -> str:
    """'ke hoach 154/KH-UBND'; a plan without a number yet is named by its id."""
    return f"ke hoach {plan.number}/{plan.symbol}" if plan.number else f"ke hoach du thao {plan.pk}"


def _download(request: AuthenticatedRequest, pk: int, render: Callable[[Plan], bytes], extension: str) -> HttpResponse:
    plan = perm.get_visible_plan(request.user, pk)
    return attachment(render(plan), file_stem(plan), extension)


@login_required
def plan_download_docx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _download(request, pk, plan_docx, "docx")


@login_required
def plan_download_xlsx(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _download(request, pk, plan_xlsx, "xlsx")
