"""Build the import test fixtures: each sample plan's appendix as a real .docx (python-docx: heading rows
marked to repeat on every page, a table split across pages with its heading printed again, node and
lead-section rows merged across the columns, cells merged down where the printed plan leaves them blank
under a filled one) and, through LibreOffice, as a text-layer .pdf.

The tables are written from the transcriptions (tests/fixtures/import/*-truth.yaml, and the demo's
tuyen-quang-2025.yaml), which were made by reading the sample texts in tests/fixtures/samples/: the sample
texts are extractions of PDFs and cannot be turned back into tables mechanically. The files are generated
at test time into a temporary directory (a few seconds; nothing binary in the repository).

    python scripts/make_import_fixtures.py OUT_DIR        # writes *.docx and *.pdf
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "import"
TUYEN_QUANG = ROOT / "chiso" / "demo" / "data" / "plans" / "tuyen-quang-2025.yaml"


def _document(header: list[str]) -> Any:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Mm(15))
    document.styles["Normal"].font.name = "Liberation Serif"
    document.styles["Normal"].font.size = Pt(11)
    for line in header:
        document.add_paragraph(line)
    return document


def _mark_heading(row: Any) -> None:
    trPr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    trPr.append(element)


def _table(document: Any, headings: list[str]) -> Any:
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headings, strict=True):
        cell.text = text
    _mark_heading(table.rows[0])
    return table


def _group(table: Any, number: str, text: str) -> None:
    cells = table.add_row().cells
    cells[0].text = number
    merged = cells[1].merge(cells[-1])
    merged.text = text


def _row(table: Any, values: list[str], merge_up: set[int] | None = None) -> None:
    row = table.add_row()
    cells = row.cells
    above = table.rows[len(table.rows) - 2].cells
    for position, value in enumerate(values):
        if merge_up and position in merge_up:
            above[position].merge(cells[position])
        else:
            cells[position].text = value or ""


def _save(document: Any, path: Path) -> Path:
    document.save(path)
    return path


def vi_xuyen(out: Path) -> Path:
    truth = yaml.safe_load((FIXTURES / "vi-xuyen-truth.yaml").read_text(encoding="utf-8"))
    names = {"1": "Tham gia của người dân ở cấp cơ sở", "2": "Công khai minh bạch", "3": "Trách nhiệm giải trình với người dân",
             "4": "Kiểm soát tham nhũng trong khu vực công", "5": "Thủ tục hành chính công", "6": "Cung ứng dịch vụ công",
             "7": "Quản trị môi trường", "8": "Quản trị điện tử"}
    document = _document([
        "ỦY BAN NHÂN DÂN", "HUYỆN VỊ XUYÊN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Số: 154/KH-UBND", "Vị Xuyên, ngày 31 tháng 5 năm 2021", "KẾ HOẠCH",
        "Cải thiện và nâng cao Chỉ số hiệu quả quản trị và hành chính công (PAPI) trên địa bàn huyện Vị Xuyên năm 2021",
        "PHỤ LỤC", "NHIỆM VỤ CẢI THIỆN, NÂNG CAO CHỈ SỐ NỘI DUNG VÀ TIÊU CHÍ THÀNH PHẦN CHỈ SỐ PAPI",
    ])
    headings = ["TT", "Chỉ số nội dung/Tiêu chí thành phần", "Nhiệm vụ trọng tâm", "Chỉ tiêu",
                "Đơn vị chủ trì theo dõi", "Đơn vị thực hiện", "Thời gian thực hiện"]
    table = _table(document, headings)
    seen_dimension = ""
    previous: dict[str, Any] | None = None
    for row in truth["rows"]:
        dimension = (row["number"] or (previous or {}).get("number") or "").split(".")[0]
        if dimension == "5" and seen_dimension == "4":
            # The source's table breaks across pages here: a new table whose heading row is printed again.
            document.add_paragraph("")
            table = _table(document, headings)
        if dimension and dimension != seen_dimension and dimension != "5":
            _group(table, dimension, names[dimension])
        seen_dimension = dimension or seen_dimension
        merge: set[int] = set()
        if previous is not None and not row["number"] and row["node_label"] == previous["node_label"]:
            merge |= {0, 1}
        if previous is not None and not row["number"] and row["node_label"] != previous["node_label"]:
            pass
        elif previous is not None and row["number"] == previous["number"] and row["number"]:
            merge |= {0, 1}
        if merge and row["lead_text"] == previous["lead_text"] and row["content"].startswith(("Thực hiện nghiêm", "Kê khai")):
            merge |= {4, 5}
        _row(table, [row["number"], row["node_label"], row["content"], row["target"], row["lead_text"], row["doers"],
                     row["schedule"]], merge)
        previous = row
    return _save(document, out / "vi-xuyen.docx")


def tuyen_quang(out: Path) -> Path:
    data = yaml.safe_load(TUYEN_QUANG.read_text(encoding="utf-8"))
    document = _document([
        "ỦY BAN NHÂN DÂN", "TỈNH TUYÊN QUANG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Số:      /KH-UBND", "Tuyên Quang, ngày      tháng     năm 2025", "KẾ HOẠCH", data["title"]])
    for appendix in data["appendices"]:
        document.add_paragraph(f"PHỤ LỤC {appendix['number']}")
        document.add_paragraph(appendix["title"])
        columns = appendix["columns"]
        table = _table(document, columns)
        nodes = {node["code"]: node for node in appendix["nodes"]}
        emitted: set[str] = set()
        by_node_codes = appendix["numbering"] == "node_codes"

        def emit(code: str, nodes: dict = nodes, emitted: set = emitted, table: Any = table) -> None:
            node = nodes[code]
            if node.get("parent"):
                emit(node["parent"])
            if code not in emitted:
                emitted.add(code)
                _group(table, str(node.get("printed_code") or code), node["name"])

        for task in appendix["tasks"]:
            node = nodes[str(task["node"])]
            lead = task.get("lead_text") or "; ".join(task.get("lead") or [])
            coordinating = task.get("coordinating_text") or "; ".join(task.get("coordinating") or [])
            if by_node_codes:
                if node.get("parent"):
                    emit(node["parent"])
                emitted.add(str(task["node"]))
                values = [str(task["stt"]), node["name"], task["content"], lead, coordinating, task.get("schedule") or "",
                          task.get("note") or ""]
            else:
                emit(str(task["node"]))
                by_column = {"STT": str(task["stt"]), "Nhiệm vụ": task["content"], "Cơ quan chủ trì": lead,
                             "Sản phẩm/kết quả công việc": task.get("output") or ""}
                values = [by_column.get(c, coordinating if "phối hợp" in c else task.get("schedule") or ""
                                        if "Thời gian" in c else "") for c in columns]
            _row(table, values)
        document.add_paragraph("")
    return _save(document, out / "tuyen-quang.docx")


def bac_kan_rows(truth: dict[str, Any]) -> list[dict[str, Any]]:
    """The Bắc Kạn transcription as flat rows: each with its section's lead, its node, and the coordinating and
    schedule cells filled from the row above where the printed cell is merged down (a key left out)."""
    rows: list[dict[str, Any]] = []
    for section in truth["sections"]:
        above: dict[str, str] = {}
        for dimension in section["dimensions"]:
            for position, node in enumerate(dimension["nodes"]):
                for index, row in enumerate(node["rows"]):
                    merged = {key for key in ("coordinating", "schedule") if key not in row}
                    if merged and not above or merged and position == 0 and index == 0:
                        raise ValueError(f"{section['number']} {node['number']}: a merge across a group row")
                    values = {key: row.get(key, above.get(key, "")) for key in ("coordinating", "schedule")}
                    above = values
                    rows.append({"section": section["number"], "section_title": section["title"],
                                 "lead": section["lead"], "dimension": dimension["number"],
                                 "dimension_title": dimension["title"], "number": node["number"],
                                 "label": node["label"], "node": node["node"], "first_of_node": index == 0,
                                 "content": row["content"], "merged": merged, **values})
    return rows


def bac_kan(out: Path) -> Path:
    """The appendix grouped by lead agency, as printed: a section row per lead ("III SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG
    CHỦ TRÌ THỰC HIỆN"), dimension rows numbered inside the section, no lead column; the table breaks before
    section VI with its heading printed again."""
    truth = yaml.safe_load((FIXTURES / "bac-kan-truth.yaml").read_text(encoding="utf-8"))
    document = _document([
        "ỦY BAN NHÂN DÂN", "TỈNH BẮC KẠN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Số:          /KH-UBND", "Bắc Kạn, ngày      tháng    năm 2022", "KẾ HOẠCH",
        "Khắc phục những tồn tại, hạn chế Chỉ số Hiệu quả Quản trị và Hành chính công cấp tỉnh năm 2021, nâng cao "
        "chỉ số năm 2022 và những năm tiếp theo",
        "PHỤ LỤC",
        "Các nhiệm vụ, giải pháp cụ thể khắc phục những tồn tại, hạn chế Chỉ số PAPI năm 2021, nâng cao chỉ số năm "
        "2022 và những năm tiếp theo",
    ])
    headings = ["TT", "Chỉ số nội dung/ Nội dung thành phần", "Nhiệm vụ, giải pháp", "Cơ quan phối hợp",
                "Thời gian thực hiện"]
    table = _table(document, headings)
    section = dimension = ""
    for row in bac_kan_rows(truth):
        if row["section"] != section:
            if row["section"] == "VI":
                document.add_paragraph("")
                table = _table(document, headings)
            section, dimension = row["section"], ""
            _group(table, row["section"], row["section_title"])
        if row["dimension"] != dimension:
            dimension = row["dimension"]
            _group(table, row["dimension"], row["dimension_title"])
        merge = set() if row["first_of_node"] else {0, 1}
        merge |= {3 for key in row["merged"] if key == "coordinating"} | {4 for key in row["merged"] if key == "schedule"}
        _row(table, [row["number"], row["label"], row["content"], row["coordinating"], row["schedule"]], merge)
    return _save(document, out / "bac-kan.docx")


BAC_KAN_HEADINGS = ["TT", "Chỉ số nội dung/ Nội dung thành phần", "Nhiệm vụ, giải pháp", "Cơ quan phối hợp",
                    "Thời gian thực hiện"]


def _bac_kan_lines() -> list[tuple[str, list[str], set[int]]]:
    """The Bắc Kạn appendix as printed lines: ("group", [number, text], {}) or ("task", cells, merged positions)."""
    truth = yaml.safe_load((FIXTURES / "bac-kan-truth.yaml").read_text(encoding="utf-8"))
    lines: list[tuple[str, list[str], set[int]]] = []
    section = dimension = ""
    for row in bac_kan_rows(truth):
        if row["section"] != section:
            section, dimension = row["section"], ""
            lines.append(("group", [row["section"], row["section_title"]], set()))
        if row["dimension"] != dimension:
            dimension = row["dimension"]
            lines.append(("group", [row["dimension"], row["dimension_title"]], set()))
        merged = (set() if row["first_of_node"] else {0, 1}) | {3 for k in row["merged"] if k == "coordinating"} | {
            4 for k in row["merged"] if k == "schedule"}
        lines.append(("task", [row["number"], row["label"], row["content"], row["coordinating"], row["schedule"]], merged))
    return lines


def bac_kan_xlsx(out: Path) -> Path:
    """The Bắc Kạn appendix as a workbook the way people type one: title rows above, group rows merged across,
    node, coordinating and schedule cells merged down over the rows they cover."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục"
    sheet.append(["PHỤ LỤC"])
    sheet.append(["Các nhiệm vụ, giải pháp cụ thể khắc phục những tồn tại, hạn chế Chỉ số PAPI năm 2021"])
    sheet.append(BAC_KAN_HEADINGS)
    starts: dict[int, int] = {}
    for kind, cells, merged in _bac_kan_lines():
        sheet.append(cells if kind == "task" else [cells[0], cells[1]])
        row = sheet.max_row
        if kind == "group":
            sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=len(BAC_KAN_HEADINGS))
            starts.clear()
            continue
        for column in range(len(BAC_KAN_HEADINGS)):
            if column in merged and column in starts:
                sheet.cell(row=row, column=column + 1).value = None
                sheet.merge_cells(start_row=starts[column], start_column=column + 1, end_row=row, end_column=column + 1)
            else:
                starts[column] = row
    path = out / "bac-kan.xlsx"
    workbook.save(path)
    return path


