"""Appraisal 1, the unit's explanation, appraisal 2, and the survey, bonus and penalty points."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chiso.accounts.models import User
from chiso.core.locking import claim_version
from chiso.frameworks.models import Node
from chiso.unitindex.models import Entry, Participant, SheetStatus, Stage, TreeSettings
from chiso.unitindex.scoring import ScoreRejected, check_score
from chiso.unitindex.services import SheetRefused, freeze, sheet_entries
from chiso.unitindex.stages import require_open
from chiso.unitindex.tree import method_of

APPRAISAL_STATUS = {Stage.APPRAISAL1: (SheetStatus.SENT,),
                    Stage.APPRAISAL2: (SheetStatus.APPRAISED, SheetStatus.EXPLAINED)}


def _checked(node: Node, value: Decimal | None) -> None:
    try:
        check_score(node, value)
    except ScoreRejected as refused:
        raise SheetRefused(str(refused)) from refused


@transaction.atomic
def save_appraisal(entry: Entry, *, stage: str, score: Decimal | None, comment: str, request_explanation: bool,
                   expected_version: int, by: User) -> Entry:
    """An appraiser's score of one criterion in appraisal 1 (may ask the unit to explain) or 2 (final)."""
    participant = entry.participant
    require_open(participant, stage)
    if participant.status not in APPRAISAL_STATUS[Stage(stage)]:
        raise SheetRefused(_("Phiếu chưa ở bước thẩm định này."))
    if score is None and not entry.not_applicable:
        raise SheetRefused(_("Cần nhập điểm thẩm định."))
    if method_of(entry.node) == "survey":
        raise SheetRefused(_("Điểm điều tra xã hội học được nhập riêng, không thẩm định."))
    _checked(entry.node, score)
    claim_version(entry, expected_version)
    if stage == Stage.APPRAISAL1:
        old, entry.appraisal1_score, entry.appraisal1_comment = entry.appraisal1_score, score, comment
        entry.explanation_requested = request_explanation
        entry.save(update_fields=["appraisal1_score", "appraisal1_comment", "explanation_requested"])
        field = "appraisal1_score"
    else:
        old, entry.final_score, entry.final_comment = entry.final_score, score, comment
        entry.save(update_fields=["final_score", "final_comment"])
        field = "final_score"
    if old != score:
        entry.changes.create(field=field, old=old, new=score, by=by, reason=comment)
    return entry


@transaction.atomic
def finish_appraisal(participant: Participant, *, stage: str, expected_version: int, by: User) -> None:
    """Close this unit's appraisal: every self-scored criterion has an appraised score. After appraisal 2
    the scores are final (a criterion not re-scored keeps its appraisal 1 score as final)."""
    require_open(participant, stage)
    if participant.status not in APPRAISAL_STATUS[Stage(stage)]:
        raise SheetRefused(_("Phiếu chưa ở bước thẩm định này."))
    entries = sheet_entries(participant)
    unscored = [e.node.code for e in entries
                if not e.not_applicable and method_of(e.node) == "self" and e.appraisal1_score is None]
    if unscored:
        raise SheetRefused(_("Chưa thẩm định: %(codes)s.") % {"codes": ", ".join(unscored)})
    claim_version(participant, expected_version)
    if stage == Stage.APPRAISAL1:
        participant.status = SheetStatus.APPRAISED
    else:
        for entry in entries:
            if entry.final_score is None and entry.appraisal1_score is not None:
                Entry.objects.filter(pk=entry.pk).update(final_score=entry.appraisal1_score)
                entry.final_score = entry.appraisal1_score
        participant.status = SheetStatus.FINAL
    participant.save(update_fields=["status"])
    freeze(participant, entries, stage, by)


@transaction.atomic
def save_answer(entry: Entry, *, answer: str, expected_version: int, by: User) -> Entry:
    """The unit's explanation of a criterion the appraisers flagged or scored lower."""
    participant = entry.participant
    require_open(participant, Stage.EXPLANATION)
    if participant.status != SheetStatus.APPRAISED:
        raise SheetRefused(_("Chưa đến bước giải trình hoặc đã gửi giải trình."))
    if not answer.strip():
        raise SheetRefused(_("Cần nhập nội dung giải trình."))
    claim_version(entry, expected_version)
    entry.answer = answer.strip()
    entry.save(update_fields=["answer"])
    return entry


@transaction.atomic
def send_explanation(participant: Participant, *, expected_version: int, by: User) -> None:
    require_open(participant, Stage.EXPLANATION)
    if participant.status != SheetStatus.APPRAISED:
        raise SheetRefused(_("Chưa đến bước giải trình hoặc đã gửi giải trình."))
    claim_version(participant, expected_version)
    participant.status, participant.explained_at = SheetStatus.EXPLAINED, timezone.now()
    participant.save(update_fields=["status", "explained_at"])
    freeze(participant, sheet_entries(participant), Stage.EXPLANATION, by)


@transaction.atomic
def set_survey_points(participant: Participant, points: dict[str, Decimal], *, by: User) -> None:
    """Survey points of a unit by criterion code, all or nothing; each within the criterion's maximum."""
    entries = {e.node.code: e for e in sheet_entries(participant)}
    for code, value in points.items():
        entry = entries.get(code)
        if entry is None or method_of(entry.node) != "survey":
            raise SheetRefused(_("%(code)s không phải tiêu chí điều tra xã hội học của bộ tiêu chí.") % {"code": code})
        _checked(entry.node, value)
    for code, value in points.items():
        entry = entries[code]
        if entry.final_score != value:
            entry.changes.create(field="survey", old=entry.final_score, new=value, by=by, reason=_("Điểm điều tra"))
            Entry.objects.filter(pk=entry.pk).update(final_score=value, lock_version=entry.lock_version + 1)


@transaction.atomic
def set_bonus_penalty(participant: Participant, *, bonus: Decimal, bonus_reason: str, penalty: Decimal,
                      penalty_reason: str, expected_version: int, by: User) -> None:
    settings = TreeSettings.objects.filter(framework_id=participant.framework_id).first()
    bonus_max = settings.bonus_max if settings else Decimal(0)
    penalty_max = settings.penalty_max if settings else Decimal(0)
    if not (0 <= bonus <= bonus_max) or not (0 <= penalty <= penalty_max):
        raise SheetRefused(_("Điểm thưởng tối đa %(bonus)s, điểm trừ tối đa %(penalty)s.") % {
            "bonus": bonus_max, "penalty": penalty_max})
    claim_version(participant, expected_version)
    participant.bonus, participant.bonus_reason = bonus, bonus_reason
    participant.penalty, participant.penalty_reason = penalty, penalty_reason
    participant.save(update_fields=["bonus", "bonus_reason", "penalty", "penalty_reason"])
