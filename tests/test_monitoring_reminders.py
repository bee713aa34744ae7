"""Deadlines and reminders. The clock is moved by passing `today`: past a deadline the focal point and the
leader of each unit concerned get exactly one reminder per event, in the app and by mail, the coordinator
one digest, and nothing is sent twice however often the job runs."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from chiso.accounts.models import Role, User
from chiso.monitoring import lateness
from chiso.monitoring.models import EmailState, LineStatus, Notification, ReportingPeriod
from chiso.monitoring.reminders.notifications import deliver_pending_emails
from chiso.monitoring.reminders.rules import send_reminders
from chiso.monitoring.reports.services import accept_report, return_report, submit_report
from chiso.orgs.models import Unit
from chiso.plans.models import Assignment
from tests.conftest import client_for
from tests.monitoring_helpers import minhxuan_report, quarter_three, user

AFTER_Q3 = dt.date(2025, 9, 16)


def _recipients(event_key: str) -> set[str]:
    return set(Notification.objects.filter(event_key=event_key).values_list("recipient__username", flat=True))


def _report_key(event: str, period: ReportingPeriod, unit_id: int) -> str:
    period.refresh_from_db()
    return f"report-{event}:{period.pk}:{unit_id}:{period.due_date.isoformat()}"


def _staff_usernames(unit: Unit) -> set[str]:
    return set(User.objects.filter(unit=unit, role__in=[Role.FOCAL_POINT, Role.LEADER])
               .values_list("username", flat=True))


@pytest.mark.django_db
def test_past_the_deadline_each_units_focal_point_and_leader_get_one_reminder_and_the_coordinator_a_digest(
        demo_plan):
    q3 = quarter_three(demo_plan)
    owing = Unit.objects.filter(pk__in=Assignment.objects.filter(task__plan=demo_plan).values("unit_id"))
    submitted = set(q3.reports.filter(first_submitted_at__isnull=False).values_list("unit_id", flat=True))
    assert submitted  # the demo's Sở KH&CN has reported
    assert not Notification.objects.exists()  # the demo enters its history without notices
    outcome = send_reminders(AFTER_Q3)
    assert outcome.recorded > 0
    for unit in owing:
        expected = set() if unit.pk in submitted else _staff_usernames(unit)
        assert _recipients(_report_key("late", q3, unit.pk)) == expected
    minhxuan = user("focal_point").unit
    assert _recipients(_report_key("late", q3, minhxuan.pk)) == {"daumoi.minhxuan", "lanhdao.minhxuan"}
    # Exactly one notification per person and event; the coordinator's digest, and nothing for the others.
    keys = Counter(Notification.objects.values_list("recipient_id", "event_key"))
    assert set(keys.values()) == {1}
    assert _recipients(f"digest:{demo_plan.province_id}:{AFTER_Q3.isoformat()}") == {"dieuphoi"}
    assert not Notification.objects.filter(recipient__username__in=["lanhdaotinh", "quantri"]).exists()
    # One mail per notification, to its recipient.
    mailed = Counter(address for message in mail.outbox for address in message.to)
    expected = Counter(Notification.objects.values_list("recipient__email", flat=True))
    assert mailed == expected
    assert not Notification.objects.exclude(email_state=EmailState.SENT).exists()
    digest = next(m for m in mail.outbox if m.to == ["dieuphoi@tuyenquang.gov.vn"])
    assert "Quý III/2025" in digest.body and "Phường Minh Xuân" in digest.body

    # Run again — the same day, the next day, as after a restart: nothing new, no second mail.
    sent = len(mail.outbox)
    assert send_reminders(AFTER_Q3).recorded == 0
    send_reminders(AFTER_Q3 + dt.timedelta(days=1))
    assert len(mail.outbox) - sent == Notification.objects.count() - sum(keys.values())
    assert Notification.objects.filter(event_key=_report_key("late", q3, minhxuan.pk)).count() == 2
    assert set(Counter(Notification.objects.values_list("recipient_id", "event_key")).values()) == {1}


@pytest.mark.django_db
def test_before_the_deadline_a_unit_is_reminded_that_its_report_is_due_not_late(demo_plan):
    q3 = quarter_three(demo_plan)
    minhxuan = user("focal_point").unit
    send_reminders(dt.date(2025, 9, 10))
    assert _recipients(_report_key("due", q3, minhxuan.pk)) == {"daumoi.minhxuan", "lanhdao.minhxuan"}
    assert not Notification.objects.filter(event_key__startswith="report-late:").exists()
    # Further from the deadline than the reminder lead time: nothing about the report yet.
    Notification.objects.all().delete()
    send_reminders(dt.date(2025, 9, 1))
    assert not Notification.objects.filter(event_key__startswith="report-").exists()


@pytest.mark.django_db
def test_a_unit_that_submitted_is_not_reminded_one_with_a_draft_is(demo_plan):
    report = minhxuan_report(demo_plan)
    submit_report(report, user("leader"))
    send_reminders(AFTER_Q3)
    assert not Notification.objects.filter(event_key=_report_key("late", report.period, report.unit_id)).exists()
    hagiang1 = user("other_commune").unit  # the demo left its report a draft
    assert _recipients(_report_key("late", report.period, hagiang1.pk)) == {"daumoi.hagiang1"}


@pytest.mark.django_db
def test_an_overdue_task_is_late_until_an_accepted_report_says_it_is_done(demo_plan):
    report = minhxuan_report(demo_plan)
    line = report.lines.select_related("assignment__task").exclude(assignment__due_date=None).first()
    assignment = line.assignment
    day_after = assignment.due_date + dt.timedelta(days=1)
    mine = Assignment.objects.filter(unit=report.unit)
    assert assignment in lateness.overdue_assignments(mine, day_after)
    assert assignment not in lateness.overdue_assignments(mine, assignment.due_date)

    send_reminders(day_after)
    key = f"task-late:{demo_plan.pk}:{report.unit_id}:{assignment.due_date.isoformat()}"
    assert _recipients(key) == {"daumoi.minhxuan", "lanhdao.minhxuan"}
    assert assignment.task.content[:60] in Notification.objects.filter(event_key=key).first().body

    line.status = LineStatus.DONE
    line.save()
    submit_report(report, user("leader"))
    return_report(report, user("coordinator"), "Chưa có minh chứng")
    # A returned report does not count: the coordinator did not agree.
    assert assignment in lateness.overdue_assignments(mine, day_after)
    submit_report(report, user("leader"))
    accept_report(report, user("coordinator"))
    assert assignment not in lateness.overdue_assignments(mine, day_after)


@pytest.mark.django_db
def test_pages_show_a_report_as_late_once_its_deadline_has_passed(demo_plan):
    late_badge = '<span class="badge badge-late">Quá hạn</span>'  # the filter's "Quá hạn chưa gửi" is not a badge
    q3 = quarter_three(demo_plan)
    today = timezone.localdate()
    ReportingPeriod.objects.filter(pk=q3.pk).update(due_date=today + dt.timedelta(days=5))
    review = client_for("coordinator").get(f"/theo-doi/ky-bao-cao/{q3.pk}/").content.decode()
    assert late_badge not in review
    ReportingPeriod.objects.filter(pk=q3.pk).update(due_date=today - dt.timedelta(days=1))
    review = client_for("coordinator").get(f"/theo-doi/ky-bao-cao/{q3.pk}/").content.decode()
    row = review[review.index("Phường Minh Xuân"):][:600]
    assert late_badge in row
    unit_index = client_for("focal_point").get("/theo-doi/").content.decode()
    assert late_badge in unit_index
    # Once submitted, the unit is no longer late.
    submit_report(minhxuan_report(demo_plan), user("leader"))
    review = client_for("coordinator").get(f"/theo-doi/ky-bao-cao/{q3.pk}/").content.decode()
    assert late_badge not in review[review.index("Phường Minh Xuân"):][:600]


@pytest.mark.django_db
def test_notifications_page_lists_only_ones_own_and_marks_them_read(demo_plan):
    quarter_three(demo_plan)
    send_reminders(AFTER_Q3)
    client = client_for("focal_point")
    page = client.get("/theo-doi/thong-bao/").content.decode()
    assert "Quá hạn gửi báo cáo Quý III/2025" in page
    assert "Tổng hợp theo dõi" not in page  # the coordinator's digest
    client.post("/theo-doi/thong-bao/")
    assert not user("focal_point").notifications.filter(read_at__isnull=True).exists()
    assert user("leader").notifications.filter(read_at__isnull=True).exists()


@pytest.mark.django_db
def test_the_command_takes_a_day_and_refuses_a_bad_one(demo_plan, capsys):
    quarter_three(demo_plan)
    call_command("send_reminders", "--today", "16/09/2025")
    assert "Ngày 16/09/2025" in capsys.readouterr().out
    assert Notification.objects.filter(event_key__startswith="report-late:").exists()
    with pytest.raises(CommandError, match="dd/mm/yyyy"):
        call_command("send_reminders", "--today", "2025-09-16")


@pytest.mark.django_db
def test_the_database_refuses_a_second_notification_for_the_same_event_and_a_claimed_mail_is_not_resent(
        demo_plan):
    focal = user("focal_point")
    Notification.objects.create(recipient=focal, event_key="report-late:1:1", kind="report_late", title="x",
                                email_state=EmailState.SENDING)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=focal, event_key="report-late:1:1", kind="report_late", title="x")
    # Claimed by a worker that stopped before sending: at most once, so it is not sent again.
    assert deliver_pending_emails() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_reminders_run_as_a_background_job_through_the_task_backend(demo_plan):
    from chiso.monitoring.reminders.tasks import send_reminders_task

    quarter_three(demo_plan)
    result = send_reminders_task.enqueue(AFTER_Q3.isoformat())
    assert result.return_value["recorded"] == Notification.objects.count() > 0


@pytest.mark.django_db(transaction=True)
def test_on_a_queue_the_job_waits_for_a_worker_which_runs_it(settings):
    from chiso.monitoring.reminders.tasks import send_reminders_task
    from tests.conftest import restore_demo

    # The worker takes its own (exclusive) transaction, as it does in production: no test transaction around
    # it, so the demo is restored here (transactional tests start from whatever the previous one left).
    quarter_three(restore_demo())
    # What CHISO_TASKS_BACKEND=database configures; django-tasks resets its backends when TASKS changes.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    result = send_reminders_task.enqueue(AFTER_Q3.isoformat())
    assert not Notification.objects.exists()  # queued, not run
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value["recorded"] == Notification.objects.count() > 0


def test_the_background_scheduler_is_off_when_configured(settings):
    from chiso.monitoring.reminders import scheduler

    settings.CHISO_SCHEDULER = "off"
    assert scheduler.start_background_scheduler() is False


def _late_recorded(period) -> bool:  # type: ignore[no-untyped-def]
    """Polled while the reminder thread writes: SQLite's shared in-memory test database answers "table is
    locked" instead of waiting, which only means "not yet"."""
    from django.db import OperationalError

    try:
        return Notification.objects.filter(event_key__startswith=f"report-late:{period.pk}:").exists()
    except OperationalError:
        return False


