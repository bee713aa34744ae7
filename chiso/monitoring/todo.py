"""Việc cần làm" from monitoring: reports to review, late units and reminders whose e-mail never arrived for the
province; assignments due or late, reports to draft or returned for a focal point; reports waiting for approval
for a leader. Registered with
chiso.core.todo; every function makes a fixed number of queries whatever the province's size."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chiso.accounts.models import Role
from chiso.core.figures_cache import cached_figures
from chiso.core.todo import TodoItem
from chiso.monitoring import lateness
from chiso.monitoring.models import (
    EDITABLE_STATUSES,
    EmailState,
    Notification,
    ReportingPeriod,
    ReportStatus,
    UnitReport,
)
from chiso.monitoring.reminders.notifications import MAX_EMAIL_ATTEMPTS
from chiso.monitoring.reports.approval import filled_share
from chiso.plans.models import Assignment, Plan, PlanStatus

DUE_SOON_DAYS = 14
# A report is worth a line on the home page from a month before its deadline until it is sent, however
# late: a report never sent is still owed (and still counts against the unit's emulation score).
REPORT_WINDOW_BEFORE = dt.timedelta(days=30)
MAX_PERIOD_ITEMS = 4
# A mail that never arrived is worth fixing while its reminder still matters; older ones drop off the list.
BOUNCE_WINDOW = dt.timedelta(days=30)
MAX_BOUNCED_PEOPLE = 4


def _province_periods(province_id: int) -> Any:
    return ReportingPeriod.objects.filter(
        plan__province_id=province_id, plan__parent__isnull=True, plan__status=PlanStatus.ISSUED)


def _for_the_province(name: str, province_id: int, today: dt.date,
                      compute: Callable[[int, dt.date], list[TodoItem]]) -> list[TodoItem]:
    """Items that are the same for everyone who sees the whole province, computed once per version of the data
    (chiso.core.figures_cache: every model they read is watched): the late units of every period were a third
    of the coordinator's home page on a national province."""
    return cached_figures(f"todo-{name}", (province_id, today), lambda _version: compute(province_id, today))


def _period_url(period_id: int, state: str) -> str:
    return f"{reverse('monitoring:period_detail', args=[period_id])}?trang-thai={state}"


def reports_to_review(user: Any, today: dt.date) -> list[TodoItem]:
    """Coordinator: reports sent and waiting for appraisal, per period, oldest submission first."""
    if not (user.manages_province and user.province_id):
        return []
    return _for_the_province("reports-to-review", user.province_id, today, _reports_to_review)


def _reports_to_review(province_id: int, today: dt.date) -> list[TodoItem]:
    rows = (UnitReport.objects.filter(period__plan__province_id=province_id, status=ReportStatus.SUBMITTED)
            .values("period_id", "period__label").annotate(n=Count("id")).order_by("period__due_date")
            [:MAX_PERIOD_ITEMS])
    return [TodoItem(ngettext("báo cáo chờ thẩm định", "báo cáo chờ thẩm định", row["n"])
                     % {"n": row["n"]}, row["n"], _period_url(row["period_id"], "cho-tham-dinh"),
                     detail=row["period__label"], order=10) for row in rows]


def late_reports(user: Any, today: dt.date) -> list[TodoItem]:
    """Coordinator and provincial leadership: units that have not sent a report past its deadline."""
    if not (user.sees_whole_province and user.province_id):
        return []
    return _for_the_province("late-reports", user.province_id, today, _late_reports)


def _late_reports(province_id: int, today: dt.date) -> list[TodoItem]:
    late = Counter(period for period, _unit in lateness.late_reports(_province_periods(province_id), today))
    items = [TodoItem(ngettext("đơn vị chưa gửi báo cáo quá hạn", "đơn vị chưa gửi báo cáo quá hạn", n)
                      % {"n": n}, n, _period_url(period.pk, "tre-han"),
                      detail=_("%(label)s, hạn %(due)s") % {"label": period.label,
                                                           "due": period.due_date.strftime("%d/%m/%Y")},
                      urgent=True, order=20)
             for period, n in sorted(late.items(), key=lambda item: item[0].due_date, reverse=True)]
    return items[:MAX_PERIOD_ITEMS]


