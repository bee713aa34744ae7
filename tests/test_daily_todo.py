"""The gaps of "Việc cần làm" filled: the coordinator is told which reminders never reached someone by e-mail
(with their unit, their address and a link to correct it); the focal point is told which criteria of the unit
index the appraisers asked the unit to explain, each a link to the criterion, with the stage's deadline. Both
make a fixed number of queries whatever the number of failures or criteria."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from chiso.accounts.models import Role, User
from chiso.monitoring.models import EmailState, Notification, NotificationKind
from chiso.monitoring.reminders.notifications import deliver_pending_emails
from chiso.orgs.models import Province, Unit, UnitKind
from chiso.unitindex.models import Entry, Participant, RoundStage, SheetStatus, Stage
from tests.conftest import client_for
from tests.monitoring_helpers import user

pytestmark = pytest.mark.django_db


def _home(role_or_client: str | Client) -> str:
    client = client_for(role_or_client) if isinstance(role_or_client, str) else role_or_client
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _notify(person: User, key: str) -> Notification:
    return Notification.objects.create(recipient=person, event_key=key, kind=NotificationKind.REPORT_LATE,
                                       title="Báo cáo quá hạn", link="/theo-doi/")


def _refusing_mail_server(settings) -> None:  # type: ignore[no-untyped-def]
    """A real SMTP backend pointed at a closed port: every send raises, as a dead mail server does."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2


def _deliver_until_given_up() -> None:
    for _attempt in range(3):
        deliver_pending_emails()


# Reminders that bounced -------------------------------------------------------------------------------------


def test_coordinator_sees_reminders_the_mail_server_refused_with_unit_address_and_account_link(demo_plan, settings):
    focal = user("focal_point")
    _notify(focal, "late:1")
    _notify(focal, "late:2")
    _refusing_mail_server(settings)
    deliver_pending_emails()
    assert "Thư nhắc việc không gửi được" not in _home("coordinator")  # attempts left: it will be tried again
    _deliver_until_given_up()
    assert set(Notification.objects.filter(recipient=focal).values_list("email_state", flat=True)) == {
        EmailState.FAILED}
    page = _home("coordinator")
    assert f"Thư nhắc việc không gửi được đến {focal.get_full_name()}" in page
    assert f'href="/tai-khoan/quan-ly/{focal.pk}/sua/"' in page
    assert focal.unit.name in page and focal.email in page and "2 thư không gửi được" in page
    # Only the coordinator is asked to correct addresses.
    for role in ("focal_point", "leader"):
        assert "Thư nhắc việc không gửi được" not in _home(role)


def test_a_person_without_address_is_listed_and_a_later_delivery_clears_the_item(demo_plan, settings):
    leader = user("leader")
    User.objects.filter(pk=leader.pk).update(email="")
    _notify(leader, "late:1")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    deliver_pending_emails()
    page = _home("coordinator")
    assert f"Thư nhắc việc không gửi được đến {leader.get_full_name()}" in page
    assert "chưa có địa chỉ thư điện tử" in page
    # The coordinator corrects the address; the next reminder reaches the leader, so nothing is left to fix.
    User.objects.filter(pk=leader.pk).update(email="lanhdao.minhxuan@tuyenquang.gov.vn")
    _notify(leader, "late:2")
    assert deliver_pending_emails() == 1
    assert "Thư nhắc việc không gửi được" not in _home("coordinator")


def test_old_failures_and_other_provinces_failures_are_not_listed(demo_plan, settings):
    focal = user("focal_point")
    old = _notify(focal, "late:old")
    Notification.objects.filter(pk=old.pk).update(email_state=EmailState.FAILED, email_attempts=3,
                                                  created_at=timezone.now() - dt.timedelta(days=31))
    elsewhere = Unit.objects.create(province=Province.objects.exclude(pk=focal.unit.province_id).first(),
                                    code="xa-tinh-khac", name="Xã Tỉnh Khác", kind=UnitKind.COMMUNE)
    stranger = User.objects.create(username="daumoi.tinhkhac", role=Role.FOCAL_POINT, unit=elsewhere)
    far = _notify(stranger, "late:far")
    Notification.objects.filter(pk=far.pk).update(email_state=EmailState.FAILED, email_attempts=3)
    assert "Thư nhắc việc không gửi được" not in _home("coordinator")


def test_beyond_four_people_one_line_counts_the_others_and_leads_to_the_accounts(demo_plan):
    unit = user("focal_point").unit
    for n in range(6):
        person = User.objects.create(username=f"nguoi{n}", role=Role.FOCAL_POINT, unit=unit, last_name=f"Người {n}")
        note = _notify(person, "late:1")
        Notification.objects.filter(pk=note.pk).update(email_state=EmailState.NONE)
    page = _home("coordinator")
    assert page.count("Thư nhắc việc không gửi được đến") == 4
    assert '<span class="todo-count">2</span> <span class="todo-label">người khác không nhận được thư nhắc việc' in page
    assert 'href="/tai-khoan/quan-ly/"' in page


