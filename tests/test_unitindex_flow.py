"""The whole round on a small tree, through every stage, with every figure computed by hand here.

Tree: 40 points = I (12) + II (14) + III (14, survey). 11 self-scored criteria worth 26, 4 survey criteria
worth 14; TCTP 1.2.2 may be "không áp dụng"; bonus and penalty up to 2 each. Thresholds: Tốt ≥ 90 %,
Khá ≥ 80 %, Trung bình ≥ 65 %, Yếu below."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from chiso.accounts.models import Role
from chiso.monitoring.models import Notification
from chiso.orgs.models import UnitKind
from chiso.results.models import Result, Score
from chiso.unitindex.appraisal import (
    finish_appraisal,
    save_answer,
    save_appraisal,
    send_explanation,
    set_bonus_penalty,
    set_survey_points,
)
from chiso.unitindex.models import Entry, Participant, ScoreChange, SheetStatus, Stage
from chiso.unitindex.publication import publish_round, standings
from chiso.unitindex.services import SelfScore, SheetRefused, save_self_score, send_sheet
from chiso.unitindex.stages import StageClosed, close_due_stages, reopen_stage
from tests.unitindex_helpers import (
    SELF_CODES,
    TREE,
    demo_province,
    make_round,
    make_tree,
    make_unit,
    make_user,
)

pytestmark = pytest.mark.django_db
D = Decimal
MAXIMA = {code: D(maximum) for code, _n, maximum, _s in TREE}


def _entry(sheet: Participant, code: str) -> Entry:
    return Entry.objects.select_related("node__criterion", "participant__round").get(participant=sheet, node__code=code)


def _fresh(sheet: Participant) -> Participant:
    return Participant.objects.select_related("round").get(pk=sheet.pk)


def _self_assess(sheet: Participant, focal, leader, not_applicable: tuple[str, ...] = ()) -> None:  # type: ignore[no-untyped-def]
    for code in SELF_CODES:
        entry = _entry(sheet, code)
        data = SelfScore(None, not_applicable=True) if code in not_applicable else SelfScore(MAXIMA[code])
        save_self_score(entry, data, expected_version=entry.lock_version, by=focal)
    send_sheet(_fresh(sheet), expected_version=_fresh(sheet).lock_version, by=leader)


def _appraise(sheet: Participant, stage: str, scores: dict[str, str], appraiser, asks: tuple[str, ...] = ()) -> None:  # type: ignore[no-untyped-def]
    for entry in Entry.objects.filter(participant=sheet).select_related("node__criterion", "participant__round"):
        if entry.node.code not in SELF_CODES or (stage == Stage.APPRAISAL2 and entry.node.code not in scores):
            continue
        value = None if entry.not_applicable else D(scores.get(entry.node.code, entry.self_score))
        save_appraisal(entry, stage=stage, score=value, comment="Thiếu minh chứng" if entry.node.code in scores else "",
                       request_explanation=entry.node.code in asks, expected_version=entry.lock_version, by=appraiser)
    finish_appraisal(_fresh(sheet), stage=stage, expected_version=_fresh(sheet).lock_version, by=appraiser)


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    province = demo_province()
    tree = make_tree(province)
    units = [make_unit(province, "so-a", "Sở Thử nghiệm A", UnitKind.DEPARTMENT),
             make_unit(province, "so-b", "Sở Thử nghiệm B", UnitKind.DEPARTMENT),
             make_unit(province, "xa-c", "Xã Thử nghiệm C", UnitKind.COMMUNE),
             make_unit(province, "xa-d", "Xã Thử nghiệm D", UnitKind.COMMUNE)]
    staff = {u.code: (make_user(f"dm-{u.code}", Role.FOCAL_POINT, u), make_user(f"ld-{u.code}", Role.LEADER, u))
             for u in units}
    appraiser = make_user("thamdinh.thu", Role.APPRAISER, units[0])
    round_ = make_round(province, tree, units)
    sheets = {p.unit.code: p for p in round_.participants.select_related("unit", "round")}
    return round_, sheets, staff, appraiser


def test_a_round_goes_through_every_stage_to_published_ranks_and_classes(world):  # type: ignore[no-untyped-def]
    round_, sheets, staff, appraiser = world
    _self_assess(sheets["so-a"], *staff["so-a"])
    _self_assess(sheets["so-b"], *staff["so-b"])
    _self_assess(sheets["xa-c"], *staff["xa-c"], not_applicable=("TCTP 1.2.2",))
    _self_assess(sheets["xa-d"], *staff["xa-d"], not_applicable=("TCTP 1.2.2",))
    assert {p.status for p in Participant.objects.filter(round=round_)} == {SheetStatus.SENT}

    # Appraisal 1: A loses a point on 2.1.1 and is asked to explain; B loses 2 on 1.3.1 and 2 on 2.2.1 (a choice);
    # C loses a point on 1.1.1 (choices 0/1/2); D keeps every score.
    _appraise(sheets["so-a"], Stage.APPRAISAL1, {"TCTP 2.1.1": "1"}, appraiser, asks=("TCTP 2.1.1",))
    _appraise(sheets["so-b"], Stage.APPRAISAL1, {"TCTP 1.3.1": "2", "TCTP 2.2.1": "2"}, appraiser)
    _appraise(sheets["xa-c"], Stage.APPRAISAL1, {"TCTP 1.1.1": "1"}, appraiser)
    _appraise(sheets["xa-d"], Stage.APPRAISAL1, {}, appraiser)
    # A explains with the decision it had forgotten; appraisal 2 gives the point back.
    asked = _entry(sheets["so-a"], "TCTP 2.1.1")
    assert asked.explanation_requested
    save_answer(asked, answer="Quyết định công bố số 15/QĐ-UBND ngày 10/3/2025", expected_version=asked.lock_version,
                by=staff["so-a"][0])
    send_explanation(_fresh(sheets["so-a"]), expected_version=_fresh(sheets["so-a"]).lock_version, by=staff["so-a"][1])
    for code, scores in {"so-a": {"TCTP 2.1.1": "2"}, "so-b": {}, "xa-c": {}, "xa-d": {}}.items():
        _appraise(sheets[code], Stage.APPRAISAL2, scores, appraiser)

    coordinator = staff["so-a"][0]
    for code, survey, bonus, penalty in [("so-a", ["4", "4", "2", "2"], "1", "0"), ("so-b", ["4", "4", "3", "3"], "0", "1"),
                                         ("xa-c", ["4", "3", "2", "1.25"], "0.5", "0"),
                                         ("xa-d", ["3", "3", "2", "1.75"], "0", "0")]:
        set_survey_points(sheets[code], dict(zip(["TCTP 3.1.1", "TCTP 3.1.2", "TCTP 3.2.1", "TCTP 3.2.2"],
                                                 map(D, survey), strict=True)), by=coordinator)
        fresh = _fresh(sheets[code])
        set_bonus_penalty(fresh, bonus=D(bonus), bonus_reason="", penalty=D(penalty), penalty_reason="",
                          expected_version=fresh.lock_version, by=coordinator)

    table = {s.participant.unit.code: s for s in standings(round_)}
    # A: 26 appraised + 12 survey + 1 bonus = 39 of 40 = 97,50 % → Tốt, first of 2 departments.
    # B: 22 + 14 − 1 = 35 of 40 = 87,50 % → Khá, second.
    # C: 23 + 10,25 + 0,5 = 33,75 of 38 (1.2.2 not applicable) = 88,82 % → Khá.
    # D: 24 + 9,75 = 33,75 of 38 = 88,82 % → Khá: C and D share rank 1 of 2.
    expected = {"so-a": ("39", "40", "97.50", 1, "Tốt"), "so-b": ("35", "40", "87.50", 2, "Khá"),
                "xa-c": ("33.75", "38", "88.82", 1, "Khá"), "xa-d": ("33.75", "38", "88.82", 1, "Khá")}
    for code, (total, maximum, percent, rank, klass) in expected.items():
        row = table[code]
        assert (row.totals.total, row.totals.applicable_max, row.totals.percent, row.rank, row.rank_of, row.klass) == (
            D(total), D(maximum), D(percent), rank, 2, klass), code
    assert table["so-b"].totals.self_total == D(26) and table["so-b"].totals.appraised == D(22)

    publish_round(round_, decision_text="Quyết định số 99/QĐ-UBND", by=coordinator)
    result = Result.objects.get(unit=sheets["so-a"].unit, year=2025)
    assert (result.total, result.rank, result.rank_of) == (D(39), 1, 2)
    scores = {s.node.code: s.value for s in Score.objects.filter(result=result).select_related("node")}
    assert scores["I"] == D(12) and scores["II"] == D(14) and scores["III"] == D(12) and scores["TC 2.1"] == D(6)
    commune = Result.objects.get(unit=sheets["xa-c"].unit, year=2025)
    assert "TCTP 1.2.2" not in {s.node.code for s in commune.scores.select_related("node")}
    changes = ScoreChange.objects.filter(entry=asked).order_by("at", "id")
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("self_score", None, D(2)), ("appraisal1_score", None, D(1)), ("final_score", None, D(2))]
    assert changes[1].by == appraiser and changes[1].reason == "Thiếu minh chứng"


def test_scores_outside_the_rule_are_refused_and_change_nothing(world):  # type: ignore[no-untyped-def]
    _round, sheets, staff, _appraiser = world
    focal = staff["so-a"][0]
    choice = _entry(sheets["so-a"], "TCTP 1.1.1")
    with pytest.raises(SheetRefused, match="một trong các mức: 0; 1; 2"):
        save_self_score(choice, SelfScore(D("1.5")), expected_version=choice.lock_version, by=focal)
    too_much = _entry(sheets["so-a"], "TCTP 1.3.1")
    with pytest.raises(SheetRefused, match="vượt điểm tối đa 4"):
        save_self_score(too_much, SelfScore(D("4.5")), expected_version=too_much.lock_version, by=focal)
    with pytest.raises(SheetRefused, match="không được chọn “không áp dụng”"):
        save_self_score(too_much, SelfScore(None, not_applicable=True), expected_version=too_much.lock_version, by=focal)
    survey = _entry(sheets["so-a"], "TCTP 3.1.1")
    with pytest.raises(SheetRefused, match="không do đơn vị tự chấm"):
        save_self_score(survey, SelfScore(D(1)), expected_version=survey.lock_version, by=focal)
    assert not Entry.objects.filter(participant=sheets["so-a"], self_score__isnull=False).exists()
    with pytest.raises(SheetRefused, match="Chỉ lãnh đạo"):
        send_sheet(_fresh(sheets["so-a"]), expected_version=1, by=focal)
    with pytest.raises(SheetRefused, match="chưa chấm điểm"):
        send_sheet(_fresh(sheets["so-a"]), expected_version=1, by=staff["so-a"][1])


def test_a_stage_closes_once_after_its_deadline_and_reopens_for_one_unit_only(world):  # type: ignore[no-untyped-def]
    round_, sheets, staff, _appraiser = world
    self_stage = round_.stages.get(stage=Stage.SELF)
    assert close_due_stages(now=self_stage.deadline - dt.timedelta(minutes=1)) == 0
    later = self_stage.deadline + dt.timedelta(hours=1)
    assert close_due_stages(now=later) == 1
    assert close_due_stages(now=later + dt.timedelta(hours=1)) == 0
    self_stage.refresh_from_db()
    assert self_stage.closed_at == later
    assert round_.stages.filter(closed_at__isnull=False).count() == 1
    coordinators = Notification.objects.filter(event_key=f"unitindex-stage-closed-{self_stage.pk}")
    assert coordinators.count() == coordinators.values("recipient").distinct().count() >= 1

    entry_a, entry_b = _entry(sheets["so-a"], "TCTP 1.3.1"), _entry(sheets["so-b"], "TCTP 1.3.1")
    with pytest.raises(StageClosed):
        save_self_score(entry_a, SelfScore(D(4)), expected_version=entry_a.lock_version, by=staff["so-a"][0])
    reopen_stage(_fresh(sheets["so-a"]), Stage.SELF, until=timezone.now() + dt.timedelta(days=3),
                 reason="Mất điện kéo dài ngày cuối hạn", by=staff["so-b"][0])
    save_self_score(_entry(sheets["so-a"], "TCTP 1.3.1"), SelfScore(D(4)), expected_version=entry_a.lock_version,
                    by=staff["so-a"][0])
    with pytest.raises(StageClosed):
        save_self_score(entry_b, SelfScore(D(4)), expected_version=entry_b.lock_version, by=staff["so-b"][0])
    assert sheets["so-a"].reopenings.get().reason == "Mất điện kéo dài ngày cuối hạn"
