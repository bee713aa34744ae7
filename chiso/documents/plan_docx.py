"""A plan as a .docx in the administrative form of Decree 30/2020/NĐ-CP (Phụ lục I): A4, Times New Roman,
the decree's margins and sizes; the header table with issuer and national motto, number, place and date,
title, body, recipients beside the signature, then each appendix in a landscape section whose table repeats
its heading row on every page."""

from __future__ import annotations

import io
from collections.abc import Iterable

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Cm, Length, Mm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from chiso.documents import plan_texts as texts
from chiso.documents.appendix_table import AppendixTable, GroupRow, appendix_tables
from chiso.plans.models import Plan

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
TABLE_SIZE = Pt(12)
TABLE_STYLE = "Chiso Bảng"
NO_SPACE = Pt(0)
A4_SHORT, A4_LONG = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
# The two columns of the header table and of the recipients/signature table (165 mm of text width).
HEADER_WIDTHS = (Mm(68), Mm(97))
CLOSING_WIDTHS = (Mm(72), Mm(93))


def plan_docx(plan: Plan) -> bytes:
    return render(plan, appendix_tables(plan))


def render(plan: Plan, tables: list[AppendixTable]) -> bytes:
    doc = Document()
    _styles(doc)
    doc.core_properties.title = plan.title[:255]
    doc.core_properties.author = plan.issuer[:255]
    doc.core_properties.language = "vi-VN"
    section = doc.sections[0]
    _page(section, landscape=False)
    _page_numbers(section)
    _letterhead(doc, plan)
    _title(doc, plan)
    _body(doc, plan)
    _closing(doc, plan)
    for table in tables:
        _appendix(doc, plan, table)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- page, styles and small helpers -------------------------------------------------------------------


def _styles(doc: DocxDocument) -> None:
    normal = doc.styles["Normal"]
    _font(normal.element.get_or_add_rPr())
    normal.font.size = BODY_SIZE
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    table_text = doc.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    table_text.font.size = TABLE_SIZE
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.0
    table_text.paragraph_format.first_line_indent = Pt(0)


def _font(rPr: OxmlElement) -> None:
    """Times New Roman for every script slot, or Word and LibreOffice fall back to the theme font for some
    characters; Vietnamese set as the language (spelling, hyphenation)."""
    fonts = rPr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rPr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    lang = rPr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rPr.append(lang)
    lang.set(qn("w:val"), "vi-VN")


