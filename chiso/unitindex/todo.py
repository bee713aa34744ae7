"""Việc cần làm" from the unit index: for a unit's focal point, the criteria the appraisers asked the unit to
explain after the first appraisal and not answered yet, each a link to the criterion on the score sheet, with
the explanation stage's deadline. Registered with chiso.core.todo; four queries whatever the number of sheets
or criteria."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chiso.accounts.models import Role
from chiso.core.todo import TodoItem
from chiso.unitindex.models import Entry, Participant, SheetStatus, Stage
from chiso.unitindex.stages import stage_deadline

# Criteria shown one by one on a sheet; beyond them one line leads to the sheet.
MAX_CRITERIA_SHOWN = 3


def _sheets_explaining(user: Any) -> dict[int, tuple[Participant, dt.datetime]]:
    """The unit's sheets in the explanation stage (appraised, explanation not sent) while the stage is open
    for it, with the deadline that applies to the unit."""
    sheets = (Participant.objects.filter(unit_id=user.unit_id, status=SheetStatus.APPRAISED,
                                         round__province_id=user.province_id, round__published_at__isnull=True)
              .select_related("round").prefetch_related("round__stages", "reopenings"))
    open_sheets = {}
    for sheet in sheets:
        deadline = stage_deadline(sheet, Stage.EXPLANATION)
        if deadline is not None:
            open_sheets[sheet.pk] = (sheet, deadline)
    return open_sheets


def explanations_requested(user: Any, today: dt.date) -> list[TodoItem]:
    """Focal point: each criterion to explain (up to three a sheet, then the rest as one line), linking to the
    criterion's place on the sheet where the answer is written."""
    if not (user.role == Role.FOCAL_POINT and user.unit_id):
        return []
    sheets = _sheets_explaining(user)
    if not sheets:
        return []
    waiting = (Entry.objects.filter(participant_id__in=sheets, explanation_requested=True, answer="")
               .select_related("node").order_by("participant_id", "node__position"))
    by_sheet: dict[int, list[Entry]] = {}
    for entry in waiting:
        by_sheet.setdefault(entry.participant_id, []).append(entry)
    items = []
    for sheet_id, entries in by_sheet.items():
        sheet, deadline = sheets[sheet_id]
        detail = _("%(round)s, hạn giải trình %(due)s") % {
            "round": sheet.round.name, "due": timezone.localtime(deadline).strftime("%H:%M %d/%m/%Y")}
        sheet_url = reverse("unitindex:sheet_detail", args=[sheet_id])
        items += [TodoItem(_("Giải trình tiêu chí %(code)s: %(name)s") % {
                      "code": entry.node.code, "name": entry.node.name_vi[:80]}, 1,
                           f"{sheet_url}#tc-{entry.pk}", detail=detail, order=8, counted=False)
                  for entry in entries[:MAX_CRITERIA_SHOWN]]
        rest = len(entries) - MAX_CRITERIA_SHOWN
        if rest > 0:
            items.append(TodoItem(ngettext("tiêu chí khác được đề nghị giải trình",
                                           "tiêu chí khác được đề nghị giải trình", rest) % {"n": rest},
                                  rest, sheet_url, detail=detail, order=9))
    return items
