"""The appendix (phụ lục) of a plan as it is printed: its tasks grouped under their index nodes, section by
section, with the optional columns the plan uses. The web appendix and the document exports share it."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from chiso.frameworks.models import Framework, IndexKind, Node
from chiso.orgs.models import Unit
from chiso.plans.models import Assignment, Plan, Task


def appendix_tasks(plan: Plan) -> QuerySet[Task]:
    """The plan's tasks with everything an appendix row shows, in a fixed number of queries."""
    return (
        plan.tasks.all()
        .prefetch_related(
            Prefetch("nodes", queryset=Node.objects.select_related("framework").order_by("position")),
            "lead_units", "lead_groups", "coordinating_units", "coordinating_groups",
        )
        .select_related("monitoring_unit")
        .order_by("order", "id")
    )


def appendix_nodes(plan: Plan) -> list[Node]:
    return list(
        Node.objects.filter(framework__plans=plan).select_related("framework").order_by("framework__index", "position")
    )


def appendix_filter_choices(plan: Plan) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The appendix filter's units (those leading or coordinating a task of the plan) and index components,
    as (value, label) choices. Two queries."""
    # Subqueries rather than OR-ed joins: joining both relations multiplies each unit's rows.
    leads = Assignment.objects.filter(task__plan=plan).values("unit_id")
    coordinators = Task.coordinating_units.through.objects.filter(task__plan=plan).values("unit_id")
    units = Unit.objects.filter(Q(pk__in=leads) | Q(pk__in=coordinators)).order_by("name").values_list("pk", "name")
    nodes = appendix_nodes(plan)
    return ([(str(pk), name) for pk, name in units],
            [(str(n.pk), f"{n.framework.get_index_display()} {n.code}. {n.name_vi[:60]}") for n in nodes])


def framework_order(tasks: list[Task]) -> dict[int, int]:
    """Frameworks in the order the plan's own tasks take them (phụ lục 01, 02, 03 …): the order of the first
    task with a node in each."""
    first_order: dict[int, int] = {}
    for task in tasks:
        for node in task.nodes.all():
            first_order.setdefault(node.framework_id, task.order)
    return first_order


def index_rank(index: str) -> int:
    """PAR INDEX, PAPI, SIPAS … in the order the indices are declared, as plans list them."""
    return list(IndexKind.values).index(index) if index in IndexKind.values else len(IndexKind.values)


def section_key(framework: Framework, order: dict[int, int]) -> tuple[int, int, int]:
    return order.get(framework.pk, 10**9), index_rank(framework.index), framework.pk


def first_node(task: Task, frameworks: set[int], order: dict[int, int]) -> Node | None:
    """The node a task stands under: of its nodes in the plan's frameworks, the first in the appendix order
    (framework, then position), so that a task on two indices is always filed under the same one."""
    nodes = [n for n in task.nodes.all() if n.framework_id in frameworks]
    return min(nodes, key=lambda n: (*section_key(n.framework, order), n.position, n.pk), default=None)


def group_by_node(plan: Plan, tasks: list[Task], nodes: list[Node]) -> list[dict[str, Any]]:
    """Appendix sections: each framework in the plan, its nodes in framework order with their tasks.
    Ancestors of a node with tasks are shown as heading rows, as in the printed phụ lục."""
    by_id = {n.pk: n for n in nodes}
    order = framework_order(tasks)
    frameworks = sorted(plan.frameworks.all(), key=lambda f: section_key(f, order))
    in_plan = {f.pk for f in frameworks}
    tasks_by_node: dict[int, list[Task]] = {}
    for task in tasks:
        first = first_node(task, in_plan, order)
        if first is not None:
            tasks_by_node.setdefault(first.pk, []).append(task)
    shown: set[int] = set()
    for node_id in tasks_by_node:
        node: Node | None = by_id.get(node_id)
        while node is not None:
            shown.add(node.pk)
            node = by_id.get(node.parent_id) if node.parent_id else None
    sections = []
    for framework in frameworks:
        framework_nodes = [n for n in nodes if n.framework_id == framework.pk and n.pk in shown]
        rows = [{"node": n, "tasks": tasks_by_node.get(n.pk, [])} for n in framework_nodes]
        sections.append({"framework": framework, "rows": rows,
                         "task_count": sum(len(tasks_by_node.get(n.pk, [])) for n in framework_nodes)})
    return sections


def unplaced_tasks(sections: list[dict[str, Any]], tasks: list[Task]) -> list[Task]:
    """Tasks with no node in any of the plan's frameworks (none given, or the framework was taken off the
    plan): no section of group_by_node holds them, so the documents print them in a last appendix."""
    in_plan = {section["framework"].pk for section in sections}
    return [t for t in tasks if not any(n.framework_id in in_plan for n in t.nodes.all())]


def appendix_columns(tasks: list[Task]) -> dict[str, bool]:
    """Show the optional columns a plan actually uses, as its printed appendix does."""
    return {
        "target": any(t.target for t in tasks),
        "outputs": any(t.outputs for t in tasks),
        "notes": any(t.notes for t in tasks),
        "monitoring": any(t.monitoring_unit_id for t in tasks),
    }
