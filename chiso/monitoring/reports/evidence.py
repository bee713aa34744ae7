"""Checking an uploaded evidence file before anything is stored.

The type is read from the content, not trusted from the name or the browser's Content-Type, and the
name's extension must agree with it. Archives (.docx, .xlsx are zips) are refused when they would
unpack far beyond their size (zip bombs), fail their checksums or carry macros (vbaProject.bin); PDFs
must open in a real PDF parser (pdfminer) with a document catalog, images in an image decoder (Pillow) as
the format their bytes claim. A file that is two things at once (a polyglot) passes only if the first is a
genuine document; the download view adds a sandbox policy for what might remain."""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from chiso.core.archives import inflates_too_far

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JPEG = "image/jpeg"
PNG = "image/png"
EXTENSIONS = {PDF: {".pdf"}, DOCX: {".docx"}, XLSX: {".xlsx"}, JPEG: {".jpg", ".jpeg"}, PNG: {".png"}}
ALLOWED_TEXT = "PDF, Word (.docx), Excel (.xlsx), ảnh JPG, PNG"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class EvidenceRejected(Exception):
    """The file is refused; the message says why, in words the user understands."""


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int
    sha256: str
    data: bytes


def max_bytes() -> int:
    return int(settings.CHISO_EVIDENCE_MAX_BYTES)


def check_evidence(upload: IO[bytes], filename: str) -> CheckedFile:
    limit = max_bytes()
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise EvidenceRejected(_("Tệp “%(name)s” quá lớn: tối đa %(mb)s MB.") % {
            "name": filename, "mb": limit // (1024 * 1024)})
    if not data:
        raise EvidenceRejected(_("Tệp “%(name)s” rỗng.") % {"name": filename})
    content_type = _sniff(data)
    suffix = PurePosixPath(filename).suffix.lower()
    if content_type is None and data.startswith(b"PK") and suffix in EXTENSIONS[DOCX] | EXTENSIONS[XLSX]:
        # A zip that does not open as an Office document: cut short or damaged on the way.
        raise EvidenceRejected(_("Tệp “%(name)s” bị hỏng hoặc không đọc được, chưa được lưu.") % {"name": filename})
    if content_type is None:
        raise EvidenceRejected(_("Tệp “%(name)s” không thuộc loại được phép (%(allowed)s).") % {
            "name": filename, "allowed": ALLOWED_TEXT})
    if suffix not in EXTENSIONS[content_type]:
        raise EvidenceRejected(_("Tên tệp “%(name)s” không khớp với nội dung (nội dung là %(kind)s).") % {
            "name": filename, "kind": sorted(EXTENSIONS[content_type])[0].lstrip(".").upper()})
    if not _is_whole(data, content_type):
        raise EvidenceRejected(_("Tệp “%(name)s” bị hỏng hoặc không đọc được, chưa được lưu.") % {"name": filename})
    return CheckedFile(name=_clean_name(filename), content_type=content_type, size=len(data),
                       sha256=hashlib.sha256(data).hexdigest(), data=data)


def _clean_name(filename: str) -> str:
    """The name to show and to offer on download: no folders, no control characters."""
    name = PurePosixPath(filename.replace("\\", "/")).name
    return "".join(ch for ch in name if ch.isprintable())[:255] or "minh-chung"


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(PNG_SIGNATURE):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office_kind(data)
    return None


def _office_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def _is_whole(data: bytes, content_type: str) -> bool:
    if content_type == PDF:
        return b"%%EOF" in data[-2048:] and _pdf_parses(data)
    if content_type == PNG:
        return (data[12:16] == b"IHDR" and data.rstrip(b"\x00").endswith(b"IEND\xaeB`\x82")
                and _image_decodes(data, "PNG"))
    if content_type == JPEG:
        return data.rstrip(b"\x00").endswith(b"\xff\xd9") and _image_decodes(data, "JPEG")
    return _archive_is_whole(data)


def _pdf_parses(data: bytes) -> bool:
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        catalog = document.catalog
    except Exception:  # noqa: BLE001 — pdfminer raises many kinds of error on a file that is not a PDF
        return False
    return isinstance(catalog, dict) and "Pages" in catalog


def _image_decodes(data: bytes, expected_format: str) -> bool:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return image.format == expected_format
    except Exception:  # noqa: BLE001 — Pillow's errors (decompression bombs included) all mean "refuse"
        return False


def _archive_is_whole(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if inflates_too_far(archive):
                raise EvidenceRejected(_("Tệp nén có nội dung giải nén quá lớn, không thể nhận."))
            # Macros run code on the reviewer's computer: a .docx/.xlsx must not carry them.
            if any(PurePosixPath(info.filename).name.lower() == "vbaproject.bin" for info in infos) or (
                    b"macroenabled" in archive.read("[Content_Types].xml").lower()):
                raise EvidenceRejected(_("Tệp có chứa macro (VBA), không được nhận. Lưu lại thành tệp .docx hoặc "
                                         ".xlsx thường (không macro) rồi tải lên."))
            # testzip reads every member and checks its CRC: a truncated or altered file fails here.
            return archive.testzip() is None
    except EvidenceRejected:
        raise
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError, NotImplementedError):
        return False
