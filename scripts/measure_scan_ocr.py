"""Times the OCR of a scanned plan page by page, as the background job runs it (docs/PERFORMANCE.md):
`.venv/bin/python -m scripts.measure_scan_ocr tests/fixtures/import/real-like/files/scan-10-pages.pdf`."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from chiso.documents.importing.ocr import read_scan


def main(path: str) -> None:
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        print(f"page {done}/{total}: {time.perf_counter() - started:.1f} s", flush=True)

    tables, lines = read_scan(Path(path).read_bytes(), path.rsplit(".", 1)[-1].lower(), progress)
    print(f"total {time.perf_counter() - started:.1f} s, {len(lines)} lines, {len(tables)} tables")


if __name__ == "__main__":
    main(sys.argv[1])
