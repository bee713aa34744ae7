"""Plan pages: list, header form, the appendix (phụ lục) with in-place task editing, the cascade."""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, F, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chiso.accounts.models import Role
from chiso.accounts.requests import AuthenticatedRequest
from chiso.core.figures_cache import FIGURES_TTL, cached_figures
from chiso.core.history import history_entries
from chiso.core.http import int_param, redirect_after_save, render_htmx, require
from chiso.core.locking import StaleEdit, form_status, mark_stale, save_current
from chiso.core.todo import todo_items
from chiso.core.workflow import run_transition, unconfirmed_gaps
from chiso.frameworks.models import subtree_ids
from chiso.orgs.models import Unit, UnitGroup
from chiso.plans import permissions as perm
from chiso.plans.appendix import (
    appendix_columns,
    appendix_filter_choices,
    appendix_nodes,
    appendix_tasks,
    group_by_node,
)
from chiso.plans.appendix_cache import appendix_cache_key, cached_appendix
from chiso.plans.approval import request_approval, return_to_focal_point, unit_plan_chain
from chiso.plans.cascade_list import cascade_list
from chiso.plans.checks import issue_warnings
from chiso.plans.completeness import unit_plan_gaps
from chiso.plans.forms import AppendixFilterForm, IssueForm, PlanForm, TaskForm
from chiso.plans.models import Assignment, Plan, PlanStatus, Task
from chiso.plans.services import (
    accept_unit_plan,
    cascade_status,
    delete_task,
    derive_unit_plan,
    issue_plan,
    return_unit_plan,
    save_task,
    submit_unit_plan,
)

PLANS_PER_PAGE = 50


@login_required
def plan_list(request: AuthenticatedRequest) -> HttpResponse:
    # Newest period first; plans without a period (old plans it replaced) last on every database.
    plans = Plan.objects.visible_to(request.user).for_rows().order_by(F("period_start").desc(nulls_last=True), "-id")
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        plans = plans.filter(status=status)
    # A province with every unit's own plan over a few years has hundreds: a page at a time keeps it fast.
    page = Paginator(plans, PLANS_PER_PAGE).get_page(request.GET.get("trang"))
    return render(request, "plans/plan_list.html", {
        "plans": page.object_list, "page": page, "status": status, "statuses": PlanStatus.choices,
        "can_create": request.user.authors_in_province,
    })


@login_required
def plan_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _plan_page(request, perm.get_visible_plan(request.user, pk))


def _accept_form(plan: Plan) -> IssueForm:
    """The number and date the unit signed its plan under, asked when accepting it if the plan lacks them;
    the day it was sent is the likely signing date."""
    sent_on = timezone.localdate(plan.submitted_at) if plan.submitted_at else None
    return IssueForm(plan=plan, initial={"issued_on": sent_on})


def _plan_page(request: AuthenticatedRequest, plan: Plan, status: int = 200) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {
        "plan": plan,
        "targets": plan.targets.select_related("node"),
        "rules": plan.reporting_rules.all(),
        "frameworks": plan.frameworks.all(),
        "task_count": plan.tasks.count(),
        "assignment_count": Assignment.objects.filter(task__plan=plan).count(),
        "can_edit": perm.can_edit_plan(user, plan),
        "can_issue": perm.can_issue_plan(user, plan),
        "can_submit": perm.can_submit_plan(user, plan),
        "can_return": perm.can_return_plan(user, plan),
        "can_accept": perm.can_accept_plan(user, plan),
        "can_return_to_focal_point": perm.can_return_plan_to_focal_point(user, plan),
        "accept_form": _accept_form(plan),
        "can_request_approval": perm.can_request_plan_approval(user, plan),
        "can_derive": perm.can_derive_plan(user, plan),
        "own_unit_plan": plan.derived_plans.filter(owner_unit_id=user.unit_id).first() if user.unit_id else None,
        "replaces": plan.replaces.all(),
        "chain": unit_plan_chain(plan) if plan.is_unit_plan else None,
    }
    # What the leader should see before sending, at the moment they may send it.
    context["incomplete"] = unit_plan_gaps(plan) if context["can_submit"] else []
    if user.sees_whole_province and not plan.is_unit_plan:
        today = timezone.localdate()
        # The same for every reader until a plan, an assignment or a unit changes (chiso.core.figures_cache).
        rows = cached_figures("cascade", (plan.pk, today), lambda _version: cascade_status(plan, today))
        context["cascade"] = rows
        context["cascade_late"] = sum(1 for r in rows if r.is_late)
        context["cascade_submitted"] = sum(1 for r in rows if r.submitted)
        context.update(cascade_list(rows, request.GET))
    return render(request, "plans/plan_detail.html", context, status=status)


