"""The unit index in a real browser: the focal point of phường Minh Xuân fills three criteria (one by
picking the evidence already sent with a quarterly report), the leader signs and sends, the appraiser
lowers one score and asks for an explanation, the unit explains, appraisal 2 sets the final score, and the
final total and rank appear on the unit's page. The other criteria and the other commune (Hà Giang 1) are
scored through the services between the browser steps, so the test stays about the screens."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from chiso.accounts.models import User
from chiso.monitoring.reports.evidence import check_evidence
from chiso.monitoring.reports.services import add_evidence
from chiso.orgs.models import Unit
from chiso.plans.models import Plan, PlanStatus
from chiso.unitindex.appraisal import finish_appraisal, save_appraisal
from chiso.unitindex.models import AppraiserAssignment, Entry, Participant, Stage
from chiso.unitindex.services import SelfScore, save_self_score, send_sheet
from tests.conftest import login  # the session's Chromium is conftest's `browser` fixture
from tests.monitoring_helpers import minhxuan_report, pdf_bytes
from tests.unitindex_helpers import SELF_CODES, TREE, demo_province, make_round, make_tree

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect
MAXIMA = {code: Decimal(maximum) for code, _n, maximum, _s in TREE}
BY_BROWSER = ["TCTP 1.1.1", "TCTP 1.1.2", "TCTP 1.3.1"]


def _page(browser, live_server, username: str):  # type: ignore[no-untyped-def]
    page = browser.new_context(locale="vi-VN").new_page()
    login(page, live_server, username)
    return page


def _entry(sheet: Participant, code: str) -> Entry:
    return Entry.objects.select_related("node__criterion", "participant__round").get(participant=sheet, node__code=code)


def _by_service(sheet: Participant, codes: list[str], stage: str | None = None) -> None:
    focal = User.objects.get(username="daumoi.minhxuan")
    appraiser = User.objects.get(username="thamdinh")
    for code in codes:
        entry = _entry(sheet, code)
        if stage is None:
            save_self_score(entry, SelfScore(MAXIMA[code]), expected_version=entry.lock_version, by=focal)
        else:
            save_appraisal(entry, stage=stage, score=entry.self_score, comment="", request_explanation=False,
                           expected_version=entry.lock_version, by=appraiser)


def _other_commune_final(sheet: Participant) -> None:
    leader = User.objects.get(username="lanhdao.minhxuan")
    leader.unit = sheet.unit  # the leader's rights are checked on his unit: borrow Hà Giang 1 for its sheet
    _by_service(sheet, SELF_CODES)
    send_sheet(Participant.objects.get(pk=sheet.pk), expected_version=Participant.objects.get(pk=sheet.pk).lock_version,
               by=leader)
    _by_service(sheet, SELF_CODES, Stage.APPRAISAL1)
    for stage in (Stage.APPRAISAL1, Stage.APPRAISAL2):
        fresh = Participant.objects.select_related("round").get(pk=sheet.pk)
        finish_appraisal(fresh, stage=stage, expected_version=fresh.lock_version, by=leader)


def _save(page, entry_id: int, button: str) -> None:  # type: ignore[no-untyped-def]
    page.click(f"#tc-{entry_id} button:has-text('{button}')")


def _sheet_with_three_criteria_left() -> tuple[Participant, Unit]:
    """Minh Xuân's sheet in a round with Hà Giang 1 (already scored to the end): every criterion self-scored
    but the three of BY_BROWSER, and a quarterly report's evidence linked to TCTP 1.3.1 to pick from."""
    province = demo_province()
    tree = make_tree(province, slug="cchc-trinh-duyet")
    plan = Plan.objects.get(province=province, parent__isnull=True, status=PlanStatus.ISSUED)
    line = minhxuan_report(plan).lines.select_related("assignment__task").first()
    line.assignment.task.nodes.add(tree.nodes.get(code="TCTP 1.3.1"))
    add_evidence(line, check_evidence(io.BytesIO(pdf_bytes()), "bao-cao-tuyen-truyen-quy-3.pdf"),
                 User.objects.get(username="daumoi.minhxuan"))
    units = [Unit.objects.get(province=province, code=code) for code in ("phuong-minh-xuan", "phuong-ha-giang-1")]
    round_ = make_round(province, tree, units)
    sheet, other = (round_.participants.get(unit=unit) for unit in units)
    AppraiserAssignment.objects.create(round=round_, appraiser=User.objects.get(username="thamdinh"), participant=sheet)
    _other_commune_final(other)
    _by_service(sheet, [code for code in SELF_CODES if code not in BY_BROWSER])
    return sheet, units[0]


