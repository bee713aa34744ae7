"""Pages of the plan import (/van-ban/nhap-ke-hoach/): upload, preview with per-row correction (htmx), header,
confirm, cancel, and the original file.

Who: admins and coordinators import their province's plans (issued by UBND tỉnh); a unit's focal point
imports its own unit's plan. Leaders and viewers get 403; another unit's import is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chiso.accounts.models import Role
from chiso.accounts.requests import AuthenticatedRequest
from chiso.core.http import require
from chiso.core.locking import STALE_MESSAGE, StaleEdit, mark_stale
from chiso.documents.importing import drafts
from chiso.documents.importing.choosing import candidates
from chiso.documents.importing.diagnosis import explain
from chiso.documents.importing.errors import ImportRefused
from chiso.documents.importing.forms import (
    ConfirmForm,
    HeaderForm,
    RereadForm,
    RowForm,
    SplitForm,
    UploadForm,
    VersionForm,
)
from chiso.documents.importing.ocr import INSTALL_HINT, ocr_available
from chiso.documents.importing.pipeline import parse_pasted, parse_upload, preview_data
from chiso.documents.importing.readers import NeedsOcr, kind_of, max_upload_bytes
from chiso.documents.importing.saving import confirm_import
from chiso.documents.importing.scans import start_scan
from chiso.documents.models import ImportStatus, PlanImport
from chiso.frameworks.models import Node
from chiso.orgs.models import Unit, UnitGroup
from chiso.plans.models import Plan


def can_import(user: Any) -> bool:
    return user.unit_id is not None and (user.manages_province or user.role == Role.FOCAL_POINT)


def _visible_import(request: AuthenticatedRequest, pk: int) -> PlanImport:
    require(can_import(request.user))
    return get_object_or_404(PlanImport.objects.visible_to(request.user).select_related("province", "owner_unit"),
                             pk=pk)


def _draft(request: AuthenticatedRequest, pk: int) -> PlanImport:
    plan_import = _visible_import(request, pk)
    if not plan_import.is_draft:
        raise Http404
    return plan_import


# ---- upload --------------------------------------------------------------------------------------------

def owner_unit_of(user: Any, header: dict[str, Any]) -> Unit:
    """A focal point imports its own unit's plan; a coordinator the plan of the issuer the document names (a
    department's, a commune's), else the province's."""
    if user.manages_province:
        issuer = Unit.objects.filter(province_id=user.province_id, pk=header.get("issuer_unit_id") or 0).first()
        committee = Unit.objects.filter(province_id=user.province_id, kind="province_committee").first()
        return issuer or committee or user.unit
    return user.unit


def _start(request: AuthenticatedRequest, form: UploadForm) -> PlanImport:
    user = request.user
    province = user.own_unit.province
    upload = form.cleaned_data["file"]
    parent = form.cleaned_data.get("parent")
    allowed = list(form.cleaned_data["frameworks"]) or (
        list(parent.frameworks.all()) if parent else candidates(province))
    if upload:
        # Never more than the limit plus one byte in memory: the importer refuses what is over the limit.
        original, name = upload.read(max_upload_bytes() + 1), upload.name
        try:
            raw = parse_upload(original, name)
        except NeedsOcr:
            if not ocr_available():
                raise ImportRefused(INSTALL_HINT) from None
            return start_scan(province=province, owner_unit=owner_unit_of(user, {}), user=user, original=original,
                              original_name=name, kind=kind_of(name), allowed=allowed, parent=parent)
    else:
        text = form.cleaned_data["text"]
        original, name = text.encode("utf-8"), drafts.PASTED_NAME
        raw = parse_pasted(text)
    data = preview_data(raw, province, allowed)
    return drafts.start_import(province=province, owner_unit=owner_unit_of(user, data["header"]), user=user, data=data,
                               frameworks=data["frameworks"], original=original, original_name=name, parent=parent)


@login_required
def import_start(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require(can_import(user))
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None, user=user)
    refusals: list[str] = []
    if posted and form.is_valid():
        try:
            plan_import = _start(request, form)
        except ImportRefused as refused:
            refusals = refused.messages
        else:
            return redirect("documents:import_preview", pk=plan_import.pk)
    drafts_open = (PlanImport.objects.visible_to(user).filter(status=ImportStatus.DRAFT)
                   .select_related("uploaded_by").order_by("-created_at")[:20])
    status = 400 if refusals or form.errors else 200
    return render(request, "documents/import_start.html",
                  {"form": form, "refusals": refusals, "drafts": drafts_open}, status=status)


# ---- preview -------------------------------------------------------------------------------------------

