"""The words of a plan's document form (Decree 30/2020/NĐ-CP, Phụ lục I): number line, place and date,
recipients, signature and the body split into headed sections. Shared by the writers, free of any format."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from chiso.plans.models import Plan
from chiso.plans.services import plan_year

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DOCUMENT_KIND = "KẾ HOẠCH"
# Left blank for the clerk to fill by hand when the plan is numbered and dated on issue.
BLANK = "     "
ARCHIVE = "Lưu: VT"

_ROMAN_HEADING = re.compile(r"^(?P<numeral>[IVXLC]+)\.\s+\S")
_NUMBERED_HEADING = re.compile(r"^\d+\.\s+\S.*[^.;:,]$")


def decree_day(day: int) -> str:
    """Days below 10 take a leading zero."""
    return f"{day:02d}"


def decree_month(month: int) -> str:
    """Months 1 and 2 take a leading zero (so that 'tháng 01' cannot be read as 'tháng 10' or '11')."""
    return f"{month:02d}" if month < 3 else str(month)


def document_number(number: str, symbol: str) -> str:
    """'05/KH-UBND': the decree's leading zero below 10; a number not yet given is left blank."""
    number = number or BLANK
    if number.isdigit() and int(number) < 10:
        number = f"{int(number):02d}"
    return f"{number}/{symbol}" if symbol else number


def number_line(plan: Plan, symbol: str | None = None) -> str:
    """'Số: 05/KH-UBND'; the symbol may be given when the plan's own is incomplete (headers.plan_header)."""
    return f"Số: {document_number(plan.number, plan.symbol if symbol is None else symbol)}"


def vn_date(day: dt.date | None) -> str:
    """'05/01/2025', '20/6/2025': the decree's leading zeros, as every date in the documents is written."""
    return f"{decree_day(day.day)}/{decree_month(day.month)}/{day.year}" if day else ""


def date_words(day: dt.date | None, year: int) -> str:
    """'ngày 05 tháng 01 năm 2025', or with the day and month left blank for the clerk."""
    if day is None:
        return f"ngày{BLANK}tháng{BLANK}năm {year}"
    return f"ngày {decree_day(day.day)} tháng {decree_month(day.month)} năm {day.year}"


def place_and_date(place: str, day: dt.date | None, year: int) -> str:
    return f"{place or BLANK}, {date_words(day, year)}"


def attached_to(kind: str, number_line_text: str, day: dt.date | None, year: int, issuer_name: str) -> str:
    """The appendix subtitle: '(Kèm theo Kế hoạch số 154/KH-UBND ngày 20 tháng 6 năm 2025 của …)', as the
    sample plans print it, blanks included while the document has no number or date."""
    return f"(Kèm theo {kind} số {number_line_text.removeprefix('Số: ')} {date_words(day, year)} của {issuer_name})"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def plan_reference(plan: Plan) -> str:
    """'Kế hoạch số 154/KH-UBND ngày 20/6/2025 của Ủy ban nhân dân tỉnh Tuyên Quang về duy trì …', or without
    number and date while the plan has none."""
    number = f" số {document_number(plan.number, plan.symbol)}" if plan.number else ""
    date = f" ngày {vn_date(plan.issued_on)}" if plan.issued_on else ""
    return f"Kế hoạch{number}{date} của {plan.owner_unit.name} về {lower_first(plan.title)}"


def draft_year(plan: Plan) -> int:
    """A plan not yet issued prints the year of its period (drafts are dated in the year they are for),
    else the year it was drafted."""
    return plan_year(plan) or (plan.created_at or dt.datetime.now()).year


def place_date_line(plan: Plan) -> str:
    return place_and_date(plan.place, plan.issued_on, draft_year(plan))


def appendix_subtitle(plan: Plan, number_line_text: str | None = None) -> str:
    return attached_to("Kế hoạch", number_line_text or number_line(plan), plan.issued_on, draft_year(plan),
                       plan.owner_unit.name)


def recipient_lines(plan: Plan) -> list[str]:
    return format_recipients(plan.recipients)


def format_recipients(recipients: list[str]) -> list[str]:
    """'- Bộ Nội vụ;' … '- Lưu: VT, PVHCC.': a semicolon after each, a full stop after the last. Every
    document keeps a copy in its issuer's archive, so '- Lưu: VT.' closes a list that lacks it."""
    entries = [str(r).strip().lstrip("-").strip().rstrip(";.").strip() for r in recipients]
    entries = [e for e in entries if e]
    if not any(e.lower().startswith("lưu") for e in entries):
        entries.append(ARCHIVE)
    return [f"- {e}{'.' if i == len(entries) - 1 else ';'}" for i, e in enumerate(entries)]


def signature_lines(plan: Plan) -> list[str]:
    """Authority (TM./KT.) and title, upper-case as printed; the name comes after the space for signing."""
    return [line.upper() for line in (plan.signer_on_behalf, plan.signer_capacity, plan.signer_title) if line]


@dataclass(frozen=True)
class BodyLine:
    text: str
    # "heading": I., II. …; "subheading": a numbered line that introduces what follows; else "paragraph".
    kind: str


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _classify(line: str) -> BodyLine:
    if _ROMAN_HEADING.match(line):
        return BodyLine(line, "heading")
    if _NUMBERED_HEADING.match(line):
        return BodyLine(line, "subheading")
    return BodyLine(line, "paragraph")


_NUMERALS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def roman(number: int) -> str:
    """I … XII for the sections of a document and the indices of a report; beyond, the number itself."""
    return _NUMERALS[number - 1] if number <= len(_NUMERALS) else str(number)


def _roman_value(numeral: str) -> int:
    return _NUMERALS.index(numeral) + 1 if numeral in _NUMERALS else 0


def body_lines(plan: Plan) -> list[BodyLine]:
    """The body in document order. A text that carries its own 'II. …' headings is printed as written and
    the numbering goes on after its last one; a text without gets the usual heading. The implementation is
    not printed a second time when the body already holds a 'TỔ CHỨC THỰC HIỆN' section."""
    out: list[BodyLine] = []
    preamble = _lines(plan.preamble)
    basis = [line for line in _lines(plan.legal_basis) if line not in plan.preamble]
    for line in basis:
        wording = line if line.lower().startswith(("căn cứ", "thực hiện")) else f"Căn cứ {line}"
        out.append(BodyLine(wording.rstrip(";.") + ";", "paragraph"))
    out.extend(BodyLine(line, "paragraph") for line in preamble)
    body_has_implementation = any(
        _ROMAN_HEADING.match(line) and "TỔ CHỨC THỰC HIỆN" in line.upper() for line in _lines(plan.body))
    sections = [
        ("MỤC ĐÍCH, YÊU CẦU", plan.purpose),
        ("NỘI DUNG, NHIỆM VỤ, GIẢI PHÁP", plan.body),
        ("KINH PHÍ THỰC HIỆN", plan.funding),
        ("TỔ CHỨC THỰC HIỆN", "" if body_has_implementation else plan.implementation),
    ]
    numeral = 0
    for heading, text in sections:
        lines = [_classify(line) for line in _lines(text)]
        if not lines:
            continue
        if lines[0].kind != "heading":
            numeral += 1
            out.append(BodyLine(f"{roman(numeral)}. {heading}", "heading"))
        for body_line in lines:
            if body_line.kind == "heading":
                match = _ROMAN_HEADING.match(body_line.text)
                numeral = max(numeral, _roman_value(match["numeral"]) if match else 0)
            out.append(body_line)
    return out