@login_required
def plan_create(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require(user.authors_in_province)
    committee = Unit.objects.filter(province_id=user.own_province_id, kind="province_committee").first()
    draft = Plan(province_id=user.own_province_id, owner_unit=committee or user.own_unit)
    form = PlanForm(request.POST or None, instance=draft, user=user, province_id=user.own_province_id)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            plan = form.save()
        messages.success(request, _("Đã tạo kế hoạch dự thảo."))
        return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "plan": None}, status=form_status(form))


@login_required
def plan_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = perm.get_visible_plan(request.user, pk)
    require(perm.can_edit_plan(request.user, plan))
    form = PlanForm(request.POST or None, instance=plan, user=request.user, province_id=plan.province_id)
    if request.method == "POST" and form.is_valid() and save_current(form, plan):
        messages.success(request, _("Đã lưu kế hoạch."))
        return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan}, status=form_status(form))


def _transition(request: AuthenticatedRequest, pk: int, allowed: Any, action: Any, done: str) -> HttpResponse:
    """The form may carry the plan's lock_version as the page showed it: a transition based on a plan that
    changed since (sent, returned, accepted by someone else meanwhile) is refused with 409."""
    plan = perm.get_visible_plan(request.user, pk)
    sent = int_param(request.POST.get("lock_version"))
    try:
        return run_transition(request, plan, allowed(request.user, plan), lambda p: action(p, sent), done,
                              "plans:plan_detail", expected_version=sent, pk=plan.pk)
    except StaleEdit:
        messages.error(request, _("Kế hoạch vừa thay đổi (được gửi, trả lại hoặc tiếp nhận) sau khi bạn mở trang. "
                                  "Xem lại nội dung mới rồi thao tác lại; chưa có gì thay đổi."))
        plan.refresh_from_db()
        return _plan_page(request, plan, status=409)


