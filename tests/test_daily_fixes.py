"""One test per item found in the walk of issue 10: letterheads, titles, repeated sections, codes on screen,
charts, lateness marks, ongoing tasks of an ended plan, counts beside shares."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from chiso.monitoring.lateness import assignment_is_overdue
from chiso.orgs.models import Unit
from chiso.plans.models import PlanStatus, PlanTarget, TargetKind
from chiso.plans.services import cascade_status, derive_unit_plan, submit_unit_plan
from chiso.results.charts import PALETTE, ranking_chart, trend_chart
from chiso.results.models import Result
from tests.conftest import client_for
from tests.monitoring_helpers import user

pytestmark = pytest.mark.django_db


def _unit(code: str) -> Unit:
    return Unit.objects.get(province__code="tuyen-quang", code=code)


def _page(role: str, url: str) -> str:
    response = client_for(role).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_a_departments_plan_page_has_the_governing_body_above_and_its_own_symbol(demo_plan):
    plan = derive_unit_plan(demo_plan, _unit("so-khoa-hoc-va-cong-nghe"))
    header = _page("coordinator", f"/ke-hoach/{plan.pk}/").split('class="doc-header"')[1].split("</div>\n  </div>")[0]
    governing, issuer = header.index("TỈNH TUYÊN QUANG"), header.index("SỞ KHOA HỌC VÀ CÔNG NGHỆ")
    assert governing < issuer and "/KH-SKHCN" in header


def test_a_wards_plan_is_headed_by_its_peoples_committee_in_full_and_its_title_does_not_repeat_the_kind(demo_plan):
    plan = derive_unit_plan(demo_plan, user("focal_point").unit)
    page = _page("focal_point", f"/ke-hoach/{plan.pk}/")
    assert "ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN" in page and "UBND PHƯỜNG" not in page and "/KH-UBND" in page
    assert "<strong>KẾ HOẠCH</strong>Thực hiện " in page


def test_the_plan_page_shows_the_implementation_once_and_no_english_source_note(demo_plan):
    page = _page("coordinator", f"/ke-hoach/{demo_plan.pk}/")
    assert page.count("TỔ CHỨC THỰC HIỆN") + page.count(">Tổ chức thực hiện</h2>") == 1
    assert page.count("4. Chế độ thông tin báo cáo") == 1
    assert "transcribed" not in page


def test_a_group_target_reads_in_words(demo_plan):
    PlanTarget.objects.create(plan=demo_plan, text="PAPI nằm trong nhóm trung bình cao trở lên", index="PAPI",
                              kind=TargetKind.GROUP, comparator=">=", value_text="high_avg")
    page = _page("coordinator", f"/ke-hoach/{demo_plan.pk}/")
    assert "high_avg" not in page and "&gt;=" not in page and "Nhóm trung bình cao trở lên" in page


def test_the_appendix_filter_names_indices_not_codes(demo_plan):
    page = _page("coordinator", f"/ke-hoach/{demo_plan.pk}/phu-luc/")
    assert "PAR_INDEX" not in page and "PAR INDEX 1." in page


def test_the_what_if_page_is_in_vietnamese_and_lists_where_points_are_easiest(demo_plan):
    # The former Tuyên Quang's latest PAPI has its eight content indices only: the list used to stay empty.
    result = Result.objects.filter(province__code="tuyen-quang-cu", framework__index="PAPI", unit=None).order_by(
        "-year").first()
    assert not result.scores.filter(node__depth__gt=0).exists()
    detail = _page("viewer", f"/ket-qua/{result.pk}/")
    assert "what-if" not in detail and "Giả định điểm số" in detail
    whatif = _page("viewer", f"/ket-qua/{result.pk}/gia-dinh/")
    table = whatif.split("Nơi dễ tăng điểm nhất")[1].split("</table>")[0]
    assert table.count("<tr>") >= 3  # heading + at least two components


def test_nine_series_get_nine_colours_and_every_province_is_labelled():
    from chiso.results.analysis import Trend

    trend = Trend(years=[2022, 2023], totals=[None, None], series={str(i): [None, None] for i in range(1, 9)},
                  names={str(i): f"Nội dung {i}" for i in range(1, 9)})
    colours = [d["borderColor"] for d in trend_chart(trend, "Tổng")["data"]["datasets"]]
    assert len(colours) == 9 == len(set(colours)) and len(PALETTE) >= 9
    chart = ranking_chart([("Tuyên Quang", None, True), ("Hà Nội", None, False)])
    assert chart["options"]["scales"]["y"]["ticks"]["autoSkip"] is False


def test_the_emulation_chart_names_units_in_full(demo_plan):
    response = client_for("coordinator").get("/theo-doi/thi-dua/")
    chart = response.context["chart"]
    if chart is not None:
        labels = chart["data"]["labels"]
        names = set(Unit.objects.filter(province__code="tuyen-quang").values_list("name", flat=True))
        assert set(labels) <= names


def test_a_unit_plan_sent_after_the_deadline_keeps_a_late_mark(demo_plan):
    demo_plan.unit_plans_due = dt.date(2025, 7, 20)
    demo_plan.save(update_fields=["unit_plans_due"])
    plan = derive_unit_plan(demo_plan, user("focal_point").unit)
    submit_unit_plan(plan, user("leader"))
    row = next(r for r in cascade_status(demo_plan, timezone.localdate()) if r.plan and r.plan.pk == plan.pk)
    assert row.submitted and row.submitted_late and not row.is_late
    page = _page("coordinator", f"/ke-hoach/{demo_plan.pk}/?trang-thai=gui-muon")
    assert "Gửi muộn" in page and "Phường Minh Xuân" in page.split('class="list stack cascade-list"')[1]
    assert plan.status == PlanStatus.SUBMITTED


def test_an_ongoing_task_of_a_plan_that_ended_is_overdue_not_still_open():
    today = dt.date(2026, 12, 3)
    assert assignment_is_overdue(None, False, today, plan_end=dt.date(2025, 12, 31))
    assert not assignment_is_overdue(None, True, today, plan_end=dt.date(2025, 12, 31))
    assert not assignment_is_overdue(None, False, today, plan_end=dt.date(2027, 1, 1))
    assert not assignment_is_overdue(None, False, today)


def test_the_on_time_share_stands_beside_its_counts(demo_plan):
    page = _page("coordinator", f"/theo-doi/ke-hoach/{demo_plan.pk}/")
    assert "hoàn thành đúng hạn (" in page and "lượt đã hoàn thành)" in page


def test_a_chart_config_is_valid_json_for_the_page(demo_plan):
    response = client_for("coordinator").get(f"/theo-doi/ke-hoach/{demo_plan.pk}/")
    assert json.dumps(response.context["unit_chart"])  # names, not codes, and serialisable
