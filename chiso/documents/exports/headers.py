"""Who issues a document and the words printed around its body, for plans and reports alike: a unit as the
issuer (its parent line, its symbol with the unit's abbreviation, who signs for it), a plan's header with
whatever the plan leaves empty filled from its unit, and the header as labelled rows for a spreadsheet.

A unit's own plan (plans.services.derive_unit_plan) starts with no parent line, a bare 'KH' symbol, no
recipients and no signature; printed as stored it would not be in the decree's form, so those are taken from
the unit as its reports take them."""

from __future__ import annotations

from dataclasses import dataclass

from chiso.documents.exports import plan_texts as texts
from chiso.documents.exports.docx_form import DocumentHeader
from chiso.orgs.models import Unit, UnitKind
from chiso.orgs.naming import abbreviation, committee_name
from chiso.plans.models import Plan

# The head of a department-level body by the first word of its name, as its documents are signed.
_HEADS = (("Sở", "GIÁM ĐỐC"), ("Trung tâm", "GIÁM ĐỐC"), ("Thanh tra", "CHÁNH THANH TRA"),
          ("Văn phòng", "CHÁNH VĂN PHÒNG"), ("Ban", "TRƯỞNG BAN"), ("Phòng", "TRƯỞNG PHÒNG"))
PEOPLES_COMMITTEE_SIGNATURE = ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
# Where every unit's plan for the province's plan goes, besides the unit's own archive.
COORDINATING_DEPARTMENT = "Sở Nội vụ"


@dataclass(frozen=True)
class Issuer:
    parent: str
    name: str
    symbol: str
    signature: list[str]


def _committee_name(unit: Unit) -> str:
    return committee_name(unit)


def unit_issuer(unit: Unit, plan: Plan, kind: str = "BC") -> Issuer:
    """How a unit heads its own document (kind 'BC' a report, 'KH' a plan): a commune or ward as its People's
    Committee, a department under the province's committee (the province plan's issuer), an office under its
    department. plan is the province's plan the document answers to."""
    if unit.kind == UnitKind.PROVINCE_COMMITTEE and unit.pk == plan.owner_unit_id:
        return Issuer(plan.issuer_parent, plan.issuer, f"{kind}-UBND",
                      texts.signature_lines(plan) or PEOPLES_COMMITTEE_SIGNATURE)
    if unit.kind in (UnitKind.COMMUNE, UnitKind.WARD, UnitKind.DISTRICT, UnitKind.PROVINCE_COMMITTEE):
        return Issuer("", _committee_name(unit), f"{kind}-UBND", PEOPLES_COMMITTEE_SIGNATURE)
    parent = ""
    if unit.kind == UnitKind.DEPARTMENT:
        parent = plan.issuer
    elif unit.kind == UnitKind.OFFICE and unit.parent is not None:
        parent = unit.parent.name
    head = next((title for word, title in _HEADS if unit.name.startswith(word)), "THỦ TRƯỞNG ĐƠN VỊ")
    return Issuer(parent, unit.name, f"{kind}-{abbreviation(unit)}", [head])


def province_plan(plan: Plan) -> Plan:
    """The plan at the top of a chain of derived plans: the province's, whose issuer heads its units."""
    while plan.parent is not None:
        plan = plan.parent
    return plan


def default_plan_recipients(plan: Plan) -> list[str]:
    """A unit's plan goes to whoever issued the plan it carries out and to the coordinating department, as
    the sample district plans list 'UBND tỉnh; Sở Nội vụ; … Lưu: VT'."""
    recipients = []
    if plan.parent is not None:
        above = plan.parent.owner_unit
        recipients.append(f"{above.short_name or above.name} (báo cáo)")
    if plan.owner_unit.name != COORDINATING_DEPARTMENT:
        recipients.append(f"{COORDINATING_DEPARTMENT} (theo dõi)")
    return [*recipients, texts.ARCHIVE]


def _subject(plan: Plan) -> str:
    """A derived plan's stored title repeats the document kind ('Kế hoạch của Sở … thực hiện …'): printed
    under 'KẾ HOẠCH' it reads 'Thực hiện Kế hoạch số …/KH-UBND … về …', as unit plans are headed."""
    if plan.parent is not None and plan.title.startswith(f"Kế hoạch của {plan.owner_unit.name} thực hiện"):
        return f"Thực hiện {texts.plan_reference(plan.parent)}"
    return plan.title


def plan_header(plan: Plan) -> DocumentHeader:
    """The plan's own fields where it has them; what it leaves empty comes from its unit."""
    issuer = unit_issuer(plan.owner_unit, province_plan(plan), kind="KH")
    stored_issuer = plan.issuer.strip()
    name = issuer.name if not stored_issuer or stored_issuer.upper() == plan.owner_unit.name.upper() else stored_issuer
    symbol = plan.symbol if plan.symbol.strip().upper() not in ("", "KH") else issuer.symbol
    signature = texts.signature_lines(plan) or issuer.signature
    return DocumentHeader(
        issuer=name, issuer_parent=plan.issuer_parent or issuer.parent, number_line=texts.number_line(plan, symbol),
        place_date_line=texts.place_date_line(plan), kind=texts.DOCUMENT_KIND, subject=_subject(plan),
        # A unit's plan without recipients gets its usual ones; any plan at least '- Lưu: VT.' (format_recipients).
        recipients=texts.format_recipients(plan.recipients or (default_plan_recipients(plan) if plan.parent_id else [])),
        signature=signature, signer_name=plan.signer_name,
    )


def header_info(document_header: DocumentHeader) -> list[tuple[str, str]]:
    """The header as labelled rows, for a spreadsheet's first sheet."""
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