def test_bounced_reminders_cost_the_same_queries_for_one_person_or_forty(demo_plan, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    unit = user("focal_point").unit
    note = _notify(user("focal_point"), "late:1")
    Notification.objects.filter(pk=note.pk).update(email_state=EmailState.NONE)
    client = client_for("coordinator")
    with CaptureQueriesContext(connection) as one:
        _home(client)
    for n in range(40):
        person = User.objects.create(username=f"nguoi{n}", role=Role.LEADER, unit=unit, last_name=f"Người {n}")
        for k in range(3):
            Notification.objects.filter(pk=_notify(person, f"late:{k}").pk).update(email_state=EmailState.NONE)
    # The overflow line's count is the one query more than a short list needs.
    with django_assert_max_num_queries(len(one) + 1):
        page = _home(client)
    assert "người khác không nhận được thư nhắc việc" in page


# Requests for explanation -----------------------------------------------------------------------------------


def _minhxuan_sheet_in_explanation(answered: int = 0) -> tuple[Participant, list[Entry]]:
    """Minh Xuân's sheet of the demo's current round put back at the explanation stage: appraised, the
    appraisers asking it to explain its first five scored criteria, only the first `answered` of them answered."""
    sheet = Participant.objects.filter(unit=user("focal_point").unit, round__published_at__isnull=True).get()
    Participant.objects.filter(pk=sheet.pk).update(status=SheetStatus.APPRAISED, explained_at=None)
    scored = Entry.objects.filter(participant=sheet, appraisal1_score__isnull=False).order_by("node__position")
    Entry.objects.filter(participant=sheet).update(explanation_requested=False)
    Entry.objects.filter(pk__in=[e.pk for e in scored[:5]]).update(explanation_requested=True)
    asked = list(Entry.objects.filter(participant=sheet, explanation_requested=True).order_by("node__position"))
    assert len(asked) == 5
    for position, entry in enumerate(asked):
        Entry.objects.filter(pk=entry.pk).update(answer="Đã bổ sung văn bản." if position < answered else "")
    return sheet, asked


def test_focal_point_is_asked_to_explain_each_criterion_with_its_link_and_deadline(demo_plan):
    sheet, asked = _minhxuan_sheet_in_explanation(answered=1)
    page = _home("focal_point")
    deadline = RoundStage.objects.get(round=sheet.round, stage=Stage.EXPLANATION).deadline
    assert timezone.localtime(deadline).strftime("%d/%m/%Y") in page and "hạn giải trình" in page
    assert f"#tc-{asked[0].pk}" not in page  # already answered
    for entry in asked[1:4]:
        assert f'href="/chi-so-don-vi/phieu/{sheet.pk}/#tc-{entry.pk}"' in page
        assert f"Giải trình tiêu chí {entry.node.code}" in page
    assert f"#tc-{asked[4].pk}" not in page  # beyond three a sheet: one line for the rest, to the sheet
    assert ('<span class="todo-count">1</span> <span class="todo-label">tiêu chí khác được đề nghị giải trình'
            in page)
    # The link leads to the criterion with its answer form.
    sheet_page = client_for("focal_point").get(f"/chi-so-don-vi/phieu/{sheet.pk}/").content.decode()
    assert f'id="tc-{asked[1].pk}"' in sheet_page and f"/chi-so-don-vi/tieu-chi/{asked[1].pk}/giai-trinh/" in sheet_page


def test_answering_or_sending_the_explanation_takes_the_criterion_off_the_list(demo_plan):
    sheet, asked = _minhxuan_sheet_in_explanation()
    client = client_for("focal_point")
    entry = asked[0]
    response = client.post(f"/chi-so-don-vi/tieu-chi/{entry.pk}/giai-trinh/",
                           {"lock_version": entry.lock_version, "answer": "Quyết định số 15/QĐ-UBND."})
    assert response.status_code == 302
    page = _home(client)
    assert f"#tc-{entry.pk}" not in page and f"#tc-{asked[1].pk}" in page
    Participant.objects.filter(pk=sheet.pk).update(status=SheetStatus.EXPLAINED, explained_at=timezone.now())
    assert "Giải trình tiêu chí" not in _home(client)


def test_no_request_once_the_explanation_stage_has_closed_unless_reopened_for_the_unit(demo_plan):
    from chiso.unitindex.stages import reopen_stage

    sheet, asked = _minhxuan_sheet_in_explanation()
    RoundStage.objects.filter(round=sheet.round, stage=Stage.EXPLANATION).update(
        deadline=timezone.now() - dt.timedelta(days=1))
    assert "Giải trình tiêu chí" not in _home("focal_point")
    until = timezone.now() + dt.timedelta(days=3)
    reopen_stage(Participant.objects.get(pk=sheet.pk), Stage.EXPLANATION, until=until, reason="Bổ sung",
                 by=user("coordinator"))
    page = _home("focal_point")
    assert f"#tc-{asked[0].pk}" in page and timezone.localtime(until).strftime("%H:%M %d/%m/%Y") in page


def test_only_the_units_focal_point_is_asked_to_explain(demo_plan):
    _minhxuan_sheet_in_explanation()
    assert "Giải trình tiêu chí" in _home("focal_point")
    for role in ("coordinator", "leader", "other_commune", "department_focal_point", "admin"):
        assert "Giải trình tiêu chí" not in _home(role), role


def test_requests_for_explanation_cost_the_same_queries_for_one_criterion_or_many(demo_plan,
                                                                                 django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sheet, asked = _minhxuan_sheet_in_explanation(answered=0)
    Entry.objects.filter(pk__in=[e.pk for e in asked[1:]]).update(answer="Đã bổ sung.")
    client = client_for("focal_point")
    with CaptureQueriesContext(connection) as one:
        assert _home(client).count("Giải trình tiêu chí") == 1
    Entry.objects.filter(participant=sheet).update(explanation_requested=True, answer="")
    with django_assert_max_num_queries(len(one)):
        page = _home(client)
    assert page.count("Giải trình tiêu chí") == 3 and "tiêu chí khác được đề nghị giải trình" in page
