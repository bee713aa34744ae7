"""The words of a report's document form, free of any format: who issues it (a department, a commune's
People's Committee, UBND tỉnh), its number line, place and date, subject, recipients and signature, and the
format-neutral document (header, body, appendix tables) that report_docx and report_xlsx both render.

Every word is Vietnamese whatever the reader's language: the file is an administrative document."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from chiso.documents.appendix_table import Column, GroupRow, TaskRow
from chiso.documents.docx_form import DocumentHeader
from chiso.documents.plan_texts import (
    BLANK,
    BodyLine,
    decree_day,
    decree_month,
    format_recipients,
    signature_lines,
)
from chiso.monitoring.models import ReportingPeriod
from chiso.orgs.models import Unit, UnitKind
from chiso.plans.models import Plan

DOCUMENT_KIND = "BÁO CÁO"
_ABBREVIATION = re.compile(r"^[A-ZĐ]{2,12}$")
# The head of a department-level body by the first word of its name, as its reports are signed.
_HEADS = (("Sở", "GIÁM ĐỐC"), ("Trung tâm", "GIÁM ĐỐC"), ("Thanh tra", "CHÁNH THANH TRA"),
          ("Văn phòng", "CHÁNH VĂN PHÒNG"), ("Ban", "TRƯỞNG BAN"), ("Phòng", "TRƯỞNG PHÒNG"))
PEOPLES_COMMITTEE_SIGNATURE = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]


@dataclass
class ReportTable:
    number: str
    title: str
    sheet: str
    columns: list[Column]
    rows: list[GroupRow | TaskRow] = field(default_factory=list)
    centred: frozenset[str] = frozenset()
    # Printed under the table: what a mark in it means, or that it is empty.
    notes: list[str] = field(default_factory=list)

    @property
    def data_rows(self) -> list[TaskRow]:
        return [row for row in self.rows if isinstance(row, TaskRow)]


@dataclass
class ReportDocument:
    header: DocumentHeader
    body: list[BodyLine]
    tables: list[ReportTable]
    # '(Kèm theo Báo cáo số …/BC-SNV ngày … của Sở Nội vụ)', under each appendix title.
    appendix_subtitle: str
    info: list[tuple[str, str]]
    file_stem: str


@dataclass(frozen=True)
class Issuer:
    parent: str
    name: str
    symbol: str
    signature: list[str]


def vn_date(day: dt.date | None) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}" if day else ""


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def unit_issuer(unit: Unit, plan: Plan) -> Issuer:
    """How a unit heads its own report: a commune or ward as its People's Committee, a department under the
    province's committee (the plan's issuer), an office under its department."""
    if unit.kind == UnitKind.PROVINCE_COMMITTEE and unit.pk == plan.owner_unit_id:
        return Issuer(plan.issuer_parent, plan.issuer, "BC-UBND", signature_lines(plan) or PEOPLES_COMMITTEE_SIGNATURE)
    if unit.kind in (UnitKind.COMMUNE, UnitKind.WARD, UnitKind.DISTRICT, UnitKind.PROVINCE_COMMITTEE):
        name = unit.name if unit.name.lower().startswith(("ủy ban", "ubnd")) else f"Ủy ban nhân dân {lower_first(unit.name)}"
        return Issuer("", name, "BC-UBND", PEOPLES_COMMITTEE_SIGNATURE)
    parent = ""
    if unit.kind == UnitKind.DEPARTMENT:
        parent = plan.issuer
    elif unit.kind == UnitKind.OFFICE and unit.parent is not None:
        parent = unit.parent.name
    abbreviation = unit.short_name if _ABBREVIATION.match(unit.short_name or "") else ""
    head = next((title for word, title in _HEADS if unit.name.startswith(word)), "THỦ TRƯỞNG ĐƠN VỊ")
    return Issuer(parent, unit.name, f"BC-{abbreviation}" if abbreviation else "BC", [head])


def number_line(issuer: Issuer) -> str:
    """The number is left blank: the clerk numbers the report when it is signed."""
    return f"Số: {BLANK}/{issuer.symbol}"


def place_date_line(plan: Plan, day: dt.date | None, year: int) -> str:
    place = plan.place or BLANK
    if day is not None:
        return f"{place}, ngày {decree_day(day.day)} tháng {decree_month(day.month)} năm {day.year}"
    return f"{place}, ngày{BLANK}tháng{BLANK}năm {year}"


def plan_reference(plan: Plan) -> str:
    """'Kế hoạch số 154/KH-UBND ngày 20/6/2025 của Ủy ban nhân dân tỉnh Tuyên Quang về duy trì …', or without
    number and date while the plan has none."""
    number = f" số {plan.number}/{plan.symbol}" if plan.number and plan.symbol else (f" số {plan.number}" if plan.number else "")
    date = f" ngày {vn_date(plan.issued_on)}" if plan.issued_on else ""
    return f"Kế hoạch{number}{date} của {plan.owner_unit.name} về {lower_first(plan.title)}"


def subject(plan: Plan, period: ReportingPeriod) -> str:
    return f"Kết quả thực hiện Kế hoạch {lower_first(plan.title)}, kỳ {period.label}"


def period_span(period: ReportingPeriod) -> str:
    return f"từ ngày {vn_date(period.start)} đến ngày {vn_date(period.end)}"


def appendix_subtitle(issuer: Issuer, day: dt.date | None, year: int) -> str:
    date = vn_date(day) if day else f"{BLANK}/{BLANK}/{year}"
    return f"(Kèm theo Báo cáo số {BLANK}/{issuer.symbol} ngày {date} của {issuer.name})"


def header(issuer: Issuer, plan: Plan, period: ReportingPeriod, *, day: dt.date | None, recipients: list[str],
           signer_name: str = "") -> DocumentHeader:
    return DocumentHeader(
        issuer=issuer.name, issuer_parent=issuer.parent, number_line=number_line(issuer),
        place_date_line=place_date_line(plan, day, period.end.year), kind=DOCUMENT_KIND,
        subject=subject(plan, period), recipients=format_recipients(recipients), signature=issuer.signature,
        signer_name=signer_name,
    )


def header_info(document_header: DocumentHeader) -> list[tuple[str, str]]:
    """The header as labelled rows, for the spreadsheet's first sheet."""
    return [
        ("Cơ quan chủ quản", document_header.issuer_parent),
        ("Cơ quan ban hành", document_header.issuer),
        ("Số, ký hiệu", document_header.number_line.removeprefix("Số: ").strip()),
        ("Địa danh, ngày tháng", document_header.place_date_line),
        ("Loại văn bản", document_header.kind),
        ("Trích yếu", document_header.subject),
    ]


def closing_info(document_header: DocumentHeader) -> list[tuple[str, str]]:
    signer = document_header.signature + ([document_header.signer_name] if document_header.signer_name else [])
    return [("Nơi nhận", "\n".join(document_header.recipients)), ("Người ký", "\n".join(signer))]