def _page(section: Section, *, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = section.footer_distance = Mm(10)


def _text_width(section: Section) -> Length:
    return Length(section.page_width - section.left_margin - section.right_margin)


def _page_numbers(section: Section) -> None:
    """Page numbers centred at the top from the second page on, in the body size (Decree 30, Điều 13)."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), tag)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    run.font.size = Pt(13)


def _paragraph(container: object, text: str = "", *, size: Length | None = None, bold: bool = False,
               italic: bool = False, align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.CENTER,
               space_after: Length | None = NO_SPACE, style: str | None = None) -> Paragraph:
    paragraph = container.add_paragraph(style=style)  # type: ignore[attr-defined]
    _fill(paragraph, text, size=size, bold=bold, italic=italic, align=align, space_after=space_after)
    return paragraph


def _fill(paragraph: Paragraph, text: str, *, size: Length | None = None, bold: bool = False, italic: bool = False,
          align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.CENTER, space_after: Length | None = NO_SPACE) -> None:
    if align is not None:
        paragraph.alignment = align
    if space_after is not None:
        paragraph.paragraph_format.space_after = space_after
    if text:
        run = paragraph.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        if size is not None:
            run.font.size = size


def _rule(container: object, width: Length, inside: Length) -> None:
    """A short horizontal line centred under the line above (under the issuer, the motto, the subject):
    the top border of an empty paragraph indented to the rule's length."""
    paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    side = Length(max(0, (inside - width) // 2))
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = side
    fmt.first_line_indent = Pt(0)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(4)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(name), value)
    borders.append(top)
    paragraph._p.get_or_add_pPr().append(borders)


def _layout_table(doc: DocxDocument, widths: Iterable[Length], *, style: str | None = None) -> Table:
    widths = list(widths)
    table = doc.add_table(rows=0, cols=len(widths))
    if style:
        table.style = doc.styles[style]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    # Fixed layout: LibreOffice and Word keep the given widths instead of fitting the columns to the text.
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    return table


def _clear(cell: _Cell) -> Paragraph:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


# --- the first page -------------------------------------------------------------------------------------


def _letterhead(doc: DocxDocument, plan: Plan) -> None:
    table = _layout_table(doc, HEADER_WIDTHS)
    left, right = table.add_row().cells
    first = _clear(left)
    if plan.issuer_parent:
        _fill(first, plan.issuer_parent.upper(), size=Pt(13))
        _paragraph(left, plan.issuer.upper(), size=Pt(13), bold=True)
    else:
        _fill(first, plan.issuer.upper(), size=Pt(13), bold=True)
    _rule(left, Mm(24), HEADER_WIDTHS[0])
    _paragraph(left, texts.number_line(plan), size=Pt(13)).paragraph_format.space_before = Pt(6)
    _fill(_clear(right), texts.NATIONAL_NAME, size=Pt(12), bold=True)
    _paragraph(right, texts.MOTTO, size=Pt(13), bold=True)
    _rule(right, Mm(60), HEADER_WIDTHS[1])
    _paragraph(right, texts.place_date_line(plan), size=Pt(14), italic=True).paragraph_format.space_before = Pt(6)


def _title(doc: DocxDocument, plan: Plan) -> None:
    kind = _paragraph(doc, texts.DOCUMENT_KIND, size=Pt(14), bold=True)
    kind.paragraph_format.space_before = Pt(18)
    _paragraph(doc, plan.title, size=Pt(14), bold=True)
    _rule(doc, Mm(45), _text_width(doc.sections[0]))
    doc.paragraphs[-1].paragraph_format.space_after = Pt(12)


def _body(doc: DocxDocument, plan: Plan) -> None:
    for line in texts.body_lines(plan):
        paragraph = _paragraph(doc, line.text, bold=line.kind != "paragraph", align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                               space_after=Pt(6))
        paragraph.paragraph_format.first_line_indent = Cm(1.27)


def _closing(doc: DocxDocument, plan: Plan) -> None:
    table = _layout_table(doc, CLOSING_WIDTHS)
    left, right = table.add_row().cells
    recipients = texts.recipient_lines(plan)
    first = _clear(left)
    if recipients:
        _fill(first, "Nơi nhận:", size=Pt(12), bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        for line in recipients:
            _paragraph(left, line, size=Pt(11), align=WD_ALIGN_PARAGRAPH.LEFT)
    signature = texts.signature_lines(plan)
    _fill(_clear(right), signature[0] if signature else "", size=Pt(14), bold=True)
    for line in signature[1:]:
        _paragraph(right, line, size=Pt(14), bold=True)
    # Room for the signature and the seal.
    for _ in range(4):
        _paragraph(right, "")
    _paragraph(right, plan.signer_name, size=Pt(14), bold=True)


# --- appendices -----------------------------------------------------------------------------------------


def _appendix(doc: DocxDocument, plan: Plan, appendix: AppendixTable) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    section.different_first_page_header_footer = False
    _paragraph(doc, f"Phụ lục {appendix.number}", size=Pt(14), bold=True)
    _paragraph(doc, appendix.title, size=Pt(14), bold=True)
    _paragraph(doc, texts.appendix_subtitle(plan), size=Pt(14), italic=True)
    _rule(doc, Mm(50), _text_width(section))
    doc.paragraphs[-1].paragraph_format.space_after = Pt(8)
    total = sum(c.weight for c in appendix.columns)
    width = _text_width(section)
    widths = [Length(int(width * c.weight / total)) for c in appendix.columns]
    table = _layout_table(doc, widths, style="Table Grid")
    heading = table.add_row()
    _repeat_as_heading(heading)
    for cell, column in zip(heading.cells, appendix.columns, strict=True):
        _cell_text(cell, column.heading, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    centred = {"number", "node", "schedule"}
    for row in appendix.rows:
        cells = table.add_row().cells
        if isinstance(row, GroupRow):
            _cell_text(cells[0], row.code, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            merged = cells[1].merge(cells[-1])
            _cell_text(merged, row.name, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
            continue
        for cell, column in zip(cells, appendix.columns, strict=True):
            _cell_text(cell, row.values.get(column.key, ""),
                       align=WD_ALIGN_PARAGRAPH.CENTER if column.key in centred else WD_ALIGN_PARAGRAPH.LEFT)


def _repeat_as_heading(row: _Row) -> None:
    """Mark the row as the table's heading row (w:tblHeader): Word and LibreOffice print it again at the
    top of every page the table runs onto. The row is also kept whole on one page (w:cantSplit)."""
    trPr = row._tr.get_or_add_trPr()
    for tag, successors in (
        ("w:cantSplit", ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del",
                         "w:trPrChange")),
        ("w:tblHeader", ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")),
    ):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        trPr.insert_element_before(element, *successors)


def _cell_text(cell: _Cell, text: str, *, bold: bool = False, align: WD_ALIGN_PARAGRAPH) -> None:
    """Each line of a cell is its own paragraph, as a typed document has it (and as the importer reads it)."""
    lines = text.split("\n") if text else [""]
    first = cell.paragraphs[0]
    first.style = TABLE_STYLE
    _fill(first, lines[0], bold=bold, align=align, space_after=None)
    for line in lines[1:]:
        _fill(cell.add_paragraph(style=TABLE_STYLE), line, bold=bold, align=align, space_after=None)
