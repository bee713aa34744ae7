"""Where plans come from: the issuer read from the document and names resolved relative to it, legacy formats
through LibreOffice, scans through OCR in the background with progress, and the explanation of a poor result.
Refusals (no LibreOffice, no OCR) say how to fix it and store nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from chiso.accounts.models import Role, User
from chiso.core.locking import STALE_MESSAGE
from chiso.demo.loader import DEMO_PASSWORD
from chiso.documents.importing.issuer import find_issuer
from chiso.documents.importing.ocr import ocr_available
from chiso.documents.importing.pipeline import parse_pasted, parse_upload
from chiso.documents.models import ImportStatus, PlanImport
from chiso.orgs.matching import AgencyMatcher
from chiso.orgs.models import Unit
from tests.import_reallike import CORPUS, FILES, corpus_province


def unit(code: str) -> Unit:
    return Unit.objects.get(province__code="son-lam", code=code)


@pytest.fixture
def province(db):  # type: ignore[no-untyped-def]
    return corpus_province()


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def coordinator(client, province) -> None:  # type: ignore[no-untyped-def]
    client.force_login(User.objects.create_user(
        "dieuphoi.sonlam", password=DEMO_PASSWORD, role=Role.COORDINATOR,
        unit=Unit.objects.get(province=province, code="so-noi-vu")))


# ---- the issuer and relative names ---------------------------------------------------------------------

@pytest.mark.parametrize(("wording", "codes"), [
    ("Văn phòng Sở", ["so-cong-thuong.van-phong"]),
    ("Thanh tra (Sở)", ["so-cong-thuong.thanh-tra"]),
    ("Thanh tra", ["so-cong-thuong.thanh-tra"]),
    ("Lãnh đạo Sở", ["so-cong-thuong"]),
    ("Trung tâm Khuyến công", ["so-cong-thuong.khuyen-cong"]),
    ("Thanh tra tỉnh", ["thanh-tra-tinh"]),
])
def test_a_departments_names_are_resolved_relative_to_it(province, wording, codes):
    matcher = AgencyMatcher(province, unit("so-cong-thuong"))
    assert [u.code for u in matcher.resolve(wording).units] == codes


def test_the_departments_own_units_together_and_a_communes_civil_servants(province):
    department = AgencyMatcher(province, unit("so-cong-thuong"))
    children = {u.code for u in department.resolve("Các phòng, đơn vị thuộc Sở").units}
    assert children == set(Unit.objects.filter(parent=unit("so-cong-thuong")).values_list("code", flat=True))
    commune = AgencyMatcher(province, unit("xa-tan-phong"))
    resolved = commune.resolve("Công chức Văn phòng - Thống kê; Bộ phận một cửa; UBND xã")
    assert [u.code for u in resolved.units] == ["xa-tan-phong.van-phong-thong-ke", "xa-tan-phong.mot-cua",
                                                "xa-tan-phong"]


def test_without_an_issuer_relative_names_stay_unknown(province):
    assert AgencyMatcher(province).resolve("Văn phòng Sở; Lãnh đạo Sở").unknown == ["Văn phòng Sở", "Lãnh đạo Sở"]


def test_the_issuer_is_read_from_captions_without_a_letterhead_and_from_a_communes_letterhead(province):
    raw = parse_upload((FILES / "so-cong-thuong.docx").read_bytes(), "so-cong-thuong.docx")
    found, evidence = find_issuer(raw.lines, raw.metadata, AgencyMatcher(province))
    assert found == unit("so-cong-thuong")
    assert {e.source for e in evidence} == {"caption"} and len(evidence) == 3
    raw = parse_upload((FILES / "xa-tan-phong.docx").read_bytes(), "xa-tan-phong.docx")
    found, evidence = find_issuer(raw.lines, raw.metadata, AgencyMatcher(province))
    assert found == unit("xa-tan-phong")
    assert {e.source for e in evidence} == {"letterhead", "caption", "signature"}


def test_the_preview_shows_the_issuer_the_framework_scores_and_reads_again_with_another_issuer(
        client, province, media):
    coordinator(client, province)
    with (FILES / "so-cong-thuong.docx").open("rb") as handle:
        response = client.post("/van-ban/nhap-ke-hoach/", {"file": handle})
    assert response.status_code == 302
    plan_import = PlanImport.objects.get()
    assert plan_import.owner_unit == unit("so-cong-thuong")
    page = client.get(response["Location"]).content.decode()
    assert "Dòng “Kèm theo Kế hoạch…” của phụ lục" in page and "Sở Công Thương" in page
    assert "PAPI (từ năm 2021): 7/7" in page and "SIPAS (từ năm 2022): 4/4" in page
    assert "Không bộ chỉ số nào giải thích đủ" in page  # the TC/TCTP criteria of the unit index
    before = sum(1 for row in plan_import.rows if row["lead_unit_ids"])
    response = client.post(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/doc-lai/", {
        "frameworks": list(plan_import.frameworks.values_list("pk", flat=True)), "issuer": "",
        "lock_version": plan_import.lock_version})
    assert response.status_code == 302
    plan_import.refresh_from_db()
    after = sum(1 for row in plan_import.rows if row["lead_unit_ids"])
    assert before == 16 and after < before / 2  # without the department as issuer "Văn phòng Sở" means nothing
    stale = client.post(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/doc-lai/", {
        "frameworks": list(plan_import.frameworks.values_list("pk", flat=True)), "issuer": "",
        "lock_version": 1})
    assert stale.status_code == 302
    assert str(STALE_MESSAGE) in client.get(stale["Location"]).content.decode()


# ---- a poor result explained ---------------------------------------------------------------------------

def test_pasted_text_without_tabs_is_explained_and_an_empty_result_says_upload_the_file(client, province, media):
    text = (CORPUS / "narrative-province.txt").read_text(encoding="utf-8")
    raw = parse_pasted(text.replace("Chỉ số nội dung", "Nội dung"))
    assert raw.rows  # the body is still read
    coordinator(client, province)
    flat = "PHỤ LỤC\nTT Nội dung Nhiệm vụ Chủ trì\n" + "\n".join(f"{n} Việc số {n} Sở Nội vụ Năm 2025" for n in range(30))
    response = client.post("/van-ban/nhap-ke-hoach/", {"text": flat})
    assert response.status_code == 400
    assert "không có ký tự Tab" in response.content.decode()
    assert not PlanImport.objects.exists()


# ---- legacy formats and scans: refusals when the tools are missing ---------------------------------------

def test_without_libreoffice_a_doc_is_refused_saying_how_and_nothing_is_stored(client, province, media, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    coordinator(client, province)
    with (FILES / "so-cong-thuong.doc").open("rb") as handle:
        response = client.post("/van-ban/nhap-ke-hoach/", {"file": handle})
    assert response.status_code == 400
    assert "chưa cài LibreOffice" in response.content.decode()
    assert not PlanImport.objects.exists() and not (media.exists() and any(media.rglob("*.doc")))


def test_without_tesseract_a_scan_is_refused_saying_how_to_install_it(client, province, media, monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    coordinator(client, province)
    with (FILES / "narrative-photo.jpg").open("rb") as handle:
        response = client.post("/van-ban/nhap-ke-hoach/", {"file": handle})
    assert response.status_code == 400
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in response.content.decode()
    assert not PlanImport.objects.exists()


# ---- a scan in the background --------------------------------------------------------------------------

@pytest.mark.skipif(not ocr_available(), reason="Tesseract with its Vietnamese model is not installed")
def test_a_photographed_page_is_read_in_the_background_with_progress_then_previewed(
        client, province, media, django_capture_on_commit_callbacks):
    coordinator(client, province)
    with django_capture_on_commit_callbacks(execute=False) as callbacks, \
            (FILES / "narrative-photo.jpg").open("rb") as handle:
        response = client.post("/van-ban/nhap-ke-hoach/", {"file": handle})
    assert response.status_code == 302
    plan_import = PlanImport.objects.get()
    assert plan_import.rows == [] and plan_import.header["ocr"]["state"] == "running"
    page = client.get(response["Location"]).content.decode()
    assert "Đang nhận dạng chữ: đã xong 0/1 trang." in page and 'hx-trigger="every 2s"' in page
    from chiso.documents.importing.scans import complete_scan

    assert len(callbacks) == 1
    complete_scan(plan_import.pk)  # what the queued job runs (tasks.read_scan_task), here in the test's transaction
    progress = client.get(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/tien-do/", HTTP_HX_REQUEST="true")
    assert progress.status_code == 204 and progress["HX-Redirect"].endswith(f"/{plan_import.pk}/")
    plan_import.refresh_from_db()
    assert plan_import.status == ImportStatus.DRAFT and plan_import.header["ocr"]["state"] == "done"
    assert len(plan_import.rows) >= 10
    page = client.get(response["Location"]).content.decode()
    assert "nhận dạng chữ từ ảnh quét" in page


def test_an_image_that_is_not_one_is_refused(client, province, media):
    coordinator(client, province)
    response = client.post("/van-ban/nhap-ke-hoach/", {"file": _named(b"not an image at all", "trang.png")})
    assert response.status_code == 400 and "không phải là ảnh" in response.content.decode()
    assert not PlanImport.objects.exists()


def _named(data: bytes, name: str):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_blank_image_is_not_a_grid():
    from chiso.documents.importing.ocr import find_grid

    assert find_grid(Image.new("L", (400, 300), 255)) is None


@pytest.mark.skipif(not ocr_available(), reason="Tesseract with its Vietnamese model is not installed")
def test_a_scan_without_any_task_is_refused_after_ocr_and_its_file_removed(
        client, province, media, django_capture_on_commit_callbacks):
    from tests.test_import_robustness import _pdf_without_text

    coordinator(client, province)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/van-ban/nhap-ke-hoach/", {"file": _named(_pdf_without_text(), "trang-trang.pdf")})
    assert response.status_code == 302
    plan_import = PlanImport.objects.get()
    assert plan_import.status == ImportStatus.CANCELLED and not plan_import.file
    page = client.get(response["Location"]).content.decode()
    assert "Không đọc được bản quét, không có gì được lưu" in page and "Không tìm thấy nhiệm vụ nào" in page
    assert not [p for p in media.rglob("*") if p.is_file()]
