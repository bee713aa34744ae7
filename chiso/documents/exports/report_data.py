"""The consolidated report of a period for the province, as a format-neutral document: I. results by index
and top-level node, II. each task with what each lead unit reported, III. tasks past their due date,
IV. units that have not reported. Read in a fixed number of queries whatever the size of the plan.

What a unit reported is the latest version of its report that was not returned: accepted, or submitted and
waiting for review (the document names the latter). A task is late when its due date falls before the
report's cut-off day (the day after the period, or today while the period runs) and no counted report of
the period or an earlier one says it is done, done late or cannot be done (monitoring.lateness's rule)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import F
from django.utils import translation

from chiso.documents.exports import headers, plan_texts
from chiso.documents.exports import report_texts as texts
from chiso.documents.exports.appendix_table import CellValue, Column, GroupRow, TaskRow, display
from chiso.documents.exports.plan_texts import BodyLine, roman
from chiso.frameworks.models import Framework, IndexKind, Node
from chiso.monitoring import lateness
from chiso.monitoring.models import (
    LineStatus,
    ReportingPeriod,
    ReportStatus,
    ReportVersion,
    UnitReport,
)
from chiso.orgs.models import Unit, UnitKind
from chiso.plans.appendix import section_key
from chiso.plans.models import Assignment, Plan, Task

Row = Mapping[str, Any]  # a row read with values(), or a line of a version's frozen JSON
DONE = (LineStatus.DONE, LineStatus.DONE_LATE)
# A row lists this many of the units that have not reported on a task, or are late, then how many more.
MISSING_NAMES_SHOWN = 10
NOT_REPORTED = "Chưa báo cáo"
PENDING_MARK = " (*)"
PENDING_NOTE = "(*) Báo cáo đã gửi, đang chờ Sở Nội vụ thẩm định: số liệu có thể còn thay đổi."

SUMMARY_COLUMNS = [
    Column("number", "TT", 1.4), Column("name", "Chỉ số, nội dung chỉ số", 7.0),
    Column("tasks", "Số nhiệm vụ", 1.8), Column("assigned", "Lượt giao", 1.8),
    Column("done", "Đã hoàn thành", 1.9), Column("in_progress", "Đang thực hiện", 1.9),
    Column("late", "Chậm tiến độ", 1.9), Column("share", "Tỷ lệ hoàn thành (%)", 2.0),
]
TASK_COLUMNS = [
    Column("number", "TT", 1.7), Column("content", "Nhiệm vụ, giải pháp", 6.0),
    Column("unit", "Đơn vị chủ trì", 3.2), Column("status", "Tình trạng", 2.6),
    Column("work_done", "Kết quả thực hiện", 6.0), Column("indicator", "Chỉ tiêu / giá trị đạt", 2.6),
    Column("evidence", "Số minh chứng", 1.6),
]
LATE_COLUMNS = [
    Column("number", "TT", 1.6), Column("content", "Nhiệm vụ, giải pháp", 7.0),
    Column("due", "Hạn hoàn thành", 2.2), Column("count", "Số đơn vị chậm / được giao", 2.2),
    Column("units", "Đơn vị chưa hoàn thành (tình trạng đã báo cáo)", 8.0),
]
MISSING_COLUMNS = [
    Column("number", "TT", 1.2), Column("unit", "Đơn vị", 8.0), Column("due", "Hạn gửi báo cáo", 2.4),
    Column("state", "Tình trạng báo cáo", 4.0), Column("days", "Số ngày quá hạn", 2.2),
]
REPORT_STATE = {
    None: "Chưa lập báo cáo",
    ReportStatus.DRAFT: "Đang soạn (dự thảo)",
    ReportStatus.RETURNED: "Bị trả lại, chưa gửi lại",
}


@dataclass
class Tally:
    tasks: set[int] = field(default_factory=set)
    assigned: int = 0
    done: int = 0
    in_progress: int = 0
    late: int = 0

    def include(self, task_id: int) -> None:
        """A task with no lead unit yet: counted among the tasks, with no assignment to tally."""
        self.tasks.add(task_id)

    def add(self, task_id: int, status: str | None, late: bool) -> None:
        self.tasks.add(task_id)
        self.assigned += 1
        self.done += status in DONE
        self.in_progress += status == LineStatus.IN_PROGRESS
        self.late += late

    @property
    def share_value(self) -> Decimal:
        return (Decimal(100 * self.done) / self.assigned).quantize(Decimal("0.1")) if self.assigned else Decimal(0)

    @property
    def share(self) -> str:
        return display(self.share_value)

    def values(self, number: str, name: str) -> dict[str, CellValue]:
        return {"number": number, "name": name, "tasks": len(self.tasks), "assigned": self.assigned,
                "done": self.done, "in_progress": self.in_progress, "late": self.late, "share": self.share_value}


@dataclass
class Counted:
    """The version of a unit's report that counts, with its lines by task."""

    unit_id: int
    number: int
    pending: bool
    lines: Mapping[int, Row]


