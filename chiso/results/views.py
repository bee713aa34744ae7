"""Results pages: the national table of a year, a result's analysis (tree, charts, written paragraph),
a province over the years with its former provinces side by side, entering and importing results,
what-if, and a plan's coverage of its results."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chiso.accounts.requests import AuthenticatedRequest
from chiso.core.bounds import holds_nul
from chiso.core.figures_cache import FIGURES_TTL, cached_figures
from chiso.core.history import history_entries, record_as
from chiso.core.http import int_param, require
from chiso.core.locking import StaleEdit, claim_version, form_status, mark_stale
from chiso.core.numbers import vn_number
from chiso.core.tabular import ImportRejected
from chiso.frameworks.models import Framework, IndexKind, Node
from chiso.orgs.models import Province, Unit
from chiso.plans import permissions as plan_perm
from chiso.plans.models import Task
from chiso.plans.services import TaskData, save_task
from chiso.results import charts
from chiso.results.analysis import analyse, default_low_share, load_year, load_years, trend
from chiso.results.coverage import plan_coverages
from chiso.results.forms import ImportForm, OverviewForm, ResultForm, ResultSubjectForm
from chiso.results.models import Result, Score
from chiso.results.permissions import can_edit_result, can_enter_results, get_visible_result
from chiso.results.services import (
    ResultConflict,
    import_results,
    save_result,
    subject_error,
    template_workbook,
)
from chiso.results.whatif import potential_gains, project
from chiso.results.writing import written_analysis


@login_required
def overview(request: AuthenticatedRequest) -> HttpResponse:
    """One index, one year: every province ranked, the user's own (and its former provinces) marked."""
    form = OverviewForm(request.GET or None)
    index = IndexKind.PAPI
    year = None
    if form.is_valid():
        index = form.cleaned_data["index"] or index
        year = form.cleaned_data["year"]
    years = sorted(set(Result.objects.provincial().of_index(index).values_list("year", flat=True)), reverse=True)
    if year is None and years:
        year = years[0]
    own_ids = set()
    if request.user.province_id:
        own_ids = {request.user.province_id,
                   *Province.objects.filter(successors=request.user.province_id).values_list("pk", flat=True)}
    # The same for every reader until a result changes; its table is rendered once per version too.
    table = cached_figures("results-year", (index, year),
                           lambda version: replace(load_year(index, year), version=version)) if year else None
    rows = table.ranked() if table else []
    context: dict[str, Any] = {
        "form": form, "index": index, "index_label": IndexKind(index).label, "year": year, "years": years,
        "rows": rows, "own_ids": own_ids, "table": table,
        "chart": charts.ranking_chart([(r.name, r.total, r.province_id in own_ids) for r in rows]) if rows else None,
        "unit_results": Result.objects.visible_to(request.user).select_related("framework", "province", "unit")
        .filter(unit__isnull=False, framework__index=index, province_id=request.user.province_id)
        .order_by("-year", "unit__name")[:200]
        if request.user.province_id else [],
        "can_enter": can_enter_results(request.user),
        "indices": IndexKind.choices,
        "own_key": ".".join(map(str, sorted(own_ids))), "figures_ttl": FIGURES_TTL,
    }
    return render(request, "results/overview.html", context)


def _low_share(request: AuthenticatedRequest) -> Decimal:
    """The page's "low below N% of the maximum" setting; anything unreadable falls back to the default."""
    try:
        percent = Decimal(request.GET.get("nguong", "").replace(",", "."))
    except InvalidOperation:
        return default_low_share()
    return percent / 100 if percent.is_finite() and 0 < percent < 100 else default_low_share()


@login_required
def result_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    result = get_visible_result(request.user, pk)
    low_share = _low_share(request)
    # The same for every reader until a result, a score or the map changes (chiso.core.figures_cache).
    analysis, history, paragraph = cached_figures("result-analysis", (result.pk, low_share), lambda _version: (
        (analysis := analyse(result, low_share)), trend(result), written_analysis(analysis)))
    score_history = (Score.history.filter(result_id=result.pk).select_related("history_user", "node")
                     .order_by("-history_date")[:30])
    context = {
        "result": result, "analysis": analysis, "paragraph": paragraph,
        "low_percent": analysis.low_share * 100,
        "profile_chart": charts.profile_chart(analysis),
        "trend_chart": charts.trend_chart(history, result.subject_name) if len(history.years) > 1 else None,
        "trend": history,
        "successors": list(result.province.successors.all()),
        "can_edit": can_edit_result(request.user, result),
        "history": history_entries(result, limit=10), "score_history": score_history,
        "draft_plans": _plans_to_insert_into(request, result),
    }
    return render(request, "results/result_detail.html", context)