def _unit_periods(user: Any, today: dt.date) -> list[ReportingPeriod]:
    """Periods the unit owes a report for, from a month before their deadline."""
    owes = Assignment.objects.filter(task__plan_id=OuterRef("plan_id"), unit_id=user.unit_id)
    return list(ReportingPeriod.objects.filter(
        plan__province_id=user.province_id, plan__parent__isnull=True, plan__status=PlanStatus.ISSUED,
        due_date__lte=today + REPORT_WINDOW_BEFORE,
    ).filter(Exists(owes)).order_by("due_date"))


def unit_reports(user: Any, today: dt.date) -> list[TodoItem]:
    """Focal point: reports to draft (or open), returned by Sở Nội vụ or by the leader. Leader: reports the
    focal point asked them to approve, with the share of lines filled."""
    if not (user.is_unit_staff and user.unit_id):
        return []
    periods = _unit_periods(user, today)
    reports = {r.period_id: r for r in UnitReport.objects.filter(period__in=periods, unit_id=user.unit_id)}
    if user.role == Role.LEADER:
        return _leader_items(periods, reports, today)
    items = []
    for period in periods:
        report = reports.get(period.pk)
        late = today > period.due_date
        detail = _("%(label)s, hạn %(due)s") % {"label": period.label, "due": period.due_date.strftime("%d/%m/%Y")}
        if report is None:
            items.append(TodoItem(_("Lập báo cáo"), 1, reverse("monitoring:unit_report", args=[period.pk]),
                                  detail=detail, urgent=late, order=30, counted=False))
        elif report.status == ReportStatus.RETURNED:
            items.append(TodoItem(_("Báo cáo bị Sở Nội vụ trả lại, cần sửa"), 1,
                                  reverse("monitoring:report_detail", args=[report.pk]), detail=detail,
                                  urgent=True, returned=True, order=5, counted=False))
        elif report.status in EDITABLE_STATUSES and report.leader_returned_at and not report.approval_requested_at:
            items.append(TodoItem(_("Báo cáo bị lãnh đạo đơn vị trả lại, cần sửa"), 1,
                                  reverse("monitoring:report_detail", args=[report.pk]), detail=detail,
                                  urgent=True, returned=True, order=5, counted=False))
        elif report.status in EDITABLE_STATUSES and not report.approval_requested_at:
            items.append(TodoItem(_("Hoàn thiện dự thảo báo cáo, trình lãnh đạo duyệt"), 1,
                                  reverse("monitoring:report_detail", args=[report.pk]), detail=detail,
                                  urgent=late, order=30, counted=False))
    return items


def _leader_items(periods: list[ReportingPeriod], reports: dict[int, UnitReport], today: dt.date) -> list[TodoItem]:
    by_id = {p.pk: p for p in periods}
    waiting = [r for r in reports.values() if r.status in EDITABLE_STATUSES and r.approval_requested_at]
    shares = filled_share(waiting)
    items = []
    for report in waiting:
        period = by_id[report.period_id]
        filled, total = shares.get(report.pk, (0, 0))
        items.append(TodoItem(
            _("Duyệt và gửi báo cáo %(label)s") % {"label": period.label}, 1,
            reverse("monitoring:report_detail", args=[report.pk]),
            detail=_("%(filled)s/%(total)s nhiệm vụ đã cập nhật; hạn %(due)s") % {
                "filled": filled, "total": total, "due": period.due_date.strftime("%d/%m/%Y")},
            urgent=today > period.due_date, order=10, counted=False))
    return items


