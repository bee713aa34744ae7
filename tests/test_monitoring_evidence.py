"""Evidence files: only documents and images whose content is what their name says, within the size limit
and whole; stored outside the web root under a random name; downloadable only by who may see the report."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chiso.core.archives import max_unpacked_bytes
from chiso.monitoring.models import Evidence
from chiso.monitoring.reports import evidence as evidence_checks
from tests.conftest import client_for
from tests.monitoring_helpers import docx_bytes, jpeg_bytes, minhxuan_report, pdf_bytes, png_bytes, xlsx_bytes

JPEG = jpeg_bytes()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _stored_files(media) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.name for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _upload(report, line, name: str, data: bytes):  # type: ignore[no-untyped-def]
    return client_for("focal_point").post(f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/minh-chung/",
                                          {"file": SimpleUploadedFile(name, data)}, follow=True)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "data", "content_type"), [
    ("quyet-dinh.pdf", pdf_bytes(), "application/pdf"),
    ("bien-ban.docx", docx_bytes(), evidence_checks.DOCX),
    ("so-lieu.xlsx", xlsx_bytes(), evidence_checks.XLSX),
    ("anh-niem-yet.JPG", JPEG, "image/jpeg"),
    ("anh-chup.png", png_bytes(), "image/png"),
])
def test_allowed_files_are_stored_under_a_random_name_and_downloaded_with_their_own(
        demo_plan, _media, name, data, content_type):
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    response = _upload(report, line, name, data)
    assert f"Đã tải lên minh chứng “{name}”" in response.content.decode()
    item = Evidence.objects.get(line=line)
    assert (item.original_name, item.content_type, item.size) == (name, content_type, len(data))
    assert item.file.name.startswith(f"evidence/{report.unit_id}/") and name not in item.file.name
    assert (_media / item.file.name).read_bytes() == data
    download = client_for("leader").get(f"/theo-doi/minh-chung/{item.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == data
    assert download["Content-Type"] == content_type
    assert "attachment" in download["Content-Disposition"]


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/media/filler.bin", b"\x00" * (max_unpacked_bytes() + 1))
    return buffer.getvalue()


def _xlsm_renamed() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<Types><Override ContentType="application/vnd.ms-excel.sheet.'
                                                 'macroEnabled.main+xml" PartName="/xl/workbook.xml"/></Types>')
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def _png_with_broken_image_data() -> bytes:
    """Chunks that frame correctly around image data that is not zlib: only a decoder notices."""
    data = bytearray(png_bytes())
    start = data.index(b"IDAT") + 4
    data[start:start + 2] = b"<h"  # the zlib header of the pixels, now text; the CRC no longer matches
    return bytes(data)


def _damaged_docx() -> bytes:
    data = bytearray(docx_bytes({"word/styles.xml": "<styles>" + "x" * 4000 + "</styles>"}))
    # Overwrite bytes inside the compressed member: the archive still opens, its checksum fails.
    start = data.index(b"word/styles.xml") + len(b"word/styles.xml") + 4
    data[start:start + 6] = b"\xff" * 6
    return bytes(data)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "data", "message"), [
    ("chuong-trinh.exe", b"MZ\x90\x00" + b"\x00" * 100, "không thuộc loại được phép"),
    ("ghi-chu.txt", "Báo cáo".encode(), "không thuộc loại được phép"),
    ("mã-độc.pdf", b"MZ\x90\x00" + b"\x00" * 100, "không thuộc loại được phép"),
    ("trang.html", b"<html><script>alert(1)</script></html>", "không thuộc loại được phép"),
    ("anh.pdf", png_bytes(), "không khớp với nội dung"),
    ("hong.pdf", pdf_bytes()[:-8], "bị hỏng"),
    ("hong.png", png_bytes()[:-12], "bị hỏng"),
    ("hong.docx", _damaged_docx(), "bị hỏng"),
    ("cat-doi.xlsx", xlsx_bytes()[: len(xlsx_bytes()) // 2], "bị hỏng"),
    ("rong.pdf", b"", "rỗng"),
    ("bom.docx", _zip_bomb(), "giải nén quá lớn"),
    # Macro-enabled Office files renamed .docx/.xlsx, and files that only look like a PDF or an image.
    ("macro.docx", docx_bytes({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0VBA"}), "chứa macro"),
    ("macro.xlsx", _xlsm_renamed(), "chứa macro"),
    ("trang-web.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n", "bị hỏng"),
    ("anh-gia.jpg", b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>\xff\xd9", "bị hỏng"),
    ("anh-gia.png", _png_with_broken_image_data(), "bị hỏng"),
])
def test_refused_files_get_a_clear_message_and_nothing_is_stored(demo_plan, _media, name, data, message):
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    response = _upload(report, line, name, data)
    assert message in response.content.decode()
    assert not Evidence.objects.filter(line__report=report).exists()
    assert _stored_files(_media) == []


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(demo_plan, settings, _media):
    settings.CHISO_EVIDENCE_MAX_BYTES = 1024 * 1024
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    big = pdf_bytes() + b"0" * (1024 * 1024)
    response = _upload(report, line, "lon.pdf", big)
    assert "quá lớn: tối đa 1 MB" in response.content.decode()
    assert not Evidence.objects.exists() and _stored_files(_media) == []


DOWNLOAD = {"admin": 200, "coordinator": 200, "focal_point": 200, "leader": 200, "viewer": 200,
            "other_commune": 404, "department_focal_point": 404, "anonymous": 302}


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(DOWNLOAD))
def test_only_the_unit_and_the_province_download_evidence(demo_plan, role):
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    _upload(report, line, "quyet-dinh.pdf", pdf_bytes())
    item = Evidence.objects.get(line=line)
    assert client_for(role).get(f"/theo-doi/minh-chung/{item.pk}/").status_code == DOWNLOAD[role]


@pytest.mark.django_db
def test_media_is_not_served_from_a_public_url(demo_plan):
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    _upload(report, line, "quyet-dinh.pdf", pdf_bytes())
    item = Evidence.objects.get(line=line)
    for prefix in ("/media/", "/", "/static/"):
        assert client_for("coordinator").get(f"{prefix}{item.file.name}").status_code == 404


@pytest.mark.django_db
def test_another_unit_cannot_upload_or_remove_evidence(demo_plan):
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    _upload(report, line, "quyet-dinh.pdf", pdf_bytes())
    item = Evidence.objects.get(line=line)
    outsider = client_for("other_commune")
    assert outsider.post(f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/minh-chung/",
                         {"file": SimpleUploadedFile("x.pdf", pdf_bytes())}).status_code == 404
    assert outsider.post(f"/theo-doi/minh-chung/{item.pk}/go/").status_code == 404
    for role in ("leader", "coordinator", "viewer"):
        assert client_for(role).post(f"/theo-doi/minh-chung/{item.pk}/go/").status_code == 403
    item.refresh_from_db()
    assert item.removed_at is None and Evidence.objects.filter(line__report=report).count() == 1


@pytest.mark.django_db
def test_a_download_is_sandboxed_and_never_sniffed(demo_plan):
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    _upload(report, line, "quyet-dinh.pdf", pdf_bytes())
    download = client_for("coordinator").get(f"/theo-doi/minh-chung/{Evidence.objects.get(line=line).pk}/")
    assert download["Content-Security-Policy"] == "sandbox"
    assert download["X-Content-Type-Options"] == "nosniff"
