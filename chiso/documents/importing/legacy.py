"""Legacy formats (.doc, .xls, .rtf) converted to .docx/.xlsx by LibreOffice headless, then read as those.

LibreOffice runs on an untrusted file: in a throw-away profile and directory (no user's settings, nothing left
behind), with a time limit (the process is killed) and a memory and CPU limit set in the child before it
starts (resource.setrlimit in preexec_fn), so a hostile file cannot hang or exhaust the server."""

from __future__ import annotations

import resource
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

from chiso.documents.importing.errors import ImportRefused

TARGET = {"doc": "docx", "rtf": "docx", "xls": "xlsx"}
FILTER = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML"}
TIME_LIMIT = 60  # seconds of wall-clock time
MEMORY_LIMIT = 1536 * 1024 * 1024  # bytes of address space


def soffice() -> str | None:
    return getattr(settings, "CHISO_SOFFICE", None) or shutil.which("soffice") or shutil.which("libreoffice")


def _limits() -> None:  # pragma: no cover - runs in the child process
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (TIME_LIMIT, TIME_LIMIT))


def looks_like(kind: str, data: bytes) -> bool:
    """.doc and .xls are OLE compound files; .rtf starts with its own signature."""
    if kind == "rtf":
        return data.lstrip()[:5] == b"{\\rtf"
    return data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def convert(data: bytes, kind: str) -> bytes:
    """The file as .docx (from .doc, .rtf) or .xlsx (from .xls); ImportRefused when it cannot be converted."""
    target = TARGET[kind]
    if not looks_like(kind, data):
        raise ImportRefused(f"Tệp không phải là tệp .{kind} thật (nội dung không khớp với phần mở rộng).")
    program = soffice()
    if program is None:
        raise ImportRefused(f"Máy chủ chưa cài LibreOffice nên chưa đọc được tệp .{kind}: hãy mở tệp bằng Word hoặc "
                            f"Excel, lưu lại thành .{target} rồi gửi lại (hoặc nhờ quản trị cài gói "
                            "libreoffice-writer-nogui, libreoffice-calc-nogui).")
    with tempfile.TemporaryDirectory(prefix="chiso-convert-") as work:
        folder = Path(work)
        source = folder / f"input.{kind}"
        source.write_bytes(data)
        command = [program, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--norestore",
                   "--convert-to", FILTER[target], "--outdir", str(folder / "out"), str(source)]
        try:
            subprocess.run(command, check=False, capture_output=True, timeout=TIME_LIMIT, preexec_fn=_limits,  # noqa: S603
                           cwd=work)
        except subprocess.TimeoutExpired:
            raise ImportRefused(f"Chuyển đổi tệp .{kind} quá lâu (quá {TIME_LIMIT} giây): hãy lưu lại thành "
                                f".{target} rồi gửi lại.") from None
        result = folder / "out" / f"input.{target}"
        if not result.is_file() or result.stat().st_size == 0:
            raise ImportRefused(f"Không chuyển đổi được tệp .{kind}: tệp hỏng, có mật khẩu hoặc sai định dạng. Hãy "
                                f"mở tệp, lưu lại thành .{target} rồi gửi lại.")
        return result.read_bytes()
