"""The consolidated report of a period for the province, as a format-neutral document: I. results by index
and top-level node, II. each task with what each lead unit reported, III. tasks past their due date,
IV. units that have not reported. Read in a fixed number of queries whatever the size of the plan.

What a unit reported is the latest version of its report that was not returned: accepted, or submitted and
waiting for review (the document names the latter). A task is late when its due date falls before the
report's cut-off day (the day after the period, or today while the period runs) and no counted report of
the period or an earlier one says it is done, done late or cannot be done (monitoring.lateness's rule)."""

from __future__ import annotations

import datetime as dt
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
    lines: dict[int, dict[str, Any]]


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


def status_text(line: dict[str, Any]) -> str:
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


def _build(period: ReportingPeriod, issuer_unit: Unit | None, today: dt.date) -> texts.ReportDocument:
    plan = period.plan
    as_of = cut_off(period, today)
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
    reports = {r["unit_id"]: r for r in UnitReport.objects.filter(period=period).values("unit_id", "status")}
    counted: dict[int, Counted] = {}
    for version in (ReportVersion.objects.filter(report__period=period, number=F("report__version_count"))
                    .exclude(outcome=ReportStatus.RETURNED).values("report__unit_id", "number", "outcome", "content")):
        counted[version["report__unit_id"]] = Counted(
            unit_id=version["report__unit_id"], number=version["number"],
            pending=version["outcome"] != ReportStatus.ACCEPTED,
            lines={line["task_id"]: line for line in version["content"].get("lines", [])})
    closed = lateness.closed_assignment_ids(Assignment.objects.filter(task__plan=plan), reported_by=period.due_date)

    def root(node_id: int) -> dict[str, Any]:
        node = nodes[node_id]
        while node["parent_id"] in nodes:
            node = nodes[node["parent_id"]]
        return node

    # Index sections in the order the plan's tasks take them (its appendices' order, plans.appendix): a task
    # on two indices is filed under its first node in that order.
    framework_order: dict[int, int] = {}
    for position, task in enumerate(tasks):
        for node_id in task_nodes.get(task["id"], []):
            if node_id in nodes:
                framework_order.setdefault(nodes[node_id]["framework_id"], position)
    task_roots: dict[int, list[dict[str, Any]]] = {}
    for task in tasks:
        ordered = sorted((nodes[n] for n in task_nodes.get(task["id"], []) if n in nodes), key=lambda n: (
            *section_key(frameworks[n["framework_id"]], framework_order), n["position"], n["id"]))
        roots: list[dict[str, Any]] = []
        for node in ordered:
            top = root(node["id"])
            if top not in roots:
                roots.append(top)
        task_roots[task["id"]] = roots

    by_task: dict[int, list[tuple[int, int, dt.date | None]]] = {}
    for pk, task_id, unit_id, due in assignments:
        by_task.setdefault(task_id, []).append((pk, unit_id, due))
    for entries in by_task.values():
        entries.sort(key=lambda e: (units[e[1]].kind, units[e[1]].name))

    def line_of(unit_id: int, task_id: int) -> dict[str, Any] | None:
        report = counted.get(unit_id)
        return report.lines.get(task_id) if report else None

    def is_late(pk: int, due: dt.date | None) -> bool:
        return lateness.assignment_is_overdue(due, pk in closed, as_of)

    # I. Summary by index and top-level node.
    total = Tally()
    by_framework: dict[int, Tally] = {}
    by_root: dict[int, Tally] = {}
    unassigned = Tally()
    for task in tasks:
        roots = task_roots[task["id"]]
        # Every task of the plan is counted, assigned or not, so that the body and Phụ lục 01 agree.
        for tally in (total, *(by_framework.setdefault(r["framework_id"], Tally()) for r in roots),
                      *(by_root.setdefault(r["id"], Tally()) for r in roots)):
            tally.include(task["id"])
        if not by_task.get(task["id"]):
            unassigned.include(task["id"])
        for pk, unit_id, due in by_task.get(task["id"], []):
            line = line_of(unit_id, task["id"])
            status, late = (line["status"] if line else None), is_late(pk, due)
            total.add(task["id"], status, late)
            for framework_id in {r["framework_id"] for r in roots}:
                by_framework.setdefault(framework_id, Tally()).add(task["id"], status, late)
            for top in roots:
                by_root.setdefault(top["id"], Tally()).add(task["id"], status, late)
    summary = texts.ReportTable(
        number="01", title=f"TỔNG HỢP KẾT QUẢ THỰC HIỆN THEO CHỈ SỐ KỲ {period.label.upper()}",
        sheet="I. Tổng hợp theo chỉ số", columns=SUMMARY_COLUMNS, centred=frozenset(
            {"number", "tasks", "assigned", "done", "in_progress", "late", "share"}),
        notes=["Lượt giao: một nhiệm vụ giao cho một đơn vị chủ trì. Một nhiệm vụ gắn với nhiều chỉ số được tính "
               "ở mỗi chỉ số; dòng tổng cộng tính mỗi lượt giao một lần."])
    ordered_frameworks = sorted(by_framework, key=lambda f: section_key(frameworks[f], framework_order))
    for position, framework_id in enumerate(ordered_frameworks, start=1):
        framework = frameworks[framework_id]
        summary.rows.append(TaskRow(by_framework[framework_id].values(roman(position), _index_name(framework)),
                                    bold=True))
        tops = sorted((n for n in nodes.values() if n["id"] in by_root and n["framework_id"] == framework_id),
                      key=lambda n: n["position"])
        summary.rows.extend(TaskRow(by_root[n["id"]].values(n["code"], n["name_vi"])) for n in tops)
    if unassigned.tasks:
        summary.rows.append(TaskRow(unassigned.values("", "Nhiệm vụ chưa giao đơn vị chủ trì")))
    summary.rows.append(TaskRow(total.values("", "Tổng cộng"), bold=True))

    # II. Each task and what each unit reported on it.
    detail = texts.ReportTable(
        number="02", title=f"KẾT QUẢ THỰC HIỆN TỪNG NHIỆM VỤ KỲ {period.label.upper()}",
        sheet="II. Từng nhiệm vụ", columns=TASK_COLUMNS, centred=frozenset({"number", "evidence"}))
    tasks_by_framework: dict[int | None, list[dict[str, Any]]] = {}
    for task in tasks:
        roots = task_roots[task["id"]]
        tasks_by_framework.setdefault(roots[0]["framework_id"] if roots else None, []).append(task)
    any_pending = False
    for framework_id in [*ordered_frameworks, *(k for k in tasks_by_framework if k not in by_framework)]:
        group = tasks_by_framework.get(framework_id, [])
        if not group:
            continue
        framework = frameworks.get(framework_id) if framework_id is not None else None
        detail.rows.append(GroupRow(code="", name=_index_name(framework) if framework else "Nhiệm vụ khác", depth=0))
        for task in group:
            entries = by_task.get(task["id"], [])
            reported = [(unit_id, line) for _pk, unit_id, _due in entries
                        if (line := line_of(unit_id, task["id"])) is not None]
            done = sum(1 for _u, line in reported if line["status"] in DONE)
            lead = task["lead_text"] or "; ".join(units[u].name for _pk, u, _d in entries)
            detail.rows.append(TaskRow({
                "number": task["number"], "content": task["content"], "unit": lead,
                "status": f"Hoàn thành {done}/{len(entries)} đơn vị" if entries else "Chưa giao đơn vị nào",
                "indicator": task["target"],
            }, bold=True))
            for unit_id, line in reported:
                pending = counted[unit_id].pending
                any_pending = any_pending or pending
                detail.rows.append(TaskRow({
                    "unit": units[unit_id].name + (PENDING_MARK if pending else ""), "status": status_text(line),
                    "work_done": line.get("work_done", ""), "indicator": indicator_value(line.get("indicator_value")),
                    "evidence": len(line.get("evidence", [])),
                }))
            missing = [units[u].name for _pk, u, _d in entries if line_of(u, task["id"]) is None]
            if missing:
                detail.rows.append(TaskRow({
                    "unit": first_names(missing), "status": f"{NOT_REPORTED} ({len(missing)}/{len(entries)} đơn vị)",
                }))
    if any_pending:
        detail.notes.append(PENDING_NOTE)

    # III. Late tasks.
    late = texts.ReportTable(
        number="03", title=f"NHIỆM VỤ CHẬM TIẾN ĐỘ (TÍNH ĐẾN NGÀY {texts.vn_date(as_of - dt.timedelta(days=1))})",
        sheet="III. Chậm tiến độ", columns=LATE_COLUMNS, centred=frozenset({"number", "due", "count"}))
    late_assignments = 0
    for task in tasks:
        entries = by_task.get(task["id"], [])
        late_units = [(unit_id, due) for pk, unit_id, due in entries if is_late(pk, due)]
        if not late_units:
            continue
        late_assignments += len(late_units)
        described = []
        for unit_id, _due in late_units:
            line = line_of(unit_id, task["id"])
            state = status_text(line).split("\n")[0].lower() if line else NOT_REPORTED.lower()
            described.append(f"{units[unit_id].name} ({state})")
        dues = sorted({due for _u, due in late_units if due})
        late.rows.append(TaskRow({
            "number": task["number"], "content": task["content"], "due": ", ".join(texts.vn_date(d) for d in dues),
            "count": f"{len(late_units)}/{len(entries)}", "units": first_names(described),
        }))
    if not late.rows:
        late.notes.append("Không có nhiệm vụ nào chậm tiến độ.")

    # IV. Units that have not reported.
    not_reported = texts.ReportTable(
        number="04", title=f"ĐƠN VỊ CHƯA GỬI BÁO CÁO KỲ {period.label.upper()}", sheet="IV. Chưa báo cáo",
        columns=MISSING_COLUMNS, centred=frozenset({"number", "due", "days"}))
    owing = sorted(units.values(), key=lambda u: (u.kind, u.name))
    overdue_days = (today - period.due_date).days
    for unit in owing:
        if unit.pk in counted:
            continue
        status = reports.get(unit.pk, {}).get("status")
        not_reported.rows.append(TaskRow({
            "number": len(not_reported.rows) + 1, "unit": unit.name, "due": texts.vn_date(period.due_date),
            "state": REPORT_STATE.get(status, REPORT_STATE[None]), "days": overdue_days if overdue_days > 0 else "",
        }))
    if not not_reported.rows:
        not_reported.notes.append("Tất cả các đơn vị đã gửi báo cáo.")

    issuer = _issuer(plan, issuer_unit)
    from_department = issuer.name != plan.issuer
    recipients = (["UBND tỉnh (báo cáo)", "Lưu: VT"] if from_department
                  else ["Bộ Nội vụ (báo cáo)", "Các sở, ban, ngành; UBND các xã, phường", "Lưu: VT"])
    header = texts.header(issuer, plan, period, day=None, recipients=recipients)
    accepted = sorted(units[c.unit_id].name for c in counted.values() if not c.pending and c.unit_id in units)
    pending = sorted(f"{units[c.unit_id].name} (lần gửi {c.number})" for c in counted.values()
                      if c.pending and c.unit_id in units)
    share = total.share
    basis = (f"Số liệu tổng hợp từ báo cáo của {len(counted)}/{len(owing)} đơn vị, tính đến ngày "
             f"{texts.vn_date(as_of - dt.timedelta(days=1))}: {len(accepted)} báo cáo đã được thẩm định, chấp nhận")
    basis += (f"; {len(pending)} báo cáo đang chờ thẩm định, số liệu có thể còn thay đổi: {'; '.join(pending)}."
              if pending else ".")
    body = [
        BodyLine(f"Thực hiện {plan_texts.plan_reference(plan)}, {issuer.name} báo cáo kết quả thực hiện kỳ {period.label} "
                 f"({texts.period_span(period)}) như sau:", "paragraph"),
        BodyLine(basis, "paragraph"),
        BodyLine("I. KẾT QUẢ CHUNG", "heading"),
        BodyLine(f"Kế hoạch có {len(total.tasks)} nhiệm vụ"
                 + (f" ({len(unassigned.tasks)} nhiệm vụ chưa giao đơn vị chủ trì)" if unassigned.tasks else "")
                 + f" với {total.assigned} lượt giao cho {len(owing)} đơn vị chủ trì; "
                 f"đã hoàn thành {total.done} lượt ({share}%), đang thực hiện {total.in_progress}, "
                 f"chậm tiến độ {total.late}. Kết quả theo từng chỉ số tại Phụ lục 01.", "paragraph"),
        BodyLine("II. KẾT QUẢ THỰC HIỆN TỪNG NHIỆM VỤ", "heading"),
        BodyLine("Kết quả thực hiện từng nhiệm vụ theo báo cáo của các đơn vị chủ trì tại Phụ lục 02.", "paragraph"),
        BodyLine("III. NHIỆM VỤ CHẬM TIẾN ĐỘ", "heading"),
        BodyLine(f"Có {len(late.rows)} nhiệm vụ ({late_assignments} lượt giao) đã quá hạn mà chưa có báo cáo hoàn "
                 f"thành; danh sách tại Phụ lục 03." if late.rows else "Không có nhiệm vụ nào chậm tiến độ.",
                 "paragraph"),
        BodyLine("IV. ĐƠN VỊ CHƯA GỬI BÁO CÁO", "heading"),
        BodyLine(f"Có {len(not_reported.rows)}/{len(owing)} đơn vị chưa gửi báo cáo kỳ {period.label} (hạn gửi ngày "
                 f"{texts.vn_date(period.due_date)}); danh sách tại Phụ lục 04." if not_reported.rows
                 else f"Tất cả {len(owing)} đơn vị đã gửi báo cáo kỳ {period.label}.", "paragraph"),
    ]
    info = headers.header_info(header) + [
        ("Kế hoạch", plan_texts.plan_reference(plan)),
        ("Kỳ báo cáo", f"{period.label} ({texts.period_span(period)})"),
        ("Hạn gửi báo cáo", texts.vn_date(period.due_date)),
        ("Số liệu tính đến ngày", texts.vn_date(as_of - dt.timedelta(days=1))),
        ("Báo cáo đã chấp nhận", "\n".join(accepted)),
        ("Báo cáo chờ thẩm định", "\n".join(pending)),
        ("Nội dung", "\n".join(line.text for line in body)),
    ] + headers.closing_info(header)
    return texts.ReportDocument(
        header=header, body=body, tables=[summary, detail, late, not_reported],
        appendix_subtitle=texts.appendix_subtitle(issuer, None, period.end.year), info=info,
        file_stem=f"bao cao tong hop {period.label} ke hoach {plan.pk}",
    )


def _index_name(framework: Framework) -> str:
    index = framework.get_index_display() if framework.index != IndexKind.OTHER else framework.name_vi
    return f"Chỉ số {index}"
