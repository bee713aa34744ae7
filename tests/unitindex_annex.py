"""Writes the annex of a (made-up) decision issuing a criteria tree, in the form such annexes take: a title,
one table with merged cells for the field rows, "TC 1.1" / "TCTP 1.1.1" codes, points with a decimal comma,
bonus, penalty and total rows. The same rows as .xlsx and .docx; `python -m tests.unitindex_annex` writes
the committed fixtures in tests/fixtures/unitindex/."""

from __future__ import annotations

import io
from pathlib import Path

from tests.unitindex_helpers import TREE

FIXTURES = Path(__file__).parent / "fixtures" / "unitindex"
HEADER = ["STT", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa", "Cách chấm điểm",
          "Tài liệu kiểm chứng", "Phương pháp", "Mức điểm"]
# Two component criteria get decimal points (1,5 + 2,5 = the 4 of TC 2.3).
POINTS = {"TCTP 2.3.1": "1,5", "TCTP 2.3.2": "2,5"}
METHODS = {"self": "Tự đánh giá", "survey": "Điều tra XHH"}


def annex_rows(stray: bool = False) -> list[tuple[bool, list[str]]]:
    """(is a merged field row, cells). `stray` gives TCTP 1.1.2 a maximum that does not add up."""
    rows = []
    for code, name, maximum, spec in TREE:
        points = POINTS.get(code, maximum)
        if stray and code == "TCTP 1.1.2":
            points = "2,5"
        if spec is None and not code.startswith("TC"):
            rows.append((True, [f"{code}. {name.upper()}", "", points, "", "", "", ""]))
            continue
        rule = evidence = method = choices = ""
        if spec:
            method, choices = METHODS[spec[0]], "; ".join(value.replace(".", ",") for value in spec[1])
            rule = f"Đạt yêu cầu: {points} điểm; không đạt: 0 điểm" + (
                "; không áp dụng nếu đơn vị không có đơn vị trực thuộc" if spec[2] else "")
            evidence = "Kế hoạch, báo cáo của đơn vị" if spec[0] == "self" else ""
        rows.append((False, [code, name, points, rule, evidence, method, choices]))
    for label, points in (("Điểm thưởng", "1,5"), ("Điểm trừ", "0,5"), ("Tổng cộng", "40")):
        rows.append((True, [label, "", points, "", "", "", ""]))
    return rows


def annex_xlsx(stray: bool = False) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Phụ lục I"])
    sheet.merge_cells("A1:G1")
    sheet.append(["BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CCHC CỦA CÁC SỞ, BAN, NGÀNH NĂM 2025"])
    sheet.merge_cells("A2:G2")
    sheet.append(HEADER)
    for merged, cells in annex_rows(stray):
        sheet.append([cells[0], None if merged else cells[1], *cells[2:]])
        if merged:
            sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def annex_docx(stray: bool = False) -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("Phụ lục I")
    document.add_paragraph("BỘ TIÊU CHÍ XÁC ĐỊNH CHỈ SỐ CCHC CỦA CÁC SỞ, BAN, NGÀNH NĂM 2025")
    rows = annex_rows(stray)
    table = document.add_table(rows=1 + len(rows), cols=len(HEADER))
    for position, text in enumerate(HEADER):
        table.cell(0, position).text = text
    for index, (merged, cells) in enumerate(rows, start=1):
        if merged:
            table.cell(index, 0).merge(table.cell(index, 1))
        for position, text in enumerate(cells):
            if merged and position == 1:
                continue
            table.cell(index, position).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


if __name__ == "__main__":
    FIXTURES.mkdir(parents=True, exist_ok=True)
    (FIXTURES / "phu-luc-bo-tieu-chi.xlsx").write_bytes(annex_xlsx())
    (FIXTURES / "phu-luc-bo-tieu-chi.docx").write_bytes(annex_docx())
