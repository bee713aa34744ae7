"""Reporting periods come from the plan's reporting regime, with their deadlines; the coordinator edits
them and adds ad-hoc reports."""

from __future__ import annotations

import datetime as dt

import pytest

from chiso.monitoring.models import ReportingPeriod
from chiso.monitoring.periods import generate_periods
from chiso.orgs.models import Unit
from chiso.plans.models import Plan, PlanStatus, ReportingRule, ReportKind
from tests.conftest import ROLES, client_for


def _plan(province, start: dt.date, end: dt.date, rules: list[tuple[str, int | None, int | None]]) -> Plan:
    committee = Unit.objects.get(province=province, kind="province_committee")
    plan = Plan.objects.create(province=province, owner_unit=committee, issuer="UBND", title="Kế hoạch thử",
                               period_start=start, period_end=end, status=PlanStatus.ISSUED)
    for kind, day, month in rules:
        ReportingRule.objects.create(plan=plan, kind=kind, day=day, month=month)
    return plan


def _periods(plan: Plan) -> list[tuple[str, dt.date]]:
    return [(p.label, p.due_date) for p in plan.reporting_periods.order_by("due_date")]


@pytest.mark.django_db
def test_demo_plan_for_the_second_half_of_2025_gets_a_third_quarter_and_a_yearly_report(demo_plan):
    demo_plan.reporting_periods.all().delete()  # the demo loader made them; make them again from the rules
    created = generate_periods(demo_plan)
    # Quarterly before the 15th of the quarter's last month, 6-monthly 15/6, yearly 15/12; the plan runs
    # from 1/7/2025, so the first half-year is not reported on and the fourth quarter is the yearly report.
    # Its tasks due 31/12/2025 get a closing report after the plan ends, by the yearly rule's day.
    assert [(p.label, p.due_date) for p in created] == [
        ("Quý III/2025", dt.date(2025, 9, 15)), ("Năm 2025", dt.date(2025, 12, 15)),
        ("Báo cáo khi kết thúc kế hoạch (đến 31/12/2025)", dt.date(2026, 1, 15))]
    closing = created[-1]
    assert (closing.kind, closing.start, closing.end) == (ReportKind.YEARLY, dt.date(2025, 12, 16), dt.date(2025, 12, 31))


@pytest.mark.django_db
def test_a_whole_year_with_the_common_regime_reports_four_times(demo_plan):
    plan = _plan(demo_plan.province, dt.date(2026, 1, 1), dt.date(2026, 12, 31),
                 [(ReportKind.QUARTERLY, 15, None), (ReportKind.SIX_MONTHLY, 15, 6), (ReportKind.YEARLY, 15, 12)])
    generate_periods(plan)
    assert _periods(plan) == [
        ("Quý I/2026", dt.date(2026, 3, 15)), ("6 tháng đầu năm 2026", dt.date(2026, 6, 15)),
        ("Quý III/2026", dt.date(2026, 9, 15)), ("Năm 2026", dt.date(2026, 12, 15))]


@pytest.mark.django_db
def test_another_provinces_deadlines_20_3_20_6_and_30_11(demo_plan):
    plan = _plan(demo_plan.province, dt.date(2026, 1, 1), dt.date(2026, 12, 31),
                 [(ReportKind.QUARTERLY, 20, None), (ReportKind.SIX_MONTHLY, 20, 6), (ReportKind.YEARLY, 30, 11)])
    generate_periods(plan)
    assert [d for _label, d in _periods(plan)] == [
        dt.date(2026, 3, 20), dt.date(2026, 6, 20), dt.date(2026, 9, 20), dt.date(2026, 11, 30)]