def cut_off(period: ReportingPeriod, today: dt.date) -> dt.date:
    """Late means due before this day: the day after the period once it has ended, else today."""
    return min(today, period.end + dt.timedelta(days=1))


def first_names(names: list[str]) -> str:
    """The first names of a long list of units, then how many more: a task given to every commune would
    otherwise fill pages with one cell."""
    more = len(names) - MISSING_NAMES_SHOWN
    return "; ".join(names[:MISSING_NAMES_SHOWN]) + (f" và {more} đơn vị khác" if more > 0 else "")


def indicator_value(value: Any) -> CellValue:
    """A reported indicator as a number when it is one (a spreadsheet can sum it), else as written."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return number if number.is_finite() else str(value)


def status_text(line: Row) -> str:
    label = str(LineStatus(line["status"]).label) if line["status"] in LineStatus.values else line["status"]
    if line["status"] == LineStatus.IN_PROGRESS and line.get("progress"):
        label += f" ({line['progress']}%)"
    if line.get("reason"):
        label += f"\nLý do: {line['reason']}"
    return label


def consolidated_report(period: ReportingPeriod, issuer_unit: Unit | None, today: dt.date) -> texts.ReportDocument:
    with translation.override("vi"):
        return _build(period, issuer_unit, today)


def _issuer(plan: Plan, unit: Unit | None) -> headers.Issuer:
    """Sở Nội vụ sums the reports up for UBND tỉnh: a coordinator's department issues it (an office's
    department); anyone else gets the People's Committee's own report, signed as the plan is."""
    if unit is not None and unit.kind == UnitKind.OFFICE and unit.parent is not None:
        unit = unit.parent
    if unit is not None and unit.kind == UnitKind.DEPARTMENT and unit.province_id == plan.province_id:
        return headers.unit_issuer(unit, plan)
    return headers.unit_issuer(plan.owner_unit, plan)


Entry = tuple[int, int, dt.date | None]  # assignment id, unit id, due date


@dataclass
class PeriodData:
    """What the consolidated report reads, in nine queries whatever the size of the plan."""

    period: ReportingPeriod
    as_of: dt.date
    tasks: Sequence[Row]
    frameworks: dict[int, Framework]
    nodes: Mapping[int, Row]
    framework_order: dict[int, int]
    task_roots: dict[int, list[Row]]
    by_task: dict[int, list[Entry]]
    units: dict[int, Unit]
    reports: Mapping[int, Row]
    counted: dict[int, Counted]
    closed: set[int]

    def line_of(self, unit_id: int, task_id: int) -> Row | None:
        report = self.counted.get(unit_id)
        return report.lines.get(task_id) if report else None

    def is_late(self, pk: int, due: dt.date | None) -> bool:
        return lateness.assignment_is_overdue(due, pk in self.closed, self.as_of)

    def framework_key(self, framework_id: int) -> tuple[Any, ...]:
        return section_key(self.frameworks[framework_id], self.framework_order)

    @property
    def owing(self) -> list[Unit]:
        return sorted(self.units.values(), key=lambda u: (u.kind, u.name))


@dataclass
class Tallies:
    total: Tally = field(default_factory=Tally)
    by_framework: dict[int, Tally] = field(default_factory=dict)
    by_root: dict[int, Tally] = field(default_factory=dict)
    unassigned: Tally = field(default_factory=Tally)


def _build(period: ReportingPeriod, issuer_unit: Unit | None, today: dt.date) -> texts.ReportDocument:
    data = _read(period, today)
    tallies = _tally(data)
    frameworks = sorted(tallies.by_framework, key=data.framework_key)
    late, late_assignments = _late_table(data)
    tables = [_summary_table(data, tallies, frameworks), _detail_table(data, frameworks), late,
              _missing_table(data, today)]
    return _document(data, issuer_unit, tallies, tables, late_assignments)


# --- Reading: the queries ----------------------------------------------------------------------------


def _read(period: ReportingPeriod, today: dt.date) -> PeriodData:
    plan = period.plan
    tasks = list(Task.objects.filter(plan=plan).order_by("order", "id")
                 .values("id", "number", "content", "target", "lead_text"))
    task_nodes: dict[int, list[int]] = {}
    for task_id, node_id in Task.nodes.through.objects.filter(task__plan=plan).values_list("task_id", "node_id"):
        task_nodes.setdefault(task_id, []).append(node_id)
    frameworks = {f.pk: f for f in Framework.objects.filter(plans=plan)}
    nodes = {n["id"]: n for n in Node.objects.filter(framework__in=list(frameworks)).values(
        "id", "parent_id", "code", "name_vi", "framework_id", "position")}
    assignments = list(Assignment.objects.filter(task__plan=plan).values_list("pk", "task_id", "unit_id", "due_date"))
    units = {u.pk: u for u in Unit.objects.filter(pk__in={a[2] for a in assignments}).only("id", "name", "kind")}
    order = _framework_order(tasks, task_nodes, nodes)
    return PeriodData(
        period=period, as_of=cut_off(period, today), tasks=tasks, frameworks=frameworks, nodes=nodes,
        framework_order=order, task_roots=_task_roots(tasks, task_nodes, nodes, frameworks, order),
        by_task=_by_task(assignments, units), units=units,
        reports={r["unit_id"]: r for r in UnitReport.objects.filter(period=period).values("unit_id", "status")},
        counted=_counted_versions(period),
        closed=lateness.closed_assignment_ids(Assignment.objects.filter(task__plan=plan), reported_by=period.due_date))


def _counted_versions(period: ReportingPeriod) -> dict[int, Counted]:
    """Unit id → the latest version of its report, unless it was returned."""
    counted: dict[int, Counted] = {}
    for version in (ReportVersion.objects.filter(report__period=period, number=F("report__version_count"))
                    .exclude(outcome=ReportStatus.RETURNED).values("report__unit_id", "number", "outcome", "content")):
        counted[version["report__unit_id"]] = Counted(
            unit_id=version["report__unit_id"], number=version["number"],
            pending=version["outcome"] != ReportStatus.ACCEPTED,
            lines={line["task_id"]: line for line in version["content"].get("lines", [])})
    return counted


def _framework_order(tasks: Sequence[Row], task_nodes: dict[int, list[int]],
                     nodes: Mapping[int, Row]) -> dict[int, int]:
    """Index sections in the order the plan's tasks take them (its appendices' order, plans.appendix): a task
    on two indices is filed under its first node in that order."""
    order: dict[int, int] = {}
    for position, task in enumerate(tasks):
        for node_id in task_nodes.get(task["id"], []):
            if node_id in nodes:
                order.setdefault(nodes[node_id]["framework_id"], position)
    return order


def _task_roots(tasks: Sequence[Row], task_nodes: dict[int, list[int]], nodes: Mapping[int, Row],
                frameworks: dict[int, Framework], order: dict[int, int]) -> dict[int, list[Row]]:
    """Task id → the top-level nodes of its nodes, in section order, each once."""
    def root(node: Row) -> Row:
        while node["parent_id"] in nodes:
            node = nodes[node["parent_id"]]
        return node

    task_roots: dict[int, list[Row]] = {}
    for task in tasks:
        ordered = sorted((nodes[n] for n in task_nodes.get(task["id"], []) if n in nodes), key=lambda n: (
            *section_key(frameworks[n["framework_id"]], order), n["position"], n["id"]))
        roots: list[Row] = []
        for top in map(root, ordered):
            if top not in roots:
                roots.append(top)
        task_roots[task["id"]] = roots
    return task_roots


def _by_task(assignments: list[tuple[int, int, int, dt.date | None]], units: dict[int, Unit]) -> dict[int, list[Entry]]:
    by_task: dict[int, list[Entry]] = {}
    for pk, task_id, unit_id, due in assignments:
        by_task.setdefault(task_id, []).append((pk, unit_id, due))
    for entries in by_task.values():
        entries.sort(key=lambda e: (units[e[1]].kind, units[e[1]].name))
    return by_task


# --- I. Summary by index and top-level node ---------------------------------------------------------


def _tally(data: PeriodData) -> Tallies:
    tallies = Tallies()
    for task in data.tasks:
        roots = data.task_roots[task["id"]]
        # Every task of the plan is counted, assigned or not, so that the body and Phụ lục 01 agree.
        for tally in (tallies.total, *(tallies.by_framework.setdefault(r["framework_id"], Tally()) for r in roots),
                      *(tallies.by_root.setdefault(r["id"], Tally()) for r in roots)):
            tally.include(task["id"])
        if not data.by_task.get(task["id"]):
            tallies.unassigned.include(task["id"])
        for pk, unit_id, due in data.by_task.get(task["id"], []):
            line = data.line_of(unit_id, task["id"])
            status, late = (line["status"] if line else None), data.is_late(pk, due)
            tallies.total.add(task["id"], status, late)
            for framework_id in {r["framework_id"] for r in roots}:
                tallies.by_framework[framework_id].add(task["id"], status, late)
            for top in roots:
                tallies.by_root[top["id"]].add(task["id"], status, late)
    return tallies


def _summary_table(data: PeriodData, tallies: Tallies, frameworks: list[int]) -> texts.ReportTable:
    summary = texts.ReportTable(
        number="01", title=f"TỔNG HỢP KẾT QUẢ THỰC HIỆN THEO CHỈ SỐ KỲ {data.period.label.upper()}",
        sheet="I. Tổng hợp theo chỉ số", columns=SUMMARY_COLUMNS, centred=frozenset(
            {"number", "tasks", "assigned", "done", "in_progress", "late", "share"}),
        notes=["Lượt giao: một nhiệm vụ giao cho một đơn vị chủ trì. Một nhiệm vụ gắn với nhiều chỉ số được tính "
               "ở mỗi chỉ số; dòng tổng cộng tính mỗi lượt giao một lần."])
    for position, framework_id in enumerate(frameworks, start=1):
        framework = data.frameworks[framework_id]
        summary.rows.append(TaskRow(tallies.by_framework[framework_id].values(roman(position), _index_name(framework)),
                                    bold=True))
        tops = sorted((n for n in data.nodes.values() if n["id"] in tallies.by_root
                       and n["framework_id"] == framework_id), key=lambda n: n["position"])
        summary.rows.extend(TaskRow(tallies.by_root[n["id"]].values(n["code"], n["name_vi"])) for n in tops)
    if tallies.unassigned.tasks:
        summary.rows.append(TaskRow(tallies.unassigned.values("", "Nhiệm vụ chưa giao đơn vị chủ trì")))
    summary.rows.append(TaskRow(tallies.total.values("", "Tổng cộng"), bold=True))
    return summary


# --- II. Each task and what each unit reported on it ------------------------------------------------


def _detail_table(data: PeriodData, frameworks: list[int]) -> texts.ReportTable:
    detail = texts.ReportTable(
        number="02", title=f"KẾT QUẢ THỰC HIỆN TỪNG NHIỆM VỤ KỲ {data.period.label.upper()}",
        sheet="II. Từng nhiệm vụ", columns=TASK_COLUMNS, centred=frozenset({"number", "evidence"}))
    tasks_by_framework: dict[int | None, list[Row]] = {}
    for task in data.tasks:
        roots = data.task_roots[task["id"]]
        tasks_by_framework.setdefault(roots[0]["framework_id"] if roots else None, []).append(task)
    any_pending = False
    for framework_id in [*frameworks, *(k for k in tasks_by_framework if k not in frameworks)]:
        group = tasks_by_framework.get(framework_id, [])
        if not group:
            continue
        framework = data.frameworks.get(framework_id) if framework_id is not None else None
        detail.rows.append(GroupRow(code="", name=_index_name(framework) if framework else "Nhiệm vụ khác", depth=0))
        for task in group:
            rows, pending = _task_rows(data, task)
            detail.rows.extend(rows)
            any_pending = any_pending or pending
    if any_pending:
        detail.notes.append(PENDING_NOTE)
    return detail


def _task_rows(data: PeriodData, task: Row) -> tuple[list[TaskRow], bool]:
    """The task's bold row, one row per unit whose report counts, one row naming the units without one;
    and whether a counted report still waits for review."""
    entries = data.by_task.get(task["id"], [])
    reported = [(unit_id, line) for _pk, unit_id, _due in entries
                if (line := data.line_of(unit_id, task["id"])) is not None]
    done = sum(1 for _u, line in reported if line["status"] in DONE)
    lead = task["lead_text"] or "; ".join(data.units[u].name for _pk, u, _d in entries)
    rows = [TaskRow({
        "number": task["number"], "content": task["content"], "unit": lead,
        "status": f"Hoàn thành {done}/{len(entries)} đơn vị" if entries else "Chưa giao đơn vị nào",
        "indicator": task["target"],
    }, bold=True)]
    any_pending = False
    for unit_id, line in reported:
        pending = data.counted[unit_id].pending
        any_pending = any_pending or pending
        rows.append(TaskRow({
            "unit": data.units[unit_id].name + (PENDING_MARK if pending else ""), "status": status_text(line),
            "work_done": line.get("work_done", ""), "indicator": indicator_value(line.get("indicator_value")),
            "evidence": len(line.get("evidence", [])),
        }))
    missing = [data.units[u].name for _pk, u, _d in entries if data.line_of(u, task["id"]) is None]
    if missing:
        rows.append(TaskRow({
            "unit": first_names(missing), "status": f"{NOT_REPORTED} ({len(missing)}/{len(entries)} đơn vị)",
        }))
    return rows, any_pending


# --- III. Late tasks; IV. units that have not reported ----------------------------------------------


def _late_table(data: PeriodData) -> tuple[texts.ReportTable, int]:
    """The table and the number of late assignments."""
    late = texts.ReportTable(
        number="03", title=f"NHIỆM VỤ CHẬM TIẾN ĐỘ (TÍNH ĐẾN NGÀY {texts.vn_date(data.as_of - dt.timedelta(days=1))})",
        sheet="III. Chậm tiến độ", columns=LATE_COLUMNS, centred=frozenset({"number", "due", "count"}))
    late_assignments = 0
    for task in data.tasks:
        entries = data.by_task.get(task["id"], [])
        late_units = [(unit_id, due) for pk, unit_id, due in entries if data.is_late(pk, due)]
        if not late_units:
            continue
        late_assignments += len(late_units)
        described = []
        for unit_id, _due in late_units:
            line = data.line_of(unit_id, task["id"])
            state = status_text(line).split("\n")[0].lower() if line else NOT_REPORTED.lower()
            described.append(f"{data.units[unit_id].name} ({state})")
        dues = sorted({due for _u, due in late_units if due})
        late.rows.append(TaskRow({
            "number": task["number"], "content": task["content"], "due": ", ".join(texts.vn_date(d) for d in dues),
            "count": f"{len(late_units)}/{len(entries)}", "units": first_names(described),
        }))
    if not late.rows:
        late.notes.append("Không có nhiệm vụ nào chậm tiến độ.")
    return late, late_assignments


def _missing_table(data: PeriodData, today: dt.date) -> texts.ReportTable:
    period = data.period
    not_reported = texts.ReportTable(
        number="04", title=f"ĐƠN VỊ CHƯA GỬI BÁO CÁO KỲ {period.label.upper()}", sheet="IV. Chưa báo cáo",
        columns=MISSING_COLUMNS, centred=frozenset({"number", "due", "days"}))
    overdue_days = (today - period.due_date).days
    for unit in data.owing:
        if unit.pk in data.counted:
            continue
        status = data.reports.get(unit.pk, {}).get("status")
        not_reported.rows.append(TaskRow({
            "number": len(not_reported.rows) + 1, "unit": unit.name, "due": texts.vn_date(period.due_date),
            "state": REPORT_STATE.get(status, REPORT_STATE[None]), "days": overdue_days if overdue_days > 0 else "",
        }))
    if not not_reported.rows:
        not_reported.notes.append("Tất cả các đơn vị đã gửi báo cáo.")
    return not_reported


# --- The document around the tables ------------------------------------------------------------------


def _document(data: PeriodData, issuer_unit: Unit | None, tallies: Tallies, tables: list[texts.ReportTable],
              late_assignments: int) -> texts.ReportDocument:
    period, plan = data.period, data.period.plan
    issuer = _issuer(plan, issuer_unit)
    from_department = issuer.name != plan.issuer
    recipients = (["UBND tỉnh (báo cáo)", "Lưu: VT"] if from_department
                  else ["Bộ Nội vụ (báo cáo)", "Các sở, ban, ngành; UBND các xã, phường", "Lưu: VT"])
    header = texts.header(issuer, plan, period, day=None, recipients=recipients)
    counted = [c for c in data.counted.values() if c.unit_id in data.units]
    accepted = sorted(data.units[c.unit_id].name for c in counted if not c.pending)
    pending = sorted(f"{data.units[c.unit_id].name} (lần gửi {c.number})" for c in counted if c.pending)
    body = _body(data, issuer.name, tallies, tables, late_assignments, _basis(data, accepted, pending))
    info = headers.header_info(header) + [
        ("Kế hoạch", plan_texts.plan_reference(plan)),
        ("Kỳ báo cáo", f"{period.label} ({texts.period_span(period)})"),
        ("Hạn gửi báo cáo", texts.vn_date(period.due_date)),
        ("Số liệu tính đến ngày", texts.vn_date(data.as_of - dt.timedelta(days=1))),
        ("Báo cáo đã chấp nhận", "\n".join(accepted)),
        ("Báo cáo chờ thẩm định", "\n".join(pending)),
        ("Nội dung", "\n".join(line.text for line in body)),
    ] + headers.closing_info(header)
    return texts.ReportDocument(
        header=header, body=body, tables=tables,
        appendix_subtitle=texts.appendix_subtitle(issuer, None, period.end.year), info=info,
        file_stem=f"bao cao tong hop {period.label} ke hoach {plan.pk}",
    )


def _basis(data: PeriodData, accepted: list[str], pending: list[str]) -> str:
    """Which reports the figures come from, naming those still waiting for review."""
    basis = (f"Số liệu tổng hợp từ báo cáo của {len(data.counted)}/{len(data.units)} đơn vị, tính đến ngày "
             f"{texts.vn_date(data.as_of - dt.timedelta(days=1))}: {len(accepted)} báo cáo đã được thẩm định, chấp nhận")
    return basis + (f"; {len(pending)} báo cáo đang chờ thẩm định, số liệu có thể còn thay đổi: {'; '.join(pending)}."
                    if pending else ".")


def _body(data: PeriodData, issuer_name: str, tallies: Tallies, tables: list[texts.ReportTable],
          late_assignments: int, basis: str) -> list[BodyLine]:
    period, total, owing = data.period, tallies.total, len(data.units)
    late, not_reported = tables[2], tables[3]
    unassigned = len(tallies.unassigned.tasks)
    return [
        BodyLine(f"Thực hiện {plan_texts.plan_reference(period.plan)}, {issuer_name} báo cáo kết quả thực hiện kỳ "
                 f"{period.label} ({texts.period_span(period)}) như sau:", "paragraph"),
        BodyLine(basis, "paragraph"),
        BodyLine("I. KẾT QUẢ CHUNG", "heading"),
        BodyLine(f"Kế hoạch có {len(total.tasks)} nhiệm vụ"
                 + (f" ({unassigned} nhiệm vụ chưa giao đơn vị chủ trì)" if unassigned else "")
                 + f" với {total.assigned} lượt giao cho {owing} đơn vị chủ trì; "
                 f"đã hoàn thành {total.done} lượt ({total.share}%), đang thực hiện {total.in_progress}, "
                 f"chậm tiến độ {total.late}. Kết quả theo từng chỉ số tại Phụ lục 01.", "paragraph"),
        BodyLine("II. KẾT QUẢ THỰC HIỆN TỪNG NHIỆM VỤ", "heading"),
        BodyLine("Kết quả thực hiện từng nhiệm vụ theo báo cáo của các đơn vị chủ trì tại Phụ lục 02.", "paragraph"),
        BodyLine("III. NHIỆM VỤ CHẬM TIẾN ĐỘ", "heading"),
        BodyLine(f"Có {len(late.rows)} nhiệm vụ ({late_assignments} lượt giao) đã quá hạn mà chưa có báo cáo hoàn "
                 f"thành; danh sách tại Phụ lục 03." if late.rows else "Không có nhiệm vụ nào chậm tiến độ.",
                 "paragraph"),
        BodyLine("IV. ĐƠN VỊ CHƯA GỬI BÁO CÁO", "heading"),
        BodyLine(f"Có {len(not_reported.rows)}/{owing} đơn vị chưa gửi báo cáo kỳ {period.label} (hạn gửi ngày "
                 f"{texts.vn_date(period.due_date)}); danh sách tại Phụ lục 04." if not_reported.rows
                 else f"Tất cả {owing} đơn vị đã gửi báo cáo kỳ {period.label}.", "paragraph"),
    ]


def _index_name(framework: Framework) -> str:
    index = framework.get_index_display() if framework.index != IndexKind.OTHER else framework.name_vi
    return f"Chỉ số {index}"
