"""The score sheet, laid out like the tree, and every write on one of its criteria (htmx fragments)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chiso.accounts.models import User
from chiso.accounts.requests import AuthenticatedRequest
from chiso.core.http import int_param, require
from chiso.core.locking import STALE_MESSAGE, StaleEdit
from chiso.monitoring.models import Evidence
from chiso.monitoring.reports.evidence import EvidenceRejected, check_evidence
from chiso.monitoring.reports.uploads import limit_evidence_upload, upload_was_too_large
from chiso.unitindex import permissions as perm
from chiso.unitindex.appraisal import finish_appraisal, save_answer, save_appraisal, send_explanation
from chiso.unitindex.evidence_reuse import suggestions_by_code
from chiso.unitindex.forms import AnswerForm, AppraisalForm, SelfScoreForm, documents_text
from chiso.unitindex.models import Entry, EntryEvidence, Participant, SheetStatus, Stage
from chiso.unitindex.ranges import ranged_file
from chiso.unitindex.scoring import sheet_totals
from chiso.unitindex.services import (
    SelfScore,
    SheetRefused,
    add_uploaded_evidence,
    pick_report_evidence,
    save_self_score,
    send_sheet,
)
from chiso.unitindex.stages import StageClosed, stage_is_open
from chiso.unitindex.tree import method_of, ordered_nodes


@dataclass
class Rights:
    """What the viewer may do on this sheet now: computed once per page, not per criterion."""

    fill: bool
    send: bool
    answer: bool
    appraise_stage: str | None
    finish: bool
    visible: set[int] | None


def rights(user: User, sheet: Participant) -> Rights:
    status = sheet.status
    fill = perm.can_fill(user, sheet) and status in (SheetStatus.NOT_STARTED, SheetStatus.IN_PROGRESS) and \
        stage_is_open(sheet, Stage.SELF)
    answer = perm.can_fill(user, sheet) and status == SheetStatus.APPRAISED and stage_is_open(sheet, Stage.EXPLANATION)
    stage = None
    if status == SheetStatus.SENT and stage_is_open(sheet, Stage.APPRAISAL1):
        stage = Stage.APPRAISAL1
    elif status in (SheetStatus.APPRAISED, SheetStatus.EXPLAINED) and stage_is_open(sheet, Stage.APPRAISAL2):
        stage = Stage.APPRAISAL2
    appraiser = perm.manages(user, sheet.round) or user.role == "appraiser"
    return Rights(fill=fill, send=fill and perm.can_send(user, sheet), answer=answer,
                  appraise_stage=stage if appraiser else None,
                  finish=stage is not None and perm.can_finish_appraisal(user, sheet),
                  visible=perm.visible_entry_ids(user, sheet))


def _load_sheet(request: AuthenticatedRequest, pk: int) -> Participant:
    sheet = perm.get_sheet(request.user, pk)
    require(perm.can_see_sheet(request.user, sheet))
    return Participant.objects.select_related("round__province", "unit", "framework", "signed_by").prefetch_related(
        "round__stages", "reopenings").get(pk=sheet.pk)


def _entry_context(request: AuthenticatedRequest, entry: Entry, sheet: Participant, can: Rights,
                   offered: list[Evidence] | None = None, forms: dict[str, Any] | None = None) -> dict[str, Any]:
    user = request.user
    appraisable = can.appraise_stage is not None and perm.can_appraise(user, entry)
    forms = forms or {}
    if can.fill and method_of(entry.node) == "self" and "self" not in forms:
        forms["self"] = SelfScoreForm(initial={
            "lock_version": entry.lock_version, "score": _comma(entry.self_score), "not_applicable": entry.not_applicable,
            "figures": entry.figures, "explanation": entry.explanation, "documents": documents_text(entry.documents)})
    if appraisable and method_of(entry.node) == "self" and "appraise" not in forms:
        current = entry.appraisal1_score if can.appraise_stage == Stage.APPRAISAL1 else entry.final_score
        forms["appraise"] = AppraisalForm(initial={
            "lock_version": entry.lock_version, "stage": can.appraise_stage, "score": _comma(current),
            "request_explanation": entry.explanation_requested,
            "comment": entry.appraisal1_comment if can.appraise_stage == Stage.APPRAISAL1 else entry.final_comment})
    if can.answer and _differs(entry) and "answer" not in forms:
        forms["answer"] = AnswerForm(initial={"lock_version": entry.lock_version, "answer": entry.answer})
    picked = {e.report_evidence_id for e in entry.evidence.all()}
    return {"entry": entry, "sheet": sheet, "can": can, "forms": forms, "detail": getattr(entry.node, "criterion", None),
            "offered": [e for e in (offered or []) if e.pk not in picked], "differs": _differs(entry)}


def _comma(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}".replace(".", ",")


def _differs(entry: Entry) -> bool:
    return entry.explanation_requested or (
        entry.appraisal1_score is not None and entry.self_score is not None and entry.appraisal1_score != entry.self_score)


@login_required
def sheet_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    sheet = _load_sheet(request, pk)
    can = rights(request.user, sheet)
    entries = {e.node_id: e for e in Entry.objects.filter(participant=sheet).select_related(
        "node__criterion").prefetch_related("evidence")}
    offered = suggestions_by_code(sheet) if can.fill or can.answer else {}
    rows: list[dict[str, Any]] = []
    for node in ordered_nodes(sheet.framework):
        entry = entries.get(node.pk)
        if entry is None:
            rows.append({"node": node})
        elif can.visible is None or node.pk in can.visible:
            rows.append({"node": node, **_entry_context(request, entry, sheet, can, offered.get(node.code, []))})
    totals = sheet_totals(sheet, entries.values())
    return render(request, "unitindex/sheet.html", {
        "sheet": sheet, "rows": rows, "can": can, "totals": totals, "whole": can.visible is None,
        "versions": sheet.versions.select_related("sent_by"), "reopenings": sheet.reopenings.all(),
        "manages": perm.manages(request.user, sheet.round)})


def _entry_for_write(request: AuthenticatedRequest, pk: int) -> tuple[Entry, Participant, Rights]:
    entry = perm.get_entry(request.user, pk)
    sheet = _load_sheet(request, entry.participant_id)
    if not (sheet.round.published_at is None and perm.can_see_sheet(request.user, sheet)):
        raise PermissionDenied
    visible = perm.visible_entry_ids(request.user, sheet)
    if visible is not None and entry.node_id not in visible:
        raise PermissionDenied
    entry.participant = sheet
    return entry, sheet, rights(request.user, sheet)


def _entry_response(request: AuthenticatedRequest, entry: Entry, sheet: Participant, can: Rights,
                    forms: dict[str, Any] | None = None, status: int = 200) -> HttpResponse:
    entry = Entry.objects.select_related("node__criterion").prefetch_related("evidence").get(pk=entry.pk)
    entry.participant = sheet
    offered = suggestions_by_code(sheet).get(entry.node.code, []) if can.fill or can.answer else []
    context = _entry_context(request, entry, sheet, can, offered, forms)
    if getattr(request, "htmx", False):
        return render(request, "unitindex/_entry.html", context, status=status)
    if status == 200:
        return redirect("unitindex:sheet_detail", pk=sheet.pk)
    return render(request, "unitindex/entry_page.html", context, status=status)


def _saved_status(form: Any, save: Callable[[dict[str, Any]], object]) -> int:
    """The status of an entry's save: 400 for a form that does not validate or a refusal (the reason on the
    form), 409 for a stale version, 200 once saved."""
    if not form.is_valid():
        return 400
    try:
        save(form.cleaned_data)
    except StaleEdit:
        form.add_error(None, STALE_MESSAGE)
        return 409
    except (SheetRefused, StageClosed) as error:
        form.add_error(None, str(error))
        return 400
    return 200


@login_required
@require_POST
def entry_self(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry, sheet, can = _entry_for_write(request, pk)
    require(perm.can_fill(request.user, sheet))
    form = SelfScoreForm(request.POST)
    status = _saved_status(form, lambda d: save_self_score(
        entry, SelfScore(d["score"], d["not_applicable"], d["figures"], d["explanation"], d["documents"]),
        expected_version=d["lock_version"], by=request.user))
    return _entry_response(request, entry, sheet, rights(request.user, sheet) if status == 200 else can,
                           None if status == 200 else {"self": form}, status)


@login_required
@require_POST
def entry_appraise(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry, sheet, can = _entry_for_write(request, pk)
    require(perm.can_appraise(request.user, entry))
    form = AppraisalForm(request.POST)
    status = _saved_status(form, lambda d: save_appraisal(
        entry, stage=d["stage"], score=d["score"], comment=d["comment"],
        request_explanation=d["request_explanation"], expected_version=d["lock_version"], by=request.user))
    return _entry_response(request, entry, sheet, can, None if status == 200 else {"appraise": form}, status)


@login_required
@require_POST
def entry_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry, sheet, can = _entry_for_write(request, pk)
    require(perm.can_fill(request.user, sheet))
    form = AnswerForm(request.POST)
    status = _saved_status(form, lambda d: save_answer(entry, answer=d["answer"], expected_version=d["lock_version"],
                                                       by=request.user))
    return _entry_response(request, entry, sheet, can, None if status == 200 else {"answer": form}, status)


@login_required
@require_POST
def entry_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    limit_evidence_upload(request)
    entry, sheet, _can = _entry_for_write(request, pk)
    require(perm.can_fill(request.user, sheet))
    upload = request.FILES.get("file")
    try:
        if upload_was_too_large(request) or upload is None:
            raise EvidenceRejected(_("Chưa chọn tệp hoặc tệp quá lớn."))
        evidence = add_uploaded_evidence(entry, check_evidence(upload, upload.name or ""), by=request.user)
        messages.success(request, _("Đã tải lên minh chứng “%(name)s”.") % {"name": evidence.original_name})
    except (EvidenceRejected, SheetRefused, StageClosed) as error:
        messages.error(request, str(error))
    return redirect(f"{_sheet_url(sheet)}#tc-{entry.pk}")


@login_required
@require_POST
def entry_pick(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    entry, sheet, can = _entry_for_write(request, pk)
    require(perm.can_fill(request.user, sheet))
    try:
        pick_report_evidence(entry, int(request.POST.get("evidence", "0") or 0), by=request.user)
        status = 200
    except (SheetRefused, StageClosed, ValueError) as error:
        messages.error(request, str(error))
        status = 400
    return _entry_response(request, entry, sheet, can, None, status)


def _sheet_url(sheet: Participant) -> str:
    from django.urls import reverse

    return reverse("unitindex:sheet_detail", args=[sheet.pk])


def _sheet_action(request: AuthenticatedRequest, pk: int, allowed: Callable[[Participant], bool],
                  action: Callable[[Participant, int], object], done: str) -> HttpResponse:
    sheet = _load_sheet(request, pk)
    require(allowed(sheet))
    try:
        # A malformed version (blank, letters) counts as none: the action is refused as stale, not a 500.
        action(sheet, int_param(request.POST.get("lock_version")) or 0)
        messages.success(request, done)
    except (SheetRefused, StageClosed) as error:
        messages.error(request, str(error))
    except StaleEdit:
        messages.error(request, str(STALE_MESSAGE))
    return redirect("unitindex:sheet_detail", pk=sheet.pk)


@login_required
@require_POST
def sheet_send(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    return _sheet_action(request, pk, lambda s: perm.can_send(user, s),
                         lambda s, v: send_sheet(s, expected_version=v, by=user), _("Đã ký và gửi phiếu tự chấm."))


@login_required
@require_POST
def sheet_finish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    stage = request.POST.get("stage", "")
    if stage not in (Stage.APPRAISAL1, Stage.APPRAISAL2):
        raise Http404
    return _sheet_action(request, pk, lambda s: perm.can_finish_appraisal(user, s),
                         lambda s, v: finish_appraisal(s, stage=stage, expected_version=v, by=user),
                         _("Đã hoàn thành thẩm định."))


@login_required
@require_POST
def sheet_explain(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    return _sheet_action(request, pk, lambda s: perm.can_send(user, s),
                         lambda s, v: send_explanation(s, expected_version=v, by=user), _("Đã gửi giải trình."))


@login_required
def evidence_download(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    evidence = EntryEvidence.objects.select_related("entry__participant", "report_evidence").filter(pk=pk).first()
    if evidence is None:
        raise Http404
    sheet = _load_sheet(request, evidence.entry.participant_id)
    visible = perm.visible_entry_ids(request.user, sheet)
    require(visible is None or evidence.entry.node_id in visible)
    stored = evidence.stored_file()
    try:
        path = stored.path
    except (ValueError, NotImplementedError):
        raise Http404 from None
    if not Path(path).exists():
        raise Http404
    response = ranged_file(request, Path(path), evidence.original_name, evidence.content_type)
    response["Content-Security-Policy"] = "sandbox"
    return response

