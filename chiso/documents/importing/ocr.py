"""Reading a scan (a PDF without a text layer, a photographed page) with Tesseract's Vietnamese model.

Pages are rasterised one at a time by pdftoppm (poppler); each page's words come with their boxes
(pytesseract.image_to_data). Tables are found from the page image itself, with Pillow only: a ruled line is a
pixel row (column) mostly dark, found by shrinking the binarised page to one pixel wide (high); a border missing
between two cells means the cell is merged over both, so merged cells keep one identity as the table reader
expects. Words inside a cell become its text; the rest are the page's lines. The text is then repaired as OCR'd
text (importing.ocrtext) by the readers that follow."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

from PIL import Image, ImageOps

from chiso.documents.importing.errors import ImportRefused
from chiso.documents.importing.raw import Cell, Table

DPI = 200
LANGUAGE = "vie"
PAGE_TIMEOUT = 120
INSTALL_HINT = ("Máy chủ chưa cài phần mềm nhận dạng chữ (Tesseract với tiếng Việt) nên chưa đọc được bản quét: "
                "hãy nhờ quản trị cài các gói tesseract-ocr và tesseract-ocr-vie (apt-get install tesseract-ocr "
                "tesseract-ocr-vie), hoặc gửi bản Word của kế hoạch.")


def ocr_available() -> bool:
    if shutil.which("tesseract") is None or shutil.which("pdftoppm") is None:
        return False
    try:
        import pytesseract

        return LANGUAGE in pytesseract.get_languages(config="")
    except Exception:
        return False


def page_images(data: bytes, kind: str) -> Iterator[Image.Image]:
    """The pages as Pillow images, one at a time (a 10-page scan never sits whole in memory as bitmaps)."""
    if kind in ("png", "jpg"):
        yield ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("L")
        return
    with tempfile.TemporaryDirectory(prefix="chiso-ocr-") as work:
        source = Path(work) / "scan.pdf"
        source.write_bytes(data)
        pages = _page_count(source)
        for number in range(1, pages + 1):
            prefix = Path(work) / f"page-{number}"
            subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", "-singlefile", "-f", str(number),  # noqa: S607
                            "-l", str(number), str(source), str(prefix)], check=True, capture_output=True,
                           timeout=PAGE_TIMEOUT)
            with Image.open(f"{prefix}.png") as image:
                yield image.convert("L")


def _page_count(source: Path) -> int:
    import pdfplumber

    with pdfplumber.open(source) as document:
        return len(document.pages)


def pages_of(data: bytes, kind: str) -> int:
    if kind in ("png", "jpg"):
        return 1
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return _page_count(Path(handle.name))


def read_scan(data: bytes, kind: str, progress: Callable[[int, int], None]) -> tuple[list[Table], list[str]]:
    if not ocr_available():
        raise ImportRefused(INSTALL_HINT)
    total = pages_of(data, kind)
    tables: list[Table] = []
    lines: list[str] = []
    for number, image in enumerate(page_images(data, kind), start=1):
        page_tables, page_lines = read_page(_upright(image))
        tables.extend(page_tables)
        lines.extend(page_lines)
        progress(number, total)
    return tables, lines


def _upright(image: Image.Image) -> Image.Image:
    """A page photographed sideways or upside down, turned upright by Tesseract's orientation detection."""
    import pytesseract

    try:
        rotate = int(pytesseract.image_to_osd(image, output_type=pytesseract.Output.DICT)["rotate"])
    except Exception:  # too little text to tell: as it is
        return image
    return image.rotate(-rotate, expand=True, fillcolor=255) if rotate else image


# ---- ruled tables ------------------------------------------------------------------------------------------

def _dark(image: Image.Image) -> Image.Image:
    return image.point(lambda value: 255 if value < 140 else 0)


def _runs(profile: list[int], threshold: int) -> list[tuple[int, int]]:
    """Runs of positions whose darkness passes the threshold: each run is one ruled line."""
    runs: list[tuple[int, int]] = []
    for position, value in enumerate(profile):
        if value >= threshold:
            if runs and runs[-1][1] >= position - 2:
                runs[-1] = (runs[-1][0], position)
            else:
                runs.append((position, position))
    return runs


def _profile(strip: Image.Image, across: bool) -> list[int]:
    width, height = strip.size
    size = (1, height) if across else (width, 1)
    # A grey ("L") image gives one int per pixel.
    return cast("list[int]", list(strip.resize(size, Image.Resampling.BOX).get_flattened_data()))