@pytest.mark.django_db
def test_quarterly_and_six_monthly_without_yearly_merge_the_fourth_quarter_into_the_second_half(demo_plan):
    plan = _plan(demo_plan.province, dt.date(2026, 1, 1), dt.date(2026, 12, 31),
                 [(ReportKind.QUARTERLY, 15, None), (ReportKind.SIX_MONTHLY, 15, 6)])
    generate_periods(plan)
    assert _periods(plan) == [
        ("Quý I/2026", dt.date(2026, 3, 15)), ("6 tháng đầu năm 2026", dt.date(2026, 6, 15)),
        ("Quý III/2026", dt.date(2026, 9, 15)), ("6 tháng cuối năm 2026", dt.date(2026, 12, 15))]


@pytest.mark.django_db
def test_a_six_monthly_rule_due_in_july_reports_the_second_half_in_january(demo_plan):
    plan = _plan(demo_plan.province, dt.date(2026, 1, 1), dt.date(2026, 12, 31), [(ReportKind.SIX_MONTHLY, 15, 7)])
    generate_periods(plan)
    assert _periods(plan) == [("6 tháng đầu năm 2026", dt.date(2026, 7, 15)),
                              ("6 tháng cuối năm 2026", dt.date(2027, 1, 15))]


@pytest.mark.django_db
def test_six_monthly_alone_reports_each_half_and_quarterly_alone_every_quarter(demo_plan):
    plan = _plan(demo_plan.province, dt.date(2026, 1, 1), dt.date(2026, 12, 31), [(ReportKind.SIX_MONTHLY, 10, None)])
    generate_periods(plan)
    assert _periods(plan) == [("6 tháng đầu năm 2026", dt.date(2026, 6, 10)),
                              ("6 tháng cuối năm 2026", dt.date(2026, 12, 10))]
    quarterly = _plan(demo_plan.province, dt.date(2026, 1, 1), dt.date(2026, 12, 31), [(ReportKind.QUARTERLY, 31, None)])
    generate_periods(quarterly)
    # The 31st of a month that has 30 days is its last day.
    assert [d for _l, d in _periods(quarterly)] == [
        dt.date(2026, 3, 31), dt.date(2026, 6, 30), dt.date(2026, 9, 30), dt.date(2026, 12, 31)]


@pytest.mark.django_db
def test_generating_again_adds_nothing_and_keeps_a_deadline_the_coordinator_moved(demo_plan):
    generate_periods(demo_plan)
    q3 = demo_plan.reporting_periods.get(label="Quý III/2025")
    ReportingPeriod.objects.filter(pk=q3.pk).update(due_date=dt.date(2025, 9, 20))
    assert generate_periods(demo_plan) == []
    q3.refresh_from_db()
    assert q3.due_date == dt.date(2025, 9, 20)
    assert demo_plan.reporting_periods.count() == 3


@pytest.mark.django_db
def test_coordinator_generates_edits_and_adds_an_ad_hoc_report_through_the_pages(demo_plan):
    demo_plan.reporting_periods.all().delete()
    client = client_for("coordinator")
    response = client.post(f"/theo-doi/ke-hoach/{demo_plan.pk}/ky-bao-cao/tao-theo-che-do/", follow=True)
    assert "Đã tạo 3 kỳ báo cáo" in response.content.decode()
    q3 = demo_plan.reporting_periods.get(label="Quý III/2025")
    url = f"/theo-doi/ky-bao-cao/{q3.pk}/sua/"
    form = {"label": "Quý III/2025", "start": "01/07/2025", "end": "30/09/2025", "due_date": "18/09/2025",
            "lock_version": q3.lock_version}
    assert client.post(url, form).status_code == 302
    q3.refresh_from_db()
    assert q3.due_date == dt.date(2025, 9, 18)
    # The same form posted again is based on the old version: refused, nothing changes.
    stale = client.post(url, {**form, "due_date": "19/09/2025"})
    assert stale.status_code == 409
    q3.refresh_from_db()
    assert q3.due_date == dt.date(2025, 9, 18)
    bad = client.post(url, {**form, "end": "30/06/2025", "lock_version": q3.lock_version})
    assert bad.status_code == 400
    assert "Ngày kết thúc kỳ phải sau ngày bắt đầu" in bad.content.decode()
    created = client.post(f"/theo-doi/ke-hoach/{demo_plan.pk}/ky-bao-cao/moi/", {
        "label": "Báo cáo đột xuất về TTHC", "start": "01/10/2025", "end": "31/10/2025", "due_date": "05/11/2025"})
    assert created.status_code == 302
    ad_hoc = demo_plan.reporting_periods.get(kind=ReportKind.AD_HOC)
    assert (ad_hoc.label, ad_hoc.due_date) == ("Báo cáo đột xuất về TTHC", dt.date(2025, 11, 5))
    page = client.get(f"/theo-doi/ke-hoach/{demo_plan.pk}/ky-bao-cao/").content.decode()
    assert "Báo cáo đột xuất về TTHC" in page and "18/09/2025" in page


