"""Where an assignment stands, by one rule for every page, the emulation score and the reminders.

Only reports a unit has sent count (submitted or accepted), and of their lines only those that say
something: a line created blank and never edited (a new ad-hoc report opened without carrying forward)
is silence, not news, and cannot undo what an earlier report said (it still shows the task was reported on).

- The status shown is the one of the latest such line (by the period's deadline).
- An assignment is done once such a line says "done" or "done late"; the first report that said so
  decides whether it was on time: "done late" is late, and so is a completion date after the due date.
  A line without a completion date is dated by its report's first submission — what the unit proved by
  then — so a blank date never makes a task on time by default.
- It is closed (no longer chased as overdue) once such a line says done, done late or cannot be done;
  this is the rule chiso.monitoring.lateness applies in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from chiso.monitoring.models import CLOSED_LINE_STATUSES, LineStatus, ReportLine, ReportStatus

COUNTED_REPORTS = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
DONE = (LineStatus.DONE, LineStatus.DONE_LATE)


@dataclass(frozen=True)
class AssignmentState:
    status: str
    done_on: dt.date | None = None
    done_late: bool = False
    closed: bool = False

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    @property
    def on_time(self) -> bool:
        return self.is_done and not self.done_late

    @property
    def cannot_do(self) -> bool:
        """Closed without being done: the unit reported it cannot be done, with its reason."""
        return self.closed and not self.is_done


def counted_lines(lines: QuerySet[ReportLine]) -> QuerySet[ReportLine]:
    return lines.filter(report__status__in=COUNTED_REPORTS)


def assignment_states(lines: QuerySet[ReportLine], wanted: Iterable[int] | None = None) -> dict[int, AssignmentState]:
    """The state of every assignment the lines speak of, in one query. `wanted` narrows it in memory."""
    keep = set(wanted) if wanted is not None else None
    rows = sorted(
        (row for row in counted_lines(lines).values_list(
            "assignment_id", "status", "report__period__due_date", "completed_on",
            "report__first_submitted_at", "assignment__due_date", "pk", "lock_version")
         if keep is None or row[0] in keep),
        key=lambda row: (row[2], row[6]))
    states: dict[int, AssignmentState] = {}
    for assignment_id, status, _period_due, completed, first_sent, due, _pk, version in rows:
        before = states.get(assignment_id)
        if before is not None and version == 1 and status == LineStatus.NOT_STARTED:
            continue  # a blank line never edited: silence, not news
        done_on, done_late = (before.done_on, before.done_late) if before else (None, False)
        if done_on is None and status in DONE:
            done_on = completed or (timezone.localdate(first_sent) if first_sent else None) or _period_due
            done_late = status == LineStatus.DONE_LATE or bool(due and done_on > due)
        states[assignment_id] = AssignmentState(
            status=status, done_on=done_on, done_late=done_late,
            closed=bool(before and before.closed) or status in CLOSED_LINE_STATUSES)
    return states

