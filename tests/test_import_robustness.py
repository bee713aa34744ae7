"""Files that are not what they claim, protected, corrupt, empty, huge or zip bombs are refused with a
Vietnamese message, and nothing is saved; the parsers, fed generated input, either parse or refuse."""

from __future__ import annotations

import contextlib
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chiso.documents.importing.errors import ImportRefused
from chiso.documents.importing.pipeline import parse_pasted, parse_upload
from chiso.documents.importing.raw import Table
from chiso.documents.importing.tables import TableReader
from chiso.plans.models import Plan, Task


def _docx_bytes() -> bytes:
    document = Document()
    document.add_paragraph("PHỤ LỤC")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["TT", "Nhiệm vụ", "Cơ quan chủ trì"], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["1", "Rà soát thủ tục hành chính", "Sở Nội vụ"], strict=True):
        cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (120 * 1024 * 1024))
    return buffer.getvalue()


def _pdf_without_text() -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


REFUSED = [
    ("corrupt.docx", _docx_bytes()[:-400], "hỏng"),
    ("bomb.docx", None, "bom nén"),
    ("scan.pdf", None, "không có lớp chữ"),
    ("protected.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, "mật khẩu"),
    ("empty.docx", b"", "rỗng"),
    ("image.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "không phải là tệp PDF"),
    ("text.docx", b"just text pretending", "không phải là tệp Word"),
    ("plan.exe", b"MZ", "Chỉ nhận tệp"),
    ("old.doc", b"x", "không phải là tệp .doc thật"),
    ("old.xls", b"PK\x03\x04", "không phải là tệp .xls thật"),
    ("plan.rtf", b"{\\ not rtf", "không phải là tệp .rtf thật"),
    ("photo.png", b"GIF89a", "không phải là ảnh"),
    ("photo.jpg", b"\x89PNX", "không phải là ảnh"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "data", "message"), REFUSED)
def test_bad_files_are_refused_with_a_message_and_nothing_is_saved(name, data, message, tmp_path):
    if name == "bomb.docx":
        data = _zip_bomb()
    if name == "scan.pdf":
        data = _pdf_without_text()
    with pytest.raises(ImportRefused) as refused:
        parse_upload(data, name)
    assert message in " ".join(refused.value.messages)
    path = tmp_path / name
    path.write_bytes(data)
    plans, tasks = Plan.objects.count(), Task.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("import_plan", str(path), "--province", "tuyen-quang")
    assert (Plan.objects.count(), Task.objects.count()) == (plans, tasks)


def test_a_huge_file_is_refused(settings):  # type: ignore[no-untyped-def]
    settings.CHISO_IMPORT_MAX_MB = 1
    with pytest.raises(ImportRefused, match="quá lớn"):
        parse_upload(b"x" * (2 * 1024 * 1024), "plan.txt")


@pytest.mark.django_db
def test_dry_run_prints_the_parsed_plan_as_json_and_saves_nothing(tmp_path, capsys):
    path = tmp_path / "plan.docx"
    path.write_bytes(_docx_bytes())
    plans = Plan.objects.count()
    call_command("import_plan", str(path), "--province", "tuyen-quang", "--framework", "papi-2021", "--dry-run")
    printed = json.loads(capsys.readouterr().out)
    assert Plan.objects.count() == plans
    row = printed["rows"][0]
    assert row["content"] == "Rà soát thủ tục hành chính" and row["lead_units"] == ["Sở Nội vụ"]
    assert set(row) >= {"node", "target", "coordinating_units", "schedule_text", "schedule", "confidence"}


@pytest.mark.django_db
def test_the_command_refuses_a_plan_with_rows_without_node_and_saves_nothing(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(_docx_bytes())
    plans = Plan.objects.count()
    with pytest.raises(CommandError, match="chưa chọn chỉ số"):
        call_command("import_plan", str(path), "--province", "tuyen-quang", "--framework", "papi-2021")
    assert Plan.objects.count() == plans


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from(["a.docx", "a.xlsx", "a.pdf", "a.txt", "a.doc", "a.xls", "a.rtf",
                                                  "a.png", "a.jpg"]))
def test_random_bytes_parse_or_are_refused(data, name):
    with contextlib.suppress(ImportRefused):  # a refusal is a right answer; any other exception fails
        parse_upload(data, name)


@FUZZ
@given(st.text(max_size=3000))
def test_random_pasted_text_parses_or_is_refused(text):
    with contextlib.suppress(ImportRefused):  # a refusal is a right answer; any other exception fails
        parse_pasted(text)


_cell_text = st.one_of(st.none(), st.sampled_from(["TT", "Nhiệm vụ", "Chủ trì", "Thời gian", "1.1", "I", "a",
                                                    "CÁC SỞ CHỦ TRÌ THỰC HIỆN", "Sở Nội vụ", "Thường xuyên", ""]),
                       st.text(max_size=40))


@FUZZ
@given(st.lists(st.lists(st.tuples(_cell_text, st.integers(0, 5)), min_size=1, max_size=8), max_size=15))
def test_random_tables_give_rows_or_nothing(rows):
    reader = TableReader()
    reader.read(Table(rows=[[(text, ("o", origin)) for text, origin in row] for row in rows]), 1)
    assert all(row.content for row in reader.rows)


def test_a_zip_that_only_claims_to_be_a_spreadsheet_is_refused():
    with pytest.raises(ImportRefused, match="không phải là tệp Excel"):
        parse_upload(_docx_bytes(), "plan.xlsx")


_ocr_line = st.one_of(st.sampled_from(["II. NOI DUNG THU'C HIEN", "Chi s6 ndi dung 1: Tham gia ciia nguoi dan",
                                       "d) Cong khai", "p) Van dong", "- 3 -", "Trang 2/10", "UBND TINH SON LAM",
                                       "III. TO CHUC THUC HIEN", "1. So Noi vu", "TM. UY BAN NHAN DAN", "tiep-"]),
                      st.text(max_size=80))


@FUZZ
@given(st.lists(_ocr_line, max_size=40))
def test_random_ocr_text_is_repaired_and_read_without_error(lines):
    from chiso.documents.importing.body import read_body
    from chiso.documents.importing.ocrtext import repair_lines

    repaired = repair_lines(lines)
    assert len(repaired) <= len(lines)
    tasks, duties = read_body(repaired)
    assert all(row.content for row in tasks + duties)


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 199), st.integers(0, 149), st.integers(1, 200), st.integers(1, 3)),
                max_size=30))
def test_random_page_images_give_a_grid_or_none(strokes):
    from PIL import Image, ImageDraw

    from chiso.documents.importing.ocr import _cells, _dark, find_grid

    image = Image.new("L", (200, 150), 255)
    draw = ImageDraw.Draw(image)
    for x, y, length, kind in strokes:  # ruled lines and blots, as a scanned table has
        draw.line((x, y, x + length, y) if kind == 1 else (x, y, x, y + length) if kind == 2 else (x, y, x, y),
                  fill=0, width=1)
    grid = find_grid(image)
    if grid is not None:
        rows, columns = grid
        origin = _cells(_dark(image), rows, columns)
        assert len(origin) == len(rows) - 1 and all(len(line) == len(columns) - 1 for line in origin)
