from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from chiso.accounts.requests import AuthenticatedRequest
from chiso.core.http import require
from chiso.core.tabular import ImportRejected
from chiso.orgs.forms import UnitForm, UnitImportForm
from chiso.orgs.models import Province, Unit, UnitGroup, UnitKind
from chiso.orgs.services import import_units


def _province(request: AuthenticatedRequest) -> Province:
    unit = request.user.unit
    require(unit is not None)
    assert unit is not None  # require raised otherwise
    return unit.province


@login_required
def unit_list(request: AuthenticatedRequest) -> HttpResponse:
    province = _province(request)
    units = (Unit.objects.filter(province=province).select_related("parent")
             .annotate(assignment_count=Count("assignments")).order_by("kind", "name"))
    q = request.GET.get("q", "").strip()
    if q:
        units = units.filter(name__icontains=q)
    by_kind: dict[str, list[Unit]] = {}
    for unit in units:
        by_kind.setdefault(str(UnitKind(unit.kind).label), []).append(unit)
    groups = list(UnitGroup.objects.filter(province=province))
    counts = {kind: n for kind, n in Unit.objects.filter(province=province, is_active=True)
              .values_list("kind").annotate(n=Count("id"))}
    group_rows = [(g, sum(counts.get(k, 0) for k in g.kinds)) for g in groups]
    return render(request, "orgs/unit_list.html", {
        "province": province, "by_kind": by_kind, "groups": group_rows, "q": q,
        "can_manage": request.user.manages_province,
    })


@login_required
def unit_import(request: AuthenticatedRequest) -> HttpResponse:
    province = _province(request)
    require(request.user.manages_province)
    form = UnitImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = import_units(province, upload, upload.name)
        except ImportRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(request, _("Đã nhập danh sách: %(c)s đơn vị mới, %(u)s đơn vị cập nhật.")
                             % {"c": outcome.created, "u": outcome.updated})
            return redirect("orgs:unit_list")
    status = 400 if (errors or form.errors) else 200
    return render(request, "orgs/unit_import.html", {"form": form, "errors": errors}, status=status)


@login_required
def unit_edit(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    province = _province(request)
    require(request.user.manages_province)
    unit = get_object_or_404(Unit.objects.filter(province=province), pk=pk) if pk else None
    form = UnitForm(request.POST or None, instance=unit, province=province)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu đơn vị."))
        return redirect("orgs:unit_list")
    return render(request, "orgs/unit_form.html", {"form": form, "unit": unit}, status=400 if form.errors else 200)
