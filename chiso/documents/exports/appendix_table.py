"""A plan's appendices as format-neutral tables: the columns the plan uses and, in framework order, a group
row per index node followed by the rows of its tasks. The .docx and .xlsx writers both render these, and
the .docx importer reads the same column headings back.

The headings are the document's Vietnamese wording whatever the reader's language: the exported file is an
administrative document in Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from chiso.frameworks.models import Framework, IndexKind, Node
from chiso.plans.appendix import (
    appendix_columns,
    appendix_nodes,
    appendix_tasks,
    group_by_node,
    unplaced_tasks,
)
from chiso.plans.models import Plan, Task


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    # Relative width: the writers scale the columns to the page.
    weight: float


@dataclass(frozen=True)
class GroupRow:
    code: str
    name: str
    depth: int


# What a table cell holds: text, or a number that a spreadsheet keeps as a number.
CellValue = str | int | Decimal


def display(value: CellValue) -> str:
    """A cell as printed in a .docx: '33,3' with the Vietnamese decimal comma whatever the reader's language."""
    if isinstance(value, Decimal):
        return format(value.normalize() if value == value.to_integral() else value, "f").replace(".", ",")
    return str(value)


@dataclass(frozen=True)
class TaskRow:
    values: dict[str, CellValue]
    # A subtotal (a report's index rows) is printed bold.
    bold: bool = False


@dataclass
class AppendixTable:
    number: str
    # None for the last appendix of tasks outside the plan's frameworks.
    framework: Framework | None
    title: str
    columns: list[Column]
    rows: list[GroupRow | TaskRow] = field(default_factory=list)


# Headings as printed; the optional ones appear only when some task of the appendix fills them.
HEADINGS = {
    "number": "TT",
    "content": "Nhiệm vụ, giải pháp",
    "target": "Chỉ tiêu",
    "lead": "Cơ quan chủ trì",
    "monitoring": "Đơn vị theo dõi",
    "coordinating": "Cơ quan phối hợp",
    "schedule": "Thời gian thực hiện",
    "outputs": "Sản phẩm/kết quả",
    "notes": "Ghi chú",
}
NODE_HEADING_FALLBACK = "Nội dung chỉ số"
WEIGHTS = {"number": 1.3, "node": 2.6, "content": 7.0, "target": 2.6, "lead": 3.0, "monitoring": 2.4,
           "coordinating": 3.6, "schedule": 2.4, "outputs": 2.8, "notes": 1.8}
# The node column names a task's further nodes; a plan whose tasks each stand under one node leaves it out.
OPTIONAL = ("node", "target", "monitoring", "outputs", "notes")


OTHER_TASKS = "Nhiệm vụ khác"


def node_heading(framework: Framework | None) -> str:
    """'Lĩnh vực/Tiêu chí/Tiêu chí thành phần', as the web appendix heads the node column."""
    levels = framework.levels if framework is not None else []
    names = [str(level.get("vi", "")) for level in levels if level.get("vi")]
    return "/".join(names) or NODE_HEADING_FALLBACK


def columns_for(framework: Framework | None, used: dict[str, bool]) -> list[Column]:
    keys = ["number", "node", "content", "target", "lead", "monitoring", "coordinating", "schedule", "outputs", "notes"]
    keys = [k for k in keys if k not in OPTIONAL or used.get(k)]
    return [Column(k, node_heading(framework) if k == "node" else HEADINGS[k], WEIGHTS[k]) for k in keys]


def appendix_title(plan: Plan, framework: Framework | None) -> str:
    if framework is None:
        title = OTHER_TASKS.upper()
    else:
        index = framework.get_index_display() if framework.index != IndexKind.OTHER else framework.name_vi
        title = f"NHIỆM VỤ, GIẢI PHÁP NÂNG CAO CHỈ SỐ {index}".upper()
    return f"{title} {plan.period_text.upper()}" if plan.period_text else title


def task_values(task: Task, group: Node | None = None) -> dict[str, CellValue]:
    """One appendix row. The agencies are printed as the document worded them; the node column names the
    task's nodes other than the group it stands under."""
    nodes = [n for n in sorted(task.nodes.all(), key=lambda n: (n.position, n.pk)) if n != group]
    lead = task.lead_text or "; ".join([g.name for g in task.lead_groups.all()] + [u.name for u in task.lead_units.all()])
    coordinating = task.coordinating_text or "; ".join(
        [g.name for g in task.coordinating_groups.all()] + [u.name for u in task.coordinating_units.all()])
    return {
        "number": task.number, "node": " ".join(n.code for n in nodes), "content": task.content,
        "target": task.target, "lead": lead, "monitoring": task.monitoring_unit.name if task.monitoring_unit else "",
        "coordinating": coordinating, "schedule": task.schedule_text, "outputs": task.outputs, "notes": task.notes,
    }


def appendix_tables(plan: Plan) -> list[AppendixTable]:
    """Every appendix with at least one task, numbered 01, 02 … in the order the web appendix shows them."""
    tasks = list(appendix_tasks(plan))
    nodes: list[Node] = appendix_nodes(plan)
    tables: list[AppendixTable] = []
    sections = group_by_node(plan, tasks, nodes)
    for section in sections:
        if not section["task_count"]:
            continue
        section_tasks = [t for row in section["rows"] for t in row["tasks"]]
        framework = section["framework"]
        rows: list[GroupRow | TaskRow] = []
        for row in section["rows"]:
            node = row["node"]
            rows.append(GroupRow(code=node.code, name=node.name_vi, depth=node.depth))
            rows.extend(TaskRow(task_values(t, node)) for t in row["tasks"])
        tables.append(_table(plan, len(tables) + 1, framework, section_tasks, rows))
    others = unplaced_tasks(sections, tasks)
    if others:
        tables.append(_table(plan, len(tables) + 1, None, others, [TaskRow(task_values(t)) for t in others]))
    return tables


def _table(plan: Plan, number: int, framework: Framework | None, tasks: list[Task],
           rows: list[GroupRow | TaskRow]) -> AppendixTable:
    used = appendix_columns(tasks) | {"node": any(isinstance(r, TaskRow) and r.values["node"] for r in rows)}
    return AppendixTable(number=f"{number:02d}", framework=framework, title=appendix_title(plan, framework),
                         columns=columns_for(framework, used), rows=rows)
