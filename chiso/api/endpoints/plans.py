"""Plans (header, targets, reporting regime), their tasks with nodes and units, and the assignments with
where each stands (chiso.monitoring.state, the rule every page uses)."""


import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate

from chiso.api.endpoints.common import PAGE_SIZE, Pages, account, since
from chiso.api.schemas import AssignmentPage, PlanDetail, PlanOut, TaskPage
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


@router.get("/plans/{plan_id}/tasks", response=TaskPage, summary="Nhiệm vụ của kế hoạch")
def task_list(request: HttpRequest, plan_id: int, node: int | None = None, unit: int | None = None,
              updated_since: dt.datetime | None = None, page: int = 1) -> dict[str, Any]:
    """Paginated like the other lists: {"items": [...], "count": total}, 100 a page."""
    plan = get_visible_plan(account(request), plan_id)
    tasks = plan.tasks.filter(**since(updated_since))
    if node:
        tasks = tasks.filter(nodes=node)
    if unit:
        tasks = tasks.filter(assignments__unit_id=unit)
    tasks = tasks.distinct().order_by("order", "id")
    first = (max(page, 1) - 1) * PAGE_SIZE
    return {"items": task_rows(tasks[first:first + PAGE_SIZE]), "count": tasks.count()}


TASK_FIELDS = ("id", "plan_id", "order", "number", "content", "target", "lead_text", "coordinating_text",
               "schedule_text", "schedule_kind", "due_date", "outputs", "updated_at")
UNIT_FIELDS = ("id", "code", "name", "short_name", "kind")


def task_rows(tasks: QuerySet[Task]) -> list[dict[str, Any]]:
    """The tasks as rows with their nodes, lead units, lead groups and coordinating units, read as values in
    five queries: a page of 100 tasks as model instances with four prefetched relations built some four
    thousand related managers, most of the endpoint's time (docs/PERFORMANCE.md)."""
    rows = {row["id"]: {**row, "nodes": [], "lead_units": [], "lead_group_ids": [], "coordinating_unit_ids": []}
            for row in tasks.values(*TASK_FIELDS)}
    links = Task.nodes.through.objects.filter(task_id__in=rows).order_by("node__position", "node_id")
    for task_id, *node in links.values_list("task_id", "node_id", "node__code", "node__name_vi",
                                            "node__framework_id"):
        rows[task_id]["nodes"].append(dict(zip(("id", "code", "name_vi", "framework_id"), node, strict=True)))
    leads = Task.lead_units.through.objects.filter(task_id__in=rows).order_by("unit__kind", "unit__name")
    for task_id, *unit in leads.values_list("task_id", *(f"unit__{field}" for field in UNIT_FIELDS)):
        rows[task_id]["lead_units"].append(dict(zip(UNIT_FIELDS, unit, strict=True)))
    # In the order of the related models' Meta (groups by name, units by kind and name), as before.
    for through, column, order, key in (
            (Task.lead_groups.through, "unitgroup", ("unitgroup__name",), "lead_group_ids"),
            (Task.coordinating_units.through, "unit", ("unit__kind", "unit__name"), "coordinating_unit_ids")):
        for task_id, target_id in through.objects.filter(task_id__in=rows).order_by(*order).values_list(
                "task_id", column):
            rows[task_id][key].append(target_id)
    return list(rows.values())


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
