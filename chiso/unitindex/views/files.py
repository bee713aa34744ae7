"""Files of the unit index: the result table and draft decision, a unit's score sheet, the survey
template and upload, and the evidence dossier built in the background and downloaded resumably."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chiso.accounts.requests import AuthenticatedRequest
from chiso.core.http import render_htmx, require
from chiso.core.tabular import ImportRejected
from chiso.unitindex import permissions as perm
from chiso.unitindex.dossier import dossier_dir
from chiso.unitindex.exports import decision_docx, results_xlsx, sheet_docx, sheet_xlsx
from chiso.unitindex.forms import SurveyUploadForm
from chiso.unitindex.importing.tree_reader import parse_points
from chiso.unitindex.models import Dossier, DossierStatus, Participant
from chiso.unitindex.ranges import ranged_file
from chiso.unitindex.services import SheetRefused
from chiso.unitindex.survey import SurveyLine, read_survey, save_survey, template_xlsx
from chiso.unitindex.tasks import build_dossier_task

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def round_file(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponse:
    round_ = perm.get_round(request.user, pk)
    require(perm.reads_whole_round(request.user, round_))
    if kind == "xlsx":
        return _attachment(results_xlsx(round_), f"ket-qua-chi-so-cchc-{round_.year}.xlsx", XLSX)
    return _attachment(decision_docx(round_), f"du-thao-quyet-dinh-cong-bo-{round_.year}.docx", DOCX)


def _visible_whole_sheet(request: AuthenticatedRequest, pk: int) -> Participant:
    sheet = perm.get_sheet(request.user, pk)
    require(perm.visible_entry_ids(request.user, sheet) is None)
    return sheet


@login_required
def sheet_file(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponse:
    sheet = _visible_whole_sheet(request, pk)
    name = f"phieu-cham-diem-{sheet.unit.code}-{sheet.round.year}.{kind}"
    if kind == "xlsx":
        return _attachment(sheet_xlsx(sheet), name, XLSX)
    return _attachment(sheet_docx(sheet), name, DOCX)


@login_required
def survey(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    round_ = perm.get_round(request.user, pk)
    require(perm.manages(request.user, round_))
    if request.GET.get("mau"):
        return _attachment(template_xlsx(round_), f"mau-diem-dieu-tra-{round_.year}.xlsx", XLSX)
    form = SurveyUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and request.POST.get("action") == "save":
        lines = [SurveyLine(u, "", c, parse_points(p) or Decimal(0)) for u, c, p in
                 zip(request.POST.getlist("unit_code"), request.POST.getlist("code"), request.POST.getlist("points"),
                     strict=False)]
        try:
            count = save_survey(round_, lines, by=request.user)
        except (SheetRefused, ValueError) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã lưu %(n)s điểm điều tra.") % {"n": count})
        return redirect("unitindex:round_detail", pk=round_.pk)
    context = {"round": round_, "form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            context["lines"] = read_survey(round_, upload, upload.name or "")
        except ImportRejected as error:
            context["errors"] = error.errors
    return render(request, "unitindex/survey.html", context, status=400 if context.get("errors") else 200)


@login_required
@require_POST
def dossier_start(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    sheet = _visible_whole_sheet(request, pk)
    dossier = Dossier.objects.create(participant=sheet, requested_by=request.user)
    build_dossier_task.enqueue(dossier.pk)
    return redirect("unitindex:dossier_detail", pk=dossier.pk)


def _dossier(request: AuthenticatedRequest, pk: int) -> Dossier:
    dossier = get_object_or_404(Dossier.objects.select_related("participant"), pk=pk)
    sheet = perm.get_sheet(request.user, dossier.participant_id)
    if perm.visible_entry_ids(request.user, sheet) is not None:
        raise PermissionDenied
    dossier.participant = sheet
    return dossier


@login_required
def dossier_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    dossier = _dossier(request, pk)
    return render_htmx(request, "unitindex/dossier.html", "unitindex/_dossier_progress.html", {"dossier": dossier})


@login_required
def dossier_download(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    dossier = _dossier(request, pk)
    if dossier.status != DossierStatus.DONE or not dossier.path:
        raise Http404
    path = dossier_dir() / Path(dossier.path).name
    if not path.exists():
        raise Http404
    name = f"ho-so-minh-chung-{dossier.participant.unit.code}-{dossier.participant.round.year}.zip"
    return ranged_file(request, path, name, "application/zip")
