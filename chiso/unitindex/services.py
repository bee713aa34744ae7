"""Every multi-row write of the unit index: opening a round, the unit's sheet, sending it.

Each function owns its transaction; views, the demo loader and tests call them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chiso.accounts.models import Role, User
from chiso.core.locking import claim_version
from chiso.frameworks.models import Framework
from chiso.monitoring.models import Evidence
from chiso.monitoring.reports.evidence import CheckedFile
from chiso.orgs.models import Province, Unit, UnitKind
from chiso.unitindex.models import (
    Entry,
    EntryEvidence,
    Participant,
    Round,
    RoundStage,
    RoundTree,
    ScoreChange,
    SheetStatus,
    SheetVersion,
    Stage,
    UnitType,
)
from chiso.unitindex.scoring import ScoreRejected, check_score
from chiso.unitindex.stages import require_open
from chiso.unitindex.tree import leaves, method_of, ordered_nodes

UNIT_TYPES: dict[str, UnitType] = {UnitKind.DEPARTMENT: UnitType.DEPARTMENTS, UnitKind.COMMUNE: UnitType.COMMUNES,
              UnitKind.WARD: UnitType.COMMUNES, UnitKind.PROVINCE_COMMITTEE: UnitType.PROVINCE}


class SheetRefused(Exception):
    """The write is refused; the message says why in the user's words."""


def unit_type_of(unit: Unit) -> UnitType | None:
    return UNIT_TYPES.get(unit.kind)


@transaction.atomic
def open_round(*, province: Province, year: int, name: str, trees: dict[UnitType, Framework], units: Iterable[Unit],
               deadlines: dict[str, dt.datetime], thresholds: list[dict[str, str]] | None = None) -> Round:
    """The round, its trees per unit type, a deadline per stage, and a sheet with one entry per criterion
    for every unit taking part (a unit whose type has no tree is refused)."""
    missing = [stage for stage in Stage if stage not in deadlines]
    if missing:
        raise SheetRefused(_("Chưa có hạn cho giai đoạn: %(stages)s.") % {
            "stages": ", ".join(str(Stage(stage).label) for stage in missing)})
    kwargs: dict[str, Any] = {"thresholds": thresholds} if thresholds else {}
    round_ = Round.objects.create(province=province, year=year, name=name, **kwargs)
    RoundTree.objects.bulk_create([RoundTree(round=round_, unit_type=kind, framework=tree) for kind, tree in trees.items()])
    RoundStage.objects.bulk_create([RoundStage(round=round_, stage=stage, deadline=when)
                                    for stage, when in deadlines.items()])
    tree_leaves = {kind: leaves(ordered_nodes(tree)) for kind, tree in trees.items()}
    for unit in units:
        kind = UnitType.PROVINCE if len(trees) == 1 and UnitType.PROVINCE in trees else unit_type_of(unit)
        if kind is None or kind not in trees or unit.province_id != province.pk:
            raise SheetRefused(_("Đơn vị “%(unit)s” không thuộc loại đơn vị nào có bộ tiêu chí trong đợt này.") % {
                "unit": unit.name})
        sheet = Participant.objects.create(round=round_, unit=unit, unit_type=kind, framework=trees[kind])
        Entry.objects.bulk_create([Entry(participant=sheet, node=node) for node in tree_leaves[kind]])
    return round_


def _record_change(entry: Entry, field_name: str, old: Decimal | None, new: Decimal | None, by: User,
                   reason: str = "") -> None:
    if old != new:
        ScoreChange.objects.create(entry=entry, field=field_name, old=old, new=new, by=by, reason=reason)


@dataclass
class SelfScore:
    score: Decimal | None
    not_applicable: bool = False
    figures: str = ""
    explanation: str = ""
    documents: list[dict[str, str]] = field(default_factory=list)


def _check_self_score(entry: Entry, data: SelfScore) -> None:
    detail = getattr(entry.node, "criterion", None)
    if method_of(entry.node) != "self":
        raise SheetRefused(_("Tiêu chí %(code)s không do đơn vị tự chấm.") % {"code": entry.node.code})
    if data.not_applicable and not (detail and detail.allows_not_applicable):
        raise SheetRefused(_("Tiêu chí %(code)s không được chọn “không áp dụng”.") % {"code": entry.node.code})
    if not data.not_applicable:
        try:
            check_score(entry.node, data.score)
        except ScoreRejected as refused:
            raise SheetRefused(str(refused)) from refused


@transaction.atomic
def save_self_score(entry: Entry, data: SelfScore, *, expected_version: int, by: User) -> Entry:
    """The unit's own score of one criterion while its self-assessment is open and the sheet not sent."""
    participant = entry.participant
    require_open(participant, Stage.SELF)
    if participant.status not in (SheetStatus.NOT_STARTED, SheetStatus.IN_PROGRESS):
        raise SheetRefused(_("Phiếu đã gửi, không sửa được nữa."))
    _check_self_score(entry, data)
    claim_version(entry, expected_version)
    old = entry.self_score
    entry.not_applicable = data.not_applicable
    entry.self_score = None if data.not_applicable else data.score
    entry.figures, entry.explanation, entry.documents = data.figures, data.explanation, data.documents
    entry.save(update_fields=["not_applicable", "self_score", "figures", "explanation", "documents"])
    _record_change(entry, "self_score", old, entry.self_score, by)
    if participant.status == SheetStatus.NOT_STARTED:
        Participant.objects.filter(pk=participant.pk).update(status=SheetStatus.IN_PROGRESS)
        participant.status = SheetStatus.IN_PROGRESS
    return entry


