"""Every task of a plan reaches its documents: tasks of a framework taken off the plan (or with no node) go
to a last appendix 'Nhiệm vụ khác' instead of vanishing, and a task on two indices is filed once, under its
first node in the plan's framework order."""

from __future__ import annotations

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from chiso.documents.exports.appendix_table import AppendixTable, TaskRow, appendix_tables
from chiso.documents.exports.plan_docx import plan_docx
from chiso.documents.exports.plan_xlsx import plan_xlsx
from chiso.frameworks.models import IndexKind, Node

pytestmark = pytest.mark.django_db


def _task_numbers(table: AppendixTable) -> list[str]:
    return [row.values["number"] for row in table.rows if isinstance(row, TaskRow)]


def test_tasks_of_a_framework_taken_off_the_plan_are_printed_last(demo_plan):
    sipas = demo_plan.frameworks.get(index=IndexKind.SIPAS)
    sipas_tasks = demo_plan.tasks.filter(nodes__framework=sipas).exclude(
        nodes__framework__in=demo_plan.frameworks.exclude(pk=sipas.pk)).distinct().count()
    demo_plan.frameworks.remove(sipas)
    tables = appendix_tables(demo_plan)
    assert [t.framework.index if t.framework else None for t in tables] == [IndexKind.PAR_INDEX, IndexKind.PAPI, None]
    assert tables[-1].title.startswith("NHIỆM VỤ KHÁC") and len(_task_numbers(tables[-1])) == sipas_tasks > 0
    assert sum(len(_task_numbers(t)) for t in tables) == demo_plan.tasks.count()
    doc = Document(io.BytesIO(plan_docx(demo_plan)))
    assert len(doc.sections) == 1 + 3 and any(p.text.startswith("NHIỆM VỤ KHÁC") for p in doc.paragraphs)
    assert load_workbook(io.BytesIO(plan_xlsx(demo_plan))).sheetnames[-1] == "Phụ lục 03 Nhiệm vụ khác"


def test_a_task_on_two_indices_is_filed_under_its_first_in_the_plans_order(demo_plan):
    task = demo_plan.tasks.filter(nodes__framework__index=IndexKind.PAR_INDEX).order_by("order").first()
    papi_first = Node.objects.filter(framework__plans=demo_plan, framework__index=IndexKind.PAPI).order_by(
        "position").first()
    assert papi_first.position <= min(n.position for n in task.nodes.all())
    task.nodes.add(papi_first)
    tables = appendix_tables(demo_plan)
    holding = [t.framework.index for t in tables for r in t.rows
               if isinstance(r, TaskRow) and r.values["content"] == task.content]
    assert holding == [IndexKind.PAR_INDEX]
    row = next(r for r in tables[0].rows if isinstance(r, TaskRow) and r.values["content"] == task.content)
    assert papi_first.code in row.values["node"].split()
    # The node column, left out while every task stands under one node, is printed when one names another.
    assert [c.heading for c in tables[0].columns][1] == "Lĩnh vực/Tiêu chí/Tiêu chí thành phần"
    assert all(c.key != "node" for c in tables[1].columns)
