"""The importer on the real-like corpus (tests/fixtures/import/real-like/): plans the team wrote in the forms
provinces use — a department's plan with relative unit names and the province's own TC/TCTP criteria, a
commune's plan, narrative plans, the same texts degraded as OCR degrades them, a scanned PDF, a photographed
page, a .doc and an .rtf. Floors asserted: ≥ 98 % rows and ≥ 95 % lead units on department and commune plans;
≥ 90 % tasks with the right dimension on OCR'd narrative plans; ≥ 85 % rows on the scanned PDF."""

from __future__ import annotations

import shutil

import pytest

from chiso.documents.importing.choosing import candidates
from chiso.documents.importing.ocr import ocr_available, read_scan
from chiso.documents.importing.pipeline import parse_pasted, parse_tables, parse_upload, preview_data
from tests.import_quality import Quality, measure
from tests.import_reallike import CORPUS, FILES, corpus_province, degrade, truth

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
needs_ocr = pytest.mark.skipif(not ocr_available(), reason="Tesseract with its Vietnamese model is not installed")


def _read(name: str) -> object:
    if name.endswith(".txt"):
        return parse_pasted((CORPUS / name).read_text(encoding="utf-8"))
    if name.startswith("ocr:"):
        stem = name.removeprefix("ocr:")
        return parse_pasted(degrade((CORPUS / f"{stem}.txt").read_text(encoding="utf-8"), seed=11))
    path = FILES / name
    if name.endswith((".jpg", "-scan.pdf")):
        tables, lines = read_scan(path.read_bytes(), path.suffix[1:], lambda done, total: None)
        return parse_tables("ocr", tables, lines)
    return parse_upload(path.read_bytes(), name)


def quality_of(stem: str, name: str) -> tuple[Quality, dict]:
    province = corpus_province()
    rows, issuer = truth(stem, province)
    data = preview_data(_read(name), province, candidates(province))  # type: ignore[arg-type]
    assert data["header"]["issuer_unit_id"] == issuer.pk
    return measure(data["rows"], rows, pairing=0.7 if name.startswith("ocr:") or name.endswith((".jpg", "-scan.pdf")) else 0.85,
                   by_meaning=True), data


# (truth, document) → floors of (rows found, nodes right, leads right) among the rows found.
STRUCTURED = {
    ("so-cong-thuong", "so-cong-thuong.docx"): (0.98, 0.95, 0.95),
    ("xa-tan-phong", "xa-tan-phong.docx"): (0.98, 0.95, 0.95),
}
LEGACY = {
    ("so-cong-thuong", "so-cong-thuong.doc"): (0.98, 0.95, 0.95),
    ("xa-tan-phong", "xa-tan-phong.rtf"): (0.98, 0.95, 0.95),
}
NARRATIVE = {
    ("narrative-province", "narrative-province.txt"): 0.95,
    ("narrative-commune", "narrative-commune.txt"): 0.95,
    ("narrative-province", "ocr:narrative-province"): 0.90,
    ("narrative-commune", "ocr:narrative-commune"): 0.90,
}
PHOTO = {("narrative-province", "narrative-photo.jpg"): 0.90}


def _check_structured(stem: str, name: str, floors: tuple[float, float, float]) -> None:
    quality, _data = quality_of(stem, name)
    print(quality.line(stem, name))
    assert quality.found_share >= floors[0]
    assert quality.share(quality.nodes) >= floors[1]
    assert quality.share(quality.leads) >= floors[2]


@pytest.mark.django_db
@pytest.mark.parametrize(("stem", "name"), list(STRUCTURED))
def test_department_and_commune_plans_give_their_rows_nodes_and_relative_lead_units(stem, name):
    _check_structured(stem, name, STRUCTURED[(stem, name)])


@needs_soffice
@pytest.mark.django_db
@pytest.mark.parametrize(("stem", "name"), list(LEGACY))
def test_doc_and_rtf_are_converted_by_libreoffice_and_read_as_well_as_the_docx(stem, name):
    _check_structured(stem, name, LEGACY[(stem, name)])


@pytest.mark.django_db
@pytest.mark.parametrize(("stem", "name"), list(NARRATIVE))
def test_narrative_plans_clean_and_ocr_damaged_give_their_tasks_under_the_right_dimension(stem, name):
    quality, _data = quality_of(stem, name)
    print(quality.line(stem, name))
    assert quality.found_share * quality.share(quality.nodes) >= NARRATIVE[(stem, name)]


@needs_ocr
@pytest.mark.django_db
@pytest.mark.parametrize(("stem", "name"), list(PHOTO))
def test_a_photographed_narrative_page_gives_its_tasks_under_the_right_dimension(stem, name):
    quality, _data = quality_of(stem, name)
    print(quality.line(stem, name))
    assert quality.found_share * quality.share(quality.nodes) >= PHOTO[(stem, name)]


@needs_ocr
@pytest.mark.django_db
def test_the_scanned_department_plan_is_read_by_ocr_with_most_of_its_rows():
    quality, data = quality_of("so-cong-thuong", "so-cong-thuong-scan.pdf")
    print(quality.line("so-cong-thuong", "scan.pdf"))
    assert quality.found_share >= 0.85
    assert any(item["code"] == "ocr" for item in data["header"]["diagnosis"])


@pytest.mark.django_db
def test_the_department_plans_unit_index_criteria_stay_unmapped_with_their_printed_code():
    _quality, data = quality_of("so-cong-thuong", "so-cong-thuong.docx")
    first = data["header"]["framework_choices"][0]
    assert first["chosen"] is None
    unmapped = [row for row in data["rows"] if not row["node_ids"]]
    assert [row["node_text"][:6] for row in unmapped] == ["TC 1.1", "TC 1.3", "TCTP 2", "TCTP 4", "TC 5.1"]
    chosen = {choice["chosen"] for choice in data["header"]["framework_choices"][1:]}
    assert None not in chosen and len(chosen) == 2
