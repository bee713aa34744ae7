"""Plans (header, targets, reporting regime), their tasks with nodes and units, and the assignments with
where each stands (chiso.monitoring.state, the rule every page uses)."""


import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate

from chiso.api.endpoints.common import PAGE_SIZE, Pages, account, since
from chiso.api.schemas import AssignmentPage, PlanDetail, PlanOut, TaskOut
from chiso.frameworks.models import Node
from chiso.monitoring.lateness import assignment_is_overdue
from chiso.monitoring.models import LineStatus, ReportLine
from chiso.monitoring.state import assignment_states
from chiso.plans.models import Assignment, Plan, Task
from chiso.plans.permissions import get_visible_plan

router = Router(tags=["Kế hoạch"])


@router.get("/plans", response=list[PlanOut], summary="Kế hoạch")
@paginate(Pages)
def plan_list(request: HttpRequest, province: int | None = None, status: str | None = None,
              updated_since: dt.datetime | None = None) -> QuerySet[Plan]:
    plans = Plan.objects.visible_to(account(request)).filter(**since(updated_since)).order_by("-id")
    if province:
        plans = plans.filter(province_id=province)
    return plans.filter(status=status) if status else plans


@router.get("/plans/{plan_id}", response=PlanDetail, summary="Một kế hoạch: thông tin, chỉ tiêu, chế độ báo cáo")
def plan_detail(request: HttpRequest, plan_id: int) -> Plan:
    plan = get_visible_plan(account(request), plan_id)
    # The three related lists in three queries, whatever their length.
    return Plan.objects.prefetch_related("targets", "reporting_rules", "frameworks").get(pk=plan.pk)


@router.get("/plans/{plan_id}/tasks", response=list[TaskOut], summary="Nhiệm vụ của kế hoạch")
@paginate(Pages)
def task_list(request: HttpRequest, plan_id: int, node: int | None = None, unit: int | None = None,
              updated_since: dt.datetime | None = None) -> QuerySet[Task]:
    plan = get_visible_plan(account(request), plan_id)
    tasks = plan.tasks.filter(**since(updated_since)).order_by("order", "id").prefetch_related(
        Prefetch("nodes", queryset=Node.objects.order_by("position")), "lead_units", "lead_groups",
        "coordinating_units")
    if node:
        tasks = tasks.filter(nodes=node)
    if unit:
        tasks = tasks.filter(assignments__unit_id=unit)
    return tasks.distinct()


def _with_state(rows: list[Assignment], states: dict[int, Any], today: dt.date) -> list[Assignment]:
    for row in rows:
        state = states.get(row.pk)
        row.plan_id = row.task.plan_id  # type: ignore[attr-defined]
        row.state = {  # type: ignore[attr-defined]
            "status": state.status if state else None,
            "status_label": str(LineStatus(state.status).label) if state else _("Chưa báo cáo"),
            "done_on": state.done_on if state else None, "done_late": bool(state and state.done_late),
            "closed": bool(state and state.closed), "overdue": assignment_is_overdue(row.due_date, bool(state and state.closed), today)}
    return rows


@router.get("/assignments", response=AssignmentPage, summary="Phân công và tình trạng thực hiện")
def assignment_list(request: HttpRequest, plan: int | None = None, unit: int | None = None,
                    node: int | None = None, status: str | None = None, page: int = 1) -> dict[str, Any]:
    """Paginated like the other lists. The state is worked out for the page only, unless the list is filtered
    by it (a line status, or "none" for never reported): then for every assignment the other filters keep."""
    assignments = (Assignment.objects.filter(task__plan__in=Plan.objects.visible_to(account(request)).values("pk"))
                   .select_related("unit", "task").order_by("task__plan_id", "task__order", "unit_id", "id"))
    filters = {"task__plan_id": plan, "unit_id": unit, "task__nodes": node}
    assignments = assignments.filter(**{key: value for key, value in filters.items() if value})
    today, first = timezone.localdate(), (max(page, 1) - 1) * PAGE_SIZE
    if status:
        rows = _with_state(list(assignments), assignment_states(
            ReportLine.objects.filter(assignment__in=assignments.values("pk"))), today)
        rows = [r for r in rows if (r.state["status"] or "none") == status]  # type: ignore[attr-defined]
        return {"items": rows[first:first + PAGE_SIZE], "count": len(rows)}
    rows = list(assignments[first:first + PAGE_SIZE])
    states = assignment_states(ReportLine.objects.filter(assignment__in=[r.pk for r in rows]))
    return {"items": _with_state(rows, states, today), "count": assignments.count()}