class Lookups:
    """The names a preview shows, read once per page whatever the number of rows."""

    def __init__(self, plan_import: PlanImport):
        self.frameworks = list(plan_import.frameworks.order_by("index"))
        self.nodes = list(Node.objects.filter(framework__in=self.frameworks).order_by("framework__index", "position"))
        self.node_by_id = {n.pk: n for n in self.nodes}
        self.units = list(Unit.objects.filter(province_id=plan_import.province_id, is_active=True).order_by("name"))
        self.unit_by_id = {u.pk: u for u in Unit.objects.filter(province_id=plan_import.province_id)}
        self.groups = list(UnitGroup.objects.filter(province_id=plan_import.province_id))
        self.group_by_id = {g.pk: g for g in self.groups}

    def names(self, row: dict[str, Any], kind: str) -> list[str]:
        return ([self.group_by_id[i].name for i in row[f"{kind}_group_ids"] if i in self.group_by_id]
                + [self.unit_by_id[i].name for i in row[f"{kind}_unit_ids"] if i in self.unit_by_id])

    def display(self, row: dict[str, Any], position: int) -> dict[str, Any]:
        nodes = [self.node_by_id[i] for i in row["node_ids"] if i in self.node_by_id]
        confidence = row["confidence"]
        return {
            **row, "position": position,
            "node_labels": [f"{n.code}. {n.name_vi}" for n in nodes],
            "lead_names": self.names(row, "lead"), "coordinating_names": self.names(row, "coordinating"),
            "level": _level(confidence["row"]), "percent": round(100 * confidence["row"]),
            "node_level": _level(confidence["node"]), "lead_level": _level(confidence["lead"]),
            "blocking": any(p["blocking"] for p in row["problems"]),
            "lines": len([line for line in row["content"].splitlines() if line.strip()]),
        }

    def row_form(self, data: Any = None, initial: dict[str, Any] | None = None) -> RowForm:
        return RowForm(data, initial=initial, frameworks=self.frameworks, nodes=self.nodes, units=self.units,
                       groups=self.groups)


def _level(value: float) -> str:
    return "high" if value >= 0.85 else "medium" if value >= 0.6 else "low"


def _summary(plan_import: PlanImport) -> dict[str, Any]:
    blocking = sum(1 for row in plan_import.rows if any(p["blocking"] for p in row["problems"]))
    return {"row_count": len(plan_import.rows), "blocking_count": blocking,
            "warning_count": sum(1 for row in plan_import.rows if row["problems"]) - blocking,
            "unreadable_count": len(plan_import.unreadable)}


def _body_context(plan_import: PlanImport, lookups: Lookups | None = None, **extra: Any) -> dict[str, Any]:
    lookups = lookups or Lookups(plan_import)
    return {"plan_import": plan_import, "lookups": lookups,
            "rows": [lookups.display(row, n) for n, row in enumerate(plan_import.rows, start=1)],
            "confirm_form": ConfirmForm(initial={"lock_version": plan_import.lock_version}),
            **_summary(plan_import), **extra}


_EVIDENCE_SOURCES = {"letterhead": _("Tiêu đề văn bản"), "caption": _("Dòng “Kèm theo Kế hoạch…” của phụ lục"),
                     "signature": _("Phần ký"), "metadata": _("Thông tin của tệp")}


def _reading_context(plan_import: PlanImport, user: Any) -> dict[str, Any]:
    """How the file was read: the issuer and the evidence for it, each appendix's framework scores, and why the
    result is poor if it is."""
    header = plan_import.header
    evidence = header.get("issuer_evidence") or []
    names = dict(Unit.objects.filter(province_id=plan_import.province_id,
                                     pk__in=[e["unit_id"] for e in evidence if e.get("unit_id")]
                                     + [header.get("issuer_unit_id") or 0]).values_list("pk", "name"))
    return {
        "reread_form": reread_form(plan_import, user),
        "issuer_name": names.get(header.get("issuer_unit_id") or 0, ""),
        "issuer_evidence": [{**e, "source_label": _EVIDENCE_SOURCES.get(e["source"], e["source"]),
                             "unit_name": names.get(e.get("unit_id") or 0, "")} for e in evidence],
        "framework_choices": header.get("framework_choices") or [],
        "diagnosis": [explain(item) for item in header.get("diagnosis") or []],
    }


