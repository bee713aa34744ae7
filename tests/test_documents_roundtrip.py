"""Round trip: the appendix tables read back from an exported .docx give the plan's tasks again."""

from __future__ import annotations

import io

import pytest
from docx import Document

from chiso.accounts.models import User
from chiso.documents.exports.plan_docx import plan_docx
from chiso.plans.appendix import appendix_tasks
from chiso.plans.models import Plan
from chiso.plans.services import derive_unit_plan
from tests.conftest import USERNAMES
from tests.docx_appendix_reader import DocxImportError, ImportedTask, column_for, read_appendices


def _as_exported(plan: Plan) -> list[tuple[str, tuple]]:
    """Each task as (its framework's index, the fields the appendix prints), in appendix order."""
    rows = []
    for task in appendix_tasks(plan):
        nodes = sorted(task.nodes.all(), key=lambda n: n.position)
        rows.append((nodes[0].framework.index, (
            task.number, [n.code for n in nodes], task.content, task.target, task.lead_text,
            task.monitoring_unit.name if task.monitoring_unit else "", task.coordinating_text, task.schedule_text,
            task.outputs, task.notes,
        )))
    return rows


def _as_imported(task: ImportedTask) -> tuple:
    return (task.number, task.node_codes, task.content, task.target, task.lead_text, task.monitoring_text,
            task.coordinating_text, task.schedule_text, task.outputs, task.notes)


def _round_trip(plan: Plan) -> list[tuple[str, tuple]]:
    appendices = read_appendices(plan_docx(plan))
    indices = {"PAR INDEX": "PAR_INDEX", "PAPI": "PAPI", "SIPAS": "SIPAS"}
    out = []
    for appendix in appendices:
        title = appendix.heading[1]
        index = next(code for name, code in indices.items() if f"CHỈ SỐ {name}" in title)
        out.extend((index, _as_imported(task)) for task in appendix.tasks)
    return out


def _in_appendix_order(rows: list[tuple[str, tuple]]) -> list[tuple[str, tuple]]:
    order = {"PAR_INDEX": 0, "PAPI": 1, "SIPAS": 2}
    return sorted(rows, key=lambda r: order[r[0]])


@pytest.mark.django_db
def test_importing_the_exported_plan_gives_back_the_same_tasks(demo_plan):
    imported = _round_trip(demo_plan)
    expected = _in_appendix_order(_as_exported(demo_plan))
    assert len(imported) == demo_plan.tasks.count() == 124
    assert imported == expected


@pytest.mark.django_db
def test_multi_line_cells_several_nodes_and_optional_columns_survive(demo_plan):
    from chiso.orgs.models import Unit

    task = demo_plan.tasks.get(number="7.2.1")
    assert "\n" in task.content, "the demo keeps the separate items of 7.2.1 on separate lines"
    extra = demo_plan.frameworks.get(index="PAR_INDEX").nodes.get(code="7.3.3")
    task.nodes.add(extra)
    demo_plan.tasks.filter(pk=task.pk).update(
        target="Đạt 100%", notes="Ưu tiên\nQuý III", monitoring_unit=Unit.objects.get(
            province=demo_plan.province, code="so-noi-vu"))
    imported = _round_trip(demo_plan)
    assert imported == _in_appendix_order(_as_exported(demo_plan))
    row = next(values for _, values in imported if values[0] == "7.2.1")
    assert row[1] == ["7.2.1", "7.3.3"] and row[3] == "Đạt 100%" and row[9] == "Ưu tiên\nQuý III"
    assert row[5] == "Sở Nội vụ"


@pytest.mark.django_db
def test_a_units_derived_plan_round_trips(demo_plan):
    own = derive_unit_plan(demo_plan, User.objects.get(username=USERNAMES["focal_point"]).unit)
    assert _round_trip(own) == _in_appendix_order(_as_exported(own))


def test_columns_are_found_by_the_wording_printed_plans_use():
    assert column_for("STT") == "number"
    assert column_for("Nội dung, nhiệm vụ và giải pháp") == "content"
    assert column_for("Nhiệm vụ trọng tâm") == "content"
    assert column_for("Đơn vị chủ trì theo dõi") == "lead"
    assert column_for("Cơ quan, đơn vị phối hợp thực hiện") == "coordinating"
    assert column_for("Thời gian hoàn thành") == "schedule"
    assert column_for("Sản phẩm/kết quả công việc") == "outputs"
    assert column_for("Mục tiêu năm 2024") == "target"
    assert column_for("Chỉ số nội dung/Nội dung thành phần") == "node"
    assert column_for("Lĩnh vực/Tiêu chí/Tiêu chí thành phần") == "node"


def test_a_document_without_an_appendix_table_is_refused_with_a_message():
    document = Document()
    document.add_paragraph("Không có phụ lục")
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(DocxImportError, match="Không tìm thấy bảng phụ lục"):
        read_appendices(buffer.getvalue())
    with pytest.raises(DocxImportError, match="Không đọc được tệp Word"):
        read_appendices(b"not a zip")