@pytest.mark.django_db(transaction=True)
def test_the_background_thread_runs_the_reminders_with_no_extra_service(settings):
    import time

    from chiso.monitoring.reminders import scheduler
    from tests.conftest import restore_demo

    q3 = quarter_three(restore_demo())
    ReportingPeriod.objects.filter(pk=q3.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    settings.CHISO_SCHEDULER = "thread"
    settings.CHISO_SCHEDULER_FIRST_DELAY_SECONDS = 0
    assert scheduler.start_background_scheduler()
    assert not scheduler.start_background_scheduler()  # once per process
    try:
        waited_until = time.monotonic() + 30
        while time.monotonic() < waited_until and not _late_recorded(q3):
            time.sleep(0.2)
    finally:
        scheduler.stop_background_scheduler()
    minhxuan = user("focal_point").unit
    assert _recipients(_report_key("late", q3, minhxuan.pk)) == {"daumoi.minhxuan", "lanhdao.minhxuan"}


@pytest.mark.django_db
def test_a_deadline_moved_by_the_coordinator_is_a_new_event(demo_plan):
    q3 = quarter_three(demo_plan)
    minhxuan = user("focal_point").unit
    send_reminders(AFTER_Q3)
    first = _report_key("late", q3, minhxuan.pk)
    ReportingPeriod.objects.filter(pk=q3.pk).update(due_date=dt.date(2025, 9, 30))
    send_reminders(dt.date(2025, 9, 25))  # before the new deadline: due soon, not late again
    assert not Notification.objects.filter(event_key=_report_key("late", q3, minhxuan.pk)).exists()
    assert _recipients(_report_key("due", q3, minhxuan.pk)) == {"daumoi.minhxuan", "lanhdao.minhxuan"}
    send_reminders(dt.date(2025, 10, 1))
    assert _recipients(_report_key("late", q3, minhxuan.pk)) == {"daumoi.minhxuan", "lanhdao.minhxuan"}
    assert Notification.objects.filter(event_key=first).count() == 2
