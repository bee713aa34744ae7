"""The import paths beside .docx and .pdf, each measured or checked on a sample: .xlsx with merged cells, text
pasted with tabs, text whose diacritics OCR lost or garbled, plans with no appendix, and the round trip of the
demo plan through its own .docx export. Floors are the measured figures of docs/IMPORT.md, rounded down."""

from __future__ import annotations

from pathlib import Path

import pytest

from chiso.documents.exports.plan_docx import plan_docx
from chiso.documents.importing.pipeline import parse_pasted, parse_tables, parse_upload, preview_data
from chiso.documents.importing.raw import Table
from chiso.documents.importing.readers import read_pdf
from chiso.frameworks.models import Node
from chiso.orgs.models import Province, Unit
from chiso.plans.appendix import appendix_tasks
from scripts.make_import_fixtures import bac_kan, bac_kan_pasted, bac_kan_xlsx, to_pdf, tuyen_quang
from tests.import_quality import (
    Quality,
    bac_kan_province,
    bac_kan_truth,
    garble,
    measure,
    strip_diacritics,
    tuyen_quang_truth,
)

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "samples"


def assert_floors(quality: Quality, found: float, nodes: float, leads: float, schedules: float) -> None:
    assert quality.found_share >= found
    assert quality.share(quality.nodes) >= nodes
    assert quality.share(quality.leads) >= leads
    assert quality.share(quality.schedules) >= schedules


@pytest.mark.django_db
def test_xlsx_with_merged_cells_reads_as_the_printed_plan(tmp_path):
    province = bac_kan_province()
    truth, frameworks = bac_kan_truth(province)
    path = bac_kan_xlsx(tmp_path)
    data = preview_data(parse_upload(path.read_bytes(), path.name), province, frameworks)
    quality = measure(data["rows"], truth)
    print(quality.line("bac-kan", "xlsx"))
    assert len(data["rows"]) == len(truth)
    assert_floors(quality, 1.0, 1.0, 1.0, 1.0)


@pytest.mark.django_db
def test_appendix_pasted_with_tabs_fills_merged_cells_from_the_row_above():
    province = bac_kan_province()
    truth, frameworks = bac_kan_truth(province)
    data = preview_data(parse_pasted(bac_kan_pasted()), province, frameworks)
    quality = measure(data["rows"], truth)
    print(quality.line("bac-kan", "text (tabs)"))
    assert len(data["rows"]) == len(truth)
    # A cell merged over two nodes pastes as a blank beside the second node's first task: not filled (a blank
    # there may be a blank), hence the schedules.
    assert_floors(quality, 1.0, 1.0, 1.0, 0.80)


@pytest.mark.django_db
def test_plain_text_of_a_plan_without_tabs_gives_the_tasks_of_its_body():
    """Text copied from a PDF's text layer has no cells: the appendix cannot be rebuilt from it, but the body's
    tasks under their index headings can ("1. Tham gia của người dân ở cấp cơ sở: Thực hiện …")."""
    province = bac_kan_province()
    _, frameworks = bac_kan_truth(province)
    text = (SAMPLES / "bac-kan-papi-2022.txt").read_text(encoding="utf-8")
    data = preview_data(parse_pasted(text), province, frameworks)
    codes = {node.pk: node.code for node in Node.objects.filter(framework__in=frameworks)}
    assert [codes[row["node_ids"][0]] for row in data["rows"]] == [str(n) for n in range(1, 9)]
    assert data["rows"][0]["content"].startswith("Thực hiện các phương thức phù hợp để người dân")
    assert data["rows"][7]["content"].endswith("Cổng/trang thông tin điện tử của tỉnh và các đơn vị. (Chi tiết tại Phụ lục kèm theo)")


# (sample, damage) → floors (found, nodes, leads, schedules), measured with pairing 0,7 and schedules by meaning.
OCR_FLOORS = {
    ("tuyen-quang", "no-diacritics"): (1.0, 1.0, 0.99, 1.0),
    ("tuyen-quang", "no-diacritics+3%"): (1.0, 1.0, 0.99, 0.90),
    ("tuyen-quang", "garbled-5%"): (1.0, 1.0, 0.98, 1.0),
    ("tuyen-quang", "garbled-10%"): (0.98, 0.99, 0.78, 0.96),
    ("bac-kan", "no-diacritics"): (1.0, 1.0, 1.0, 1.0),
    ("bac-kan", "no-diacritics+3%"): (1.0, 0.96, 1.0, 1.0),
    ("bac-kan", "garbled-5%"): (1.0, 0.99, 1.0, 1.0),
    ("bac-kan", "garbled-10%"): (1.0, 0.99, 0.85, 1.0),
}
DAMAGES = {
    "no-diacritics": strip_diacritics,
    "no-diacritics+3%": lambda text: garble(strip_diacritics(text), 0.03, seed=1),
    "garbled-5%": lambda text: garble(text, 0.05, seed=1),
    "garbled-10%": lambda text: garble(text, 0.10, seed=1),
}


@pytest.fixture(scope="module")
def sample_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("ocr")
    return {"tuyen-quang": to_pdf(tuyen_quang(out)).read_bytes(), "bac-kan": to_pdf(bac_kan(out)).read_bytes()}