def unit_assignments(user: Any, today: dt.date) -> list[TodoItem]:
    """Unit staff: the unit's tasks past their due date and those falling due in the next two weeks."""
    if not (user.is_unit_staff and user.unit_id):
        return []
    mine = lateness.monitored_assignments().filter(unit_id=user.unit_id, task__plan__province_id=user.province_id)
    overdue = lateness.overdue_assignments(mine, today).count()
    soon = lateness.due_soon_assignments(mine, today, DUE_SOON_DAYS).count()
    return [
        TodoItem(ngettext("nhiệm vụ quá hạn", "nhiệm vụ quá hạn", overdue) % {"n": overdue}, overdue,
                 f"{reverse('monitoring:my_unit_dashboard')}#overdue", urgent=True, order=20),
        TodoItem(ngettext("nhiệm vụ đến hạn trong %(d)s ngày tới", "nhiệm vụ đến hạn trong %(d)s ngày tới",
                          soon) % {"n": soon, "d": DUE_SOON_DAYS}, soon,
                 f"{reverse('plans:my_tasks')}", order=40),
    ]


def unit_plans(user: Any, today: dt.date) -> list[TodoItem]:
    """Coordinator: unit plans sent and waiting; units late with their own plan. Leader: the unit's plan
    drafted and waiting to be approved and sent."""
    if user.manages_province and user.province_id:
        return _for_the_province("unit-plans", user.province_id, today, _province_unit_plans)
    if user.role == Role.LEADER and user.unit_id:
        # A draft the leader handed back is with the focal point until they ask again.
        drafts = list(Plan.objects.filter(owner_unit_id=user.unit_id, parent__isnull=False,
                                          status=PlanStatus.DRAFT)
                      .exclude(leader_returned_at__isnull=False, approval_requested_at__isnull=True)
                      .order_by(F("approval_requested_at").asc(nulls_last=True), "id")[:MAX_PERIOD_ITEMS])
        return [TodoItem(_("Duyệt và gửi kế hoạch của đơn vị"), 1, reverse("plans:plan_detail", args=[p.pk]),
                         detail=_plan_detail(p), order=15, counted=False) for p in drafts]
    if user.role == Role.FOCAL_POINT and user.unit_id:
        return _returned_unit_plans(user)
    return []


def _returned_unit_plans(user: Any) -> list[TodoItem]:
    """Focal point: the unit's plan drafts handed back, by the leader or by Sở Nội vụ, with the comment, until
    the focal point asks the leader again. One query."""
    back = (Q(leader_returned_at__isnull=False) | ~Q(return_comment="")) & Q(approval_requested_at__isnull=True)
    drafts = (Plan.objects.filter(back, owner_unit_id=user.unit_id, parent__isnull=False, status=PlanStatus.DRAFT)
              .order_by("id")[:MAX_PERIOD_ITEMS])
    items = []
    for plan in drafts:
        by_leader = plan.leader_returned_at is not None
        label = (_("Kế hoạch của đơn vị bị lãnh đạo đơn vị trả lại, cần sửa") if by_leader
                 else _("Kế hoạch của đơn vị bị Sở Nội vụ trả lại, cần sửa"))
        comment = plan.leader_comment if by_leader else plan.return_comment
        items.append(TodoItem(label, 1, reverse("plans:plan_detail", args=[plan.pk]),
                              detail=_("Ý kiến: %(c)s") % {"c": Truncator(comment).chars(160)},
                              urgent=True, returned=True, order=5, counted=False))
    return items


def _plan_detail(plan: Plan) -> str:
    if plan.approval_requested_at is None:
        return plan.title[:90]
    return _("%(title)s; cán bộ đầu mối trình duyệt ngày %(day)s") % {
        "title": plan.title[:90], "day": timezone.localtime(plan.approval_requested_at).strftime("%d/%m/%Y")}