@login_required
def import_preview(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan_import = _visible_import(request, pk)
    if plan_import.status == ImportStatus.CONFIRMED and plan_import.plan_id:
        return redirect("plans:plan_detail", pk=plan_import.plan_id)
    scan = plan_import.header.get("ocr") or {}
    if scan.get("state") in ("running", "failed"):
        return render(request, "documents/import_scanning.html", {"plan_import": plan_import, "scan": scan})
    if not plan_import.is_draft:
        raise Http404  # cancelled: its file is gone and nothing can be done with it
    lookups = Lookups(plan_import)
    context = _body_context(plan_import, lookups, **_reading_context(plan_import, request.user),
                            header_form=HeaderForm(initial=HeaderForm.initial_for(plan_import.header)))
    return render(request, "documents/import_preview.html", context)


@login_required
def import_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The OCR's progress, polled by the page (htmx); once done, the browser is sent to the preview."""
    plan_import = _visible_import(request, pk)
    scan = plan_import.header.get("ocr") or {}
    if scan.get("state") not in ("running", "failed"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("documents:import_preview", args=[pk])
        return response
    return render(request, "documents/_import_scan_progress.html", {"plan_import": plan_import, "scan": scan})


def _body_response(request: AuthenticatedRequest, pk: int, status: int = 200, **extra: Any) -> HttpResponse:
    """After a change to the rows: htmx gets the table again (every row's form fresh), a plain form the page."""
    if not getattr(request, "htmx", False):
        for message in (extra.get("errors") or []):
            messages.error(request, message)
        return redirect("documents:import_preview", pk=pk)
    plan_import = get_object_or_404(PlanImport, pk=pk)
    return render(request, "documents/_import_body.html", _body_context(plan_import, **extra), status=status)


def _structural(request: AuthenticatedRequest, pk: int, form_class: type[VersionForm], change: Any) -> HttpResponse:
    plan_import = _draft(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return _body_response(request, plan_import.pk, 400, errors=errors)
    try:
        change(form.cleaned_data)
    except StaleEdit:
        return _body_response(request, plan_import.pk, 409, errors=[str(STALE_MESSAGE)])
    except drafts.RowChangeRefused as refused:
        return _body_response(request, plan_import.pk, 400, errors=[str(refused)])
    except drafts.DraftClosed as closed:
        return _body_response(request, plan_import.pk, 409, errors=[str(closed)])
    return _body_response(request, plan_import.pk)


def _write_from_form(form: Any, write: Any) -> tuple[int, Any]:
    """Run a draft write for a valid form: (200, what it returned), or 409 with the reason on the form
    (someone saved first, or the import was confirmed or cancelled meanwhile)."""
    try:
        return 200, write()
    except StaleEdit:
        mark_stale(form)
    except drafts.DraftClosed as closed:
        form.add_error(None, str(closed))
    return 409, None


def _draft_row(request: AuthenticatedRequest, pk: int, key: int) -> tuple[PlanImport, dict[str, Any], Lookups, int]:
    """The draft import, one of its rows (404 if gone), the lookups to show it, and its place in the table."""
    plan_import = _draft(request, pk)
    row = plan_import.row(key)
    if row is None:
        raise Http404
    return plan_import, row, Lookups(plan_import), plan_import.rows.index(row) + 1


@login_required
def import_row(request: AuthenticatedRequest, pk: int, key: int) -> HttpResponse:
    """One row as shown in the table (also what "Hủy" of the row editor goes back to)."""
    plan_import, row, lookups, position = _draft_row(request, pk, key)
    return render(request, "documents/_import_row.html", {"plan_import": plan_import,
                                                          "row": lookups.display(row, position)})


@login_required
def import_row_edit(request: AuthenticatedRequest, pk: int, key: int) -> HttpResponse:
    plan_import, row, lookups, position = _draft_row(request, pk, key)
    form = lookups.row_form(request.POST if request.method == "POST" else None, RowForm.initial_for(row))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            status, saved = _write_from_form(form, lambda: drafts.update_row(
                plan_import.pk, key, form.cleaned_data["version"], form.changes(), request.user))
            if status == 200:
                plan_import.refresh_from_db()
                if not getattr(request, "htmx", False):
                    return redirect(f"{reverse('documents:import_preview', args=[pk])}#row-{key}")
                return render(request, "documents/_import_row_saved.html", {
                    **_body_context(plan_import, lookups), "row": lookups.display(saved, position)})
    return render(request, "documents/_import_row_form.html", {
        "plan_import": plan_import, "row": lookups.display(row, position), "form": form,
        "stale": form.has_error(NON_FIELD_ERRORS, code="stale"),
        "split_lines": list(range(1, lookups.display(row, position)["lines"])),
    }, status=status)


@login_required
@require_POST
def import_row_split(request: AuthenticatedRequest, pk: int, key: int) -> HttpResponse:
    return _structural(request, pk, SplitForm, lambda data: drafts.split_row(
        pk, key, data["version"], data["at_line"], request.user))


@login_required
@require_POST
def import_row_merge(request: AuthenticatedRequest, pk: int, key: int) -> HttpResponse:
    return _structural(request, pk, VersionForm, lambda data: drafts.merge_row(pk, key, data["version"], request.user))


@login_required
@require_POST
def import_row_delete(request: AuthenticatedRequest, pk: int, key: int) -> HttpResponse:
    return _structural(request, pk, VersionForm, lambda data: drafts.delete_row(pk, key, data["version"], request.user))


@login_required
@require_POST
def import_unreadable_promote(request: AuthenticatedRequest, pk: int, key: int) -> HttpResponse:
    plan_import = _draft(request, pk)
    try:
        drafts.promote_unreadable(plan_import.pk, key, request.user)
    except StaleEdit:
        return _body_response(request, pk, 409, errors=[str(STALE_MESSAGE)])
    except drafts.DraftClosed as closed:
        return _body_response(request, pk, 409, errors=[str(closed)])
    return _body_response(request, pk)


@login_required
@require_POST
def import_header(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan_import = _draft(request, pk)
    form = HeaderForm(request.POST)
    status, saved = 400, False
    if form.is_valid():
        status, _written = _write_from_form(form, lambda: drafts.update_header(
            plan_import.pk, form.cleaned_data["version"], form.changes(), request.user))
        if status == 200:
            plan_import.refresh_from_db()
            if not getattr(request, "htmx", False):
                messages.success(request, _("Đã lưu thông tin văn bản."))
                return redirect("documents:import_preview", pk=pk)
            form = HeaderForm(initial=HeaderForm.initial_for(plan_import.header))
            status, saved = 200, True
    return render(request, "documents/_import_header.html",
                  {"plan_import": plan_import, "header_form": form, "saved": saved}, status=status)


def reread_form(plan_import: PlanImport, user: Any, data: Any = None) -> RereadForm:
    issuer = plan_import.header.get("issuer_unit_id")
    return RereadForm(data, user=user, province_id=plan_import.province_id, initial={
        "frameworks": list(plan_import.frameworks.values_list("pk", flat=True)),
        "issuer": issuer, "lock_version": plan_import.lock_version})


@login_required
@require_POST
def import_reread(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan_import = _draft(request, pk)
    form = reread_form(plan_import, request.user, request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("documents:import_preview", pk=pk)
    try:
        drafts.reread(pk, form.cleaned_data["lock_version"], list(form.cleaned_data["frameworks"]),
                      form.cleaned_data["issuer"], request.user)
    except StaleEdit:
        messages.error(request, str(STALE_MESSAGE))
    except (drafts.DraftClosed, drafts.RowChangeRefused) as refused:
        messages.error(request, str(refused))
    except ImportRefused as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã đọc lại tệp với bộ chỉ số và cơ quan ban hành đã chọn."))
    return redirect("documents:import_preview", pk=pk)


@login_required
@require_POST
def import_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan_import = _visible_import(request, pk)
    if plan_import.status == ImportStatus.CONFIRMED and plan_import.plan_id:
        messages.info(request, _("Bản nhập này đã được xác nhận."))
        return redirect("plans:plan_detail", pk=plan_import.plan_id)
    form = ConfirmForm(request.POST)
    errors: list[str] = []
    status = 400
    if not form.is_valid():
        errors = [_("Thiếu phiên bản của bản nhập: tải lại trang rồi xác nhận lại.")]
    else:
        try:
            plan = confirm_import(plan_import.pk, request.user, form.cleaned_data["lock_version"])
        except ImportRefused as refused:
            errors = refused.messages
        except StaleEdit:
            errors, status = [str(STALE_MESSAGE)], 409
        else:
            count = plan.tasks.count()
            messages.success(request, _("Đã tạo kế hoạch dự thảo với %(n)s nhiệm vụ từ tệp %(name)s.")
                             % {"n": count, "name": plan_import.original_name})
            return redirect("plans:plan_detail", pk=plan.pk)
    plan_import.refresh_from_db()
    if not plan_import.is_draft:
        raise Http404
    context = _body_context(plan_import, confirm_errors=errors, **_reading_context(plan_import, request.user),
                            header_form=HeaderForm(initial=HeaderForm.initial_for(plan_import.header)))
    return render(request, "documents/import_preview.html", context, status=status)


@login_required
@require_POST
def import_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan_import = _draft(request, pk)
    try:
        drafts.cancel_import(plan_import.pk, request.user)
    except drafts.DraftClosed as closed:
        messages.error(request, str(closed))
    else:
        messages.success(request, _("Đã hủy bản nhập %(name)s; tệp đã tải lên được xóa.")
                         % {"name": plan_import.original_name})
    return redirect("documents:import_start")


@login_required
def import_original(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """The uploaded original. Once it became a plan, whoever may see the plan may download it; before that,
    those who may work on the import."""
    user = request.user
    plan_import = PlanImport.objects.filter(pk=pk, status=ImportStatus.CONFIRMED,
                                            plan__in=Plan.objects.visible_to(user)).first()
    if plan_import is None and can_import(user):
        plan_import = PlanImport.objects.visible_to(user).filter(pk=pk, status=ImportStatus.DRAFT).first()
    if plan_import is None or not plan_import.file:
        raise Http404
    try:
        handle = plan_import.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=plan_import.original_name)
    response["Cache-Control"] = "private, no-store"
    return response
