"""Reminders (đôn đốc): before each deadline and once it has passed, to the focal points and leaders of the
unit concerned, and a daily digest to the province's coordinators.

An event is what a person is reminded of; its key names it, so it is recorded once per person:
- report-due:<period>:<unit>:<deadline> / report-late:<period>:<unit>:<deadline> — the unit's report for a
  period; a deadline the coordinator moves is a new event;
- task-due:<plan>:<unit>:<due date> / task-late:<plan>:<unit>:<due date> — the unit's open tasks of a
  plan falling due on that day, in one message rather than one per task; a moved due date is a new event;
- digest:<province>:<day> — once a day to the province's coordinators while anything is late there.

Reports and tasks whose deadline passed more than CHISO_REMINDER_LOOKBACK_DAYS ago are no longer reminded
one by one (a plan loaded with years of history would otherwise flood every inbox on its first run); they
stay on the pages and in the coordinator's digest."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from chiso.accounts.models import Role, User
from chiso.monitoring import lateness
from chiso.monitoring.models import NotificationKind, ReportingPeriod
from chiso.monitoring.reminders.notifications import Message, deliver_pending_emails, record, unit_staff
from chiso.orgs.models import Unit
from chiso.plans.models import Assignment, PlanStatus


@dataclass
class ReminderOutcome:
    today: dt.date
    recorded: int = 0
    emailed: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"today": self.today.isoformat(), "recorded": self.recorded, "emailed": self.emailed,
                "by_kind": self.by_kind}


def _day(date: dt.date) -> str:
    return date_format(date, "d/m/Y")


def send_reminders(today: dt.date | None = None, *, days_before: int | None = None) -> ReminderOutcome:
    """Record every reminder due on `today` that was not recorded before, then mail what is pending."""
    today = today or timezone.localdate()
    days = settings.CHISO_REMINDER_DAYS_BEFORE if days_before is None else days_before
    outcome = ReminderOutcome(today=today)
    # Reminders are written in the province's language whatever the language of the request or worker.
    since = today - dt.timedelta(days=settings.CHISO_REMINDER_LOOKBACK_DAYS)
    with override("vi"), transaction.atomic():
        fresh = record(_report_messages(today, days, since) + _task_messages(today, days, since) + _digests(today))
        for message in fresh:
            outcome.by_kind[message.kind] = outcome.by_kind.get(message.kind, 0) + 1
        outcome.recorded = len(fresh)
    outcome.emailed = deliver_pending_emails()
    return outcome


def _monitored_periods() -> Any:
    return ReportingPeriod.objects.filter(plan__parent__isnull=True, plan__status=PlanStatus.ISSUED)


def _report_messages(today: dt.date, days: int, since: dt.date) -> list[Message]:
    due = lateness.reports_due_soon(_monitored_periods(), today, days)
    late = lateness.late_reports(_monitored_periods().filter(due_date__gte=since), today)
    staff = unit_staff({unit_id for _p, unit_id in due + late})
    messages = []
    for kind, pairs in ((NotificationKind.REPORT_DUE, due), (NotificationKind.REPORT_LATE, late)):
        prefix = "report-due" if kind == NotificationKind.REPORT_DUE else "report-late"
        for period, unit_id in pairs:
            params = {"period": period.label, "due": _day(period.due_date)}
            if kind == NotificationKind.REPORT_DUE:
                title = _("Sắp đến hạn gửi báo cáo %(period)s (hạn %(due)s)") % params
                body = _("Đơn vị chưa gửi báo cáo %(period)s. Hạn gửi: %(due)s.") % params
            else:
                title = _("Quá hạn gửi báo cáo %(period)s (hạn %(due)s)") % params
                body = _("Đơn vị chưa gửi báo cáo %(period)s; hạn gửi là %(due)s. Đề nghị khẩn trương hoàn thành "
                         "và gửi Sở Nội vụ.") % params
            link = reverse("monitoring:unit_report", args=[period.pk])
            for user in staff.get(unit_id, []):
                messages.append(Message(
                    user.pk, f"{prefix}:{period.pk}:{unit_id}:{period.due_date.isoformat()}", kind, title, body, link))
    return messages


def _task_messages(today: dt.date, days: int, since: dt.date) -> list[Message]:
    assignments = lateness.monitored_assignments().select_related("task__plan")
    groups: dict[tuple[str, int, int, dt.date], list[Assignment]] = defaultdict(list)
    for notice, chosen in (
        (NotificationKind.TASK_DUE, lateness.due_soon_assignments(assignments, today, days)),
        (NotificationKind.TASK_LATE, lateness.overdue_assignments(assignments.filter(due_date__gte=since), today)),
    ):
        for assignment in chosen.order_by("task__plan_id", "unit_id", "due_date", "task__order"):
            due_date = assignment.due_date
            assert due_date is not None  # both lists filter on the due date
            groups[(notice, assignment.task.plan_id, assignment.unit_id, due_date)].append(assignment)
    staff = unit_staff({unit_id for _k, _p, unit_id, _d in groups})
    messages = []
    for (kind, plan_id, unit_id, due), items in groups.items():
        prefix = "task-due" if kind == NotificationKind.TASK_DUE else "task-late"
        params = {"n": len(items), "due": _day(due)}
        if kind == NotificationKind.TASK_DUE:
            title = _("%(n)s nhiệm vụ đến hạn ngày %(due)s") % params
        else:
            title = _("%(n)s nhiệm vụ quá hạn (hạn %(due)s)") % params
        body = "\n".join(f"- {a.task.number + '. ' if a.task.number else ''}{a.task.content[:200]}" for a in items)
        link = reverse("plans:my_tasks")
        for user in staff.get(unit_id, []):
            messages.append(Message(user.pk, f"{prefix}:{plan_id}:{unit_id}:{due.isoformat()}", kind, title, body, link))
    return messages


def _digests(today: dt.date) -> list[Message]:
    """One message a day to each coordinator of a province where anything is late: the state of the
    province's reports and tasks as of today. Queries per province with monitored plans (a handful)."""
    provinces = set(_monitored_periods().values_list("plan__province_id", flat=True).distinct()) | set(
        lateness.monitored_assignments().values_list("task__plan__province_id", flat=True).distinct())
    coordinators = list(User.objects.filter(role=Role.COORDINATOR, is_active=True,
                                            unit__province_id__in=provinces).select_related("unit"))
    messages = []
    for province_id in sorted(provinces):
        periods = _monitored_periods().filter(plan__province_id=province_id)
        late_reports = lateness.late_reports(periods, today)
        overdue = lateness.overdue_assignments(
            lateness.monitored_assignments().filter(task__plan__province_id=province_id), today)
        overdue_count = overdue.count()
        if not late_reports and not overdue_count:
            continue
        overdue_units = overdue.values("unit_id").order_by().distinct().count()
        names = dict(Unit.objects.filter(pk__in={u for _p, u in late_reports}).values_list("pk", "name"))
        lines = [_("Báo cáo quá hạn: %(n)s lượt đơn vị.") % {"n": len(late_reports)},
                 _("Nhiệm vụ quá hạn: %(n)s lượt giao, ở %(u)s đơn vị.") % {"n": overdue_count, "u": overdue_units}]
        lines += [f"- {period.label}: {names.get(unit_id, unit_id)}" for period, unit_id in late_reports[:50]]
        if len(late_reports) > 50:
            lines.append(_("… và %(n)s lượt khác.") % {"n": len(late_reports) - 50})
        title = _("Tổng hợp theo dõi thực hiện ngày %(day)s") % {"day": _day(today)}
        for user in coordinators:
            if user.province_id == province_id:
                messages.append(Message(user.pk, f"digest:{province_id}:{today.isoformat()}", NotificationKind.DIGEST,
                                        title, "\n".join(lines), reverse("monitoring:index")))
    return messages
