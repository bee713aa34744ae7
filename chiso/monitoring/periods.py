"""Reporting periods from a plan's reporting regime (chế độ báo cáo).

A rule gives a day and, optionally, a month: 'hằng quý, trước ngày 15 của tháng cuối quý' is (15, none),
'6 tháng, trước 15/6' is (15, 6), 'năm, trước 15/12' is (15, 12). Where a plan asks for both, the second
quarter's report is the six-month report and the fourth quarter's is the yearly one — or, without a yearly
rule, the second half-year's — as provinces do ('báo cáo quý II lồng ghép báo cáo 6 tháng'): one report per
deadline, never two due the same week. A six-monthly rule due in July or later puts the second half in the
next year (15/7 → 15/1). Only periods that overlap the plan's own period are made.

When tasks fall due after the last deadline (a yearly report due 15/12, tasks due 31/12), a closing report
(báo cáo khi kết thúc kế hoạch) covers the days after it up to the plan's end, due on the rule's day of the
following month, so those tasks can still be reported done. Generating again adds what is missing and
leaves existing periods — and deadlines the coordinator changed — as they are."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from chiso.core.workflow import InvalidTransition
from chiso.monitoring.models import ReportingPeriod
from chiso.plans.models import Plan, ReportingRule, ReportKind
from chiso.plans.services import plan_year

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class PeriodSpec:
    kind: str
    label: str
    start: dt.date
    end: dt.date
    due_date: dt.date
    rule: ReportingRule


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _deadline(year: int, month: int, day: int | None) -> dt.date:
    """The rule's day in the given month; a day the month lacks (31/6) becomes its last day."""
    last = _last_day(year, month)
    return last if day is None else last.replace(day=min(day, last.day))


def plan_years(plan: Plan) -> list[int]:
    if plan.period_start and plan.period_end:
        return list(range(plan.period_start.year, plan.period_end.year + 1))
    year = plan_year(plan)
    return [year] if year else []


def period_specs(plan: Plan, rules: list[ReportingRule], last_task_due: dt.date | None = None) -> list[PeriodSpec]:
    by_kind = {rule.kind: rule for rule in rules}
    has_six_monthly = ReportKind.SIX_MONTHLY in by_kind
    has_yearly = ReportKind.YEARLY in by_kind
    specs: list[PeriodSpec] = []
    for year in plan_years(plan):
        if rule := by_kind.get(ReportKind.QUARTERLY):
            for quarter in range(1, 5):
                # The fourth quarter is also the second half-year: one report, never two due the same day.
                if (quarter == 2 and has_six_monthly) or (quarter == 4 and (has_yearly or has_six_monthly)):
                    continue
                first_month = 3 * quarter - 2
                # A quarterly rule's month counts within the quarter (1–3); none means its last month.
                month_in_quarter = rule.month if rule.month and rule.month <= 3 else 3
                specs.append(PeriodSpec(
                    ReportKind.QUARTERLY, _("Quý %(q)s/%(y)s") % {"q": ROMAN[quarter], "y": year},
                    dt.date(year, first_month, 1), _last_day(year, 3 * quarter),
                    _deadline(year, first_month + month_in_quarter - 1, rule.day), rule))
        if rule := by_kind.get(ReportKind.SIX_MONTHLY):
            first_due_month = rule.month or 6
            specs.append(PeriodSpec(
                ReportKind.SIX_MONTHLY, _("6 tháng đầu năm %(y)s") % {"y": year},
                dt.date(year, 1, 1), _last_day(year, 6), _deadline(year, first_due_month, rule.day), rule))
            if not has_yearly:
                # Six months after the first deadline: a rule "before 15/7" reports the second half by 15/1.
                second_year, second_month = (year, first_due_month + 6) if first_due_month <= 6 else (
                    year + 1, first_due_month - 6)
                specs.append(PeriodSpec(
                    ReportKind.SIX_MONTHLY, _("6 tháng cuối năm %(y)s") % {"y": year},
                    dt.date(year, 7, 1), _last_day(year, 12), _deadline(second_year, second_month, rule.day), rule))
        if rule := by_kind.get(ReportKind.YEARLY):
            specs.append(PeriodSpec(
                ReportKind.YEARLY, _("Năm %(y)s") % {"y": year},
                dt.date(year, 1, 1), _last_day(year, 12), _deadline(year, rule.month or 12, rule.day), rule))
    specs = [s for s in specs if _overlaps_plan(plan, s)]
    closing = _closing_spec(plan, specs, last_task_due)
    return [*specs, closing] if closing else specs


def _closing_spec(plan: Plan, specs: list[PeriodSpec], last_task_due: dt.date | None) -> PeriodSpec | None:
    """Tasks due after the last deadline (31/12 when the yearly report is due 15/12) could never be reported
    done: one more report, after the plan ends, due on the rule's day of the following month."""
    if not specs or last_task_due is None:
        return None
    last = max(specs, key=lambda s: s.due_date)
    if last_task_due <= last.due_date:
        return None
    plan_end = max(plan.period_end or dt.date(plan_years(plan)[-1], 12, 31), last_task_due)
    after = plan_end + dt.timedelta(days=1)
    rule = next((s.rule for s in specs if s.kind == ReportKind.YEARLY), last.rule)
    return PeriodSpec(
        rule.kind, _("Báo cáo khi kết thúc kế hoạch (đến %(end)s)") % {"end": plan_end.strftime("%d/%m/%Y")},
        last.due_date + dt.timedelta(days=1), plan_end, _deadline(after.year, after.month, rule.day), rule)


def _overlaps_plan(plan: Plan, spec: PeriodSpec) -> bool:
    if plan.period_start and spec.end < plan.period_start:
        return False
    return not (plan.period_end and spec.start > plan.period_end)


@transaction.atomic
def delete_ad_hoc_period(period: ReportingPeriod) -> None:
    """Remove an ad-hoc report added by mistake, with the drafts units have begun for it; refused once any
    unit has submitted it (that version must stay) and for periods that come from the reporting regime."""
    locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if locked.kind != ReportKind.AD_HOC:
        raise InvalidTransition(_("Chỉ xóa được báo cáo đột xuất; kỳ theo chế độ báo cáo thì sửa hạn gửi."))
    if locked.reports.filter(first_submitted_at__isnull=False).exists():
        raise InvalidTransition(_("Đã có đơn vị gửi báo cáo cho kỳ này, không xóa được."))
    locked.delete()


@transaction.atomic
def generate_periods(plan: Plan) -> list[ReportingPeriod]:
    """Create the periods the plan's regime calls for that do not exist yet; return the new ones.
    Ad-hoc reports have no calendar: the coordinator adds them one by one."""
    rules = [r for r in plan.reporting_rules.all() if r.kind != ReportKind.AD_HOC]
    existing = set(plan.reporting_periods.values_list("kind", "start"))
    last_task_due = plan.tasks.aggregate(last=Max("due_date"))["last"]
    created = []
    for spec in period_specs(plan, rules, last_task_due):
        if (spec.kind, spec.start) in existing:
            continue
        created.append(ReportingPeriod.objects.create(
            plan=plan, kind=spec.kind, label=spec.label, start=spec.start, end=spec.end,
            due_date=spec.due_date, rule=spec.rule))
    return created
