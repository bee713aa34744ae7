"""Index results: the Bắc Kạn 2021 figures reproduced from entered data, partial results, imports that
reject line by line, what-if against a hand calculation, plan coverage before issuing, target checks."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from chiso.accounts.models import User
from chiso.frameworks.models import Framework, Node
from chiso.orgs.models import Province
from chiso.plans.models import Plan, PlanStatus, PlanTarget, TargetKind, Task
from chiso.results.analysis import Flag, analyse
from chiso.results.builtin import PAPI_CSV, load_builtin_results
from chiso.results.models import Origin, Result, Score
from chiso.results.targets import check_target
from chiso.results.whatif import project
from chiso.results.writing import written_analysis
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

# Bắc Kạn in the research table (truncated to 4 decimals), 2020 and 2021, dimensions 1–8.
CSV_ROWS = {int(r["year"]): r for r in csv.DictReader(PAPI_CSV.open(encoding="utf-8")) if r["province_vi"] == "Bắc Kạn"}
# Sub-dimension scores printed in the Bắc Kạn plan's opening (2021 results).
PRINTED_SUBDIMENSIONS = {"1.1": "0,66", "1.4": "0,96", "2.1": "0,84", "3.2": "0,57", "7.3": "0,79", "8.1": "0,46",
                         "8.3": "0,44"}
EXPECTED_OPENING = (
    "Theo kết quả công bố Chỉ số PAPI năm 2021, tỉnh Bắc Kạn (cũ) đạt 42,153/80 điểm, giảm 0,567 điểm so với "
    "năm 2020; xếp thứ 34/63 tỉnh, thành phố, giảm 02 bậc so với năm 2020; ở nhóm thứ 3 là nhóm đạt điểm trung "
    "bình thấp."
)
EXPECTED_DIMENSIONS = (
    "- 04/8 chỉ số nội dung đạt điểm thấp so với điểm tối đa, gồm: Tham gia của người dân ở cấp cơ sở đạt "
    "4,86/10 điểm; Trách nhiệm giải trình với người dân đạt 4,25/10 điểm; Quản trị môi trường đạt 3,65/10 điểm; "
    "Quản trị điện tử đạt 2,58/10 điểm. Có 02/8 chỉ số nội dung xếp ở nhóm điểm thấp nhất, là: Thủ tục hành "
    "chính công và Quản trị điện tử; chưa có chỉ số nội dung xếp ở nhóm điểm cao nhất."
)
# The plan knew all 28 sub-dimensions; the figures entered here are the 7 it printed, and the text says so.
EXPECTED_SUBDIMENSIONS = (
    "- Trong 28 nội dung thành phần (07 có số liệu công bố) chưa có nội dung thành phần đạt điểm tối đa và còn một số nội dung thành "
    "phần đạt điểm thấp, gồm: Tri thức công dân 0,66/2,5 điểm; Đóng góp tự nguyện 0,96/2,5 điểm; Tiếp cận thông "
    "tin 0,84/2,5 điểm; Giải đáp khiếu nại, tố cáo, khúc mắc của người dân 0,57/3,3 điểm; Chất lượng nước "
    "0,79/3,3 điểm; Sử dụng cổng thông tin điện tử của chính quyền địa phương 0,46/3,4 điểm; Phúc đáp của chính "
    "quyền qua cổng thông tin điện tử 0,44/3,3 điểm."
)


def _bac_kan() -> Province:
    return Province.objects.get(code="bac-kan-cu")


def _form_for(framework: Framework, total: str, rank: str, rank_of: str, group: str, scores: dict[str, str]) -> dict:
    data = {"total": total, "rank": rank, "rank_of": rank_of, "group": group, "source": "Kế hoạch của tỉnh"}
    for node in framework.nodes.all():
        data[f"node_{node.pk}"] = scores.get(node.code, "")
    return data


def _enter(client, framework: Framework, year: int, form: dict) -> Result:
    url = f"/ket-qua/nhap/?framework={framework.pk}&year={year}&province={_bac_kan().pk}"
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Result.objects.get(framework=framework, year=year, province=_bac_kan(), unit=None)


@pytest.fixture
def entered_bac_kan():
    """Bắc Kạn's 2020 and 2021 PAPI results typed in through the form, as a coordinator would from the
    published report (the built-in copies are removed first, so nothing of them is reused)."""
    Result.objects.filter(province=_bac_kan(), year__in=[2020, 2021]).delete()
    admin = client_for("admin")
    dims = {year: {str(d): CSV_ROWS[year][f"D{d}"].replace(".", ",") for d in range(1, 9)} for year in (2020, 2021)}
    _enter(admin, Framework.objects.get(slug="papi-2020"), 2020,
           _form_for(Framework.objects.get(slug="papi-2020"), "42,720", "32", "63", "", dims[2020]))
    return _enter(admin, Framework.objects.get(slug="papi-2021"), 2021,
                  _form_for(Framework.objects.get(slug="papi-2021"), "42,153", "34", "63", "3",
                            dims[2021] | PRINTED_SUBDIMENSIONS))


def test_entering_bac_kan_2020_and_2021_reproduces_the_plan_opening(entered_bac_kan):
    text = written_analysis(analyse(entered_bac_kan)).splitlines()
    assert text[0] == EXPECTED_OPENING
    assert text[1] == EXPECTED_DIMENSIONS
    assert text[2] == EXPECTED_SUBDIMENSIONS
    page = client_for("viewer").get(f"/ket-qua/{entered_bac_kan.pk}/").content.decode()
    assert EXPECTED_OPENING in page and "42,153" in page


def test_published_total_is_kept_and_the_sum_shown_only_where_it_differs(entered_bac_kan):
    result_2020 = Result.objects.get(province=_bac_kan(), year=2020)
    analysis_2020 = analyse(result_2020)
    assert analysis_2020.total == Decimal("42.720")
    assert analysis_2020.computed_total == Decimal("42.7225")
    assert analysis_2020.total_differs
    assert "Cộng các thành phần: 42,723" in client_for("viewer").get(f"/ket-qua/{result_2020.pk}/").content.decode()
    analysis_2021 = analyse(entered_bac_kan)
    assert not analysis_2021.total_differs
    assert "Cộng các thành phần" not in client_for("viewer").get(f"/ket-qua/{entered_bac_kan.pk}/").content.decode()


def test_a_node_without_a_published_value_stays_empty_and_unflagged(entered_bac_kan):
    rows = {row.node.code: row for row in analyse(entered_bac_kan).rows}
    assert rows["1.2"].score is None and rows["1.2"].flags == []
    assert not Score.objects.filter(result=entered_bac_kan, node__code="1.2").exists()
    assert Flag.LOW in rows["8.1"].flags


def test_analysis_json_from_the_command_line(entered_bac_kan):
    out = io.StringIO()
    call_command("analyse_result", index="PAPI", year=2021, province="Bắc Kạn", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["total"], data["change"], data["rank"], data["rank_of"], data["rank_change"], data["group"]) == (
        42.153, -0.567, 34, 63, -2, 3)
    low = [n["code"] for n in data["nodes"] if "low" in n["flags"]]
    assert low == ["1", "1.1", "1.4", "2.1", "3", "3.2", "7", "7.3", "8", "8.1", "8.3"]
    assert data["paragraph"].startswith(EXPECTED_OPENING)


def test_over_maximum_in_the_form_is_refused_and_nothing_changes(entered_bac_kan):
    framework = entered_bac_kan.framework
    form = _form_for(framework, "42,153", "34", "63", "3", {"1.1": "2,6"})
    form["lock_version"] = entered_bac_kan.lock_version
    response = client_for("admin").post(f"/ket-qua/{entered_bac_kan.pk}/sua/", form)
    assert response.status_code == 400
    assert "vượt điểm tối đa 2,5" in response.content.decode()
    assert Score.objects.get(result=entered_bac_kan, node__code="1.1").value == Decimal("0.66")


def test_two_people_editing_the_same_result_do_not_overwrite_each_other(entered_bac_kan):
    framework = entered_bac_kan.framework
    admin = client_for("admin")
    first = _form_for(framework, "42,153", "34", "63", "3", {"1.1": "0,70"}) | {"lock_version": entered_bac_kan.lock_version}
    second = _form_for(framework, "42,153", "34", "63", "3", {"1.1": "0,80"}) | {"lock_version": entered_bac_kan.lock_version}
    assert admin.post(f"/ket-qua/{entered_bac_kan.pk}/sua/", first).status_code == 302
    assert admin.post(f"/ket-qua/{entered_bac_kan.pk}/sua/", second).status_code == 409
    assert Score.objects.get(result=entered_bac_kan, node__code="1.1").value == Decimal("0.70")
    assert Score.history.filter(result_id=entered_bac_kan.pk, node__code="1.1").count() >= 2


def _upload(rows: list[list[str]], name: str = "ket-qua.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def test_an_import_with_bad_lines_is_rejected_line_by_line_and_saves_nothing():
    framework = Framework.objects.get(slug="papi-2021")
    before = (Result.objects.count(), Score.objects.count(), list(Score.objects.order_by("pk").values_list("value", flat=True)))
    upload = _upload([
        ["Đối tượng", "Mã", "Điểm", "Xếp hạng", "Trên tổng số", "Nhóm"],
        ["Hà Giang", "TONG", "43,1", "20", "63", "2"],
        ["Hà Giang", "1.1", "2,7", "", "", ""],     # over the maximum 2,5
        ["Hà Giang", "9.9", "1", "", "", ""],       # no such node
        ["Hà Giang", "2.1", "1,2", "", "", ""],
        ["Hà Giang", "2.1", "1,3", "", "", ""],     # duplicate of line 5
        ["Tỉnh Không Có", "1", "5", "", "", ""],    # unknown province
    ])
    response = client_for("admin").post("/ket-qua/nhap-tep/", {"framework": framework.pk, "year": 2023, "file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dòng 3: 1.1: 2,7 vượt điểm tối đa 2,5." in page
    assert "Dòng 4: mã «9.9» không có trong bộ chỉ số" in page
    assert "Dòng 6: trùng với dòng 5" in page
    assert "Dòng 7: không tìm thấy tỉnh hoặc đơn vị «Tỉnh Không Có»." in page
    after = (Result.objects.count(), Score.objects.count(), list(Score.objects.order_by("pk").values_list("value", flat=True)))
    assert after == before


def test_a_good_import_saves_and_the_exported_template_round_trips():
    framework = Framework.objects.get(slug="papi-2021")
    admin = client_for("admin")
    upload = _upload([["Tỉnh", "Mã", "Điểm", "Xếp hạng", "Trên tổng số"], ["Hà Giang", "TONG", "43,1", "20", "63"],
                      ["Hà Giang", "8.1", "1,5"], ["Hà Giang", "8.2", ""]])
    response = admin.post("/ket-qua/nhap-tep/", {"framework": framework.pk, "year": 2023, "file": upload})
    assert response.status_code == 302
    result = Result.objects.get(province__code="ha-giang-cu", year=2023, unit=None)
    assert (result.total, result.rank, result.origin) == (Decimal("43.1"), 20, Origin.IMPORTED)
    assert result.scores.get(node__code="8.1").value == Decimal("1.5")
    assert result.scores.filter(node__code="1").exists()  # built-in dimension scores are kept
    template = admin.get(f"/ket-qua/mau/?framework={framework.pk}&year=2023")
    assert template.status_code == 200
    before = sorted(Score.objects.filter(result__year=2023).values_list("result_id", "node_id", "value"))
    again = SimpleUploadedFile("mau.xlsx", template.content)
    assert admin.post("/ket-qua/nhap-tep/", {"framework": framework.pk, "year": 2023, "file": again}).status_code == 302
    assert sorted(Score.objects.filter(result__year=2023).values_list("result_id", "node_id", "value")) == before


def test_a_corrupt_or_oversized_file_is_refused(settings):
    framework = Framework.objects.get(slug="papi-2021")
    admin = client_for("admin")
    corrupt = SimpleUploadedFile("ket-qua.xlsx", b"PK\x03\x04 not really a workbook")
    response = admin.post("/ket-qua/nhap-tep/", {"framework": framework.pk, "year": 2023, "file": corrupt})
    assert response.status_code == 400 and "Không đọc được tệp Excel" in response.content.decode()
    settings.CHISO_RESULT_IMPORT_MAX_BYTES = 100
    big = _upload([["Đối tượng", "Mã", "Điểm"]] + [["Hà Giang", "1", "5"]] * 20)
    response = admin.post("/ket-qua/nhap-tep/", {"framework": framework.pk, "year": 2023, "file": big})
    assert response.status_code == 400 and "Tệp quá lớn" in response.content.decode()


def test_a_coordinator_imports_only_their_own_province_and_its_former_provinces():
    framework = Framework.objects.get(slug="papi-2021")
    upload = _upload([["Đối tượng", "Mã", "Điểm"], ["Hà Giang", "8.1", "1,5"], ["Bắc Kạn", "8.1", "1,5"]])
    response = client_for("coordinator").post("/ket-qua/nhap-tep/", {"framework": framework.pk, "year": 2023, "file": upload})
    assert response.status_code == 400
    assert "Dòng 3: không có quyền nhập kết quả của «Bắc Kạn (cũ)»." in response.content.decode()


def test_what_if_two_subdimensions_raised_gives_the_hand_calculated_total_and_rank():
    result = Result.objects.get(province=_bac_kan(), year=2021, unit=None)
    analysis = analyse(result)
    projection = project(analysis, {"8.1": Decimal("1.46"), "1.1": Decimal("1.16")})  # +1,00 and +0,50
    assert projection.total == Decimal("42.153") + Decimal("1.5")
    # By hand: every other province's 2021 total from the research table, and how many stay above.
    others = [sum(Decimal(r[f"D{d}"]) for d in range(1, 9))
              for r in csv.DictReader(PAPI_CSV.open(encoding="utf-8"))
              if r["year"] == "2021" and r["province_vi"] != "Bắc Kạn" and all(r[f"D{d}"] for d in range(1, 9))]
    assert projection.rank == 1 + sum(1 for total in others if total > Decimal("43.653"))
    assert projection.scores["8"] == Decimal("2.5837") + 1 and projection.scores["1"] == Decimal("4.8581") + Decimal("0.5")
    page = client_for("focal_point").get(f"/ket-qua/{result.pk}/gia-dinh/?t_8.1=1,46&t_1.1=1,16").content.decode()
    assert "43,653" in page


def test_targets_are_checked_against_the_result():
    result = Result.objects.get(province=_bac_kan(), year=2021, unit=None)
    analysis = analyse(result)
    plan = Plan.objects.filter(province__code="tuyen-quang").first()
    group = check_target(PlanTarget(plan=plan, text="nhóm trung bình cao trở lên", index="PAPI", kind=TargetKind.GROUP,
                                    comparator=">=", value_text="high_avg", year=2021), analysis)
    assert (group.met, group.margin) == (False, Decimal(-1))
    score = check_target(PlanTarget(plan=plan, text="đạt 42 điểm trở lên", index="PAPI", kind=TargetKind.SCORE,
                                    comparator=">=", value=Decimal(42), year=2021), analysis)
    assert score.met and score.margin == Decimal("0.153")
    climb = check_target(PlanTarget(plan=plan, text="tăng ít nhất 05 bậc", index="PAPI", kind=TargetKind.RANK_CHANGE,
                                    comparator=">=", value=Decimal(5), year=2021), analysis)
    assert (climb.met, climb.margin) == (False, Decimal(-7))


@pytest.fixture
def draft_papi_plan(demo_plan) -> Plan:
    """A new draft province plan on PAPI with one task, on dimension 1 only."""
    plan = Plan.objects.create(province=demo_plan.province, owner_unit=demo_plan.owner_unit, title="Kế hoạch PAPI 2025",
                               issuer="UBND TỈNH TUYÊN QUANG", status=PlanStatus.DRAFT,
                               period_start=demo_plan.period_start, period_end=demo_plan.period_end)
    plan.frameworks.add(Framework.objects.get(slug="papi-2021"))
    task = Task.objects.create(plan=plan, content="Tuyên truyền về quyền tham gia của người dân", schedule_kind="ongoing")
    task.nodes.add(Node.objects.get(framework__slug="papi-2021", code="1"))
    return plan


def test_a_low_component_without_a_task_is_flagged_before_issuing_with_suggestions(draft_papi_plan):
    coordinator = client_for("coordinator")
    response = coordinator.post(f"/ke-hoach/{draft_papi_plan.pk}/ban-hanh/")
    assert response.status_code == 409
    page = response.content.decode()
    assert "Quản trị điện tử" in page and "chưa có nhiệm vụ nào trong kế hoạch" in page
    draft_papi_plan.refresh_from_db()
    assert draft_papi_plan.status == PlanStatus.DRAFT
    coverage = coordinator.get(f"/ket-qua/ke-hoach/{draft_papi_plan.pk}/").content.decode()
    assert "Tuyên Quang (cũ)" in coverage and "Hà Giang (cũ)" in coverage
    assert "gợi ý từ kế hoạch khác" in coverage
    suggestion = Task.objects.filter(plan__status=PlanStatus.ISSUED, nodes__framework__slug="papi-2021",
                                     nodes__code="8").first()
    copied = coordinator.post(f"/ket-qua/ke-hoach/{draft_papi_plan.pk}/sao-chep/",
                              {"task": suggestion.pk, "code": "8", "index": "PAPI"})
    assert copied.status_code == 302
    assert draft_papi_plan.tasks.filter(content=suggestion.content, nodes__code="8").exists()
    # An issued plan has its number and date: without them the form asks and nothing changes.
    response = coordinator.post(f"/ke-hoach/{draft_papi_plan.pk}/ban-hanh/", {"confirm_warnings": "1", "shown": "1"})
    assert response.status_code == 400 and 'name="number"' in response.content.decode()
    draft_papi_plan.refresh_from_db()
    assert draft_papi_plan.status == PlanStatus.DRAFT
    response = coordinator.post(f"/ke-hoach/{draft_papi_plan.pk}/ban-hanh/",
                                {"confirm_warnings": "1", "number": "160", "issued_on": "20/07/2025"})
    assert response.status_code == 302
    draft_papi_plan.refresh_from_db()
    assert draft_papi_plan.status == PlanStatus.ISSUED
    assert (draft_papi_plan.number, draft_papi_plan.issued_on.isoformat()) == ("160", "2025-07-20")


def test_merged_province_shows_its_former_provinces_side_by_side():
    page = client_for("viewer").get("/ket-qua/tinh/tuyen-quang/").content.decode()
    assert "Tuyên Quang (cũ)" in page and "Hà Giang (cũ)" in page
    assert "Theo kết quả công bố Chỉ số PAPI năm 2024, tỉnh Tuyên Quang (cũ) đạt" in page
    assert "Theo kết quả công bố Chỉ số PAPI năm 2024, tỉnh Hà Giang (cũ) đạt" in page


def test_ranks_are_computed_among_the_provinces_of_that_years_map():
    assert Province.objects.on_map_in(2024).count() == 63
    assert Province.objects.on_map_in(2025).count() == 34
    hanoi_2024 = Result.objects.get(province__code="ha-noi", year=2024)
    assert analyse(hanoi_2024).rank_of == 63


def test_builtin_loading_is_idempotent_and_never_overwrites_what_people_entered(entered_bac_kan):
    assert load_builtin_results() == 0
    assert Result.objects.get(pk=entered_bac_kan.pk).origin == Origin.ENTERED
    assert Result.objects.filter(year=2021, province__code="quang-ninh").count() == 0  # a gap stays a gap


def test_other_provinces_coordinator_cannot_see_this_provinces_unit_results(entered_bac_kan):
    from chiso.orgs.models import Unit

    unit = Unit.objects.get(province__code="tuyen-quang", code="so-khoa-hoc-va-cong-nghe")
    unit_result = Result.objects.create(framework=Framework.objects.get(slug="par-index-province-2022"), year=2024,
                                        province=unit.province, unit=unit, total=Decimal("85.5"))
    snv = Unit.objects.create(province=Province.objects.get(code="thai-nguyen"), code="so-noi-vu", name="Sở Nội vụ",
                              kind="department")
    outsider = User.objects.create_user("dieuphoi.tn2", password="x", role="coordinator", unit=snv)
    from django.test import Client

    client = Client()
    client.force_login(outsider)
    assert client.get(f"/ket-qua/{unit_result.pk}/").status_code == 404
    assert client.get(f"/ket-qua/{entered_bac_kan.pk}/").status_code == 200  # published results are public
    assert client.get(f"/ket-qua/{entered_bac_kan.pk}/sua/").status_code == 200  # Bắc Kạn is now part of Thái Nguyên


@pytest.mark.parametrize("role", ["admin", "coordinator", "focal_point", "leader", "viewer", "anonymous"])
def test_the_written_analysis_goes_into_a_draft_plans_opening(draft_papi_plan, role):
    result = Result.objects.get(province__code="tuyen-quang-cu", year=2024)
    response = client_for(role).post(f"/ket-qua/{result.pk}/chen-vao-ke-hoach/", {"plan": draft_papi_plan.pk})
    draft_papi_plan.refresh_from_db()
    if role == "anonymous":
        assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
        assert draft_papi_plan.preamble == ""
    elif role in ("admin", "coordinator"):
        assert response.status_code == 302
        assert "Theo kết quả công bố Chỉ số PAPI năm 2024, tỉnh Tuyên Quang (cũ) đạt" in draft_papi_plan.preamble
        page = client_for(role).get(f"/ket-qua/{result.pk}/").content.decode()
        assert "Chèn vào kế hoạch" in page
    else:
        assert response.status_code in (403, 404)
        assert draft_papi_plan.preamble == ""


def test_a_result_with_only_a_published_total_says_only_what_was_published():
    """The built-in PAR INDEX 2023 figures quoted in the news: a total and a rank, no component scores."""
    result = Result.objects.get(province__code="quang-ninh", year=2023, framework__index="PAR_INDEX")
    text = written_analysis(analyse(result))
    assert text == ("Theo kết quả công bố Chỉ số PAR INDEX năm 2023, tỉnh Quảng Ninh đạt 92,18%, tăng 2,08% so với "
                    "năm 2022; xếp thứ 1/63 tỉnh, thành phố, giữ nguyên thứ hạng so với năm 2022.")
    sparse = Result.objects.get(province__code="soc-trang-cu", year=2023, framework__index="PAR_INDEX")
    assert analyse(sparse).rank is None  # 7 quoted provinces are not a ranking
    assert client_for("viewer").get(f"/ket-qua/{sparse.pk}/").status_code == 200
    assert client_for("viewer").get("/ket-qua/?index=PAR_INDEX&year=2023").status_code == 200


def test_a_province_imports_its_units_index_from_the_template_and_ranks_them():
    from openpyxl import load_workbook

    framework = Framework.objects.get(slug="par-index-province-2022")
    coordinator = client_for("coordinator")
    template = coordinator.get(f"/ket-qua/mau/?framework={framework.pk}&year=2024&pham_vi=don-vi")
    assert template.status_code == 200
    workbook = load_workbook(io.BytesIO(template.content))
    sheet = workbook.worksheets[0]
    totals = {"so-noi-vu": 91.5, "so-tai-chinh": 88.25, "so-khoa-hoc-va-cong-nghe": 89.1}
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "TONG" and row[0].value in totals:
            row[4].value = totals[row[0].value]
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("don-vi.xlsx", buffer.getvalue())
    response = coordinator.post("/ket-qua/nhap-tep/", {"framework": framework.pk, "year": 2024, "file": upload})
    assert response.status_code == 302, response.content.decode()[:1500]
    # The demo publishes its own units' index on another framework: this import is the PAR INDEX one.
    finance = Result.objects.get(framework=framework, unit__code="so-tai-chinh", year=2024)
    analysis = analyse(finance)
    assert (analysis.rank, analysis.rank_of) == (3, 3)
    assert written_analysis(analysis).startswith(
        "Theo kết quả công bố Chỉ số PAR INDEX năm 2024, Sở Tài chính đạt 88,25%; xếp thứ 3/3 đơn vị.")
    assert "Sở Tài chính" in coordinator.get("/ket-qua/?index=PAR_INDEX").content.decode()
    # Units whose lines were left blank get no empty result.
    assert Result.objects.filter(framework=framework, year=2024, unit__isnull=False).count() == 3


def test_computed_rank_and_group_agree_with_the_published_ones(entered_bac_kan):
    """Without the typed rank and group, chiso's own ranking of the 2021 table gives the plan's figures."""
    Result.objects.filter(province=_bac_kan(), year__in=[2020, 2021]).update(rank=None, rank_of=None, group=None)
    analysis = analyse(Result.objects.get(pk=entered_bac_kan.pk))
    assert (analysis.rank, analysis.rank_of, analysis.rank_change, analysis.group) == (34, 63, -2, 3)
    assert not analysis.rank_published


def test_an_import_without_a_total_line_keeps_the_published_figures(entered_bac_kan):
    upload = _upload([["Đối tượng", "Mã", "Điểm"], ["Bắc Kạn", "8.1", "0,5"]])
    framework = entered_bac_kan.framework
    assert client_for("admin").post("/ket-qua/nhap-tep/", {"framework": framework.pk, "year": 2021,
                                                           "file": upload}).status_code == 302
    result = Result.objects.get(pk=entered_bac_kan.pk)
    assert (result.total, result.rank, result.rank_of, result.group) == (Decimal("42.153"), 34, 63, 3)
    assert result.source == "Kế hoạch của tỉnh"
    assert result.scores.get(node__code="8.1").value == Decimal("0.5")


def test_reimporting_the_template_unchanged_leaves_built_in_results_as_they_were():
    framework = Framework.objects.get(slug="papi-2021")
    admin = client_for("admin")
    before = list(Result.objects.filter(year=2022).order_by("pk").values_list("origin", "source", "lock_version"))
    template = admin.get(f"/ket-qua/mau/?framework={framework.pk}&year=2022")
    upload = SimpleUploadedFile("mau.xlsx", template.content)
    response = admin.post("/ket-qua/nhap-tep/", {"framework": framework.pk, "year": 2022, "file": upload}, follow=True)
    assert "0 kết quả có thay đổi" in response.content.decode()
    assert list(Result.objects.filter(year=2022).order_by("pk").values_list("origin", "source", "lock_version")) == before


def _xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("ket-qua.xlsx", buffer.getvalue())


def test_formulas_without_a_value_extra_cells_and_huge_numbers_are_refused_by_line():
    framework = Framework.objects.get(slug="papi-2021")
    admin = client_for("admin")
    before = sorted(Score.objects.values_list("pk", "value"))
    formula = _xlsx([["Đối tượng", "Mã", "Điểm"], ["Hà Giang", "1", "=2+3"]])
    response = admin.post("/ket-qua/nhap-tep/", {"framework": framework.pk, "year": 2023, "file": formula})
    assert response.status_code == 400 and "Dòng 2: ô có công thức chưa được tính giá trị" in response.content.decode()
    comma = SimpleUploadedFile("k.csv", "Đối tượng,Mã,Điểm\nHà Giang,1,4,86\n".encode())
    response = admin.post("/ket-qua/nhap-tep/", {"framework": framework.pk, "year": 2023, "file": comma})
    assert response.status_code == 400 and "Dòng 2: có nhiều ô hơn dòng tiêu đề" in response.content.decode()
    par = Framework.objects.get(slug="par-index-province-2022")
    huge = _upload([["Đối tượng", "Mã", "Điểm"], ["Hà Giang", par.nodes.first().code, "123456"]])
    response = admin.post("/ket-qua/nhap-tep/", {"framework": par.pk, "year": 2023, "file": huge})
    assert response.status_code == 400 and "quá lớn" in response.content.decode()
    assert sorted(Score.objects.values_list("pk", "value")) == before


def test_a_result_outside_its_framework_years_or_the_map_is_refused():
    admin = client_for("admin")
    papi_2021 = Framework.objects.get(slug="papi-2021")
    tuyen_quang_old = Province.objects.get(code="tuyen-quang-cu")
    response = admin.get(f"/ket-qua/nhap/?framework={papi_2021.pk}&year=2020&province={tuyen_quang_old.pk}")
    assert response.status_code == 400 and "không áp dụng cho năm 2020" in response.content.decode()
    response = admin.get(f"/ket-qua/nhap/?framework={papi_2021.pk}&year=2025&province={tuyen_quang_old.pk}")
    assert response.status_code == 400 and "không có trên bản đồ hành chính cuối năm 2025" in response.content.decode()


def test_ranks_do_not_move_across_the_merger():
    framework = Framework.objects.get(slug="papi-2021")
    hanoi = Province.objects.get(code="ha-noi")
    result = Result.objects.create(framework=framework, year=2025, province=hanoi, total=Decimal("45"), rank=27,
                                   rank_of=34)
    analysis = analyse(result)
    assert analysis.previous.year == 2024 and analysis.rank_change is None
    assert "bậc" not in written_analysis(analysis).splitlines()[0]


def test_totals_of_indices_that_are_not_sums_are_never_added_up():
    sipas = Framework.objects.get(slug="sipas-2022")
    result = Result.objects.create(framework=sipas, year=2024, province=Province.objects.get(code="ha-noi"))
    for node in sipas.nodes.filter(depth=0):
        Score.objects.create(result=result, node=node, value=Decimal("85"))
    analysis = analyse(result)
    assert analysis.total is None and analysis.computed_total is None
    assert "đạt" not in written_analysis(analysis).splitlines()[0].split(",")[1]


def test_malformed_parameters_answer_400_or_404_not_500(entered_bac_kan, draft_papi_plan):
    admin = client_for("admin")
    framework = Framework.objects.get(slug="papi-2021")
    assert admin.get(f"/ket-qua/{entered_bac_kan.pk}/?nguong=nan").status_code == 200
    assert admin.get(f"/ket-qua/{entered_bac_kan.pk}/gia-dinh/?t_8=nan").status_code == 400
    assert admin.get(f"/ket-qua/{entered_bac_kan.pk}/gia-dinh/?t_1.2=1").status_code == 400  # no published score
    assert admin.get(f"/ket-qua/ke-hoach/{draft_papi_plan.pk}/?ket_qua=%C2%B2").status_code == 404
    assert admin.get("/ket-qua/mau/?framework=abc&year=2024").status_code == 404
    assert admin.get(f"/ket-qua/mau/?framework={framework.pk}&year=-5").status_code == 400
    assert admin.get(f"/ket-qua/mau/?framework={framework.pk}&year=99999999999").status_code == 400
    assert admin.post(f"/ket-qua/{entered_bac_kan.pk}/chen-vao-ke-hoach/", {"plan": "abc"}).status_code == 404
    assert admin.post(f"/ket-qua/ke-hoach/{draft_papi_plan.pk}/sao-chep/", {"task": "abc"}).status_code == 404
    # A NUL in the component's code or index (PostgreSQL refuses one even in a filter): nothing copied.
    issued = Task.objects.filter(plan__status=PlanStatus.ISSUED).first()
    tasks_before = draft_papi_plan.tasks.count()
    for code, index in (("8\x00", "PAPI"), ("8", "PA\x00PI")):
        refused = admin.post(f"/ket-qua/ke-hoach/{draft_papi_plan.pk}/sao-chep/",
                             {"task": issued.pk, "code": code, "index": index})
        assert refused.status_code == 302 and draft_papi_plan.tasks.count() == tasks_before


def test_a_task_of_another_index_does_not_cover_a_component(draft_papi_plan):
    from chiso.results.coverage import plan_coverage

    result = Result.objects.get(province__code="tuyen-quang-cu", year=2024)
    weak_codes = {c.row.node.code for c in plan_coverage(draft_papi_plan, result).uncovered}
    assert "8" in weak_codes
    task = draft_papi_plan.tasks.first()
    task.nodes.add(Node.objects.get(framework__slug="par-index-province-2022", code="8"))
    assert "8" in {c.row.node.code for c in plan_coverage(draft_papi_plan, result).uncovered}


def test_what_if_a_component_and_its_part_count_once_and_a_lower_target_lowers():
    result = Result.objects.get(province=_bac_kan(), year=2021, unit=None)
    analysis = analyse(result)
    projection = project(analysis, {"8": Decimal("4.0"), "8.1": Decimal("3.0")})
    assert projection.total == Decimal("42.153") + (Decimal("4.0") - Decimal("2.5837"))
    lower = project(analysis, {"6": Decimal("7.0")})
    assert lower.total == Decimal("42.153") - (Decimal("7.7963") - Decimal("7.0"))
    assert lower.rank is not None and lower.rank >= analysis.rank
    top = project(analysis, {str(d): Decimal(10) for d in range(1, 9)})
    assert (top.total, top.rank, top.group) == (Decimal(80), 1, 1)