def _ruled(dark: Image.Image, box: tuple[int, int, int, int], across: bool) -> bool:
    """Is the thin box mostly ink (a border drawn there)?"""
    strip = dark.crop(box)
    values = _profile(strip, across=not across)
    return bool(values) and sum(1 for v in values if v > 30) >= 0.7 * len(values)  # a 1-pixel rule in a 5-pixel strip is 51


def find_grid(image: Image.Image) -> tuple[list[int], list[int]] | None:
    """(y of each horizontal rule, x of each vertical rule) of the page's table, or None."""
    dark = _dark(image)
    width, height = image.size
    rows = [(a + b) // 2 for a, b in _runs(_profile(dark, across=True), int(255 * 0.45))]
    if len(rows) < 3:
        return None
    band = dark.crop((0, rows[0], width, rows[-1]))
    columns = [(a + b) // 2 for a, b in _runs(_profile(band, across=False), int(255 * 0.6))]
    if len(columns) < 3:
        return None
    return rows, columns


def _cells(dark: Image.Image, rows: list[int], columns: list[int]) -> list[list[tuple[int, int]]]:
    """For each grid position, the position of the cell covering it (its top-left), borders telling merges."""
    origin: list[list[tuple[int, int]]] = []
    for r in range(len(rows) - 1):
        line: list[tuple[int, int]] = []
        for c in range(len(columns) - 1):
            top, bottom, left, right = rows[r], rows[r + 1], columns[c], columns[c + 1]
            inset = max(4, (right - left) // 6)
            if r and not _ruled(dark, (left + inset, top - 2, right - inset, top + 3), across=True):
                line.append(origin[r - 1][c])
                continue
            inset = max(4, (bottom - top) // 6)
            if c and not _ruled(dark, (left - 2, top + inset, left + 3, bottom - inset), across=False):
                line.append(line[c - 1])
                continue
            line.append((r, c))
        origin.append(line)
    return origin


def _words(image: Image.Image) -> list[tuple[int, int, int, int, str]]:
    """(block-line key, x, y, x-right, word) of every word Tesseract reads on the page."""
    import pytesseract

    data = pytesseract.image_to_data(image, lang=LANGUAGE, config="--psm 3", output_type=pytesseract.Output.DICT,
                                     timeout=PAGE_TIMEOUT)
    words = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip().strip("|")
        if text and float(data["conf"][i]) >= 0:
            key = data["block_num"][i] * 10000 + data["par_num"][i] * 100 + data["line_num"][i]
            words.append((key, data["left"][i], data["top"][i] + data["height"][i] // 2,
                          data["left"][i] + data["width"][i], text))
    return words


def _join(words: list[tuple[int, int, int, int, str]]) -> list[str]:
    """Words into lines, top to bottom, left to right (a line is words at about the same height)."""
    lines: list[list[tuple[int, int, int, int, str]]] = []
    for word in sorted(words, key=lambda w: (w[2], w[1])):
        if lines and abs(lines[-1][-1][2] - word[2]) <= 12:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [" ".join(w[4] for w in sorted(line, key=lambda w: w[1])) for line in lines]


def read_page(image: Image.Image) -> tuple[list[Table], list[str]]:
    words = _words(image)
    grid = find_grid(image)
    if grid is None:
        return [], _join(words)
    rows, columns = grid
    origin = _cells(_dark(image), rows, columns)
    inside: dict[tuple[int, int], list[tuple[int, int, int, int, str]]] = {}
    outside_above: list[tuple[int, int, int, int, str]] = []
    outside_below: list[tuple[int, int, int, int, str]] = []
    for word in words:
        x, y = (word[1] + word[3]) // 2, word[2]
        r = next((i for i in range(len(rows) - 1) if rows[i] <= y < rows[i + 1]), None)
        c = next((i for i in range(len(columns) - 1) if columns[i] <= x < columns[i + 1]), None)
        if r is None or c is None:
            (outside_above if y < rows[0] else outside_below).append(word)
        else:
            inside.setdefault(origin[r][c], []).append(word)
    # A cell's lines are the scan's wrapping, not separate items: joined, a word hyphenated at the edge mended.
    texts = {place: " ".join(_join(found)).replace("- ", "") for place, found in inside.items()}
    keys: dict[tuple[int, int], tuple[int, int]] = {}
    grid_rows: list[list[Cell]] = [
        [(texts.get(place, ""), keys.setdefault(place, place)) for place in line] for line in origin]
    above = _join(outside_above)
    return [Table(rows=grid_rows, above=above)], [*above, *_join(outside_below)]
