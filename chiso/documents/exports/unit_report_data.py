"""A unit's own report for a period as a format-neutral document: the unit as issuer, its general assessment,
one row per assigned task (Phụ lục 01) and its evidence list (Phụ lục 02). Either the report as it stands
(the current draft, or what is under review) or one submitted version exactly as it was sent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone, translation

from chiso.core.numbers import vn_file_size
from chiso.documents.exports import headers, plan_texts
from chiso.documents.exports import report_texts as texts
from chiso.documents.exports.appendix_table import Column, TaskRow
from chiso.documents.exports.plan_texts import BodyLine
from chiso.documents.exports.report_data import indicator_value
from chiso.monitoring.models import (
    Evidence,
    LineStatus,
    ReportingPeriod,
    ReportStatus,
    ReportVersion,
    UnitReport,
)

LINE_COLUMNS = [
    # TT wide enough for '3.2.1' on one line in 12 pt.
    Column("number", "TT", 1.9), Column("task", "Nhiệm vụ, giải pháp", 6.0), Column("target", "Chỉ tiêu", 2.6),
    Column("status", "Tình trạng", 2.4), Column("progress", "Tiến độ (%)", 1.6),
    Column("work_done", "Kết quả thực hiện", 6.0), Column("indicator", "Giá trị chỉ tiêu đạt", 2.0),
    Column("completed_on", "Ngày hoàn thành", 2.0), Column("reason", "Lý do, khó khăn", 3.0),
]
EVIDENCE_COLUMNS = [
    Column("number", "TT", 1.2), Column("task", "Nhiệm vụ (TT)", 2.0), Column("name", "Tên văn bản, tệp minh chứng", 10.0),
    Column("size", "Dung lượng", 2.2),
]


def draft_lines(report: UnitReport) -> list[dict[str, Any]]:
    """The report's lines as they stand, shaped as a version stores them (monitoring.reports.services.snapshot)."""
    lines = (report.lines.select_related("assignment__task")
             .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.filter(removed_at__isnull=True)))
             .order_by("assignment__task__order", "id"))
    return [{
        "task_number": line.current_task.number, "task": line.current_task.content,
        "target": line.current_task.target, "status": line.status, "reason": line.reason,
        "progress": line.progress, "work_done": line.work_done, "indicator_value": line.indicator_value,
        "completed_on": line.completed_on.isoformat() if line.completed_on else None,
        "evidence": [{"name": e.original_name, "size": e.size} for e in line.evidence.all()],
    } for line in lines]


def unit_report_document(report: UnitReport, version: ReportVersion | None = None) -> texts.ReportDocument:
    with translation.override("vi"):
        return _build(report, version)


def _build(report: UnitReport, version: ReportVersion | None) -> texts.ReportDocument:
    period, plan, unit = report.period, report.period.plan, report.unit
    if version is not None:
        lines, summary = version.content.get("lines", []), version.content.get("summary", "")
        day = timezone.localdate(version.submitted_at)
        signer = version.submitted_by.get_full_name() if version.submitted_by else ""
    else:
        lines, summary, day, signer = draft_lines(report), report.summary, None, ""
    issuer = headers.unit_issuer(unit, plan)
    header = texts.header(issuer, plan, period, day=day, recipients=["Sở Nội vụ (tổng hợp)", "Lưu: VT"],
                          signer_name=signer)
    table, evidence = _tables(period, lines)
    state = _state(report, version, day)
    body = _body(issuer.name, period, summary, lines, evidence, state)
    info = headers.header_info(header) + [
        ("Kế hoạch", plan_texts.plan_reference(plan)),
        ("Kỳ báo cáo", f"{period.label} ({texts.period_span(period)})"),
        ("Hạn gửi báo cáo", texts.vn_date(period.due_date)),
        ("Phiên bản", state),
        ("Nội dung", "\n".join(line.text for line in body)),
    ] + headers.closing_info(header)
    stem = f"bao cao {period.label} {unit.short_name or unit.name}"
    return texts.ReportDocument(
        header=header, body=body, tables=[table, evidence],
        appendix_subtitle=texts.appendix_subtitle(issuer, day, period.end.year), info=info,
        file_stem=f"{stem} lan gui {version.number}" if version is not None else f"{stem} hien tai",
    )


