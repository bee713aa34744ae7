"""Unit-level trees: copying last year's in one action, the maxima shown where they do not add up, the
stage-closing job, and the province answering the national index with the same machinery."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from chiso.frameworks.models import Framework
from chiso.orgs.models import Unit
from chiso.unitindex.models import CriterionDetail, RoundStage, Stage, TreeSettings, UnitType
from chiso.unitindex.services import open_round
from chiso.unitindex.tasks import close_due_stages_task
from chiso.unitindex.tree import maxima_problems
from tests.conftest import client_for
from tests.unitindex_helpers import deadlines, demo_province, make_round, make_tree

pytestmark = pytest.mark.django_db


def test_copying_last_years_tree_is_one_action_that_keeps_every_criterion_detail() -> None:
    tree = make_tree(demo_province())
    response = client_for("coordinator").post(f"/chi-so-don-vi/bo-tieu-chi/{tree.pk}/sao-chep/", {"year": "2026"})
    copy = Framework.objects.get(copied_from=tree)
    assert response.status_code == 302 and response["Location"].endswith(f"/bo-tieu-chi/{copy.pk}/")
    assert copy.valid_from == 2026 and copy.nodes.count() == tree.nodes.count() == 26
    detail = CriterionDetail.objects.get(node__framework=copy, node__code="TCTP 1.1.1")
    assert detail.choices == ["0", "1", "2"] and detail.node.parent.code == "TC 1.1"
    assert TreeSettings.objects.get(framework=copy).bonus_max == Decimal(2)
    assert CriterionDetail.objects.filter(node__framework=tree).count() == 15  # the original is untouched


def test_the_coordinator_is_told_where_maxima_do_not_add_up() -> None:
    tree = make_tree(demo_province())
    tree.nodes.filter(code="TCTP 2.1.3").update(max_points=Decimal("2.5"))
    assert [(p.code, p.message) for p in maxima_problems(tree)] == [
        ("TC 2.1", "Tổng điểm tối đa của các nội dung con là 6,5, khác điểm tối đa 6.")]
    page = client_for("coordinator").get(f"/chi-so-don-vi/bo-tieu-chi/{tree.pk}/").content.decode()
    assert "Điểm tối đa chưa khớp" in page and "khác điểm tối đa 6." in page


def test_the_background_job_closes_a_passed_stage_once() -> None:
    province = demo_province()
    round_ = make_round(province, make_tree(province), [Unit.objects.get(province=province, code="phuong-minh-xuan")])
    RoundStage.objects.filter(round=round_, stage=Stage.SELF).update(deadline=timezone.now() - dt.timedelta(hours=1))
    assert close_due_stages_task.enqueue().return_value == 1
    assert close_due_stages_task.enqueue().return_value == 0
    assert list(round_.stages.filter(closed_at__isnull=False).values_list("stage", flat=True)) == [Stage.SELF]


def test_the_province_assesses_itself_on_the_built_in_provincial_framework() -> None:
    province = demo_province()
    national = Framework.objects.get(slug="par-index-province-2022")
    committee = Unit.objects.get(province=province, code="ubnd-tinh")
    round_ = open_round(province=province, year=2025, name="Tự đánh giá PAR INDEX 2025",
                        trees={UnitType.PROVINCE: national}, units=[committee], deadlines=deadlines())
    sheet = round_.participants.get()
    assert sheet.unit_type == UnitType.PROVINCE and sheet.entries.count() == national.nodes.filter(children=None).count()


@pytest.mark.parametrize("role,expected", [("coordinator", 200), ("admin", 200), ("viewer", 403),
                                           ("focal_point", 403), ("leader", 403), ("anonymous", 302)])
def test_only_the_province_managers_edit_a_criterions_details(role: str, expected: int) -> None:
    detail = CriterionDetail.objects.get(node__framework=make_tree(demo_province()), node__code="TCTP 1.1.2")
    response = client_for(role).post(f"/chi-so-don-vi/bo-tieu-chi/tieu-chi/{detail.pk}/", {
        "lock_version": "1", "rule_text": "Hoàn thành 100%: 2 điểm; từ 80% đến dưới 100%: 1 điểm",
        "method": "self", "choices": "0; 1; 2", "evidence_required": "Báo cáo năm"}, HTTP_HX_REQUEST="true")
    assert response.status_code == expected
    detail.refresh_from_db()
    assert (detail.choices == ["0", "1", "2"]) == (expected == 200)


def test_a_stale_criterion_edit_is_refused_with_409() -> None:
    detail = CriterionDetail.objects.get(node__framework=make_tree(demo_province()), node__code="TCTP 1.1.2")
    client = client_for("coordinator")
    body = {"lock_version": "1", "method": "survey", "choices": ""}
    assert client.post(f"/chi-so-don-vi/bo-tieu-chi/tieu-chi/{detail.pk}/", body).status_code == 200
    stale = client.post(f"/chi-so-don-vi/bo-tieu-chi/tieu-chi/{detail.pk}/", {**body, "method": "province"})
    assert stale.status_code == 409
    detail.refresh_from_db()
    assert detail.method == "survey"
    bad = client.post(f"/chi-so-don-vi/bo-tieu-chi/tieu-chi/{detail.pk}/", {**body, "lock_version": "2",
                                                                            "choices": "một; hai"})
    assert bad.status_code == 400 and "không phải là số" in bad.content.decode()
