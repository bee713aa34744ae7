"""Turning appendix tables into task rows, whatever the reader: headings found by their wording, heading
rows repeated on every page skipped, tables split across pages joined, merged cells read once, group
rows (an index node, or a lead agency: "II. CÁC HUYỆN, THÀNH PHỐ CHỦ TRÌ THỰC HIỆN") carried down to
the rows under them. A row that is neither a task nor a group is reported, never dropped."""

from __future__ import annotations

import re

from chiso.core.text import clean_spaces, fold
from chiso.documents.importing.columns import column_for
from chiso.documents.importing.raw import Cell, RawRow, Table, Unreadable

CODE = re.compile(r"^(?:(?:tctp|tc|tieu chi|linh vuc|ls|chi so)\s*)?(\d{1,2}(?:\s*\.\s*\d{1,2}){0,3})\.?$")
ROMAN = re.compile(r"^(?=[ivx]+$)x{0,3}(ix|iv|v?i{0,3})$")
LETTER = re.compile(r"^[a-h]$")
LEAD_SECTION = re.compile(r"(?:chu tri|thuc hien chu tri)(?: thuc hien)?\s*$")
_LEAD_SECTION_WORDS = {"chu", "tri", "thuc", "hien"}
_LEADING_NUMBER = re.compile(r"^\s*([IVXivx]{1,4}|\d{1,2}(?:\.\d{1,2}){0,3}|[A-Ha-h])[.)]?\s+(?=\S)")
_TEXT_COLUMNS = ("target", "lead", "monitoring", "doer", "coordinating", "schedule", "outputs", "notes")


def code_of(text: str) -> str:
    """'1.1', 'TC 3.2', 'TCTP 3.4.1', '5.2.' → the dotted code; anything else → ''."""
    match = CODE.match(fold(text))
    return re.sub(r"\s+", "", match.group(1)) if match else ""


def is_group_number(text: str) -> bool:
    folded = fold(text).strip(".")
    return bool(code_of(text) or ROMAN.match(folded) or LETTER.match(folded) or re.fullmatch(r"[a-z]", folded))


def _headings(rows: list[list[Cell]], marked: int) -> tuple[list[str | None], int] | None:
    """The columns of a table and how many rows its heading takes (up to three, the lower name winning)."""
    limit = max(marked, 1) if marked else 3
    width = max(len(r) for r in rows)
    names: list[str] = [""] * width
    found = 0
    for count, row in enumerate(rows[:limit], start=1):
        cells = [clean_spaces(text or "") for text, _ in row]
        keys = [column_for(text) if len(text) < 80 else None for text in cells]
        # Two columns named by two cells: a group row merged across the table ("I CÁC XÃ, PHƯỜNG, THỊ TRẤN CHỦ TRÌ
        # THỰC HIỆN") repeats one wording in every position and is not a heading.
        named = {(key, id(origin) if origin is not None else position)
                 for position, (key, (_, origin)) in enumerate(zip(keys, row, strict=False)) if key}
        if len({key for key, _ in named}) < 2 and not (marked and count <= marked):
            break
        for position, text in enumerate(cells):
            if text and (keys[position] or not names[position]):
                names[position] = text
        found = count
    if not found:
        return None
    columns = [column_for(name) for name in names]
    if "content" not in columns:
        return None
    return columns, found


def _looks_like_heading(row: list[Cell], columns: list[str | None]) -> bool:
    """A heading row repeated on a later page: short cells naming the columns they stand in."""
    hits = sum(1 for position, (text, _) in enumerate(row)
               if position < len(columns) and columns[position] and len(text or "") < 60
               and column_for(text or "") == columns[position])
    return hits >= 3 or hits >= 2 and sum(1 for text, _ in row if (text or "").strip()) <= 3


def _lead_section(text: str) -> str:
    folded = fold(text)
    if not folded or not LEAD_SECTION.search(folded) or len(folded) > 160:
        return ""
    wording = _LEADING_NUMBER.sub("", clean_spaces(text))
    words = wording.split()
    while words and fold(words[-1]) in _LEAD_SECTION_WORDS:  # by folded words: OCR may have lost the marks
        words.pop()
    return " ".join(words).strip(" .:,")


