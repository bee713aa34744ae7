"""Chasing (đôn đốc) late units from a list: one action reminds the chosen units' focal points and leaders,
in the app and by e-mail, and the same units' late items feed the official reminder letter. Recorded as
notifications whose event key carries the day, so a second click the same day sends nothing twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from chiso.monitoring import lateness
from chiso.monitoring.models import NotificationKind, ReportingPeriod
from chiso.monitoring.reminders.notifications import Message, deliver_after_commit, record, unit_staff
from chiso.orgs.models import Unit
from chiso.orgs.unit_lists import unit_order


@dataclass
class LateUnit:
    """What one unit owes for a period: the report itself (when not sent) and its tasks past due."""

    unit: Unit
    report_late: bool
    overdue_tasks: int


def late_units(period: ReportingPeriod, unit_ids: Iterable[int], today: dt.date) -> list[LateUnit]:
    """The chosen units that are late for the period, in Vietnamese order. Three queries."""
    chosen = set(unit_ids)
    rows = [row for row in lateness.period_rows(period, today) if row.unit.pk in chosen]
    assignments = lateness.monitored_assignments().filter(task__plan_id=period.plan_id, unit_id__in=chosen)
    overdue = dict(lateness.overdue_assignments(assignments, today).values("unit_id").annotate(n=Count("id"))
                   .values_list("unit_id", "n"))
    late = [LateUnit(row.unit, row.is_late, overdue.get(row.unit.pk, 0)) for row in rows]
    return sorted([u for u in late if u.report_late or u.overdue_tasks], key=lambda u: unit_order(u.unit))


@transaction.atomic
def chase_units(period: ReportingPeriod, unit_ids: Iterable[int], today: dt.date) -> tuple[list[LateUnit], int]:
    """Remind the late ones among the chosen units; return them and how many new notifications went out."""
    late = late_units(period, unit_ids, today)
    staff = unit_staff(u.unit.pk for u in late)
    link = reverse("monitoring:unit_report", args=[period.pk])
    messages = []
    for item in late:
        title = _("Đôn đốc: %(unit)s gửi báo cáo %(period)s (hạn %(due)s)") % {
            "unit": item.unit.name, "period": period.label, "due": period.due_date.strftime("%d/%m/%Y")}
        body = _("Sở Nội vụ đề nghị đơn vị khẩn trương gửi báo cáo và cập nhật %(n)s nhiệm vụ đã quá hạn.") % {
            "n": item.overdue_tasks}
        key = f"{NotificationKind.CHASE}:{period.pk}:{item.unit.pk}:{today.isoformat()}"
        messages += [Message(user.pk, key, NotificationKind.CHASE, title, body, link)
                     for user in staff.get(item.unit.pk, [])]
    sent = record(messages)
    if sent:
        deliver_after_commit()
    return late, len(sent)
