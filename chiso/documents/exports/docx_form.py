"""The administrative form of Decree 30/2020/NĐ-CP (Phụ lục I) in python-docx, shared by every document chiso
writes (plans, reports): A4 pages with the decree's margins, Times New Roman in every script slot, the header
table with issuer and national motto, number, place and date, the title, recipients beside the signature, and
landscape sections whose tables repeat their heading row on every page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Cm, Length, Mm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from chiso.documents.exports.appendix_table import Column, GroupRow, TaskRow, display
from chiso.documents.exports.plan_texts import MOTTO, NATIONAL_NAME, BodyLine
from chiso.documents.exports.xml_text import xml_safe

FONT = "Times New Roman"
BODY_SIZE = Pt(14)
TABLE_SIZE = Pt(12)
TABLE_STYLE = "Chiso Bảng"
NO_SPACE = Pt(0)
A4_SHORT, A4_LONG = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Mm(20), Mm(20), Mm(30), Mm(15)
# The two columns of the header table and of the recipients/signature table (165 mm of text width): the
# issuer's column holds 'SỞ KHOA HỌC VÀ CÔNG NGHỆ' on one line in 13 pt bold.
HEADER_WIDTHS = (Mm(75), Mm(90))
CLOSING_WIDTHS = (Mm(72), Mm(93))


@dataclass
class DocumentHeader:
    """What the decree's form prints around the body, as words: the writers only lay them out."""

    issuer: str
    number_line: str
    place_date_line: str
    kind: str
    subject: str
    issuer_parent: str = ""
    recipients: list[str] = field(default_factory=list)
    signature: list[str] = field(default_factory=list)
    signer_name: str = ""


# --- page, styles and small helpers -------------------------------------------------------------------


class HasParagraphs(Protocol):
    """A document, table cell, header or footer: what paragraphs are added to."""

    def add_paragraph(self, text: str = "", style: str | None = None) -> Paragraph: ...


def styles(doc: DocxDocument) -> None:
    normal = doc.styles["Normal"]
    set_font(normal.element.get_or_add_rPr())
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


def set_font(rPr: BaseOxmlElement) -> None:
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


def page(section: Section, *, landscape: bool) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (A4_LONG, A4_SHORT) if landscape else (A4_SHORT, A4_LONG)
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = section.footer_distance = Mm(10)


def text_width(section: Section) -> Length:
    width, left, right = section.page_width, section.left_margin, section.right_margin
    if width is None or left is None or right is None:  # page() sets all three on every section
        raise ValueError("section without page size or margins")
    return Length(width - left - right)


def page_numbers(section: Section) -> None:
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


def paragraph(container: HasParagraphs, text: str = "", *, size: Length | None = None, bold: bool = False,
              italic: bool = False, align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.CENTER,
              space_after: Length | None = NO_SPACE, style: str | None = None) -> Paragraph:
    added = container.add_paragraph(style=style)
    fill(added, text, size=size, bold=bold, italic=italic, align=align, space_after=space_after)
    return added


def fill(target: Paragraph, text: str, *, size: Length | None = None, bold: bool = False, italic: bool = False,
         align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.CENTER, space_after: Length | None = NO_SPACE) -> None:
    if align is not None:
        target.alignment = align
    if space_after is not None:
        target.paragraph_format.space_after = space_after
    text = xml_safe(text)
    if text:
        run = target.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        if size is not None:
            run.font.size = size


# Advance widths of Times New Roman Bold in em, by kind of character: enough to size a rule under a line.
_EM_WIDTHS = {"space": 0.25, "upper": 0.72, "narrow": 0.39, "lower": 0.5, "other": 0.5}


def text_length(text: str, size: Length) -> Length:
    """About how long a line of bold Times New Roman is."""
    def em(char: str) -> float:
        if char.isspace():
            return _EM_WIDTHS["space"]
        if char in "IJ.,:;-/()":
            return _EM_WIDTHS["narrow"]
        if char.isupper():
            return _EM_WIDTHS["upper"]
        return _EM_WIDTHS["lower"] if char.isalpha() else _EM_WIDTHS["other"]
    return Length(int(sum(em(c) for c in text) * size))


# Word's and LibreOffice's default left and right cell margins together.
CELL_MARGINS = Mm(3.8)


