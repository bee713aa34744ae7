"""Dashboard pages beyond the plan's own: a unit's dashboard, the emulation ranking (thi đua) with the
province's weights, the leadership page of one index, and the drill-down to a task's reports and evidence."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from chiso.accounts.requests import AuthenticatedRequest
from chiso.core.figures_cache import FIGURES_TTL
from chiso.core.history import history_entries, record_as
from chiso.core.http import int_param, require
from chiso.core.locking import StaleEdit, claim_version, form_status, mark_stale
from chiso.frameworks.models import IndexKind
from chiso.monitoring import lateness
from chiso.monitoring.dashboards import charts
from chiso.monitoring.dashboards.emulation import BLOCKS, emulation_table, emulation_years, weights_for
from chiso.monitoring.dashboards.emulation_list import emulation_list
from chiso.monitoring.dashboards.leadership import first_index_with_results, index_page, weak_components
from chiso.monitoring.dashboards.unit import unit_board
from chiso.monitoring.models import Evidence, ReportLine, UnitReport
from chiso.monitoring.reports.forms import EmulationWeightsForm
from chiso.orgs.models import Province, Unit
from chiso.plans.models import Assignment, Plan, PlanStatus, Task


def _own_province(request: AuthenticatedRequest) -> Province:
    """Province-scoped pages are about the user's own province; a user outside any province has none."""
    unit = request.user.unit
    if unit is None:
        raise Http404
    return unit.province


@login_required
def my_unit_dashboard(request: AuthenticatedRequest) -> HttpResponse:
    """Unit staff land on their own unit's dashboard; the province's people on the emulation ranking,
    from which every unit's dashboard opens."""
    user = request.user
    if user.is_unit_staff and user.unit_id:
        return unit_dashboard(request, user.unit_id)
    return redirect("monitoring:emulation_ranking")


@login_required
def unit_dashboard(request: AuthenticatedRequest, unit_pk: int) -> HttpResponse:
    """One unit's assignments, what falls due next, what is late and its standing. Its own staff and the
    province's coordinators and leadership see it; another unit gets 404."""
    user = request.user
    unit = get_object_or_404(Unit.objects.visible_to(user).select_related("province"), pk=unit_pk)
    board = unit_board(unit, timezone.localdate())
    return render(request, "monitoring/unit_dashboard.html", {"board": board, "unit": unit,
                                                              "own": unit.pk == user.unit_id})


@login_required
def emulation_ranking(request: AuthenticatedRequest) -> HttpResponse:
    """The yearly emulation score of the province's units, ranked, with the formula and its weights. Every
    user of the province sees it: the standing of each unit is meant to be known (rõ trách nhiệm)."""
    province = _own_province(request)
    today = timezone.localdate()
    years = emulation_years(province, today)
    year = int_param(request.GET.get("nam"))
    if year not in years:
        year = years[0] if years else today.year
    block = request.GET.get("khoi", "")
    if block not in BLOCKS:
        block = ""
    table = emulation_table(province, year, today, block=block)
    own_unit = request.user.unit_id
    units = emulation_list(table, request.GET)
    # The chart shows the units the filter keeps, in rank order.
    kept = {row.unit.pk for row in units["kept"]}
    ranked = [row for row in table.rows if row.score is not None and row.unit.pk in kept]
    return render(request, "monitoring/emulation_ranking.html", {
        **units, "table": table, "years": years, "year": year, "block": block, "blocks": BLOCKS.items(),
        "own_unit": own_unit, "province_view": request.user.sees_whole_province, "figures_ttl": FIGURES_TTL,
        "can_edit": request.user.manages_province,
        "chart": charts.score_chart([(row.unit.name, float(row.score or 0),
                                      row.unit.pk == own_unit) for row in ranked]) if ranked else None,
        "chart_height": charts.chart_height(len(ranked)),
    })


