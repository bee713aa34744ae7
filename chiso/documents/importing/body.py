"""Plans without an appendix: the tasks are lettered paragraphs (a, b, c…) under the index headings of the
body ("II. NHIỆM VỤ, GIẢI PHÁP" → "a) Tham gia của người dân ở cấp cơ sở" → "- Tăng cường …"), and each
unit's duties are listed under "Tổ chức thực hiện" ("1. Phòng Nội vụ" → "- Chủ trì theo dõi …"). Both
become rows; a duty is linked to the tasks of the index node it speaks of, its unit becoming their lead."""

from __future__ import annotations

import re

from chiso.core.text import clean_spaces, fold
from chiso.documents.importing.raw import RawRow

_MARKUP = re.compile(r"[*_#]+|</?[bi]>")
# "II. NHIỆM VỤ", and as OCR reads it "II: NỘI DUNG", "II NỘI DUNG" (the full stop lost before capitals).
_ROMAN_HEADING = re.compile(r"^([IVX][IVXl]{0,3})(?:\s*[.):]\s*|\s+(?=[A-ZĐÀ-Ỹ]{2}))(.+)$")
# "Chỉ số nội dung 1: Tham gia …", "Chỉ số thành phần 2 - …" (folded: OCR may have lost the marks).
_DIMENSION = re.compile(r"^(?:\d{1,2}\s*[.)]\s*)?chi so (?:noi dung|thanh phan)(?: so)?\s*(\d{1,2})\s*[:.)\-–]\s*(.+)$")
_LETTER_HEADING = re.compile(r"^([a-hđ])\s*\)\s*(.+)$")
_NUMBER_HEADING = re.compile(r"^(\d{1,2})\s*[.)]\s*(.+)$")
_BULLET = re.compile(r"^[-–•+]\s*(.+)$")


def _plain(line: str) -> str:
    return clean_spaces(_MARKUP.sub("", line))


def read_body(lines: list[str]) -> tuple[list[RawRow], list[RawRow]]:
    """(tasks from the body's lettered sections, duties from 'Tổ chức thực hiện')."""
    tasks: list[RawRow] = []
    duties: list[RawRow] = []
    section = ""
    heading: tuple[str, str] | None = None
    unit = ""
    pending: list[str] = []
    # Under a dimension heading ("Chỉ số nội dung 1: …") the lettered items a), b), c) are the tasks themselves.
    under_dimension = False
    in_item = False

    def flush() -> None:
        text = clean_spaces(" ".join(pending))
        pending.clear()
        if not text or len(text) < 12:
            return
        if section == "tasks" and heading:
            tasks.append(RawRow(source=f"Mục {heading[0]})", content=text, number=heading[0],
                                group_number=heading[0], group_text=heading[1], appendix="Nội dung kế hoạch"))
        elif section == "duties" and unit:
            duties.append(RawRow(source=f"Tổ chức thực hiện: {unit}", content=text, lead_text=unit,
                                 appendix="Tổ chức thực hiện"))

    for raw in lines:
        line = _plain(raw)
        if not line:
            continue
        folded = fold(line)
        roman = _ROMAN_HEADING.match(line)
        if roman:
            flush()
            title = fold(roman.group(2))
            section = ("tasks" if ("nhiem vu" in title or "giai phap" in title or "noi dung" in title)
                       else "duties" if "to chuc thuc hien" in title else "")
            heading, unit, under_dimension = None, "", False
            continue
        if folded.startswith(("noi nhan", "phu luc", "tm.", "kt.", "t/m", "tm ", "kt ")):
            flush()
            section = ""
            continue
        if section == "tasks" and (dimension := _DIMENSION.match(folded)):
            flush()
            title = line.split(":", 1)[1] if ":" in line else dimension.group(2)
            heading, under_dimension, in_item = (dimension.group(1), title.strip(" :.")), True, False
            continue
        if section == "tasks" and under_dimension and (item := _LETTER_HEADING.match(line)):
            flush()
            pending.append(item.group(2))
            in_item = True
            continue
        if section == "tasks":
            letter = _LETTER_HEADING.match(line)
            number = _NUMBER_HEADING.match(line)
            if letter or (number and len(line) < 90) or (number and ":" in line[:90]):
                flush()
                match = letter or number
                assert match is not None
                # "1. Tham gia của người dân ở cấp cơ sở: Thực hiện …": the heading, then its first task.
                title, _, rest = match.group(2).partition(":") if ":" in match.group(2)[:90] else (match.group(2), "", "")
                heading = (match.group(1), title.strip(" :."))
                if rest.strip():
                    pending.append(rest.strip())
                continue
        if section == "duties":
            number = _NUMBER_HEADING.match(line)
            if number and len(line) < 90:
                flush()
                unit = number.group(2).strip(" :.")
                continue
            if line.startswith("(") or folded.startswith(("ngoai ra", "uy ban nhan dan huyen yeu cau")):
                flush()
                continue
        bullet = _BULLET.match(line)
        if bullet and in_item and section == "tasks":
            pending.append(line)  # a lettered task's own points
        elif bullet:
            flush()
            pending.append(bullet.group(1))
        elif pending and (not line[:1].isupper() or not pending[-1].rstrip().endswith((".", ";", ":", "!", "?"))):
            pending.append(line)  # a paragraph broken across lines or pages
        else:
            flush()
            if heading or unit:
                pending.append(line)
    flush()
    return tasks, duties