SEE = {"admin": 200, "coordinator": 200, "focal_point": 200, "leader": 200, "viewer": 200, "anonymous": 302}
MANAGE = {"admin": 200, "coordinator": 200, "focal_point": 403, "leader": 403, "viewer": 403, "anonymous": 302}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_period_pages_per_role(demo_plan, role):
    generate_periods(demo_plan)
    q3 = demo_plan.reporting_periods.get(label="Quý III/2025")
    client = client_for(role)
    assert client.get(f"/theo-doi/ke-hoach/{demo_plan.pk}/ky-bao-cao/").status_code == SEE[role]
    assert client.get(f"/theo-doi/ky-bao-cao/{q3.pk}/sua/").status_code == MANAGE[role]
    assert client.get(f"/theo-doi/ke-hoach/{demo_plan.pk}/ky-bao-cao/moi/").status_code == MANAGE[role]
    before = ReportingPeriod.objects.count()
    status = client.post(f"/theo-doi/ke-hoach/{demo_plan.pk}/ky-bao-cao/tao-theo-che-do/").status_code
    assert status == {**MANAGE, "admin": 302, "coordinator": 302}[role]
    if role not in ("admin", "coordinator"):
        assert ReportingPeriod.objects.count() == before


@pytest.mark.django_db
def test_a_coordinator_of_another_province_does_not_see_the_periods(demo_plan):
    from chiso.accounts.models import Role, User
    from chiso.orgs.models import Province

    other = Province.objects.get(code="thai-nguyen")  # from the national list loaded with the demo
    snv = Unit.objects.create(province=other, code="so-noi-vu", name="Sở Nội vụ", kind="department")
    outsider = User.objects.create_user("dieuphoi.tn", password="x", role=Role.COORDINATOR, unit=snv)
    generate_periods(demo_plan)
    q3 = demo_plan.reporting_periods.get(label="Quý III/2025")
    from django.test import Client

    client = Client()
    client.force_login(outsider)
    assert client.get(f"/theo-doi/ke-hoach/{demo_plan.pk}/ky-bao-cao/").status_code == 404
    assert client.get(f"/theo-doi/ky-bao-cao/{q3.pk}/").status_code == 404
    assert client.post(f"/theo-doi/ky-bao-cao/{q3.pk}/sua/", {"label": "x"}).status_code == 404