@login_required
def emulation_weights_edit(request: AuthenticatedRequest) -> HttpResponse:
    """The coordinator sets how the score is computed; every change is kept in the history."""
    province = _own_province(request)
    require(request.user.manages_province)
    weights = weights_for(province)
    form = EmulationWeightsForm(request.POST or None, instance=weights)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if weights.pk:
                    claim_version(weights, form.cleaned_data.get("lock_version") or 0)
                elif type(weights).objects.filter(province=province).exists():
                    raise StaleEdit  # another coordinator saved the first weights meanwhile
                saved = form.save(commit=False)
                saved.updated_by = request.user
                record_as(saved, request.user)
                saved.save()
        except StaleEdit:
            mark_stale(form)
        else:
            messages.success(request, _("Đã lưu cách tính điểm thi đua."))
            return redirect("monitoring:emulation_ranking")
    return render(request, "monitoring/emulation_weights.html", {
        "form": form, "province": province,
        "history": history_entries(weights, limit=20) if weights.pk else [],
    }, status=form_status(form))


@login_required
def leadership_home(request: AuthenticatedRequest) -> HttpResponse:
    """Where the province's leadership starts: the overview of the first index with published results."""
    require(request.user.sees_whole_province)
    return redirect("monitoring:index_overview", index=first_index_with_results(_own_province(request)))


@login_required
def index_overview(request: AuthenticatedRequest, index: str) -> HttpResponse:
    """One page per index for the province's leadership and coordinators."""
    if index not in IndexKind.values:
        raise Http404
    require(request.user.sees_whole_province)
    province = _own_province(request)
    plans = list(Plan.objects.visible_to(request.user).filter(
        province=province, parent__isnull=True, status=PlanStatus.ISSUED, frameworks__index=index,
    ).distinct().order_by("-issued_on", "-id"))
    chosen_pk = int_param(request.GET.get("ke-hoach"))
    chosen = next((p for p in plans if p.pk == chosen_pk), None)
    if chosen_pk is not None and chosen is None:
        raise Http404
    today = timezone.localdate()
    page = index_page(plans, province, index, today, chosen)
    context: dict[str, Any] = {
        "page": page, "today": today,
        "indices": [(value, label) for value, label in IndexKind.choices if value != IndexKind.OTHER],
        "weak": [(analysis, weak_components(analysis)) for analysis in page.analyses],
    }
    if page.dashboard is not None:
        context["node_chart"] = charts.completion_chart(page.dashboard.by_node)
        context["node_chart_height"] = charts.chart_height(len(page.dashboard.by_node))
        context["on_time_chart"] = charts.on_time_chart(page.dashboard.total)
    return render(request, "monitoring/index_overview.html", context)


@login_required
def task_progress(request: AuthenticatedRequest, task_pk: int) -> HttpResponse:
    """The drill-down from a dashboard to one task: each assigned unit's due date and lateness, and what its
    reports said period by period with their evidence. The province sees every unit; unit staff their own."""
    user = request.user
    task = get_object_or_404(Task.objects.filter(plan__in=Plan.objects.visible_to(user).values("pk"))
                             .select_related("plan"), pk=task_pk)
    assignments = Assignment.objects.filter(task=task)
    if not user.sees_whole_province:
        assignments = assignments.filter(unit_id=user.unit_id or 0)
    today = timezone.localdate()
    overdue = set(lateness.overdue_assignments(assignments, today).values_list("pk", flat=True))
    rows: dict[int | None, dict[str, Any]] = {
        a.pk: {"assignment": a, "overdue": a.pk in overdue, "lines": []}
        for a in assignments.select_related("unit").order_by("unit__kind", "unit__name")}
    lines = (ReportLine.objects.filter(assignment__in=list(rows), report__in=UnitReport.objects.visible_to(user))
             .select_related("report__period", "report__unit")
             .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.filter(removed_at__isnull=True)))
             .order_by("-report__period__due_date", "id"))
    for line in lines:
        rows[line.assignment_id]["lines"].append(line)
    return render(request, "monitoring/task_progress.html", {
        "task": task, "plan": task.plan, "rows": list(rows.values()), "today": today,
        "province_view": user.sees_whole_province,
    })
