"""Reminder rules beyond the first run: the coordinator's digest every day something is late, no flood of
reminders about deadlines long past, and failed mails retried a limited number of times, never a sent one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from chiso.monitoring.models import EmailState, Notification, NotificationKind
from chiso.monitoring.reminders.notifications import MAX_EMAIL_ATTEMPTS, deliver_pending_emails
from chiso.monitoring.reminders.rules import send_reminders
from tests.monitoring_helpers import quarter_three, user

AFTER_Q3 = dt.date(2025, 9, 16)


@pytest.mark.django_db
def test_the_coordinator_gets_a_digest_each_day_something_is_late_even_with_nothing_new(demo_plan):
    quarter_three(demo_plan)
    send_reminders(AFTER_Q3)
    later = AFTER_Q3 + dt.timedelta(days=3)
    assert send_reminders(later).by_kind.get(NotificationKind.DIGEST) == 1
    assert send_reminders(later).recorded == 0  # once a day
    digest = Notification.objects.get(event_key=f"digest:{demo_plan.province_id}:{later.isoformat()}")
    assert digest.recipient.username == "dieuphoi" and "Quý III/2025" in digest.body


@pytest.mark.django_db
def test_deadlines_long_past_are_not_reminded_one_by_one(demo_plan, settings):
    q3 = quarter_three(demo_plan)
    settings.CHISO_REMINDER_LOOKBACK_DAYS = 45
    late_day = q3.due_date + dt.timedelta(days=60)
    send_reminders(late_day)
    assert not Notification.objects.filter(event_key__startswith=f"report-late:{q3.pk}:").exists()
    since = late_day - dt.timedelta(days=45)
    task_due_days = {dt.date.fromisoformat(key.rsplit(":", 1)[1]) for key in Notification.objects.filter(
        kind=NotificationKind.TASK_LATE).values_list("event_key", flat=True)}
    assert task_due_days and min(task_due_days) >= since
    # The coordinator still sees them in the day's digest.
    digest = Notification.objects.get(event_key=f"digest:{demo_plan.province_id}:{late_day.isoformat()}")
    assert "Quý III/2025" in digest.body
    settings.CHISO_REMINDER_LOOKBACK_DAYS = 90
    send_reminders(late_day)
    assert Notification.objects.filter(event_key__startswith=f"report-late:{q3.pk}:").exists()


@pytest.mark.django_db
def test_a_failed_mail_is_retried_a_limited_number_of_times_and_a_sent_one_never(demo_plan, settings):
    focal = user("focal_point")
    failing = Notification.objects.create(recipient=focal, event_key="test:failing", kind="report_late", title="x")
    sent = Notification.objects.create(recipient=focal, event_key="test:sent", kind="report_late", title="y",
                                       email_state=EmailState.SENT)
    # A real SMTP backend pointed at a closed port: the transport error is what a mail server outage gives.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    for attempt in range(1, MAX_EMAIL_ATTEMPTS):
        assert deliver_pending_emails() == 0
        failing.refresh_from_db()
        assert (failing.email_state, failing.email_attempts) == (EmailState.FAILED, attempt)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_pending_emails() == 1
    failing.refresh_from_db()
    assert (failing.email_state, failing.email_attempts) == (EmailState.SENT, MAX_EMAIL_ATTEMPTS)
    assert [m.subject for m in mail.outbox] == ["[chiso] x"]
    sent.refresh_from_db()
    assert sent.email_state == EmailState.SENT and sent.email_attempts == 0


@pytest.mark.django_db
def test_a_mail_that_keeps_failing_is_given_up_after_the_last_attempt(demo_plan, settings):
    failing = Notification.objects.create(recipient=user("focal_point"), event_key="test:failing",
                                          kind="report_late", title="x")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    for _ in range(MAX_EMAIL_ATTEMPTS + 2):
        deliver_pending_emails()
    failing.refresh_from_db()
    assert (failing.email_state, failing.email_attempts) == (EmailState.FAILED, MAX_EMAIL_ATTEMPTS)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver_pending_emails() == 0 and mail.outbox == []