def _province_unit_plans(province_id: int, today: dt.date) -> list[TodoItem]:
    waiting = Plan.objects.filter(province_id=province_id, parent__isnull=False,
                                  status=PlanStatus.SUBMITTED).count()
    items = [TodoItem(ngettext("kế hoạch của đơn vị chờ xem xét", "kế hoạch của đơn vị chờ xem xét",
                               waiting) % {"n": waiting}, waiting,
                      f"{reverse('plans:plan_list')}?status={PlanStatus.SUBMITTED}", order=15)]
    overdue_parents = list(Plan.objects.filter(province_id=province_id, parent__isnull=True,
                                               status=PlanStatus.ISSUED, unit_plans_due__lt=today)
                           .order_by("-unit_plans_due")[:MAX_PERIOD_ITEMS])
    owing = lateness.owing_units(p.pk for p in overdue_parents)
    sent = set(Plan.objects.filter(parent__in=overdue_parents).exclude(status=PlanStatus.DRAFT)
               .values_list("parent_id", "owner_unit_id"))
    for parent in overdue_parents:
        late = sum(1 for unit_id in owing.get(parent.pk, ()) if (parent.pk, unit_id) not in sent)
        items.append(TodoItem(ngettext("đơn vị chưa gửi kế hoạch quá hạn", "đơn vị chưa gửi kế hoạch quá hạn",
                                       late) % {"n": late}, late,
                              f"{reverse('plans:plan_detail', args=[parent.pk])}#cascade",
                              detail=parent.reference or parent.title[:80], urgent=True, order=25))
    return items


def _bounced(user: Any) -> Any:
    """Notifications of the last month whose mail never reached a person of the province: refused by the mail
    server on every attempt, or not sent for want of an address. A mail delivered to the same person later
    means the address works again, so the older failure no longer asks for anything."""
    delivered_later = Notification.objects.filter(recipient_id=OuterRef("recipient_id"), email_state=EmailState.SENT,
                                                  emailed_at__gt=OuterRef("created_at"))
    return (Notification.objects
            .filter(recipient__unit__province_id=user.province_id, recipient__is_active=True,
                    created_at__gte=timezone.now() - BOUNCE_WINDOW)
            .filter(Q(email_state=EmailState.FAILED, email_attempts__gte=MAX_EMAIL_ATTEMPTS)
                    | Q(email_state=EmailState.NONE))
            .exclude(Exists(delivered_later)))


def bounced_reminders(user: Any, today: dt.date) -> list[TodoItem]:
    """Coordinator: the people whose reminders did not arrive by e-mail, with their unit and address, each a
    link to their account where the address is corrected; the most recent first. Two queries at most."""
    if not (user.manages_province and user.province_id):
        return []
    people = list(_bounced(user).values("recipient_id", "recipient__last_name", "recipient__first_name",
                                        "recipient__email", "recipient__unit__name")
                  .annotate(n=Count("id"), last=Max("created_at")).order_by("-last", "recipient_id")
                  [:MAX_BOUNCED_PEOPLE + 1])
    items = [TodoItem(
        _("Thư nhắc việc không gửi được đến %(name)s") % {
            "name": f"{row['recipient__last_name']} {row['recipient__first_name']}".strip()},
        row["n"], reverse("accounts:account_edit", args=[row["recipient_id"]]),
        detail=ngettext("%(unit)s; %(address)s; %(n)s thư không gửi được, cần sửa địa chỉ thư điện tử",
                        "%(unit)s; %(address)s; %(n)s thư không gửi được, cần sửa địa chỉ thư điện tử", row["n"])
        % {"unit": row["recipient__unit__name"], "n": row["n"],
           "address": row["recipient__email"] or _("chưa có địa chỉ thư điện tử")},
        order=35, counted=False) for row in people[:MAX_BOUNCED_PEOPLE]]
    if len(people) > MAX_BOUNCED_PEOPLE:
        others = _bounced(user).values("recipient_id").distinct().count() - MAX_BOUNCED_PEOPLE
        items.append(TodoItem(ngettext("người khác không nhận được thư nhắc việc",
                                       "người khác không nhận được thư nhắc việc", others) % {"n": others},
                              others, reverse("accounts:account_list"), order=36))
    return items


SOURCES = [reports_to_review, late_reports, unit_reports, unit_assignments, unit_plans, bounced_reminders]
