"""The demo plan is the real Tuyên Quang 2025 plan, entered in full: its appendix page lists the
same tasks, nodes and units as the document."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from chiso.core.text import fold
from chiso.demo import loader
from chiso.orgs.matching import AgencyMatcher
from chiso.plans.models import Assignment, Task
from tests.conftest import client_for

PLAN = yaml.safe_load(loader.PLAN_FILE.read_text(encoding="utf-8"))
SOURCE = (Path(loader.DATA) / "plans" / "sources" / "tuyen-quang-parindex-papi-sipas-2025.txt").read_text(encoding="utf-8")


def squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def test_transcription_counts_match_the_document_appendices():
    counts = {a["number"]: len(a["tasks"]) for a in PLAN["appendices"]}
    assert counts == {"01": 73, "02": 35, "03": 16}
    assert counts == {k: v for k, v in PLAN["task_counts"].items()}


def test_every_transcribed_task_comes_from_the_document_text():
    source = squash(SOURCE)
    for appendix in PLAN["appendices"]:
        for row in appendix["tasks"]:
            words = squash(row["content"])
            # Page breaks can split a long cell; the opening of each task must be in the text as printed.
            assert words[:30] in source, (appendix["number"], row["stt"])


@pytest.mark.django_db
def test_demo_plan_has_every_task_with_its_node_and_units(demo_plan):
    tasks = list(demo_plan.tasks.prefetch_related("nodes__framework", "lead_units", "lead_groups").order_by("order"))
    rows = [(a["index"], row) for a in PLAN["appendices"] for row in a["tasks"]]
    assert len(tasks) == len(rows) == 124
    matcher = AgencyMatcher(demo_plan.province)
    for task, (index, row) in zip(tasks, rows, strict=True):
        assert task.content == row["content"].strip()
        assert [(n.framework.index, n.code) for n in task.nodes.all()] == [(index, str(row["node"]))]
        expected = matcher.resolve("; ".join(row["lead"]))
        assert not expected.unknown
        assert {u.pk for u in task.lead_units.all()} == {u.pk for u in expected.units}
        assert {g.pk for g in task.lead_groups.all()} == {g.pk for g in expected.groups}
        assert task.schedule_text == (row.get("schedule") or "")


@pytest.mark.django_db
def test_appendix_page_shows_the_documents_tasks_nodes_and_units(demo_plan):
    response = client_for("viewer").get(f"/ke-hoach/{demo_plan.pk}/phu-luc/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="task-row"') == 124
    for appendix in PLAN["appendices"]:
        for node in appendix["nodes"]:
            if any(str(t["node"]) == str(node["code"]) for t in appendix["tasks"]):
                assert f'data-node="{node["code"]}"' in html
    assert "Sở Khoa học và Công nghệ" in html or "Sở KH&amp;CN" in html
    assert "UBND cấp xã" in html


@pytest.mark.django_db
def test_group_lead_gives_every_commune_its_own_assignment(demo_plan):
    task = Task.objects.filter(plan=demo_plan, lead_groups__name="UBND cấp xã").first()
    assert task is not None
    communes = demo_plan.province.units.filter(kind__in=["commune", "ward"]).count()
    assert communes == 124
    assert Assignment.objects.filter(task=task, unit__kind__in=["commune", "ward"]).count() == communes


@pytest.mark.django_db
def test_demo_targets_and_reporting_regime_are_structured(demo_plan):
    par = demo_plan.targets.get(index="PAR_INDEX", kind="percent")
    assert float(par.value) == 88.5 and par.comparator == ">="
    assert {r.kind for r in demo_plan.reporting_rules.all()} >= {"quarterly", "six_monthly", "yearly"}
    assert demo_plan.unit_plans_due.isoformat() == "2025-07-20"
    assert demo_plan.replaces.count() == 3


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing(demo_plan):
    before = Task.objects.count()
    result = loader.load_demo()
    assert not result.created and Task.objects.count() == before