def bac_kan_pasted() -> str:
    """The Bắc Kạn appendix copied from Word as text: cells separated by tabs, a merged cell's text in its first
    row only and blank below, a group row's text in its first two cells."""
    lines = ["\t".join(BAC_KAN_HEADINGS)]
    for kind, cells, merged in _bac_kan_lines():
        if kind == "group":
            lines.append("\t".join(cells + [""] * (len(BAC_KAN_HEADINGS) - 2)))
        else:
            lines.append("\t".join("" if position in merged else value for position, value in enumerate(cells)))
    return "PHỤ LỤC\n" + "\n".join(lines) + "\n"


def to_pdf(docx: Path) -> Path:
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
                   check=True, capture_output=True, timeout=180)
    return docx.with_suffix(".pdf")


def build(out: Path, *, pdf: bool = True) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    files = {"vi-xuyen.docx": vi_xuyen(out), "tuyen-quang.docx": tuyen_quang(out), "bac-kan.docx": bac_kan(out)}
    if pdf:
        for name, path in list(files.items()):
            files[name.replace(".docx", ".pdf")] = to_pdf(path)
    return files


if __name__ == "__main__":
    for path in build(Path(sys.argv[1] if len(sys.argv) > 1 else "var/import-fixtures")).values():
        print(path)