@login_required
@require_POST
def insert_into_plan(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Append the written analysis to a plan's opening (mở đầu, đánh giá kết quả), as drafted text to edit."""
    result = get_visible_result(request.user, pk)
    plan = plan_perm.get_visible_plan(request.user, int_param(request.POST.get("plan")) or 0)
    require(plan_perm.can_edit_plan(request.user, plan))
    paragraph = written_analysis(analyse(result))
    with transaction.atomic():
        fresh = type(plan).objects.select_for_update().get(pk=plan.pk)
        claim_version(fresh, fresh.lock_version)
        fresh.preamble = f"{fresh.preamble.rstrip()}\n\n{paragraph}".strip()
        record_as(fresh, request.user)
        fresh.save()
    messages.success(request, _("Đã chèn phân tích vào phần mở đầu của kế hoạch; hãy đọc lại và chỉnh sửa."))
    return redirect("plans:plan_detail", pk=plan.pk)


def _plans_to_insert_into(request: AuthenticatedRequest, result: Result) -> list[Any]:
    """Plans of the user's province, not yet issued, that the user may edit: where the paragraph can go."""
    from chiso.plans.models import Plan, PlanStatus

    province_id = request.user.province_id
    if province_id is None:  # a plan always has a province: none to offer
        return []
    plans = Plan.objects.visible_to(request.user).filter(status=PlanStatus.DRAFT, parent__isnull=True,
                                                          province_id=province_id)
    return [p for p in plans.select_related("province")[:20] if plan_perm.can_edit_plan(request.user, p)]


@login_required
def province_results(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """A province over the years; a province formed by the 2025 merger shows its former provinces side
    by side, year by year and component by component."""
    province = get_object_or_404(Province, code=code)
    index = request.GET.get("chi_so") or IndexKind.PAPI
    if index not in IndexKind.values:
        index = IndexKind.PAPI
    predecessors = list(province.predecessors.order_by("name"))
    results = list(Result.objects.provincial().of_index(index).filter(province__in=[province, *predecessors])
                   .select_related("framework", "province").order_by("year"))
    # The merged province gets its own column once it has results of its own.
    with_results = {r.province_id for r in results}
    subjects = [s for s in (province, *predecessors) if s.pk in with_results] or [province]
    years = sorted({r.year for r in results})
    by_year: dict[int, dict[int, Result]] = defaultdict(dict)
    for result in results:
        by_year[result.year][result.province_id] = result
    totals = load_years(index, years)
    series: dict[str, list[Decimal | None]] = {}
    grid = []
    for subject in subjects:
        values = []
        for year in years:
            found = by_year[year].get(subject.pk)
            values.append(totals[year].total_of(found.pk) if found else None)
        if any(v is not None for v in values):
            series[subject.name] = values
    for year in reversed(years):
        cells = []
        for subject in subjects:
            found = by_year[year].get(subject.pk)
            cells.append((found, totals[year].rank_of(found.pk) if found else None,
                          totals[year].total_of(found.pk) if found else None))
        grid.append((year, cells))
    latest = years[-1] if years else None
    latest_results = [by_year[latest][s.pk] for s in subjects if latest and s.pk in by_year[latest]]
    components = _side_by_side(latest_results) if latest_results else []
    context = {
        "province": province, "index": index, "indices": IndexKind.choices, "subjects": subjects,
        "predecessors": predecessors,
        "grid": grid, "years": years, "latest": latest, "latest_results": latest_results, "components": components,
        "chart": charts.side_by_side_chart(years, series) if series else None,
        "paragraphs": [written_analysis(analyse(r)) for r in latest_results],
    }
    return render(request, "results/province_results.html", context)


def _side_by_side(results: list[Result]) -> list[tuple[Node, list[Decimal | None]]]:
    """Component rows of the first result's framework, one column per result (matched by code)."""
    scores: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for result_id, code, value in Score.objects.filter(result__in=results).values_list("result_id", "node__code", "value"):
        scores[result_id][code] = value
    nodes = list(Node.objects.filter(framework_id=results[0].framework_id).order_by("position"))
    return [(node, [scores[r.pk].get(node.code) for r in results]) for node in nodes]


@login_required
def result_create(request: AuthenticatedRequest) -> HttpResponse:
    require(can_enter_results(request.user))
    subject_form = ResultSubjectForm(request.GET or None, user=request.user)
    if not request.GET or not subject_form.is_valid():
        return render(request, "results/result_subject.html", {"form": subject_form},
                      status=400 if request.GET else 200)
    data = subject_form.cleaned_data
    province: Province = data["unit"].province if data["unit"] else data["province"]
    unit: Unit | None = data["unit"]
    existing = Result.objects.filter(framework=data["framework"], year=data["year"], province=province,
                                     unit=unit).first()
    if existing:
        messages.info(request, _("Kết quả này đã có; bạn đang sửa kết quả đã nhập."))
        return redirect("results:result_edit", pk=existing.pk)
    problem = subject_error(data["framework"], data["year"], province, unit)
    if problem:
        subject_form.add_error(None, problem)
        return render(request, "results/result_subject.html", {"form": subject_form}, status=400)
    return _result_form(request, data["framework"], data["year"], province, unit, None)


@login_required
def result_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    result = get_visible_result(request.user, pk)
    require(can_edit_result(request.user, result))
    return _result_form(request, result.framework, result.year, result.province, result.unit, result)


def _result_form(request: AuthenticatedRequest, framework: Framework, year: int, province: Province, unit: Unit | None,
                 result: Result | None) -> HttpResponse:
    nodes = list(framework.nodes.order_by("position"))
    initial_scores = dict(result.scores.values_list("node_id", "value")) if result else {}
    form = ResultForm(request.POST or None, framework=framework, nodes=nodes, result=result,
                      initial_scores=initial_scores)
    if request.method == "POST" and form.is_valid() and result is not None and form.cleaned_data.get("lock_version") is None:
        mark_stale(form)  # an edit must say which version it was made on, or it could overwrite unseen changes
    elif request.method == "POST" and form.is_valid():
        try:
            saved = save_result(form.result_data(framework, year, province, unit), request.user, result=result,
                                expected_version=form.cleaned_data.get("lock_version") if result else None,
                                create_only=result is None)
        except StaleEdit:
            mark_stale(form)
        except ResultConflict as conflict:
            form.add_error(None, str(conflict))
        else:
            messages.success(request, _("Đã lưu kết quả."))
            return redirect("results:result_detail", pk=saved.pk)
    context = {"form": form, "framework": framework, "year": year, "province": province, "unit": unit,
               "result": result}
    return render(request, "results/result_form.html", context, status=form_status(form))


@login_required
def result_import(request: AuthenticatedRequest) -> HttpResponse:
    require(can_enter_results(request.user))
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = import_results(upload, upload.name, form.cleaned_data["framework"], form.cleaned_data["year"],
                                     request.user, form.cleaned_data.get("source") or "")
        except ImportRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(request, _("Đã đọc %(scores)s điểm; %(results)s kết quả có thay đổi.") % {
                "results": summary.results, "scores": summary.scores})
            return redirect(f"{reverse('results:overview')}?index={form.cleaned_data['framework'].index}"
                            f"&year={form.cleaned_data['year']}")
    status = 400 if request.method == "POST" and (errors or form.errors) else 200
    return render(request, "results/result_import.html", {"form": form, "errors": errors}, status=status)


@login_required
def result_template(request: AuthenticatedRequest) -> HttpResponse:
    """The import template for a framework and year, pre-filled with what chiso already has."""
    require(can_enter_results(request.user))
    framework = get_object_or_404(Framework.objects.visible_to(request.user),
                                  pk=int_param(request.GET.get("framework")) or 0)
    year = int_param(request.GET.get("year"))
    if year is None or not 2005 <= year <= 2100:
        return HttpResponseBadRequest(_("Năm đánh giá không hợp lệ.").encode())
    user = request.user
    existing = {(r.province_id, r.unit_id): r for r in Result.objects.filter(framework=framework, year=year)}
    subjects: list[tuple[str, Result | None]] = []
    if user.is_instance_admin:
        provinces = list(Province.objects.on_map_in(year).order_by("name"))
    else:
        own = user.own_unit.province
        provinces = [p for p in Province.objects.filter(pk__in=[own.pk, *own.predecessors.values_list("pk", flat=True)])
                     .order_by("name") if p.on_map_in(year)]
    subjects += [(p.name, existing.get((p.pk, None))) for p in provinces]
    if request.GET.get("pham_vi") == "don-vi" and user.province_id:
        units = Unit.objects.filter(province_id=user.province_id, is_active=True, kind__in=["department", "commune", "ward"])
        subjects = [(u.code, existing.get((u.province_id, u.pk))) for u in units.order_by("kind", "name")]
    content = template_workbook(framework, year, subjects)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="ket-qua-{framework.slug}-{year}.xlsx"'
    return response


def _targets_from(request: AuthenticatedRequest, rows: dict[str, Any]) -> tuple[dict[str, Decimal], list[str]]:
    """Target scores typed on the what-if page (t_<code>), checked against each node's range."""
    targets, errors = {}, []
    for key in request.GET:
        raw, code = request.GET.get(key, ""), key[2:]
        if not key.startswith("t_") or code not in rows or not raw.strip():
            continue
        row = rows[code]
        try:
            wanted = Decimal(raw.strip().replace(",", "."))
        except InvalidOperation:
            wanted = Decimal("NaN")
        maximum = row.node.max_points
        if not wanted.is_finite() or wanted < 0 or (maximum is not None and wanted > maximum):
            errors.append(_("%(code)s: mục tiêu phải là số từ 0 đến %(max)s.") % {
                "code": code, "max": vn_number(maximum) if maximum is not None else "…"})
        elif row.score is None:
            errors.append(_("%(code)s: chưa có điểm công bố nên không tính được mức tăng.") % {"code": code})
        else:
            targets[code] = wanted
    return targets, errors


@login_required
def result_whatif(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    result = get_visible_result(request.user, pk)
    analysis = analyse(result)
    targets, errors = _targets_from(request, {row.node.code: row for row in analysis.rows})
    projection = project(analysis, targets) if targets else None
    gains = potential_gains(analysis)
    context = {
        "result": result, "analysis": analysis, "projection": projection, "targets": targets, "errors": errors,
        "gains": gains[:15],
        "gains_chart": charts.gains_chart([f"{g.row.node.code}. {g.row.node.name_vi}" for g in gains[:15]],
                                          [g.gain for g in gains[:15]]) if gains else None,
    }
    return render(request, "results/result_whatif.html", context, status=400 if errors else 200)


@login_required
def plan_coverage_view(request: AuthenticatedRequest, plan_pk: int) -> HttpResponse:
    plan = plan_perm.get_visible_plan(request.user, plan_pk)
    results = None  # the plan's basis results
    chosen = request.GET.get("ket_qua")
    if chosen:
        chosen_id = int_param(chosen)
        if chosen_id is None:
            raise Http404
        results = [get_visible_result(request.user, chosen_id)]
    # The same for every reader until the plan, its results or the other plans change (figures_cache).
    coverages, target_checks = cached_figures(
        "plan-coverage", (plan.pk, results[0].pk if results else None),
        lambda _version: plan_coverages(plan, results))
    context = {"plan": plan, "coverages": coverages, "target_checks": target_checks,
               "can_edit": plan_perm.can_edit_plan(request.user, plan)}
    template = "results/_coverage.html" if getattr(request, "htmx", False) else "results/plan_coverage.html"
    return render(request, template, context)


@login_required
@require_POST
def plan_copy_task(request: AuthenticatedRequest, plan_pk: int) -> HttpResponse:
    """Copy a task another plan attached to a component into this plan, on this plan's node of that
    component; its agencies are left for the coordinator to assign (they belong to another province)."""
    plan = plan_perm.get_visible_plan(request.user, plan_pk)
    require(plan_perm.can_edit_plan(request.user, plan))
    source = get_object_or_404(Task.objects.select_related("plan"), pk=int_param(request.POST.get("task")) or 0)
    code, index = request.POST.get("code", ""), request.POST.get("index", "")
    # No code holds a NUL: such a request finds no component (and is not sent to the database).
    node = None if holds_nul(code, index) else Node.objects.filter(
        framework__plans=plan, code=code, framework__index=index).first()
    if node is None or source.plan.status not in ("issued", "superseded"):
        messages.error(request, _("Không sao chép được: nội dung chỉ số không thuộc kế hoạch này."))
        return redirect("results:plan_coverage", plan_pk=plan.pk)
    with transaction.atomic():
        save_task(plan, TaskData(content=source.content, nodes=[node], lead_units=[], lead_groups=[],
                                 coordinating_units=[], coordinating_groups=[], target=source.target,
                                 schedule_text=source.schedule_text, outputs=source.outputs,
                                 notes=_("Sao chép từ %(plan)s") % {"plan": source.plan}))
    messages.success(request, _("Đã thêm nhiệm vụ vào kế hoạch; hãy giao đơn vị chủ trì và thời hạn."))
    return redirect("results:plan_coverage", plan_pk=plan.pk)
