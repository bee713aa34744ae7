"""Plans without an appendix: the tasks are lettered paragraphs (a, b, c…) under the index headings of the
body ("II. NHIỆM VỤ, GIẢI PHÁP" → "a) Tham gia của người dân ở cấp cơ sở" → "- Tăng cường …"), and each
unit's duties are listed under "Tổ chức thực hiện" ("1. Phòng Nội vụ" → "- Chủ trì theo dõi …"). Both
become rows; a duty is linked to the tasks of the index node it speaks of, its unit becoming their lead."""

from __future__ import annotations

import re

from chiso.core.text import clean_spaces, fold
from chiso.documents.importing.raw import RawRow

_MARKUP = re.compile(r"[*_#]+|</?[bi]>")
_ROMAN_HEADING = re.compile(r"^([IVX]{1,4})\s*[.)]\s*(.+)$")
_LETTER_HEADING = re.compile(r"^([a-hđ])\s*\)\s*(.+)$")
_NUMBER_HEADING = re.compile(r"^(\d{1,2})\s*[.)]\s*(.+)$")
_BULLET = re.compile(r"^[-–•+]\s*(.+)$")


def _plain(line: str) -> str:
    return clean_spaces(_MARKUP.sub("", line))


def read_body(lines: list[str]) -> tuple[list[RawRow], list[RawRow]]:
    """(tasks from the body's lettered sections, duties from 'Tổ chức thực hiện')."""
    reader = _BodyReader()
    for raw in lines:
        line = _plain(raw)
        if line:
            reader.read(line)
    reader.flush()
    return reader.tasks, reader.duties


class _BodyReader:
    """Walks the body line by line: which section it is in, the task heading or unit it is under, and the
    paragraph being gathered (a paragraph may be broken across lines or pages)."""

    def __init__(self) -> None:
        self.tasks: list[RawRow] = []
        self.duties: list[RawRow] = []
        self.section = ""
        self.heading: tuple[str, str] | None = None
        self.unit = ""
        self.pending: list[str] = []

    def flush(self) -> None:
        text = clean_spaces(" ".join(self.pending))
        self.pending.clear()
        if not text or len(text) < 12:
            return
        if self.section == "tasks" and self.heading:
            self.tasks.append(RawRow(source=f"Mục {self.heading[0]})", content=text, number=self.heading[0],
                                     group_number=self.heading[0], group_text=self.heading[1],
                                     appendix="Nội dung kế hoạch"))
        elif self.section == "duties" and self.unit:
            self.duties.append(RawRow(source=f"Tổ chức thực hiện: {self.unit}", content=text, lead_text=self.unit,
                                      appendix="Tổ chức thực hiện"))

    def read(self, line: str) -> None:
        folded = fold(line)
        if self._section_heading(line, folded):
            return
        if self.section == "tasks" and self._task_heading(line):
            return
        if self.section == "duties" and self._duty_heading(line, folded):
            return
        self._text(line)

    def _section_heading(self, line: str, folded: str) -> bool:
        roman = _ROMAN_HEADING.match(line)
        if roman:
            self.flush()
            title = fold(roman.group(2))
            self.section = ("tasks" if ("nhiem vu" in title or "giai phap" in title or "noi dung" in title)
                            else "duties" if "to chuc thuc hien" in title else "")
            self.heading, self.unit = None, ""
            return True
        if folded.startswith(("noi nhan", "phu luc")):
            self.flush()
            self.section = ""
            return True
        return False

    def _task_heading(self, line: str) -> bool:
        letter = _LETTER_HEADING.match(line)
        number = _NUMBER_HEADING.match(line)
        match = letter or (number if number and (len(line) < 90 or ":" in line[:90]) else None)
        if match is None:
            return False
        self.flush()
        # "1. Tham gia của người dân ở cấp cơ sở: Thực hiện …": the heading, then its first task.
        title, _, rest = match.group(2).partition(":") if ":" in match.group(2)[:90] else (match.group(2), "", "")
        self.heading = (match.group(1), title.strip(" :."))
        if rest.strip():
            self.pending.append(rest.strip())
        return True

    def _duty_heading(self, line: str, folded: str) -> bool:
        number = _NUMBER_HEADING.match(line)
        if number and len(line) < 90:
            self.flush()
            self.unit = number.group(2).strip(" :.")
            return True
        if line.startswith("(") or folded.startswith(("ngoai ra", "uy ban nhan dan huyen yeu cau")):
            self.flush()
            return True
        return False

    def _text(self, line: str) -> None:
        bullet = _BULLET.match(line)
        pending = self.pending
        if bullet:
            self.flush()
            pending.append(bullet.group(1))
        elif pending and (not line[:1].isupper() or not pending[-1].rstrip().endswith((".", ";", ":", "!", "?"))):
            pending.append(line)  # a paragraph broken across lines or pages
        else:
            self.flush()
            if self.heading or self.unit:
                pending.append(line)

