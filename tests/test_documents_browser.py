"""In a real browser: a focal point opens the province plan and downloads it as .docx and .xlsx."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.conftest import login  # the session's Chromium is conftest's `browser` fixture

pytestmark = pytest.mark.browser
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.mark.django_db(transaction=True)
def test_focal_point_downloads_the_plan_as_word_and_excel(browser, live_server):
    context = browser.new_context(locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    login(page, live_server, "daumoi.minhxuan")
    page.click("text=Kế hoạch >> nth=0")
    page.click("a:has-text('Duy trì, cải thiện và nâng cao kết quả Chỉ số')")
    with page.expect_download() as word:
        page.click("a:has-text('.docx')")
    assert word.value.suggested_filename.endswith(".docx")
    document = Document(io.BytesIO(Path(word.value.path()).read_bytes()))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in document.tables[0].rows[0].cells[1].text
    with page.expect_download() as excel:
        page.click("a:has-text('.xlsx')")
    assert excel.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(Path(excel.value.path()).read_bytes()))
    assert book.sheetnames[1:] == ["Phụ lục 01 PAR INDEX", "Phụ lục 02 PAPI", "Phụ lục 03 SIPAS"]
    context.close()