class TableReader:
    """Reads the tables of one document in order; the columns of a table carry over to the next table of the
    same width that has no heading of its own (a table the source split across pages)."""

    def __init__(self) -> None:
        self.rows: list[RawRow] = []
        self.unreadable: list[Unreadable] = []
        self._columns: list[str | None] | None = None
        self._appendix = ""
        self._reset_groups()

    def _reset_groups(self) -> None:
        self._lead_section = ""
        self._groups: list[tuple[str, str]] = []
        self._last_node: tuple[str, str] = ("", "")

    def read(self, table: Table, table_number: int) -> None:
        rows = [row for row in table.rows if any((text or "").strip() for text, _ in row)]
        if not rows:
            return
        heading = _headings(rows, table.marked_heading_rows)
        title = " ".join(table.above[-4:])
        continuing = False
        if heading is not None:
            columns, skip = heading
            if self._columns is None or fold(title) and ("phu luc" in fold(title) or columns != self._columns):
                self._reset_groups()
            else:
                continuing = True
            self._columns = columns
            if title.strip():
                self._appendix = clean_spaces(title)
        elif self._columns is not None and max(len(r) for r in rows) == len(self._columns):
            columns, skip, continuing = self._columns, 0, True
        else:
            return
        previous: list[Cell] | None = None
        first = True
        # The last task of the page before: the top rows of this page that go on with its node (number and node
        # cells blank) may sit beside what is left of a cell merged over the page break, printed blank here.
        carried = self.rows[-1] if continuing and self.rows else None
        for index, row in enumerate(rows[skip:], start=skip + 1):
            where = f"Bảng {table_number}, dòng {index}"
            if _looks_like_heading(row, columns):
                previous = row
                continue
            if not (first and self._continues_previous_row(row, columns)):
                count = len(self.rows)
                before = self.rows[-1] if self.rows else None
                self._read_row(row, previous, columns, where)
                goes_on = self._goes_on_with_node(row, columns)
                if carried is not None and goes_on:
                    if len(self.rows) > count:
                        _fill_blanks(self.rows[-1], carried)
                else:
                    carried = None
                if not table.merges_known and goes_on and before is not None and len(self.rows) > count:
                    # Pasted text: a blank beside a task that goes on with the node above is that cell merged down.
                    _fill_blanks(self.rows[-1], before)
            first = False
            previous = row

    @staticmethod
    def _goes_on_with_node(row: list[Cell], columns: list[str | None]) -> bool:
        cells = {columns[p]: (text or "").strip() for p, (text, _) in enumerate(row) if p < len(columns) and columns[p]}
        node = cells.get("node", "")
        return "node" in cells and not cells.get("number") and (not node or node[0].islower())

    def _continues_previous_row(self, row: list[Cell], columns: list[str | None]) -> bool:
        """A row broken by a page (PDF): the top row of the next page has no number or node and its text goes
        on mid-sentence. Its cells are joined to the row they belong to."""
        if not self.rows:
            return False
        cells = {columns[p]: clean_spaces(text or "") for p, (text, _) in enumerate(row) if p < len(columns) and columns[p]}
        content, node = cells.get("content", ""), cells.get("node", "")
        last = self.rows[-1]
        unfinished = not last.content.rstrip().endswith((".", ";", ":", "!", "?", ")"))
        if cells.get("number"):
            return False
        if not (content and content[0].islower()) and (
                (node and not node[0].islower()) or (content and not unfinished)):
            return False
        if node and node[0].islower():  # the node's label, broken by the page too
            joined = clean_spaces(f"{last.node_text} {node}")
            if self._last_node == (last.number, last.node_text):
                self._last_node = (last.number, joined)
            last.node_text = joined
        for key, attribute in (("content", "content"), ("target", "target"), ("lead", "lead_text"),
                               ("coordinating", "coordinating_text"), ("doer", "doer_text"),
                               ("schedule", "schedule_text"), ("outputs", "outputs"), ("notes", "notes")):
            if cells.get(key):
                setattr(last, attribute, clean_spaces(f"{getattr(last, attribute)} {cells[key]}"))
        return True

    def _read_row(self, row: list[Cell], previous: list[Cell] | None, columns: list[str | None], where: str) -> None:
        values, origins, continued = _cells(row, previous, columns)
        content = values.get("content", "")
        content_origin = origins.get("content")
        spans = content_origin is not None and sum(1 for _, origin in row if origin is content_origin) > 1
        others = [values.get(key, "") for key in _TEXT_COLUMNS if key not in continued]
        whole = clean_spaces(" ".join(dict.fromkeys(text or "" for text, _ in row)))
        section = _lead_section(content if spans or not any(others) else "") or (
            _lead_section(whole) if not any(others) else "")
        if section:
            self._lead_section = section
            self._groups = []
            self._last_node = ("", "")
            return
        if "content" in continued and not spans:
            return  # the same task, its cell merged down over this row
        number = values.get("number", "")
        node_text = values.get("node", "")
        if not content and not any(others):
            if number or node_text:
                self._group(number, node_text, where)
            return
        if spans:
            self._group(number, content or node_text, where)
            return
        if not content:
            # A row whose content was printed in the number or node cell (a shifted row), else unreadable.
            for candidate in (number, node_text):
                if len(candidate) > 15 and not code_of(candidate):
                    content, number = candidate, ""
                    break
            else:
                self.unreadable.append(Unreadable(where, " | ".join(o for o in others if o), "Dòng không có nội dung nhiệm vụ."))
                return
        has_node_column = "node" in columns
        if has_node_column:
            if "number" in continued and "node" in continued or (not number and not node_text):
                number, node_text = self._last_node
            self._last_node = (number, node_text)
        self.rows.append(RawRow(
            source=where, content=content, number=number, node_text=node_text, has_node_column=has_node_column,
            group_number=self._groups[-1][0] if self._groups else "",
            group_text=self._groups[-1][1] if self._groups else "",
            lead_section=self._lead_section, appendix=self._appendix, target=values.get("target", ""),
            lead_text=values.get("lead", ""), monitoring_text=values.get("monitoring", ""),
            doer_text=values.get("doer", ""), coordinating_text=values.get("coordinating", ""),
            schedule_text=values.get("schedule", ""), outputs=values.get("outputs", ""), notes=values.get("notes", ""),
        ))

    def _group(self, number: str, text: str, where: str) -> None:
        match = _LEADING_NUMBER.match(text) if not number else None
        if match:
            number, text = match.group(1), text[match.end():]
        code = code_of(number)
        folded = fold(number).strip(".")
        if code:
            depth = code.count(".") + 1
            self._groups = [g for g in self._groups if code_of(g[0]) and code_of(g[0]).count(".") + 1 < depth]
        elif len(folded) == 1 and folded.isalpha() and not ROMAN.match(folded):
            self._groups = []
        elif ROMAN.match(folded):
            self._groups = [g for g in self._groups if len(fold(g[0])) == 1 and not ROMAN.match(fold(g[0]))]
        self._groups.append((number, clean_spaces(text)))
        self._last_node = ("", "")


