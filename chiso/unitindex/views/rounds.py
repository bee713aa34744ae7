"""Rounds: the list, opening one, the coordinator's dashboard, reopening a stage for a unit, assigning
appraisers, bonus and penalty, survey points, publication, a unit's page over the years."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chiso.accounts.models import Role
from chiso.accounts.requests import AuthenticatedRequest
from chiso.core.http import require
from chiso.core.locking import STALE_MESSAGE, StaleEdit
from chiso.orgs.models import Unit
from chiso.unitindex import permissions as perm
from chiso.unitindex.appraisal import set_bonus_penalty
from chiso.unitindex.dashboard import round_dashboard
from chiso.unitindex.forms import AssignForm, BonusPenaltyForm, PublishForm, ReopenForm, RoundForm
from chiso.unitindex.models import AppraiserAssignment, Participant, SheetStatus, Stage, UnitType
from chiso.unitindex.publication import publish_round, standings
from chiso.unitindex.services import SheetRefused, open_round
from chiso.unitindex.stages import StageClosed, reopen_stage


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    rounds = perm.rounds_for(user).select_related("province")
    mine = (Participant.objects.filter(unit_id=user.unit_id).select_related("round")
            if user.is_unit_staff and user.unit_id is not None else [])
    assigned = (AppraiserAssignment.objects.filter(appraiser=user).select_related("round", "participant__unit", "node")
                if user.role == Role.APPRAISER else [])
    return render(request, "unitindex/index.html", {
        "rounds": rounds, "mine": mine, "assigned": assigned, "can_open": user.authors_in_province,
        "trees_link": user.manages_province})


@login_required
def round_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require(user.authors_in_province)
    form = RoundForm(request.POST or None, province_id=user.own_province_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        trees = {kind: tree for kind, tree in ((UnitType.DEPARTMENTS, data["department_tree"]),
                                               (UnitType.COMMUNES, data["commune_tree"])) if tree}
        try:
            round_ = open_round(province=user.own_unit.province, year=data["year"], name=data["name"], trees=trees,
                                units=data["units"], deadlines={s: _end_of(data[f"deadline_{s}"]) for s in Stage})
        except SheetRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Đã mở đợt đánh giá."))
            return redirect("unitindex:round_detail", pk=round_.pk)
    return render(request, "unitindex/round_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def round_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    round_ = perm.get_round(request.user, pk)
    require(perm.reads_whole_round(request.user, round_))
    filters = {"unit_type": request.GET.get("loai", ""), "status": request.GET.get("tinh_trang", ""),
               "query": request.GET.get("q", "")[:100]}
    context: dict[str, Any] = round_dashboard(round_, **filters)
    manages = perm.manages(request.user, round_)
    context.update({"round": round_, "filters": filters, "unit_types": UnitType.choices, "statuses": SheetStatus.choices,
                    "stages": round_.stages.all(), "manages": manages,
                    "reopen_form": ReopenForm() if manages else None,
                    "assign_form": AssignForm(round_=round_) if manages else None,
                    "publish_form": PublishForm() if manages and not round_.published_at else None,
                    "assignments": round_.appraisers.select_related("appraiser", "participant__unit", "node")})
    return render(request, "unitindex/round.html", context)


@login_required
@require_POST
def reopen(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    sheet = perm.get_sheet(request.user, pk)
    require(perm.manages(request.user, sheet.round))
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cần chọn giai đoạn, ngày mở đến (dd/mm/yyyy) và lý do."))
    else:
        try:
            reopen_stage(sheet, form.cleaned_data["stage"], until=_end_of(form.cleaned_data["until"]),
                         reason=form.cleaned_data["reason"], by=request.user)
            messages.success(request, _("Đã mở lại giai đoạn cho %(unit)s.") % {"unit": sheet.unit.name})
        except StageClosed as error:
            messages.error(request, str(error))
    return redirect("unitindex:sheet_detail", pk=sheet.pk)


@login_required
@require_POST
def assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    round_ = perm.get_round(request.user, pk)
    require(perm.manages(request.user, round_))
    form = AssignForm(request.POST, round_=round_)
    if form.is_valid():
        AppraiserAssignment.objects.create(round=round_, appraiser=form.cleaned_data["appraiser"],
                                           participant=form.cleaned_data["participant"], node=form.cleaned_data["node"])
        messages.success(request, _("Đã phân công thẩm định."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("unitindex:round_detail", pk=round_.pk)


@login_required
@require_POST
def bonus_penalty(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    sheet = perm.get_sheet(request.user, pk)
    require(perm.manages(request.user, sheet.round))
    form = BonusPenaltyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Điểm thưởng, điểm trừ phải là số, ví dụ 0,5."))
        return redirect("unitindex:sheet_detail", pk=sheet.pk)
    data = form.cleaned_data
    try:
        set_bonus_penalty(sheet, bonus=data["bonus"] or Decimal(0), bonus_reason=data["bonus_reason"],
                          penalty=data["penalty"] or Decimal(0), penalty_reason=data["penalty_reason"],
                          expected_version=data["lock_version"], by=request.user)
        messages.success(request, _("Đã lưu điểm thưởng, điểm trừ."))
    except SheetRefused as error:
        messages.error(request, str(error))
    except StaleEdit:
        messages.error(request, str(STALE_MESSAGE))
    return redirect("unitindex:sheet_detail", pk=sheet.pk)


@login_required
@require_POST
def publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    round_ = perm.get_round(request.user, pk)
    require(perm.manages(request.user, round_))
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cần ghi số, ngày quyết định công bố."))
    else:
        try:
            publish_round(round_, decision_text=form.cleaned_data["decision_text"], by=request.user)
            messages.success(request, _("Đã công bố kết quả; kết quả của từng đơn vị đã có trong phần Kết quả chỉ số."))
        except SheetRefused as error:
            messages.error(request, str(error))
    return redirect("unitindex:round_detail", pk=round_.pk)


@login_required
def unit_years(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A unit's sheets over the years: its own people, the province's coordinators and leaders."""
    user = request.user
    unit = get_object_or_404(Unit.objects.filter(**({} if user.is_instance_admin else {"province_id": user.province_id})),
                             pk=pk)
    if not (user.sees_whole_province or (user.is_unit_staff and user.unit_id == unit.pk)):
        raise PermissionDenied
    sheets = list(Participant.objects.filter(unit=unit).select_related("round").order_by("-round__year"))
    by_round = {}
    for sheet in sheets:
        if sheet.round_id not in by_round:
            by_round[sheet.round_id] = {s.participant.pk: s for s in standings(sheet.round)}
    rows = [(sheet, by_round[sheet.round_id].get(sheet.pk)) for sheet in sheets]
    return render(request, "unitindex/unit.html", {"unit": unit, "rows": rows})

