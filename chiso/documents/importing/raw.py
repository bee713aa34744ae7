"""What the readers produce before anything is matched: rows of text, the header lines, the rest."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# One cell as a reader sees it: its text (None where a merged cell covers it and the reader cannot say
# which) and the identity of the physical cell, equal across the positions a merged cell spans.
Cell = tuple[str | None, Any]
Grid = list[list[Cell]]


@dataclass
class Table:
    rows: Grid
    # Paragraphs printed just above the table ("PHỤ LỤC 01", its title): they tell which index it answers.
    above: list[str] = field(default_factory=list)
    # Rows marked to repeat on every page (Word's "repeat as header row"), when the format says so.
    marked_heading_rows: int = 0
    # False for pasted text: a merged cell comes as its text in the first row and blanks below, not as one cell.
    merges_known: bool = True


@dataclass
class RawRow:
    source: str
    content: str
    number: str = ""
    node_text: str = ""
    has_node_column: bool = False
    group_number: str = ""
    group_text: str = ""
    lead_section: str = ""
    appendix: str = ""
    target: str = ""
    lead_text: str = ""
    monitoring_text: str = ""
    doer_text: str = ""
    coordinating_text: str = ""
    schedule_text: str = ""
    outputs: str = ""
    notes: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Unreadable:
    source: str
    text: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RawPlan:
    kind: str
    header: dict[str, Any] = field(default_factory=dict)
    rows: list[RawRow] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    # The file's own description of itself (author, title, company): one more hint of the issuer.
    metadata: list[str] = field(default_factory=list)
    tables_seen: int = 0
    tables_with_tasks: int = 0
