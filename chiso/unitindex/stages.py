"""Which stage is open for which unit, closing stages after their deadline, reopening one for a unit."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chiso.accounts.models import Role, User
from chiso.monitoring.models import Notification, NotificationKind
from chiso.unitindex.models import Participant, Reopening, RoundStage, SheetStatus, Stage


class StageClosed(Exception):
    """The stage is closed for this unit; the message says so."""


def stage_is_open(participant: Participant, stage: str, now: dt.datetime | None = None) -> bool:
    """Open until its deadline (and until the closing job records it), or reopened for this unit."""
    return stage_deadline(participant, stage, now) is not None


def stage_deadline(participant: Participant, stage: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """Until when the unit may still act in the stage: the later of the stage's own deadline (while it is
    open) and a reopening for this unit; None when it is closed for the unit. Reads the prefetched stages and
    reopenings, as stage_is_open does."""
    now = now or timezone.now()
    ends = [s.deadline for s in participant.round.stages.all()
            if s.stage == stage and s.closed_at is None and s.deadline >= now]
    ends += [r.until for r in participant.reopenings.all() if r.stage == stage and r.until >= now]
    return max(ends, default=None)


def require_open(participant: Participant, stage: str) -> None:
    if not stage_is_open(participant, stage):
        raise StageClosed(_("Giai đoạn “%(stage)s” đã đóng đối với đơn vị này.") % {
            "stage": Stage(stage).label})


def close_due_stages(now: dt.datetime | None = None) -> int:
    """Close every stage whose deadline has passed. Each stage is claimed by a conditional update, so of
    two runs (or two workers) exactly one closes it and tells the coordinators; returns how many it closed."""
    now = now or timezone.now()
    closed = 0
    for stage_id in RoundStage.objects.filter(closed_at__isnull=True, deadline__lt=now).values_list("pk", flat=True):
        with transaction.atomic():
            if RoundStage.objects.filter(pk=stage_id, closed_at__isnull=True).update(closed_at=now) != 1:
                continue
            _tell_coordinators(RoundStage.objects.select_related("round").get(pk=stage_id))
            closed += 1
    return closed


def _tell_coordinators(stage: RoundStage) -> None:
    coordinators = User.objects.filter(role=Role.COORDINATOR, is_active=True, unit__province=stage.round.province_id)
    title = _("%(round)s: đã hết hạn giai đoạn “%(stage)s”") % {
        "round": stage.round.name, "stage": Stage(stage.stage).label}
    Notification.objects.bulk_create([
        Notification(recipient=user, event_key=f"unitindex-stage-closed-{stage.pk}", kind=NotificationKind.DIGEST,
                     title=title[:300], link=f"/chi-so-don-vi/dot/{stage.round_id}/")
        for user in coordinators
    ], ignore_conflicts=True)


@transaction.atomic
def reopen_stage(participant: Participant, stage: str, *, until: dt.datetime, reason: str, by: User) -> Reopening:
    """Reopen a stage for this one unit until `until`; the reason is required and kept. Reopening the
    self-assessment of a sheet already sent hands it back to the unit to correct and send again."""
    if not reason.strip():
        raise StageClosed(_("Cần ghi lý do mở lại."))
    if until <= timezone.now():
        raise StageClosed(_("Thời hạn mở lại phải sau thời điểm hiện tại."))
    reopening = Reopening.objects.create(participant=participant, stage=stage, until=until,
                                         reason=reason.strip(), by=by)
    if stage == Stage.SELF and participant.status == SheetStatus.SENT:
        Participant.objects.filter(pk=participant.pk).update(status=SheetStatus.IN_PROGRESS,
                                                            lock_version=participant.lock_version + 1)
    return reopening


def late_units(participants: list[Participant], now: dt.datetime | None = None) -> list[Participant]:
    """Units that have not sent their sheet although the self-assessment deadline has passed."""
    now = now or timezone.now()
    return [p for p in participants if p.status in (SheetStatus.NOT_STARTED, SheetStatus.IN_PROGRESS)
            and not stage_is_open(p, Stage.SELF, now)]