def _focal_point_fills_three_criteria(focal, ids: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    """A score picked from a list, a score with the documents it rests on, and one proven by picking the
    evidence already sent with the quarterly report."""
    focal.select_option(f"#tc-{ids['TCTP 1.1.1']} select[name=score]", "2")
    _save(focal, ids["TCTP 1.1.1"], "Lưu tiêu chí")
    expect(focal.locator(f"#tc-{ids['TCTP 1.1.1']} td.num").first).to_have_text("2")
    focal.fill(f"#tc-{ids['TCTP 1.1.2']} input[name=score]", "2")
    focal.fill(f"#tc-{ids['TCTP 1.1.2']} textarea[name=documents]", "12/KH-UBND | 15/01/2025 | mục II, trang 3")
    _save(focal, ids["TCTP 1.1.2"], "Lưu tiêu chí")
    expect(focal.locator(f"#tc-{ids['TCTP 1.1.2']}")).to_contain_text("12/KH-UBND")
    focal.fill(f"#tc-{ids['TCTP 1.3.1']} input[name=score]", "4")
    _save(focal, ids["TCTP 1.3.1"], "Lưu tiêu chí")
    expect(focal.locator(f"#tc-{ids['TCTP 1.3.1']} td.num").first).to_have_text("4")
    _save(focal, ids["TCTP 1.3.1"], "Chọn")
    expect(focal.locator(f"#tc-{ids['TCTP 1.3.1']} .evidence-box")).to_contain_text("bao-cao-tuyen-truyen-quy-3.pdf")


def _appraisal_1_lowers_one_and_asks_why(appraiser, url: str, sheet: Participant,  # type: ignore[no-untyped-def]
                                         entry_id: int) -> None:
    """TCTP 1.3.1 lowered from 4 to 2 with a request for explanation; the other criteria kept by service."""
    appraiser.goto(url)
    appraiser.fill(f"#tc-{entry_id} input[name=score]", "2")
    appraiser.check(f"#tc-{entry_id} input[name=request_explanation]")
    appraiser.fill(f"#tc-{entry_id} textarea[name=comment]", "Chưa có báo cáo quý IV")
    _save(appraiser, entry_id, "Lưu điểm thẩm định")
    expect(appraiser.locator(f"#tc-{entry_id}")).to_contain_text("Đề nghị giải trình")
    _by_service(sheet, [code for code in SELF_CODES if code != "TCTP 1.3.1"], Stage.APPRAISAL1)
    appraiser.goto(url)
    appraiser.click("button:has-text('Hoàn thành thẩm định lần 1')")
    appraiser.wait_for_selector("text=Đã hoàn thành thẩm định.")


def _unit_explains(focal, leader, url: str, entry_id: int) -> None:  # type: ignore[no-untyped-def]
    focal.goto(url)
    focal.fill(f"#tc-{entry_id} textarea[name=answer]", "Bổ sung Báo cáo số 45/BC-UBND ngày 20/12/2025")
    _save(focal, entry_id, "Lưu giải trình")
    expect(focal.locator(f"#tc-{entry_id}")).to_contain_text("Bổ sung Báo cáo số 45/BC-UBND")
    leader.goto(url)
    leader.click("button:has-text('Gửi giải trình')")
    leader.wait_for_selector("text=Đã gửi giải trình.")


def _appraisal_2_sets_the_final_score(appraiser, url: str, entry_id: int) -> None:  # type: ignore[no-untyped-def]
    appraiser.goto(url)
    appraiser.fill(f"#tc-{entry_id} input[name=score]", "3")
    _save(appraiser, entry_id, "Lưu điểm thẩm định")
    expect(appraiser.locator(f"#tc-{entry_id} td.num").nth(2)).to_have_text("3")
    appraiser.click("button:has-text('Hoàn thành thẩm định lần 2')")
    appraiser.wait_for_selector("text=Đã hoàn thành thẩm định.")


@pytest.mark.django_db(transaction=True)
def test_a_sheet_goes_from_three_criteria_filled_in_the_browser_to_a_final_score_and_rank(
        browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    sheet, unit = _sheet_with_three_criteria_left()
    ids = {code: _entry(sheet, code).pk for code in BY_BROWSER}
    url = f"{live_server.url}/chi-so-don-vi/phieu/{sheet.pk}/"

    focal = _page(browser, live_server, "daumoi.minhxuan")
    focal.goto(url)
    _focal_point_fills_three_criteria(focal, ids)
    leader = _page(browser, live_server, "lanhdao.minhxuan")
    leader.goto(url)
    leader.click("button:has-text('Ký và gửi phiếu')")
    leader.wait_for_selector("text=Đã ký và gửi phiếu tự chấm.")

    appraiser = _page(browser, live_server, "thamdinh")
    _appraisal_1_lowers_one_and_asks_why(appraiser, url, sheet, ids["TCTP 1.3.1"])
    _unit_explains(focal, leader, url, ids["TCTP 1.3.1"])
    _appraisal_2_sets_the_final_score(appraiser, url, ids["TCTP 1.3.1"])

    # 26 points of self-scored criteria less 1 on TCTP 1.3.1 = 25 of 40 = 62,5 % (Yếu); Hà Giang 1 has 26 = 65 %.
    focal.goto(f"{live_server.url}/chi-so-don-vi/don-vi/{unit.pk}/")
    row = focal.locator("tr").filter(has_text="Chỉ số CCHC năm 2025").filter(has_not_text="minh hoạ")
    expect(row).to_contain_text("25")
    expect(row).to_contain_text("62,5")
    expect(row).to_contain_text("2/2")
    expect(row).to_contain_text("Yếu")
