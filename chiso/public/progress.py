"""What the public page of a plan shows of its progress: per task, from ACCEPTED reports only (a draft, a
report waiting for review or a returned one says nothing here), its units' share done, the mean progress
they reported and a state in words, and the evidence files the province marked public (chiso.public.evidence).
No person's name, no text a unit wrote, no other evidence."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from chiso.monitoring.lateness import assignment_is_overdue
from chiso.monitoring.models import ReportLine, ReportStatus
from chiso.monitoring.state import assignment_states
from chiso.plans.appendix import appendix_nodes, appendix_tasks, group_by_node, unplaced_tasks
from chiso.plans.models import Assignment, Plan, Task
from chiso.public.evidence import evidence_by_task

NOT_REPORTED = _("Chưa có báo cáo được chấp nhận")
IN_PROGRESS = _("Đang thực hiện")
DONE = _("Đã hoàn thành")
LATE = _("Chậm so với thời hạn")


@dataclass
class TaskProgress:
    units: int
    done: int
    progress: int | None
    state: str
    state_code: str


def _task_progress(assignments: list[tuple[int, Any]], states: dict[int, Any], progress: dict[int, int],
                   today: dt.date) -> TaskProgress:
    done = sum(1 for pk, _due in assignments if states.get(pk) and states[pk].is_done)
    reported = [progress[pk] for pk, _due in assignments if pk in progress]
    late = any(assignment_is_overdue(due, bool(states.get(pk) and states[pk].closed), today)
               for pk, due in assignments)
    if assignments and done == len(assignments):
        state, code = DONE, "done"
    elif late:
        state, code = LATE, "late"
    elif reported:
        state, code = IN_PROGRESS, "in_progress"
    else:
        state, code = NOT_REPORTED, "none"
    mean = round(sum(reported) / len(reported)) if reported else None
    return TaskProgress(units=len(assignments), done=done, progress=mean, state=str(state), state_code=code)


def accepted_lines(plan: Plan) -> Any:
    return ReportLine.objects.filter(report__status=ReportStatus.ACCEPTED, assignment__task__plan=plan)


def plan_progress(plan: Plan, today: dt.date) -> dict[str, Any]:
    """The appendix by index node with each task's progress. A fixed number of queries."""
    tasks: list[Task] = list(appendix_tasks(plan))
    sections = group_by_node(plan, tasks, appendix_nodes(plan))
    by_task: dict[int, list[tuple[int, Any]]] = {}
    for pk, task_id, due in Assignment.objects.filter(task__plan=plan).values_list("pk", "task_id", "due_date"):
        by_task.setdefault(task_id, []).append((pk, due))
    lines = accepted_lines(plan)
    states = assignment_states(lines)
    latest: dict[int, int] = {}
    for assignment_id, value in lines.order_by("report__period__due_date", "pk").values_list("assignment_id",
                                                                                              "progress"):
        latest[assignment_id] = value
    files = evidence_by_task(plan)
    for task in tasks:
        task.public = _task_progress(by_task.get(task.pk, []), states, latest, today)  # type: ignore[attr-defined]
        task.public_files = files.get(task.pk, [])  # type: ignore[attr-defined]
    counted = [t.public for t in tasks if t.public.units]  # type: ignore[attr-defined]
    return {
        "sections": sections, "others": unplaced_tasks(sections, tasks), "task_count": len(tasks),
        "done": sum(1 for p in counted if p.state_code == "done"),
        "late": sum(1 for p in counted if p.state_code == "late"),
        "reported": sum(1 for p in counted if p.state_code != "none"),
    }