def _tables(period: ReportingPeriod, lines: list[dict[str, Any]]) -> tuple[texts.ReportTable, texts.ReportTable]:
    """Phụ lục 01, one row per line; Phụ lục 02, the evidence of every line."""
    table = texts.ReportTable(
        number="01", title=f"KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ ĐƯỢC GIAO KỲ {period.label.upper()}",
        sheet="Kết quả thực hiện",
        # The target column only when some task has one: empty, it would take the room the results need.
        columns=[c for c in LINE_COLUMNS if c.key != "target" or any(line.get("target") for line in lines)],
        centred=frozenset({"number", "progress", "completed_on"}))
    evidence = texts.ReportTable(
        number="02", title="DANH MỤC VĂN BẢN MINH CHỨNG", sheet="Minh chứng", columns=EVIDENCE_COLUMNS,
        centred=frozenset({"number", "task", "size"}))
    for line in lines:
        status, completed = line["status"], line.get("completed_on")
        table.rows.append(TaskRow({
            "number": line.get("task_number", ""), "task": line.get("task", ""), "target": line.get("target", ""),
            "status": str(LineStatus(status).label) if status in LineStatus.values else status,
            "progress": line["progress"] if isinstance(line.get("progress"), int) else "",
            "work_done": line.get("work_done", ""), "indicator": indicator_value(line.get("indicator_value")),
            "completed_on": texts.vn_date(dt.date.fromisoformat(completed)) if completed else "",
            "reason": line.get("reason", ""),
        }))
        for item in line.get("evidence", []):
            evidence.rows.append(TaskRow({
                "number": len(evidence.rows) + 1, "task": line.get("task_number", ""), "name": item["name"],
                "size": vn_file_size(int(item.get("size") or 0)),
            }))
    if not table.rows:
        table.notes.append("Đơn vị không có nhiệm vụ trong kế hoạch này.")
    if not evidence.rows:
        evidence.notes.append("Chưa có văn bản minh chứng.")
    return table, evidence


def _state(report: UnitReport, version: ReportVersion | None, day: dt.date | None) -> str:
    """Which report this is: one version as sent and reviewed, or the unit's current content."""
    if version is not None and day is not None:
        return (f"Báo cáo gửi lần {version.number} ngày {texts.vn_date(day)}; kết quả thẩm định: "
                f"{str(ReportStatus(version.outcome).label).lower()}.")
    return (f"Báo cáo lập từ nội dung hiện tại của đơn vị ({str(ReportStatus(report.status).label).lower()}), "
            f"chưa phải một lần gửi Sở Nội vụ.")


def _body(issuer_name: str, period: ReportingPeriod, summary: str, lines: list[dict[str, Any]],
          evidence: texts.ReportTable, state: str) -> list[BodyLine]:
    counts = dict.fromkeys(LineStatus.values, 0)
    for line in lines:
        counts[line["status"]] = counts.get(line["status"], 0) + 1
    done = counts[LineStatus.DONE] + counts[LineStatus.DONE_LATE]
    return [
        BodyLine(f"Thực hiện {plan_texts.plan_reference(period.plan)}, {issuer_name} báo cáo kết quả thực hiện kỳ "
                 f"{period.label} ({texts.period_span(period)}) như sau:", "paragraph"),
        BodyLine("I. ĐÁNH GIÁ CHUNG", "heading"),
        *[BodyLine(text, "paragraph") for text in (summary.splitlines() or ["Đơn vị chưa có đánh giá chung."])
          if text.strip()],
        BodyLine("II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ ĐƯỢC GIAO", "heading"),
        BodyLine(f"Đơn vị được giao {len(lines)} nhiệm vụ: đã hoàn thành {done}, đang thực hiện "
                 f"{counts[LineStatus.IN_PROGRESS]}, chưa triển khai {counts[LineStatus.NOT_STARTED]}, không thực hiện "
                 f"được {counts[LineStatus.CANNOT_DO]}. Chi tiết tại Phụ lục 01.", "paragraph"),
        BodyLine("III. VĂN BẢN MINH CHỨNG", "heading"),
        BodyLine(f"Kèm theo {len(evidence.rows)} văn bản minh chứng, liệt kê tại Phụ lục 02." if evidence.rows
                 else "Đơn vị chưa gửi kèm văn bản minh chứng.", "paragraph"),
        BodyLine(state, "paragraph"),
    ]

