"""The words of a report's document form, free of any format: who issues it (a department, a commune's
People's Committee, UBND tỉnh), its number line, place and date, subject, recipients and signature, and the
format-neutral document (header, body, appendix tables) that report_docx and report_xlsx both render.

Every word is Vietnamese whatever the reader's language: the file is an administrative document."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from chiso.documents.exports.appendix_table import Column, GroupRow, TaskRow
from chiso.documents.exports.docx_form import DocumentHeader
from chiso.documents.exports.headers import Issuer
from chiso.documents.exports.plan_texts import (
    BLANK,
    BodyLine,
    attached_to,
    format_recipients,
    lower_first,
    place_and_date,
    vn_date,
)
from chiso.monitoring.models import ReportingPeriod
from chiso.plans.models import Plan

DOCUMENT_KIND = "BÁO CÁO"


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


def number_line(issuer: Issuer) -> str:
    """The number is left blank: the clerk numbers the report when it is signed."""
    return f"Số: {BLANK}/{issuer.symbol}"


def subject(plan: Plan, period: ReportingPeriod) -> str:
    return f"Kết quả thực hiện Kế hoạch {lower_first(plan.title)}, kỳ {period.label}"


def period_span(period: ReportingPeriod) -> str:
    return f"từ ngày {vn_date(period.start)} đến ngày {vn_date(period.end)}"


def appendix_subtitle(issuer: Issuer, day: dt.date | None, year: int) -> str:
    return attached_to("Báo cáo", number_line(issuer), day, year, issuer.name)


def header(issuer: Issuer, plan: Plan, period: ReportingPeriod, *, day: dt.date | None, recipients: list[str],
           signer_name: str = "") -> DocumentHeader:
    return DocumentHeader(
        issuer=issuer.name, issuer_parent=issuer.parent, number_line=number_line(issuer),
        place_date_line=place_and_date(plan.place, day, period.end.year), kind=DOCUMENT_KIND,
        subject=subject(plan, period), recipients=format_recipients(recipients), signature=issuer.signature,
        signer_name=signer_name,
    )
