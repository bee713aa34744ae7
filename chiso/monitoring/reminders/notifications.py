"""In-app notifications and their e-mails.

Recording is idempotent: a notification is one row per (recipient, event key), so an event already
recorded is skipped however often the reminder job runs. Mailing is at most once: each row is claimed
with a conditional update (pending → sending) before its mail goes out, so two workers never both send
it, and a crash between the claim and the send leaves it 'sending' rather than sending it twice. A mail the
server refused is tried again on the next runs, up to MAX_EMAIL_ATTEMPTS times in all; a sent one never is."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chiso.accounts.models import Role, User
from chiso.monitoring.models import EmailState, Notification, NotificationKind, ReportVersion, UnitReport
from chiso.plans.models import Plan

CHUNK = 500
MAX_EMAIL_ATTEMPTS = 3


@dataclass(frozen=True)
class Message:
    recipient_id: int
    event_key: str
    kind: str
    title: str
    body: str = ""
    link: str = ""


def unit_staff(unit_ids: Iterable[int]) -> dict[int, list[User]]:
    """Focal points and leaders of each unit: the people who answer for its reports."""
    staff: dict[int, list[User]] = {}
    users = User.objects.filter(unit_id__in=set(unit_ids), role__in=[Role.FOCAL_POINT, Role.LEADER], is_active=True)
    for user in users.order_by("unit_id", "id"):
        if user.unit_id is not None:  # always, by the filter: said for the type checker
            staff.setdefault(user.unit_id, []).append(user)
    return staff


def record(messages: list[Message]) -> list[Message]:
    """Store the messages not recorded before; return the new ones. The unique constraint is the
    guarantee, the lookup only avoids sending the database rows it would ignore."""
    new: list[Message] = []
    for start in range(0, len(messages), CHUNK):
        chunk = messages[start:start + CHUNK]
        seen = set(Notification.objects.filter(event_key__in={m.event_key for m in chunk})
                   .values_list("recipient_id", "event_key"))
        fresh = [m for m in chunk if (m.recipient_id, m.event_key) not in seen]
        Notification.objects.bulk_create([
            Notification(recipient_id=m.recipient_id, event_key=m.event_key, kind=m.kind, title=m.title[:300],
                         body=m.body, link=m.link) for m in fresh
        ], ignore_conflicts=True)
        new += fresh
    return new


def deliver_pending_emails(limit: int = 1000) -> int:
    """Mail the notifications not mailed yet, and retry the failed ones that have attempts left; return how
    many went out. Runs outside any transaction so each claim is committed before its mail is sent."""
    sent = 0
    to_send = (Q(email_state=EmailState.PENDING)
               | Q(email_state=EmailState.FAILED, email_attempts__lt=MAX_EMAIL_ATTEMPTS))
    pending = list(Notification.objects.filter(to_send).select_related("recipient").order_by("id")[:limit])
    base = settings.CHISO_SITE_URL.rstrip("/")
    for notification in pending:
        if not Notification.objects.filter(to_send, pk=notification.pk).update(
                email_state=EmailState.SENDING, email_attempts=F("email_attempts") + 1):
            continue  # another worker claimed it
        address = notification.recipient.email
        if not address:
            Notification.objects.filter(pk=notification.pk).update(email_state=EmailState.NONE)
            continue
        body = notification.body
        if notification.link:
            see = _("Xem chi tiết")
            body = f"{body}\n\n{see}: {base}{notification.link}"
        try:
            send_mail(f"[chiso] {notification.title}", body, None, [address])
        except Exception as error:  # noqa: BLE001 — any transport error is recorded on the row, not raised
            Notification.objects.filter(pk=notification.pk).update(
                email_state=EmailState.FAILED, email_error=str(error)[:500])
        else:
            Notification.objects.filter(pk=notification.pk).update(
                email_state=EmailState.SENT, emailed_at=timezone.now())
            sent += 1
    return sent


def deliver_after_commit() -> None:
    """Hand the mailing to the task backend once the transaction that recorded the rows has committed."""
    from chiso.monitoring.reminders.tasks import deliver_emails_task

    transaction.on_commit(lambda: deliver_emails_task.enqueue())


def notify_plan_approval_requested(plan: Plan, asked_by: User) -> None:
    """The unit's leaders are asked to approve and send its plan (registered with plans.approval). The event
    key carries the moment: asking again reminds, a double click does not tell twice."""
    from django.urls import reverse

    stamp = plan.approval_requested_at or timezone.now()
    key = f"{NotificationKind.PLAN_APPROVAL_REQUESTED}:{plan.pk}:{stamp.isoformat(timespec='seconds')}"
    title = _("Đề nghị duyệt kế hoạch của đơn vị: %(title)s") % {"title": plan.title}
    body = _("%(name)s đã hoàn thành dự thảo và đề nghị lãnh đạo đơn vị duyệt, gửi Sở Nội vụ.") % {"name": asked_by}
    link = reverse("plans:plan_detail", args=[plan.pk])
    leaders = [u for u in unit_staff([plan.owner_unit_id]).get(plan.owner_unit_id, []) if u.role == Role.LEADER]
    if record([Message(u.pk, key, NotificationKind.PLAN_APPROVAL_REQUESTED, title, body, link) for u in leaders]):
        deliver_after_commit()


def notify_plan_returned(plan: Plan, returned_by: User, comment: str, by_leader: bool) -> None:
    """The unit's focal points are told their plan came back, from the leader or from Sở Nội vụ, and why
    (registered with plans.approval). The event key carries the moment of the return."""
    from django.urls import reverse

    stamp = (plan.leader_returned_at if by_leader else None) or timezone.now()
    kind = NotificationKind.PLAN_LEADER_RETURNED if by_leader else NotificationKind.PLAN_RETURNED
    key = f"{kind}:{plan.pk}:{stamp.isoformat(timespec='seconds')}"
    title = (_("Lãnh đạo đơn vị trả lại dự thảo kế hoạch: %(title)s") if by_leader
             else _("Sở Nội vụ trả lại kế hoạch của đơn vị: %(title)s")) % {"title": plan.title[:200]}
    link = reverse("plans:plan_detail", args=[plan.pk])
    people = [u for u in unit_staff([plan.owner_unit_id]).get(plan.owner_unit_id, []) if u.role == Role.FOCAL_POINT]
    if record([Message(u.pk, key, kind, title, comment, link) for u in people]):
        deliver_after_commit()


def notify_review(report: UnitReport, version: ReportVersion) -> None:
    """Tell the unit's focal points and leaders how the coordinator judged their report."""
    from django.urls import reverse

    returned = version.outcome == "returned"
    kind = NotificationKind.REPORT_RETURNED if returned else NotificationKind.REPORT_ACCEPTED
    params = {"period": report.period.label, "n": version.number}
    title = (_("Báo cáo %(period)s bị trả lại (lần gửi %(n)s)") if returned
             else _("Báo cáo %(period)s đã được chấp nhận (lần gửi %(n)s)")) % params
    link = reverse("monitoring:report_detail", args=[report.pk])
    messages = [Message(user.pk, f"{kind}:{report.pk}:v{version.number}", kind, title, version.review_comment, link)
                for user in unit_staff([report.unit_id]).get(report.unit_id, [])]
    if record(messages):
        deliver_after_commit()
