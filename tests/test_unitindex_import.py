"""Importing a criteria tree from the annex of a decision (.xlsx and .docx written like real annexes)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from chiso.core.tabular import ImportRejected
from chiso.unitindex.importing.saving import save_tree, tree_problems
from chiso.unitindex.importing.tree_reader import parse_points, read_tree_file
from chiso.unitindex.models import CriterionDetail, Method, TreeSettings
from chiso.unitindex.tree import maxima_problems
from tests.unitindex_annex import FIXTURES, annex_docx, annex_xlsx
from tests.unitindex_helpers import TREE, demo_province

D = Decimal


def _read(name: str):  # type: ignore[no-untyped-def]
    with (FIXTURES / name).open("rb") as handle:
        return read_tree_file(handle, name)


def _shape(tree):  # type: ignore[no-untyped-def]
    return [(r.code, r.name, r.depth, r.max_points, r.method, r.choices, r.not_applicable, r.rule, r.evidence)
            for r in tree.rows], tree.total, tree.bonus_max, tree.penalty_max


def test_the_committed_fixtures_are_what_the_annex_writer_writes() -> None:
    assert _shape(_read("phu-luc-bo-tieu-chi.xlsx")) == _shape(read_tree_file(io.BytesIO(annex_xlsx()), "a.xlsx"))
    assert _shape(_read("phu-luc-bo-tieu-chi.docx")) == _shape(read_tree_file(io.BytesIO(annex_docx()), "a.docx"))


def test_xlsx_and_docx_annexes_give_the_same_tree_with_decimal_commas_and_merged_fields() -> None:
    xlsx, docx = _read("phu-luc-bo-tieu-chi.xlsx"), _read("phu-luc-bo-tieu-chi.docx")
    assert _shape(xlsx) == _shape(docx)
    assert [row.code for row in xlsx.rows] == [code for code, *_rest in TREE]
    rows = {row.code: row for row in xlsx.rows}
    assert rows["I"].name == "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC" and rows["I"].max_points == D(12)
    assert (rows["TCTP 2.3.1"].max_points, rows["TCTP 2.3.2"].max_points) == (D("1.5"), D("2.5"))
    assert rows["TCTP 1.1.1"].choices == ["0", "1", "2"] and rows["TCTP 1.2.2"].not_applicable
    assert rows["TCTP 3.1.1"].method == Method.SURVEY and rows["TC 1.1"].depth == 1
    assert (xlsx.total, xlsx.bonus_max, xlsx.penalty_max) == (D(40), D("1.5"), D("0.5"))
    assert tree_problems(xlsx) == ([], [])


@pytest.mark.parametrize("writer,name", [(annex_xlsx, "a.xlsx"), (annex_docx, "a.docx")])
def test_a_tree_whose_maxima_do_not_add_up_is_flagged_where_they_do_not(writer, name) -> None:  # type: ignore[no-untyped-def]
    errors, maxima = tree_problems(read_tree_file(io.BytesIO(writer(stray=True)), name))
    assert errors == []
    assert [(p.code, p.message) for p in maxima] == [
        ("TC 1.1", "Tổng điểm tối đa của các nội dung con là 4,5, khác điểm tối đa 4.")]


def test_points_are_read_with_a_decimal_comma_and_words_are_refused() -> None:
    assert parse_points("1,5") == D("1.5") and parse_points("0,25 điểm") == D("0.25") and parse_points(12.0) == D(12)
    assert parse_points("") is None
    with pytest.raises(ValueError):
        parse_points("hai điểm")


def test_a_file_that_is_no_annex_is_refused_with_a_message() -> None:
    with pytest.raises(ImportRejected, match="dòng tiêu đề"):
        read_tree_file(io.BytesIO(_plain_xlsx()), "x.xlsx")
    with pytest.raises(ImportRejected, match=r"\.xlsx hoặc \.docx"):
        read_tree_file(io.BytesIO(b"a,b\n"), "x.csv")


def _plain_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Tên", "Giá trị"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_saved_import_is_a_tree_with_its_criteria_details_and_maxima_that_add_up() -> None:
    framework = save_tree(_read("phu-luc-bo-tieu-chi.docx"), province=demo_province(), name="Bộ tiêu chí sở 2025",
                          year=2025)
    assert framework.nodes.count() == 26 and framework.total_max == D(40)
    assert maxima_problems(framework) == []
    detail = CriterionDetail.objects.get(node__framework=framework, node__code="TCTP 2.2.1")
    assert detail.choices == ["0", "2", "4"] and detail.node.parent.code == "TC 2.2"
    assert TreeSettings.objects.get(framework=framework).bonus_max == D("1.5")