def _evidence_stage(entry: Entry) -> str:
    return Stage.EXPLANATION if entry.participant.status == SheetStatus.APPRAISED else Stage.SELF


def _require_evidence_window(entry: Entry) -> str:
    stage = _evidence_stage(entry)
    require_open(entry.participant, stage)
    if stage == Stage.SELF and entry.participant.status not in (SheetStatus.NOT_STARTED, SheetStatus.IN_PROGRESS):
        raise SheetRefused(_("Phiếu đã gửi, không sửa được nữa."))
    return stage


@transaction.atomic
def add_uploaded_evidence(entry: Entry, checked: CheckedFile, *, by: User) -> EntryEvidence:
    stage = _require_evidence_window(entry)
    evidence = EntryEvidence(entry=entry, original_name=checked.name, content_type=checked.content_type,
                             size=checked.size, stage=stage, added_by=by)
    evidence.file.save(checked.name, ContentFile(checked.data), save=False)
    evidence.save()
    return evidence


@transaction.atomic
def pick_report_evidence(entry: Entry, evidence_id: int, *, by: User) -> EntryEvidence:
    """Attach a file the unit already sent with a report line on this criterion's tasks: the row points
    to the report's file, nothing is copied."""
    from chiso.unitindex.evidence_reuse import suggestions

    stage = _require_evidence_window(entry)
    offered = {evidence.pk: evidence for evidence in suggestions(entry)}
    if evidence_id not in offered:
        raise SheetRefused(_("Tệp minh chứng này không thuộc báo cáo của đơn vị về tiêu chí này."))
    source: Evidence = offered[evidence_id]
    if entry.evidence.filter(report_evidence_id=evidence_id).exists():
        raise SheetRefused(_("Tệp này đã được chọn cho tiêu chí."))
    return EntryEvidence.objects.create(entry=entry, report_evidence=source, original_name=source.original_name,
                                        content_type=source.content_type, size=source.size, stage=stage,
                                        added_by=by)


def missing_before_sending(participant: Participant, entries: list[Entry]) -> list[str]:
    """What stops the leader from sending: a self-scored criterion without a score, or an explanation
    the criterion requires."""
    problems = []
    for entry in entries:
        if entry.not_applicable or method_of(entry.node) != "self":
            continue
        if entry.self_score is None:
            problems.append(_("%(code)s: chưa chấm điểm.") % {"code": entry.node.code})
        detail = getattr(entry.node, "criterion", None)
        if detail and detail.explanation_required and not entry.explanation.strip():
            problems.append(_("%(code)s: chưa có thuyết minh (bắt buộc).") % {"code": entry.node.code})
    return problems


def sheet_entries(participant: Participant) -> list[Entry]:
    return list(participant.entries.select_related("node", "node__criterion").order_by("node__position"))


def freeze(participant: Participant, entries: list[Entry], stage: str, by: User) -> SheetVersion:
    content = {"bonus": str(participant.bonus), "penalty": str(participant.penalty), "entries": [
        {"code": e.node.code, "self": _text(e.self_score), "not_applicable": e.not_applicable,
         "figures": e.figures, "explanation": e.explanation, "documents": e.documents,
         "appraisal1": _text(e.appraisal1_score), "answer": e.answer, "final": _text(e.final_score)}
        for e in entries]}
    number = participant.versions.count() + 1
    return SheetVersion.objects.create(participant=participant, number=number, stage=stage, content=content,
                                       sent_by=by)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@transaction.atomic
def send_sheet(participant: Participant, *, expected_version: int, by: User) -> SheetVersion:
    """The leader signs the sheet off and sends it; what was sent is frozen as a version."""
    if by.role != Role.LEADER or by.unit_id != participant.unit_id:
        raise SheetRefused(_("Chỉ lãnh đạo đơn vị ký và gửi phiếu."))
    require_open(participant, Stage.SELF)
    if participant.status not in (SheetStatus.NOT_STARTED, SheetStatus.IN_PROGRESS):
        raise SheetRefused(_("Phiếu đã được gửi."))
    entries = sheet_entries(participant)
    problems = missing_before_sending(participant, entries)
    if problems:
        raise SheetRefused(" ".join(problems))
    claim_version(participant, expected_version)
    participant.status, participant.sent_at, participant.signed_by = SheetStatus.SENT, timezone.now(), by
    participant.save(update_fields=["status", "sent_at", "signed_by"])
    return freeze(participant, entries, Stage.SELF, by)
