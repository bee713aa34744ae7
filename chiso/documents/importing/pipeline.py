"""From bytes (or pasted text) to the preview's data: header, mapped rows, rows not understood."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from chiso.documents.importing.body import read_body
from chiso.documents.importing.errors import ImportRefused
from chiso.documents.importing.header import read_header
from chiso.documents.importing.mapping import Agencies, NodeMatcher, map_row, similarity
from chiso.documents.importing.raw import RawPlan, RawRow, Table
from chiso.documents.importing.readers import read_any, read_text
from chiso.documents.importing.tables import TableReader
from chiso.frameworks.models import Framework
from chiso.orgs.models import Province

MAX_ROWS = 2000


def parse_tables(kind: str, tables: list[Table], lines: list[str]) -> RawPlan:
    plan = RawPlan(kind=kind, header=read_header(lines), lines=lines)
    reader = TableReader()
    for number, table in enumerate(tables, start=1):
        reader.read(table, number)
    plan.rows, plan.unreadable = reader.rows, reader.unreadable
    if not plan.rows:
        tasks, duties = read_body(lines)
        plan.rows = _link_duties(tasks, duties)
    if len(plan.rows) > MAX_ROWS:
        raise ImportRefused(f"Kế hoạch có quá nhiều dòng nhiệm vụ (tối đa {MAX_ROWS}).")
    if not plan.rows:
        raise ImportRefused("Không tìm thấy nhiệm vụ nào: tệp không có bảng phụ lục có cột nhiệm vụ, cũng không có "
                            "các mục a), b), c)… trong phần nhiệm vụ, giải pháp.")
    return plan


def _link_duties(tasks: list[RawRow], duties: list[RawRow]) -> list[RawRow]:
    """A unit's duty speaks of some task: the unit becomes that task's lead, and the duty a task of its own
    under the same node."""
    for duty in duties:
        best, score = None, 0.0
        for task in tasks:
            value = max(similarity(duty.content, task.content), similarity(duty.content, task.group_text))
            if value > score:
                best, score = task, value
        if best is not None and score >= 0.3:
            if duty.lead_text not in best.lead_text:
                best.lead_text = "; ".join(filter(None, [best.lead_text, duty.lead_text]))
            duty.group_number, duty.group_text = best.group_number, best.group_text
    return tasks + duties


def parse_upload(data: bytes, filename: str) -> RawPlan:
    kind, tables, lines = read_any(data, filename)
    return parse_tables(kind, tables, lines)


def parse_pasted(text: str) -> RawPlan:
    tables, lines = read_text(text)
    return parse_tables("text", tables, lines)


def preview_data(raw: RawPlan, province: Province, frameworks: Iterable[Framework]) -> dict[str, Any]:
    nodes = NodeMatcher(frameworks)
    agencies = Agencies(province)
    year = raw.header.get("year")
    rows = [map_row(row, number, nodes, agencies, year) for number, row in enumerate(raw.rows, start=1)]
    return {"header": raw.header, "rows": rows, "unreadable": [u.as_dict() for u in raw.unreadable], "kind": raw.kind}


def guess_frameworks(raw: RawPlan, province: Province) -> list[Framework]:
    """The latest built-in (or the province's own) framework of each index the document speaks of."""
    from chiso.documents.importing.mapping import index_of

    text = " ".join([raw.header.get("title", ""), *{row.appendix for row in raw.rows}])
    wanted = {index for chunk in text.split("PHỤ LỤC") for index in [index_of(chunk)] if index}
    for word, index in (("par index", "PAR_INDEX"), ("papi", "PAPI"), ("sipas", "SIPAS")):
        if word in text.lower():
            wanted.add(index)
    year = raw.header.get("year")
    chosen = []
    for index in sorted(wanted):
        candidates = Framework.objects.filter(Q(province__isnull=True) | Q(province=province), index=index).order_by(
            "-valid_from")
        if year:
            candidates = candidates.filter(valid_from__lte=year)
        framework = candidates.first()
        if framework:
            chosen.append(framework)
    return chosen