@pytest.mark.django_db
def test_the_demo_shows_a_quarter_with_reports_and_loading_it_again_changes_nothing(demo_plan):
    from chiso.demo.loader import load_demo
    from chiso.monitoring.models import ReportStatus, UnitReport

    q3 = demo_plan.reporting_periods.get(label="Quý III/2025")
    assert dict(q3.reports.values_list("unit__code", "status")) == {
        "so-khoa-hoc-va-cong-nghe": ReportStatus.ACCEPTED, "phuong-ha-giang-1": ReportStatus.DRAFT}
    before = (ReportingPeriod.objects.count(), UnitReport.objects.count())
    load_demo()
    assert (ReportingPeriod.objects.count(), UnitReport.objects.count()) == before
    # A demo loaded before monitoring existed gets its periods and reports on the next load.
    demo_plan.reporting_periods.all().delete()
    load_demo()
    assert demo_plan.reporting_periods.count() == 3
    assert UnitReport.objects.filter(period__plan=demo_plan).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"start": "01/01/2025"}, "start", "đã có một kỳ báo cáo cùng loại bắt đầu từ ngày này"),
    ({"start": "01/01/0001"}, "start", "Năm phải từ 2000 đến 2100"),
    ({"due_date": "31/12/9999"}, "due_date", "Năm phải từ 2000 đến 2100"),
])
def test_a_period_edit_that_the_database_would_refuse_gets_a_message_and_changes_nothing(
        demo_plan, changes, field, message):
    generate_periods(demo_plan)
    ReportingPeriod.objects.create(plan=demo_plan, kind=ReportKind.QUARTERLY, label="Quý I/2025",
                                   start=dt.date(2025, 1, 1), end=dt.date(2025, 3, 31), due_date=dt.date(2025, 3, 15))
    q3 = demo_plan.reporting_periods.get(label="Quý III/2025")
    form = {"label": q3.label, "start": "01/07/2025", "end": "30/09/2025", "due_date": "15/09/2025",
            "lock_version": q3.lock_version, **changes}
    response = client_for("coordinator").post(f"/theo-doi/ky-bao-cao/{q3.pk}/sua/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    q3.refresh_from_db()
    assert (q3.start, q3.due_date) == (dt.date(2025, 7, 1), dt.date(2025, 9, 15))


DELETE = {"admin": 302, "coordinator": 302, "focal_point": 403, "leader": 403, "viewer": 403, "anonymous": 302}


def _ad_hoc(plan: Plan) -> ReportingPeriod:
    return ReportingPeriod.objects.create(plan=plan, kind=ReportKind.AD_HOC, label="Báo cáo đột xuất nhầm",
                                          start=dt.date(2025, 10, 1), end=dt.date(2025, 10, 31),
                                          due_date=dt.date(2025, 11, 5))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_the_province_deletes_an_ad_hoc_period_added_by_mistake(demo_plan, role):
    from chiso.monitoring.reports.services import open_report
    from tests.monitoring_helpers import user

    period = _ad_hoc(demo_plan)
    open_report(period, user("focal_point").unit, user("focal_point"))  # a draft begun: still deletable
    response = client_for(role).post(f"/theo-doi/ky-bao-cao/{period.pk}/xoa/")
    assert response.status_code == DELETE[role]
    deleted = DELETE[role] == 302 and role != "anonymous"
    assert ReportingPeriod.objects.filter(pk=period.pk).exists() != deleted


@pytest.mark.django_db
def test_a_period_once_submitted_or_from_the_regime_is_not_deleted(demo_plan):
    from chiso.monitoring.reports.services import open_report, submit_report
    from tests.monitoring_helpers import user

    period = _ad_hoc(demo_plan)
    submit_report(open_report(period, user("leader").unit, user("focal_point")), user("leader"))
    coordinator = client_for("coordinator")
    refused = coordinator.post(f"/theo-doi/ky-bao-cao/{period.pk}/xoa/", follow=True).content.decode()
    assert "Đã có đơn vị gửi báo cáo cho kỳ này" in refused
    generate_periods(demo_plan)
    q3 = demo_plan.reporting_periods.get(label="Quý III/2025")
    assert "Chỉ xóa được báo cáo đột xuất" in coordinator.post(
        f"/theo-doi/ky-bao-cao/{q3.pk}/xoa/", follow=True).content.decode()
    assert ReportingPeriod.objects.filter(pk__in=[period.pk, q3.pk]).count() == 2
    assert client_for("other_commune").post(f"/theo-doi/ky-bao-cao/{period.pk}/xoa/").status_code == 403
