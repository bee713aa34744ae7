"""What is still incomplete in a unit's own plan before its leader sends it to Sở Nội vụ, as for a report
(monitoring.reports.approval.incomplete_lines): a plan without any task, tasks nobody leads or without a time
frame (Task.has_lead, Task.has_time_frame: the rule the coverage check uses too), and tasks of the province's
plan assigned to the unit that its plan does not carry. Each gap names the task and links to where it is seen
and fixed. The leader sees them and must confirm to send anyway."""

from __future__ import annotations

from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from chiso.core.workflow import Gap
from chiso.plans.models import Plan, Task

CONTENT_SHOWN = 80  # characters of a task's content naming it in a gap


def task_label(task: Task) -> str:
    """'3. Niêm yết công khai thủ tục…': the number the appendix prints, then the start of the content."""
    content = Truncator(" ".join(task.content.split())).chars(CONTENT_SHOWN)
    return f"{task.number}. {content}" if task.number else content


def _task_gaps(plan: Plan, tasks: list[Task]) -> list[Gap]:
    gaps = []
    for task in tasks:
        missing = [what for present, what in ((task.has_lead, _("chưa có đơn vị chủ trì")),
                                              (task.has_time_frame, _("chưa có thời hạn hoàn thành")))
                   if not present]
        if missing:
            gaps.append(Gap(_("Nhiệm vụ %(task)s: %(missing)s.") % {"task": task_label(task), "missing": "; ".join(missing)},
                            reverse("plans:task_detail", args=[plan.pk, task.pk])))
    return gaps


def not_carried(plan: Plan) -> list[Task]:
    """The province's tasks assigned to the unit (its share, Assignment) that no task of its plan derives from."""
    if plan.parent_id is None:  # the province's own plan: nothing was assigned to carry
        return []
    carried = plan.tasks.filter(source_task__isnull=False).values("source_task_id")
    return list(Task.objects.filter(plan_id=plan.parent_id, assignments__unit_id=plan.owner_unit_id)
                .exclude(pk__in=carried).order_by("order", "id"))


def unit_plan_gaps(plan: Plan) -> list[Gap]:
    """The gaps of a unit plan, in the appendix's order, the province's tasks not carried last. Four queries
    whatever the number of tasks: the tasks, their lead units, their lead groups, the tasks not carried."""
    tasks = list(plan.tasks.prefetch_related("lead_units", "lead_groups").order_by("order", "id"))
    gaps = [] if tasks else [Gap(_("Kế hoạch chưa có nhiệm vụ nào: thêm nhiệm vụ vào phụ lục."),
                                 reverse("plans:plan_appendix", args=[plan.pk]))]
    gaps += _task_gaps(plan, tasks)
    gaps += [Gap(_("Nhiệm vụ %(task)s của kế hoạch tỉnh giao cho đơn vị chưa có trong kế hoạch.")
                 % {"task": task_label(task)}, reverse("plans:task_detail", args=[plan.parent_id, task.pk]))
             for task in not_carried(plan)]
    return gaps