def longest_line(text: str, size: Length, inside: Length) -> Length:
    """The longest line of the text wrapped word by word in a column of that width."""
    room, lines, current = inside - CELL_MARGINS, [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and text_length(candidate, size) > room:
            lines.append(current)
            current = word
        else:
            current = candidate
    lines.append(current)
    return Length(max(text_length(line, size) for line in lines))


def rule_under(text: str, size: Length, inside: Length) -> Length:
    """The decree's short rule under the issuer: between a third and a half of the (longest) line above."""
    return Length(int(longest_line(text, size, inside) * 0.4))


def rule(container: HasParagraphs, width: Length, inside: Length) -> None:
    """A short horizontal line centred under the line above (under the issuer, the motto, the subject):
    the top border of an empty paragraph indented to the rule's length."""
    line = container.add_paragraph()
    side = Length(max(0, (inside - width) // 2))
    fmt = line.paragraph_format
    fmt.left_indent = fmt.right_indent = side
    fmt.first_line_indent = Pt(0)
    # Room above the line for the dots under the letters of the line above (Ệ, Ộ, Ạ).
    fmt.space_before, fmt.space_after = Pt(3), Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(4)
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        top.set(qn(name), value)
    borders.append(top)
    line._p.get_or_add_pPr().append(borders)


def layout_table(doc: DocxDocument, widths: Iterable[Length], *, style: str | None = None) -> Table:
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


def first_paragraph(cell: _Cell) -> Paragraph:
    first = cell.paragraphs[0]
    first.paragraph_format.space_after = Pt(0)
    return first


# --- the first page and the closing ---------------------------------------------------------------------


def letterhead(doc: DocxDocument, header: DocumentHeader) -> None:
    table = layout_table(doc, HEADER_WIDTHS)
    left, right = table.add_row().cells
    first = first_paragraph(left)
    if header.issuer_parent:
        fill(first, header.issuer_parent.upper(), size=Pt(13))
        paragraph(left, header.issuer.upper(), size=Pt(13), bold=True)
    else:
        fill(first, header.issuer.upper(), size=Pt(13), bold=True)
    rule(left, rule_under(header.issuer.upper(), Pt(13), HEADER_WIDTHS[0]), HEADER_WIDTHS[0])
    paragraph(left, header.number_line, size=Pt(13)).paragraph_format.space_before = Pt(6)
    fill(first_paragraph(right), NATIONAL_NAME, size=Pt(12), bold=True)
    paragraph(right, MOTTO, size=Pt(13), bold=True)
    rule(right, Mm(60), HEADER_WIDTHS[1])
    paragraph(right, header.place_date_line, size=Pt(14), italic=True).paragraph_format.space_before = Pt(6)


def title(doc: DocxDocument, header: DocumentHeader) -> None:
    kind = paragraph(doc, header.kind, size=Pt(14), bold=True)
    kind.paragraph_format.space_before = Pt(18)
    paragraph(doc, header.subject, size=Pt(14), bold=True)
    rule(doc, Mm(45), text_width(doc.sections[0]))
    doc.paragraphs[-1].paragraph_format.space_after = Pt(12)


def body(doc: DocxDocument, lines: Iterable[BodyLine]) -> None:
    for line in lines:
        added = paragraph(doc, line.text, bold=line.kind != "paragraph", align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                          space_after=Pt(6))
        added.paragraph_format.first_line_indent = Cm(1.27)


def closing(doc: DocxDocument, header: DocumentHeader) -> None:
    table = layout_table(doc, CLOSING_WIDTHS)
    row = table.add_row()
    # Recipients and signature stay together: a row split at the page end leaves the signer's name alone.
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().insert(0, cant_split)
    left, right = row.cells
    first = first_paragraph(left)
    if header.recipients:
        fill(first, "Nơi nhận:", size=Pt(12), bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        for line in header.recipients:
            paragraph(left, line, size=Pt(11), align=WD_ALIGN_PARAGRAPH.LEFT)
    fill(first_paragraph(right), header.signature[0] if header.signature else "", size=Pt(14), bold=True)
    for line in header.signature[1:]:
        paragraph(right, line, size=Pt(14), bold=True)
    # Room for the signature and the seal.
    for _ in range(4):
        paragraph(right, "")
    paragraph(right, header.signer_name, size=Pt(14), bold=True)


# --- landscape sections with tables -------------------------------------------------------------------------


def landscape_section(doc: DocxDocument, headings: Sequence[tuple[str, bool]]) -> Section:
    """A new landscape page headed by the given lines (text, italic): 'Phụ lục 01', its title, its subtitle."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    page(section, landscape=True)
    section.different_first_page_header_footer = False
    for text, italic in headings:
        paragraph(doc, text, size=Pt(14), bold=not italic, italic=italic)
    rule(doc, Mm(50), text_width(section))
    doc.paragraphs[-1].paragraph_format.space_after = Pt(8)
    return section


def data_table(doc: DocxDocument, section: Section, columns: Sequence[Column], rows: Iterable[GroupRow | TaskRow],
               *, centred: Iterable[str] = ()) -> Table:
    """The columns scaled to the page, the heading row repeated on every page, a group row as its code and
    its name merged across the other columns, a task row bold when it is a subtotal."""
    centred = set(centred)
    total = sum(c.weight for c in columns)
    width = text_width(section)
    table = layout_table(doc, [Length(int(width * c.weight / total)) for c in columns], style="Table Grid")
    heading = table.add_row()
    repeat_as_heading(heading)
    for cell, column in zip(heading.cells, columns, strict=True):
        cell_text(cell, column.heading, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for row in rows:
        cells = table.add_row().cells
        if isinstance(row, GroupRow):
            cell_text(cells[0], row.code, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
            merged = cells[1].merge(cells[-1])
            cell_text(merged, row.name, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
            continue
        for cell, column in zip(cells, columns, strict=True):
            cell_text(cell, display(row.values.get(column.key, "")), bold=row.bold,
                      align=WD_ALIGN_PARAGRAPH.CENTER if column.key in centred else WD_ALIGN_PARAGRAPH.LEFT)
    return table


def repeat_as_heading(row: _Row) -> None:
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


def cell_text(cell: _Cell, text: str, *, bold: bool = False, align: WD_ALIGN_PARAGRAPH) -> None:
    """Each line of a cell is its own paragraph, as a typed document has it (and as the importer reads it)."""
    lines = xml_safe(text).split("\n") if text else [""]
    first = cell.paragraphs[0]
    first.style = TABLE_STYLE
    fill(first, lines[0], bold=bold, align=align, space_after=None)
    for line in lines[1:]:
        fill(cell.add_paragraph(style=TABLE_STYLE), line, bold=bold, align=align, space_after=None)
