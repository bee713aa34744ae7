"""The exported .docx opens in LibreOffice: converted to PDF headlessly, its appendices are landscape pages
that each start with the table's heading row, and every glyph is set in Times New Roman (or its
metric-compatible stand-in Liberation Serif, which Debian maps it to)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from chiso.documents.exports.plan_docx import plan_docx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.skipif(
        SOFFICE is None and os.environ.get("CI") != "true",
        reason="LibreOffice (soffice) is not installed; scripts/test.sh installs libreoffice-writer-nogui",
    ),
    pytest.mark.django_db,
]
# The heading row's words; the TT column heading as a word of its own (TTHC is a common word in the tasks).
HEADING_WORDS = (r"\bTT\b", "Nhiệm vụ, giải pháp", "Cơ quan chủ trì", "Cơ quan phối hợp")


def to_pdf(docx: bytes, folder: Path) -> Path:
    """soffice with a throw-away profile, so that it neither needs nor touches a user's home."""
    assert SOFFICE, "soffice must be installed when CI=true"
    source = folder / "ke-hoach.docx"
    source.write_bytes(docx)
    profile = folder / "profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
         "--outdir", str(folder), str(source)],
        env={**os.environ, "HOME": str(folder)}, check=True, capture_output=True, timeout=300,
    )
    pdf = folder / "ke-hoach.pdf"
    assert pdf.exists(), "LibreOffice wrote no PDF"
    return pdf


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], check=True, capture_output=True, text=True)
    return [(float(w), float(h)) for w, h in re.findall(r"^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out.stdout, re.M)]


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout


def test_the_plan_converts_to_pdf_with_the_appendix_heading_on_every_appendix_page(demo_plan, tmp_path):
    pdf = to_pdf(plan_docx(demo_plan), tmp_path)
    sizes = page_sizes(pdf)
    landscape = [width > height for width, height in sizes]
    portrait_pages = landscape.index(True)
    # The plan's own pages (A4 portrait) come first, then only landscape appendix pages.
    assert portrait_pages >= 2 and all(landscape[portrait_pages:])
    assert all(round(min(s)) == 595 and round(max(s)) == 842 for s in sizes), "every page is A4"
    # The demo plan: 5 pages of text and 124 tasks in three appendices.
    assert 15 <= len(sizes) <= 45, len(sizes)
    texts = [page_text(pdf, number) for number in range(1, len(sizes) + 1)]
    closing = texts[portrait_pages - 1]
    assert "Nơi nhận:" in closing and "Hoàng Gia Long" in closing
    starts = [i for i, text in enumerate(texts) if re.search(r"^\s*Phụ lục 0\d\s*$", text, re.M)]
    assert len(starts) == 3 and starts[0] == portrait_pages
    assert all(f"Phụ lục 0{n}" in texts[start] for n, start in enumerate(starts, start=1))
    assert starts[1] - starts[0] > 1, "the 73 tasks of Phụ lục 01 run over several pages"
    for number, text in enumerate(texts[portrait_pages:], start=portrait_pages + 1):
        for words in HEADING_WORDS:
            assert re.search(words, text), f"page {number} lacks the heading '{words}'"


def test_every_glyph_is_set_in_times_new_roman_or_its_metric_twin(demo_plan, tmp_path):
    pdf = to_pdf(plan_docx(demo_plan), tmp_path)
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    fonts = {line.split()[0].split("+")[-1] for line in out.splitlines()[2:] if line.strip()}
    assert fonts and all(f.startswith(("LiberationSerif", "TimesNewRoman")) for f in fonts), fonts


def test_the_consolidated_report_converts_with_each_part_on_landscape_pages_under_its_heading(demo_plan, tmp_path):
    import datetime as dt

    from chiso.documents.exports.report_data import consolidated_report
    from chiso.documents.exports.report_docx import report_docx
    from tests.monitoring_helpers import quarter_three, user

    document = consolidated_report(quarter_three(demo_plan), user("coordinator").unit, dt.date(2025, 10, 20))
    pdf = to_pdf(report_docx(document), tmp_path)
    sizes = page_sizes(pdf)
    landscape = [width > height for width, height in sizes]
    first_appendix = landscape.index(True)
    assert first_appendix >= 1 and all(landscape[first_appendix:])
    assert all(round(min(s)) == 595 and round(max(s)) == 842 for s in sizes), "every page is A4"
    texts = [page_text(pdf, number) for number in range(1, len(sizes) + 1)]
    assert "Nơi nhận:" in texts[first_appendix - 1]
    starts = [i for i, text in enumerate(texts) if re.search(r"^\s*Phụ lục 0\d\s*$", text, re.M)]
    assert len(starts) == 4 and starts[0] == first_appendix
    # Every page of a part begins with that part's heading row, repeated by LibreOffice.
    for part, (start, end) in enumerate(zip(starts, [*starts[1:], len(texts)], strict=True)):
        words = document.tables[part].columns[1].heading
        for number in range(start, end):
            # The part's closing note may run onto a page of its own, below the table's end.
            only_notes = number == end - 1 and any(n[:40] in texts[number] for n in document.tables[part].notes)
            assert only_notes or words.split(",")[0] in texts[number], f"page {number + 1} lacks '{words}'"
    assert starts[2] - starts[1] > 1, "the task table runs over several pages"