def _fill_blanks(row: RawRow, carried: RawRow) -> None:
    for attribute in ("target", "lead_text", "monitoring_text", "doer_text", "coordinating_text", "schedule_text"):
        if not getattr(row, attribute):
            setattr(row, attribute, getattr(carried, attribute))


def _lines(text: str) -> str:
    """A cell's lines kept as lines (a task's separate items), each line's own spacing cleaned."""
    return "\n".join(line for line in (clean_spaces(part) for part in text.splitlines()) if line)


def _cells(row: list[Cell], previous: list[Cell] | None,
           columns: list[str | None]) -> tuple[dict[str, str], dict[str, object], set[str]]:
    """The row's text by column, each cell's identity, and the columns whose cell continues the one above
    (merged down, or covered by a merge the reader could not name)."""
    values: dict[str, str] = {}
    origins: dict[str, object] = {}
    continued: set[str] = set()
    for position, (text, origin) in enumerate(row):
        key = columns[position] if position < len(columns) else None
        if key is None or key in values:
            continue
        above = previous[position] if previous is not None and position < len(previous) else None
        if text is None:  # covered by a merged cell the reader could not name: the cell above
            continued.add(key)
            text = above[0] if above else ""
        elif above is not None and origin is not None and above[1] is origin:
            continued.add(key)
        values[key] = clean_spaces(text or "") if key not in ("content", "notes") else _lines(text or "")
        origins[key] = origin
    return values, origins, continued