@login_required
@require_POST
def plan_issue(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Issuing asks for confirmation when a registered check finds gaps (weak components without tasks)."""
    plan = perm.get_visible_plan(request.user, pk)
    require(perm.can_issue_plan(request.user, plan))
    form = IssueForm(request.POST, plan=plan)
    warnings = [] if request.POST.get("confirm_warnings") else issue_warnings(plan)
    if not form.is_valid() or warnings:
        status = 400 if form.is_bound and form.errors and "shown" in request.POST else 409
        return render(request, "plans/plan_issue_confirm.html", {"plan": plan, "warnings": warnings, "form": form},
                      status=status)
    return _transition(request, pk, perm.can_issue_plan,
                       lambda p, _v: issue_plan(p, form.cleaned_data["issued_on"], form.cleaned_data["number"]),
                       _("Đã ban hành kế hoạch."))


@login_required
@require_POST
def plan_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The leader sends; a plan with something still incomplete goes only once the leader has confirmed."""
    plan = perm.get_visible_plan(request.user, pk)
    if unconfirmed_gaps(request, plan, perm.can_submit_plan(request.user, plan), lambda: unit_plan_gaps(plan)):
        messages.error(request, _("Kế hoạch còn nội dung chưa đầy đủ (xem danh sách bên dưới). Xác nhận vẫn gửi "
                                  "hoặc trả lại cán bộ đầu mối để bổ sung; kế hoạch chưa được gửi."))
        return _plan_page(request, plan, status=400)
    return _transition(request, pk, perm.can_submit_plan,
                       lambda p, v: submit_unit_plan(p, request.user, expected_version=v),
                       _("Đã gửi kế hoạch của đơn vị về Sở Nội vụ."))


@login_required
@require_POST
def plan_request_approval(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, perm.can_request_plan_approval,
                       lambda p, v: request_approval(p, request.user, expected_version=v),
                       _("Đã trình lãnh đạo đơn vị duyệt kế hoạch."))


@login_required
@require_POST
def plan_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _transition(request, pk, perm.can_return_plan,
                       lambda p, v: return_unit_plan(p, request.user, comment, expected_version=v),
                       _("Đã trả lại kế hoạch để đơn vị chỉnh sửa."))


@login_required
@require_POST
def plan_return_to_focal_point(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The unit's leader hands the draft waiting for approval back to the focal point with a comment."""
    comment = request.POST.get("comment", "")
    return _transition(request, pk, perm.can_return_plan_to_focal_point,
                       lambda p, v: return_to_focal_point(p, request.user, comment, expected_version=v),
                       _("Đã trả lại dự thảo kế hoạch cho cán bộ đầu mối."))


@login_required
@require_POST
def plan_accept(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Sở Nội vụ accepts a unit plan the leader sent; a plan still without its number or date asks for them."""
    plan = perm.get_visible_plan(request.user, pk)
    require(perm.can_accept_plan(request.user, plan))
    form = IssueForm(request.POST, plan=plan)
    if not form.is_valid():
        errors = "; ".join(str(e) for field_errors in form.errors.values() for e in field_errors)
        messages.error(request, _("Chưa tiếp nhận được kế hoạch: %(errors)s") % {"errors": errors})
        return _plan_page(request, plan, status=400)
    data = form.cleaned_data
    return _transition(request, pk, perm.can_accept_plan,
                       lambda p, v: accept_unit_plan(p, request.user, data["issued_on"], data["number"],
                                                     expected_version=v),
                       _("Đã tiếp nhận kế hoạch của đơn vị."))


@login_required
@require_POST
def plan_derive(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = perm.get_visible_plan(request.user, pk)
    require(perm.can_derive_plan(request.user, plan))
    own = derive_unit_plan(plan, request.user.own_unit)
    messages.success(request, _("Đã tạo dự thảo kế hoạch của đơn vị từ các nhiệm vụ được giao."))
    return redirect("plans:plan_detail", pk=own.pk)


@login_required
def plan_appendix(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = perm.get_visible_plan(request.user, pk)
    tasks_qs = appendix_tasks(plan)
    # The filters' choices (some 700 units and index components) are read, and their selects rendered, once per
    # version of the data (chiso.core.figures_cache); the nodes themselves only when a filter or the table needs
    # them.
    filters_version, unit_choices, node_choices = cached_figures(
        "appendix-filters", (plan.pk,), lambda version: (version, *appendix_filter_choices(plan)))
    plan_nodes = functools.cache(lambda: appendix_nodes(plan))
    filters = AppendixFilterForm(request.GET or None, unit_choices=unit_choices, node_choices=node_choices)
    active_filters = False
    if filters.is_valid():
        data = filters.cleaned_data
        if data["unit"]:
            unit_id = data["unit"]
            tasks_qs = tasks_qs.filter(
                Q(pk__in=Assignment.objects.filter(unit_id=unit_id).values("task_id"))
                | Q(pk__in=Task.coordinating_units.through.objects.filter(unit_id=unit_id).values("task_id"))
            )
            active_filters = True
        if data["node"]:
            chosen = next((n for n in plan_nodes() if str(n.pk) == data["node"]), None)
            if chosen:
                tasks_qs = tasks_qs.filter(nodes__in=subtree_ids(plan_nodes(), chosen)).distinct()
                active_filters = True
        if data["schedule"]:
            tasks_qs = tasks_qs.filter(schedule_kind=data["schedule"])
            active_filters = True
        if data["q"]:
            tasks_qs = tasks_qs.filter(content__icontains=data["q"])
            active_filters = True
    can_edit = perm.can_edit_plan(request.user, plan)
    chosen_filters = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}

    def render_table() -> str:
        tasks = list(tasks_qs)
        columns = appendix_columns(tasks)
        return render_to_string("plans/_appendix_table.html", {
            "plan": plan, "sections": group_by_node(plan, tasks, plan_nodes()), "active_filters": active_filters,
            "shown": len(tasks), "can_edit": can_edit, "columns": columns,
            # A node heading row spans the node name, task, lead, coordinating and time columns and the optional
            # ones that sit among them.
            "node_colspan": 5 + columns["target"] + columns["monitoring"],
        }, request=request)

    table = cached_appendix(appendix_cache_key(plan, chosen_filters, can_edit), render_table)
    if getattr(request, "htmx", False):
        return HttpResponse(table)
    context = {"plan": plan, "filters": filters, "can_edit": can_edit, "appendix_table": mark_safe(table),
               "filters_version": filters_version, "figures_ttl": FIGURES_TTL}  # noqa: S308 - rendered by our own template
    return render(request, "plans/plan_appendix.html", context)


def _task_form(request: AuthenticatedRequest, plan: Plan, initial: dict[str, Any]) -> TaskForm:
    units = list(Unit.objects.filter(province_id=plan.province_id, is_active=True).order_by("name"))
    groups = list(UnitGroup.objects.filter(province_id=plan.province_id))
    return TaskForm(request.POST or None, plan=plan, units=units, groups=groups, initial=initial)


@login_required
def task_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = perm.get_visible_plan(request.user, pk)
    require(perm.can_edit_plan(request.user, plan))
    initial = {"nodes": [request.GET["node"]]} if request.GET.get("node") else {}
    form = _task_form(request, plan, initial)
    if request.method == "POST" and form.is_valid():
        task = save_task(plan, form.task_data())
        messages.success(request, _("Đã thêm nhiệm vụ."))
        return redirect_after_save(request, plan_appendix_url(plan, task))
    return render_htmx(request, "plans/task_form.html", "plans/_task_form.html",
                       {"plan": plan, "form": form, "task": None}, status=form_status(form))


def plan_appendix_url(plan: Plan, task: Task) -> str:
    from django.urls import reverse

    return f"{reverse('plans:plan_appendix', args=[plan.pk])}#task-{task.pk}"


@login_required
def task_edit(request: AuthenticatedRequest, pk: int, task_pk: int) -> HttpResponse:
    plan = perm.get_visible_plan(request.user, pk)
    require(perm.can_edit_plan(request.user, plan))
    task = get_object_or_404(plan.tasks.all(), pk=task_pk)
    form = _task_form(request, plan, TaskForm.initial_for(task))
    if request.method == "POST" and form.is_valid():
        try:
            save_task(plan, form.task_data(task), task=task, expected_version=form.cleaned_data.get("lock_version") or 0)
        except StaleEdit:
            mark_stale(form)
        else:
            messages.success(request, _("Đã lưu nhiệm vụ."))
            return redirect_after_save(request, plan_appendix_url(plan, task))
    return render_htmx(request, "plans/task_form.html", "plans/_task_form.html",
                       {"plan": plan, "form": form, "task": task}, status=form_status(form))


@login_required
@require_POST
def task_delete(request: AuthenticatedRequest, pk: int, task_pk: int) -> HttpResponse:
    plan = perm.get_visible_plan(request.user, pk)
    require(perm.can_edit_plan(request.user, plan))
    task = get_object_or_404(plan.tasks.all(), pk=task_pk)
    delete_task(task)
    messages.success(request, _("Đã xóa nhiệm vụ (vẫn xem được trong lịch sử thay đổi)."))
    return redirect("plans:plan_appendix", pk=plan.pk)


@login_required
def task_detail(request: AuthenticatedRequest, pk: int, task_pk: int) -> HttpResponse:
    plan = perm.get_visible_plan(request.user, pk)
    task = get_object_or_404(
        plan.tasks.prefetch_related("nodes__framework", "lead_units", "lead_groups", "coordinating_units",
                                    "coordinating_groups"), pk=task_pk)
    assignments = task.assignments.select_related("unit", "via_group").order_by("unit__kind", "unit__name")
    return render(request, "plans/task_detail.html", {
        "plan": plan, "task": task, "assignments": assignments, "history": history_entries(task),
        "can_edit": perm.can_edit_plan(request.user, plan),
    })


@login_required
def plan_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = perm.get_visible_plan(request.user, pk)
    deleted = plan.tasks.model.history.filter(plan_id=plan.pk, history_type="-").select_related("history_user")[:50]
    return render(request, "plans/plan_history.html", {
        "plan": plan, "history": history_entries(plan), "deleted_tasks": deleted,
    })


@login_required
def my_tasks(request: AuthenticatedRequest) -> HttpResponse:
    """The unit's assignments across the plans it may see, plan by plan in the order of each appendix."""
    assignments = list(
        _unit_assignments(request.user)
        .select_related("task__plan", "via_group")
        .prefetch_related("task__nodes__framework")
        .order_by("task__plan_id", "task__order")
    )
    grouped: dict[Plan, list[Assignment]] = {}
    for assignment in assignments:
        grouped.setdefault(assignment.task.plan, []).append(assignment)
    return render(request, "plans/my_tasks.html", {
        "groups": grouped, "count": len(assignments), "today": timezone.localdate(),
    })


def _unit_assignments(user: Any) -> Any:
    """The unit's work once: a task its own plan copied from the province plan (source_task) is the same
    work as the province plan's assignment, so only the unit's own additions count from its plan."""
    if not user.unit_id:
        return Assignment.objects.none()
    return Assignment.objects.filter(
        unit_id=user.unit_id, task__plan__in=Plan.objects.visible_to(user).values("pk"),
    ).exclude(task__plan__parent__isnull=False, task__source_task__isnull=False)


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """The first page: what is waiting for the user ("Việc cần làm"), recent plans, and for unit staff their
    unit's tasks and own plans. The province's leadership lands on the overview of the indices instead."""
    user = request.user
    if user.role == Role.VIEWER and user.province_id:
        return redirect("monitoring:leadership_home")
    visible = Plan.objects.visible_to(user)
    today = timezone.localdate()
    context: dict[str, Any] = {"plans": visible.for_rows().order_by("-period_start", "-id")[:8], "today": today,
                               "todo": todo_items(user, today)}
    if user.unit_id:
        mine = _unit_assignments(user)
        context["my_assignment_count"] = mine.count()
        context["my_upcoming"] = mine.filter(due_date__gte=today).select_related("task").order_by("due_date")[:5]
        context["own_plans"] = visible.filter(owner_unit_id=user.unit_id, parent__isnull=False)
    if user.sees_whole_province:
        context["status_counts"] = dict(visible.values_list("status").annotate(n=Count("id")))
        context["statuses"] = PlanStatus
    return render(request, "plans/home.html", context)