@pytest.mark.django_db
@pytest.mark.parametrize(("sample", "damage"), list(OCR_FLOORS))
def test_text_damaged_by_ocr_stays_useful(sample, damage, sample_pdfs):
    """The PDF's text layer damaged as OCR damages scans, every cell and line the same way each run."""
    if sample == "bac-kan":
        province = bac_kan_province()
        truth, frameworks = bac_kan_truth(province)
    else:
        province = Province.objects.get(code="tuyen-quang")
        truth, frameworks = tuyen_quang_truth(province)
    spoil = DAMAGES[damage]
    tables, lines = read_pdf(sample_pdfs[sample])
    damaged = [Table(rows=[[(spoil(text) if text else text, origin) for text, origin in row] for row in table.rows],
                     above=[spoil(line) for line in table.above]) for table in tables]
    data = preview_data(parse_tables("pdf", damaged, [spoil(line) for line in lines]), province, frameworks)
    quality = measure(data["rows"], truth, pairing=0.7, by_meaning=True)
    print(quality.line(sample, f"pdf, {damage}"))
    assert_floors(quality, *OCR_FLOORS[(sample, damage)])


BODY = """ỦY BAN NHÂN DÂN
HUYỆN THỬ NGHIỆM
KẾ HOẠCH
Nâng cao Chỉ số PAPI năm 2021
I. MỤC ĐÍCH, YÊU CẦU
Nâng cao chất lượng quản trị.
II. NHIỆM VỤ, GIẢI PHÁP
a) Tham gia của người dân ở cấp cơ sở
- Tăng cường tuyên truyền về bầu cử trưởng thôn, tổ dân phố.
- Tổ chức đối thoại với người dân về các
chính sách của huyện.
b) Công khai, minh bạch trong việc ra quyết định ở địa phương
- Niêm yết công khai danh sách hộ nghèo tại trụ sở xã.
c) Kiểm soát tham nhũng trong khu vực công
- Công khai kết quả tuyển dụng công chức, viên chức.
III. TỔ CHỨC THỰC HIỆN
1. Phòng Nội vụ
- Chủ trì tuyên truyền về bầu cử trưởng thôn, tổ dân phố và đối thoại với người dân.
2. Phòng Lao động, Thương binh và Xã hội
- Chủ trì niêm yết công khai danh sách hộ nghèo.
3. Thanh tra huyện
- Kiểm tra việc công khai kết quả tuyển dụng công chức, viên chức.
Nơi nhận:
- Như trên;
"""


@pytest.mark.django_db
def test_a_plan_without_appendix_gives_its_lettered_tasks_and_links_duties_to_their_leads():
    from tests.import_quality import vi_xuyen_province, vi_xuyen_truth

    province = vi_xuyen_province()
    _, frameworks = vi_xuyen_truth(province)
    data = preview_data(parse_pasted(BODY), province, frameworks)
    codes = {node.pk: node.code for node in Node.objects.filter(framework__in=frameworks)}
    units = {unit.pk: unit.code for unit in Unit.objects.filter(province=province)}
    tasks = [row for row in data["rows"] if row["appendix"] == "Nội dung kế hoạch"]
    duties = [row for row in data["rows"] if row["appendix"] == "Tổ chức thực hiện"]
    assert [(row["content"], codes[row["node_ids"][0]]) for row in tasks] == [
        ("Tăng cường tuyên truyền về bầu cử trưởng thôn, tổ dân phố.", "1"),
        ("Tổ chức đối thoại với người dân về các chính sách của huyện.", "1"),
        ("Niêm yết công khai danh sách hộ nghèo tại trụ sở xã.", "2"),
        ("Công khai kết quả tuyển dụng công chức, viên chức.", "4"),
    ]
    leads = [[units[pk] for pk in row["lead_unit_ids"]] for row in tasks]
    assert leads[0] == ["phong-noi-vu"] and leads[2] == ["phong-lao-dong-tbxh"] and leads[3] == ["thanh-tra-huyen"]
    assert [[units[pk] for pk in row["lead_unit_ids"]] for row in duties] == [
        ["phong-noi-vu"], ["phong-lao-dong-tbxh"], ["thanh-tra-huyen"]]
    assert [codes[row["node_ids"][0]] for row in duties] == ["1", "2", "4"], "a duty sits under its task's node"


@pytest.mark.django_db
def test_the_demo_plan_exported_then_imported_by_the_engine_gives_the_same_tasks(demo_plan):
    data = preview_data(parse_upload(plan_docx(demo_plan), "ke-hoach.docx"), demo_plan.province,
                        demo_plan.frameworks.all())
    index_order = {"PAR_INDEX": 0, "PAPI": 1, "SIPAS": 2}  # the order the export prints its appendices in
    tasks = sorted(appendix_tasks(demo_plan), key=lambda task: index_order[
        min(task.nodes.all(), key=lambda node: node.position).framework.index])
    assert len(data["rows"]) == len(tasks) == 124
    assert data["unreadable"] == []
    for row, task in zip(data["rows"], tasks, strict=True):
        assert (row["content"], row["lead_text"], row["schedule_text"]) == (
            task.content, task.lead_text, task.schedule_text)
        # The task's most specific node (a PAPI task also carries its content index).
        deepest = max(task.nodes.all(), key=lambda node: (node.code.count("."), -node.position))
        assert row["node_ids"] == [deepest.pk], (task.number, row["node_how"])
