"""Plain helpers for the monitoring tests: in-memory evidence files and a demo period with a report."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from chiso.accounts.models import User
from chiso.monitoring.models import ReportingPeriod, UnitReport
from chiso.monitoring.periods import generate_periods
from chiso.monitoring.reports.services import open_report
from chiso.plans.models import Plan
from tests.conftest import USERNAMES


def user(role: str) -> User:
    return User.objects.get(username=USERNAMES[role])


def quarter_three(plan: Plan) -> ReportingPeriod:
    generate_periods(plan)
    return plan.reporting_periods.get(label="Quý III/2025")


def minhxuan_report(plan: Plan) -> UnitReport:
    focal = user("focal_point")
    return open_report(quarter_three(plan), focal.unit, focal)


def pdf_bytes(text: str = "Minh chung") -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"% " + text.encode() + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def png_bytes() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
            + chunk(b"IEND", b""))


def jpeg_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def docx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Báo cáo</w:document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Chỉ tiêu", "Đạt"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def todo_item(home: str, label: str) -> str:
    """The line of a home page's "Việc cần làm" that carries `label` (its link, detail and badge)."""
    section = home.split('class="card todo"', 1)[1].split("</section>", 1)[0]
    return next(item for item in section.split("<li")[1:] if label in item)
