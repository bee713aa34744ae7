"""Downloads of monitoring reports as documents, with the monitoring pages' permissions: the consolidated
report of a period for whoever may open the period's review list (monitoring.permissions.can_review_period),
a unit's report (as it stands, or one submitted version) for whoever may see that report — another unit
gets 404."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone

from chiso.accounts.requests import AuthenticatedRequest
from chiso.core.http import require
from chiso.documents.exports.report_data import consolidated_report
from chiso.documents.exports.report_docx import report_docx
from chiso.documents.exports.report_texts import ReportDocument
from chiso.documents.exports.report_xlsx import report_xlsx
from chiso.documents.exports.unit_report_data import unit_report_document
from chiso.documents.exports.views import attachment
from chiso.monitoring import permissions as perm

WRITERS: dict[str, Callable[[ReportDocument], bytes]] = {"docx": report_docx, "xlsx": report_xlsx}


def _check(extension: str) -> None:
    if extension not in WRITERS:
        raise Http404


def _send(document: ReportDocument, extension: str) -> HttpResponse:
    return attachment(WRITERS[extension](document), document.file_stem, extension)


@login_required
def period_report_download(request: AuthenticatedRequest, pk: int, extension: str) -> HttpResponse:
    _check(extension)
    period = perm.get_visible_period(request.user, pk)
    require(perm.can_review_period(request.user, period))
    return _send(consolidated_report(period, request.user.unit, timezone.localdate()), extension)


@login_required
def unit_report_download(request: AuthenticatedRequest, pk: int, extension: str, number: int | None = None) -> HttpResponse:
    _check(extension)
    report = perm.get_visible_report(request.user, pk)
    version = None
    if number is not None:
        version = get_object_or_404(report.versions.select_related("submitted_by"), number=number)
    return _send(unit_report_document(report, version), extension)
