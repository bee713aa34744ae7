"""From bytes (or pasted text) to the preview's data: header, mapped rows, rows not understood."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from chiso.documents.importing.body import read_body
from chiso.documents.importing.choosing import candidates, choose, chosen_frameworks
from chiso.documents.importing.diagnosis import diagnose, no_tasks_message
from chiso.documents.importing.errors import ImportRefused
from chiso.documents.importing.header import read_header
from chiso.documents.importing.issuer import find_issuer, relative_context
from chiso.documents.importing.mapping import Agencies, NodeMatcher, map_row, restore_display, similarity
from chiso.documents.importing.ocrtext import looks_ocred, repair_lines
from chiso.documents.importing.raw import RawPlan, RawRow, Table
from chiso.documents.importing.readers import metadata_of, read_any, read_text
from chiso.documents.importing.tables import TableReader
from chiso.frameworks.models import Framework
from chiso.orgs.matching import AgencyMatcher
from chiso.orgs.models import Province

MAX_ROWS = 2000


def parse_tables(kind: str, tables: list[Table], lines: list[str]) -> RawPlan:
    plan = RawPlan(kind=kind, header=read_header(lines), lines=lines)
    reader = TableReader()
    for number, table in enumerate(tables, start=1):
        reader.read(table, number)
    plan.rows, plan.unreadable = reader.rows, reader.unreadable
    plan.tables_seen, plan.tables_with_tasks = reader.tables_seen, reader.tables_with_tasks
    if not plan.rows:
        tasks, duties = read_body(repair_lines(lines) if kind == "ocr" or looks_ocred(lines) else lines)
        plan.rows = _link_duties(tasks, duties)
    if len(plan.rows) > MAX_ROWS:
        raise ImportRefused(f"Kế hoạch có quá nhiều dòng nhiệm vụ (tối đa {MAX_ROWS}).")
    if not plan.rows:
        raise ImportRefused(no_tasks_message(plan))
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
    raw = parse_tables(kind, tables, lines)
    raw.metadata = metadata_of(kind, data)
    return raw


def parse_pasted(text: str) -> RawPlan:
    tables, lines = read_text(text)
    return parse_tables("text", tables, lines)


def preview_data(raw: RawPlan, province: Province, frameworks: Iterable[Framework],
                 issuer_id: int | None = None) -> dict[str, Any]:
    """The rows mapped: each appendix on the framework that explains it best among `frameworks`, agencies read
    relative to the issuer (found in the document, or `issuer_id` as the user chose it; 0 = the province)."""
    choices = choose(raw, frameworks)
    by_framework = {choice.chosen.pk: NodeMatcher([choice.chosen]) for choice in choices if choice.chosen}
    unmapped = NodeMatcher([])
    matchers = {position: by_framework[choice.chosen.pk] if choice.chosen else unmapped
                for choice in choices for position in choice.positions}
    matcher = AgencyMatcher(province)
    if issuer_id is None:
        issuer, evidence = find_issuer(raw.lines, raw.metadata, matcher)
    else:
        issuer, evidence = next((u for u in matcher.units if u.pk == issuer_id), None), []
    agencies = Agencies(province, relative_context(issuer))
    year = raw.header.get("year")
    rows = [map_row(row, number, matchers[number - 1], agencies, year)
            for number, row in enumerate(raw.rows, start=1)]
    restore_display(rows, agencies)
    header = {**raw.header, "issuer_unit_id": issuer.pk if issuer else None,
              "issuer_evidence": [item.as_dict() for item in evidence],
              "framework_choices": [choice.as_dict() for choice in choices], "diagnosis": diagnose(raw, rows)}
    if issuer is not None and not header.get("issuer"):
        header["issuer"] = issuer.name.upper()
    return {"header": header, "rows": rows, "unreadable": [u.as_dict() for u in raw.unreadable], "kind": raw.kind,
            "frameworks": chosen_frameworks(choices)}


def guess_frameworks(raw: RawPlan, province: Province) -> list[Framework]:
    """The frameworks that explain the document's appendices best, among all the province may use."""
    return chosen_frameworks(choose(raw, candidates(province)))
