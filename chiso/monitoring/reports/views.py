"""Monitoring pages: reporting periods of a plan, the review list of a period, a unit's report with its
lines edited in place (htmx), evidence upload and permission-checked download, versions, notifications."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from chiso.accounts.requests import AuthenticatedRequest
from chiso.core.figures_cache import FIGURES_TTL
from chiso.core.http import int_param, redirect_after_save, render_htmx, require
from chiso.core.locking import StaleEdit, form_status, mark_stale, save_current
from chiso.core.todo import todo_items
from chiso.core.workflow import run_transition, unconfirmed_gaps
from chiso.monitoring import permissions as perm
from chiso.monitoring.dashboards import charts
from chiso.monitoring.dashboards.plan import DONE, plan_dashboard
from chiso.monitoring.dashboards.plan_units import plan_units
from chiso.monitoring.lateness import owing_units, period_rows, report_is_late
from chiso.monitoring.models import (
    Evidence,
    Notification,
    ReportingPeriod,
    ReportLine,
    ReportStatus,
    UnitReport,
)
from chiso.monitoring.periods import delete_ad_hoc_period, generate_periods
from chiso.monitoring.reports.approval import (
    approval_chain,
    incomplete_lines,
    request_approval,
    return_to_focal_point,
)
from chiso.monitoring.reports.downloads import evidence_file_response
from chiso.monitoring.reports.evidence import max_bytes
from chiso.monitoring.reports.forms import EvidenceForm, LineForm, PeriodForm, ReviewForm, SummaryForm
from chiso.monitoring.reports.period_review import review_list
from chiso.monitoring.reports.services import (
    InvalidTransition,
    accept_report,
    add_evidence,
    add_missing_lines,
    mark_evidence_public,
    open_report,
    previous_report,
    remove_evidence,
    return_report,
    save_line,
    save_summary,
    submit_report,
)
from chiso.monitoring.reports.uploads import limit_evidence_upload, upload_was_too_large
from chiso.orgs.models import Unit
from chiso.plans.models import Assignment, Plan, PlanStatus, ReportKind
from chiso.plans.permissions import get_visible_plan


@dataclass
class PeriodRow:
    """A period on the index: for the province, how many owing units have sent it; for unit staff, where
    their own unit's report stands."""

    period: ReportingPeriod
    owing: int = 0
    submitted: int = 0
    owes: bool = False
    my_report: UnitReport | None = None
    is_late: bool = False


@dataclass
class PlanPeriods:
    plan: Plan
    rows: list[PeriodRow]


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    """The periods of every province plan the user sees, with the province's or the unit's view of each."""
    user = request.user
    today = timezone.localdate()
    plans = list(Plan.objects.visible_to(user).filter(parent__isnull=True, status=PlanStatus.ISSUED)
                 .prefetch_related(Prefetch("reporting_periods", queryset=ReportingPeriod.objects.order_by("due_date"))))
    periods = [p for plan in plans for p in plan.reporting_periods.all()]
    if user.sees_whole_province:
        rows = _province_rows(plans, periods, today)
    elif user.unit_id:
        rows = _unit_rows(plans, periods, user.unit_id, today)
    else:
        rows = {period.pk: PeriodRow(period) for period in periods}
    entries = [PlanPeriods(plan, [rows[p.pk] for p in plan.reporting_periods.all()]) for plan in plans]
    return render(request, "monitoring/index.html", {
        "plans": entries, "today": today, "province_view": user.sees_whole_province})


def _province_rows(plans: list[Plan], periods: list[ReportingPeriod], today: dt.date) -> dict[int, PeriodRow]:
    owing = {plan_id: len(units) for plan_id, units in owing_units(plan.pk for plan in plans).items()}
    submitted = dict(UnitReport.objects.filter(period__in=periods, first_submitted_at__isnull=False)
                     .values("period_id").annotate(n=Count("id")).values_list("period_id", "n"))
    rows = {}
    for period in periods:
        row = PeriodRow(period, owing=owing.get(period.plan_id, 0), submitted=submitted.get(period.pk, 0))
        # Some owing unit has not sent it: at least one report is late by lateness's rule.
        row.is_late = row.submitted < row.owing and report_is_late(period, None, today)
        rows[period.pk] = row
    return rows


def _unit_rows(plans: list[Plan], periods: list[ReportingPeriod], unit_id: int,
               today: dt.date) -> dict[int, PeriodRow]:
    mine = {r.period_id: r for r in UnitReport.objects.filter(period__in=periods, unit_id=unit_id)}
    reporting_plans = set(Assignment.objects.filter(task__plan__in=plans, unit_id=unit_id)
                          .values_list("task__plan_id", flat=True).distinct())
    rows = {}
    for period in periods:
        owes = period.plan_id in reporting_plans
        report = mine.get(period.pk)
        rows[period.pk] = PeriodRow(period, owes=owes, my_report=report,
                                    is_late=owes and report_is_late(period, report, today))
    return rows


# --- Reporting periods -------------------------------------------------------------------------------


@login_required
def period_list(request: AuthenticatedRequest, plan_pk: int) -> HttpResponse:
    plan = get_visible_plan(request.user, plan_pk)
    if plan.is_unit_plan:
        raise Http404
    return render(request, "monitoring/period_list.html", {
        "plan": plan, "periods": plan.reporting_periods.order_by("due_date"),
        "rules": plan.reporting_rules.all(), "can_manage": perm.can_manage_periods(request.user, plan),
    })


@login_required
@require_POST
def period_generate(request: AuthenticatedRequest, plan_pk: int) -> HttpResponse:
    plan = get_visible_plan(request.user, plan_pk)
    require(perm.can_manage_periods(request.user, plan))
    created = generate_periods(plan)
    if created:
        messages.success(request, _("Đã tạo %(n)s kỳ báo cáo: %(labels)s.") % {
            "n": len(created), "labels": ", ".join(p.label for p in created)})
    else:
        messages.info(request, _("Các kỳ báo cáo theo chế độ báo cáo của kế hoạch đã có đủ."))
    return redirect("monitoring:period_list", plan_pk=plan.pk)


@login_required
def period_create(request: AuthenticatedRequest, plan_pk: int) -> HttpResponse:
    """An ad-hoc report (báo cáo đột xuất): the coordinator names it and sets its deadline."""
    plan = get_visible_plan(request.user, plan_pk)
    require(perm.can_manage_periods(request.user, plan))
    form = PeriodForm(request.POST or None, instance=ReportingPeriod(plan=plan, kind=ReportKind.AD_HOC))
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:  # the same period added at the same moment by someone else
            form.add_error("start", _("Kế hoạch đã có một kỳ báo cáo cùng loại bắt đầu từ ngày này."))
        else:
            messages.success(request, _("Đã thêm kỳ báo cáo đột xuất."))
            return redirect("monitoring:period_list", plan_pk=plan.pk)
    return render(request, "monitoring/period_form.html", {"plan": plan, "form": form, "period": None},
                  status=form_status(form))


@login_required
def period_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    period = perm.get_visible_period(request.user, pk)
    require(perm.can_manage_periods(request.user, period.plan))
    form = PeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_current(form, period)
        except IntegrityError:  # the same period saved at the same moment by someone else
            form.add_error("start", _("Kế hoạch đã có một kỳ báo cáo cùng loại bắt đầu từ ngày này."))
        else:
            if saved:
                messages.success(request, _("Đã lưu kỳ báo cáo."))
                return redirect("monitoring:period_list", plan_pk=period.plan_id)
    return render(request, "monitoring/period_form.html", {"plan": period.plan, "form": form, "period": period},
                  status=form_status(form))


@login_required
@require_POST
def period_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    period = perm.get_visible_period(request.user, pk)
    require(perm.can_manage_periods(request.user, period.plan))
    try:
        delete_ad_hoc_period(period)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã xóa kỳ báo cáo “%(label)s”.") % {"label": period.label})
    return redirect("monitoring:period_list", plan_pk=period.plan_id)


@login_required
def period_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Who has reported for the period and who is late: the coordinator's review list."""
    period = perm.get_visible_period(request.user, pk)
    require(perm.can_review_period(request.user, period))
    today = timezone.localdate()
    rows = period_rows(period, today)
    return render(request, "monitoring/period_detail.html", {
        "period": period, "plan": period.plan, "rows": rows, "today": today,
        "late": sum(1 for r in rows if r.is_late),
        "submitted": sum(1 for r in rows if r.report and r.report.first_submitted_at),
        "waiting": sum(1 for r in rows if r.report and r.report.status == ReportStatus.SUBMITTED),
        "can_chase": perm.can_manage_periods(request.user, period.plan),
        **review_list(rows, request.GET),
    })


@login_required
def plan_dashboard_view(request: AuthenticatedRequest, plan_pk: int) -> HttpResponse:
    """Where the plan stands for the province: completion by index and by unit, overdue tasks, units that
    have not reported for the last period whose deadline has passed."""
    plan = get_visible_plan(request.user, plan_pk)
    if plan.is_unit_plan:
        raise Http404
    require(request.user.sees_whole_province)
    today = timezone.localdate()
    unit_id = int_param(request.GET.get("don-vi"))
    unit = Unit.objects.filter(pk=unit_id, province_id=plan.province_id).first() if unit_id is not None else None
    dashboard = plan_dashboard(plan, today, overdue_unit=unit)
    units = plan_units(dashboard, request.GET)
    return render(request, "monitoring/plan_dashboard.html", {
        "plan": plan, "today": today, "dashboard": dashboard, **units, "figures_ttl": FIGURES_TTL,
        "on_time_chart": charts.on_time_chart(dashboard.total),
        "index_chart": charts.completion_chart(dashboard.by_index),
        "node_chart": charts.completion_chart(dashboard.by_node),
        "node_chart_height": charts.chart_height(len(dashboard.by_node)),
        # The chart follows the table's filter and order: a province's 150 units read as its rows do.
        "unit_chart": charts.completion_chart(units["kept"]),
        "unit_chart_height": charts.chart_height(len(units["kept"])),
    })


# --- A unit's report --------------------------------------------------------------------------------


@login_required
def unit_report(request: AuthenticatedRequest, period_pk: int) -> HttpResponse:
    """The user's own unit's report for the period: opened (created) by the focal point, else shown."""
    user = request.user
    period = perm.get_visible_period(user, period_pk)
    require(perm.reports_for_unit(user, period))
    report = UnitReport.objects.filter(period=period, unit_id=user.own_unit.pk).first()
    if report is not None:
        return redirect("monitoring:report_detail", pk=report.pk)
    if request.method == "POST":
        require(perm.can_open_report(user, period))
        carry = request.POST.get("carry_forward") == "1"
        report = open_report(period, user.own_unit, user, carry_forward=carry)
        messages.success(request, _("Đã lập dự thảo báo cáo.") if not report.carried_from else
                         _("Đã lập dự thảo báo cáo từ báo cáo %(period)s: chỉ cần cập nhật những gì đã thay đổi.")
                         % {"period": report.carried_from.period.label})
        return redirect("monitoring:report_detail", pk=report.pk)
    return render(request, "monitoring/unit_report_start.html", {
        "period": period, "plan": period.plan, "can_open": perm.can_open_report(user, period),
        "previous": previous_report(period, user.own_unit.pk),
        "task_count": Assignment.objects.filter(task__plan_id=period.plan_id, unit_id=user.own_unit.pk).count(),
        "is_late": timezone.localdate() > period.due_date,
    })


def _lines(report: UnitReport) -> list[ReportLine]:
    return list(
        report.lines.select_related("assignment__task")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.filter(removed_at__isnull=True)))
        .order_by("assignment__task__order", "id")
    )


def _mark_publishable(request: AuthenticatedRequest, lines: list[ReportLine]) -> list[ReportLine]:
    """Each listed file learns whether the user may mark it public: the button and badge in _line_row.html.
    The lines hang on the report already read, so this costs no query."""
    for line in lines:
        for evidence in line.evidence.all():
            evidence.can_publish = perm.can_publish_evidence(request.user, evidence)  # type: ignore[attr-defined]
    return lines


def _report_context(request: AuthenticatedRequest, report: UnitReport) -> dict[str, Any]:
    user = request.user
    return {
        "report": report, "period": report.period, "plan": report.period.plan, "today": timezone.localdate(),
        "can_edit": perm.can_edit_report(user, report), "can_submit": perm.can_submit_report(user, report),
        "can_review": perm.can_review_report(user, report),
        "can_request_approval": perm.can_request_approval(user, report),
        "can_return_to_focal_point": perm.can_return_to_focal_point(user, report),
        "chain": approval_chain(report),
    }


@login_required
def report_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = perm.get_visible_report(request.user, pk)
    context = _report_context(request, report)
    if context["can_edit"]:
        add_missing_lines(report)
    lines = _mark_publishable(request, _lines(report))
    context.update({
        "lines": lines, "versions": report.versions.select_related("submitted_by", "reviewed_by"),
        "review_form": ReviewForm(), "evidence_form": EvidenceForm(),
        "summary_form": SummaryForm(initial={"summary": report.summary, "lock_version": report.lock_version}),
        "done": sum(1 for line in lines if line.status in DONE),
        "incomplete": incomplete_lines(report) if context["can_submit"] else [],
    })
    return render(request, "monitoring/report_detail.html", context)


def _line_of(request: AuthenticatedRequest, pk: int, line_pk: int) -> tuple[UnitReport, ReportLine]:
    report = perm.get_visible_report(request.user, pk)
    line = get_object_or_404(
        report.lines.select_related("assignment__task").prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.filter(removed_at__isnull=True))), pk=line_pk)
    _mark_publishable(request, [line])
    return report, line


@login_required
def line_edit(request: AuthenticatedRequest, pk: int, line_pk: int) -> HttpResponse:
    report, line = _line_of(request, pk, line_pk)
    require(perm.can_edit_report(request.user, report))
    form = LineForm(request.POST or None, initial=LineForm.initial_for(line))
    context = {**_report_context(request, report), "line": line, "form": form, "evidence_form": EvidenceForm()}
    if request.method == "POST" and form.is_valid():
        try:
            save_line(line, form.line_data(), expected_version=form.cleaned_data.get("lock_version") or 0)
        except StaleEdit:
            mark_stale(form)
        except InvalidTransition as error:
            form.add_error(None, str(error))
        else:
            if getattr(request, "htmx", False):
                return render(request, "monitoring/_line_row.html", context)
            messages.success(request, _("Đã lưu."))
            return redirect(f"{reverse('monitoring:report_detail', args=[report.pk])}#line-{line.pk}")
    return render_htmx(request, "monitoring/line_form.html", "monitoring/_line_form.html", context,
                       status=form_status(form))


@login_required
def line_row(request: AuthenticatedRequest, pk: int, line_pk: int) -> HttpResponse:
    """The line as displayed: what htmx swaps back in when an edit is cancelled."""
    report, line = _line_of(request, pk, line_pk)
    return render(request, "monitoring/_line_row.html", {**_report_context(request, report), "line": line})


@login_required
@require_POST
@csrf_exempt  # only so the size limit is in place before the body is read; _evidence_upload checks CSRF
def evidence_upload(request: AuthenticatedRequest, pk: int, line_pk: int) -> HttpResponse:
    limit_evidence_upload(request)
    return _evidence_upload(request, pk, line_pk)


@csrf_protect
def _evidence_upload(request: AuthenticatedRequest, pk: int, line_pk: int) -> HttpResponse:
    report, line = _line_of(request, pk, line_pk)
    require(perm.can_edit_report(request.user, report))
    form = EvidenceForm(request.POST, request.FILES)
    back = f"{reverse('monitoring:report_detail', args=[report.pk])}#line-{line.pk}"
    if upload_was_too_large(request):
        messages.error(request, _("Tệp quá lớn: tối đa %(mb)s MB; chưa được lưu.") % {
            "mb": max_bytes() // (1024 * 1024)})
        return redirect(back)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, str(error))
        return redirect(back)
    try:
        evidence = add_evidence(line, form.cleaned_data["file"], request.user)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã tải lên minh chứng “%(name)s”.") % {"name": evidence.original_name})
    return redirect(back)


@login_required
def evidence_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    evidence = perm.get_visible_evidence(request.user, pk)
    return evidence_file_response(evidence, "private, no-store")


@login_required
@require_POST
def evidence_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    evidence = perm.get_visible_evidence(request.user, pk)
    report = evidence.line.report
    require(perm.can_edit_report(request.user, report))
    try:
        remove_evidence(evidence)
    except InvalidTransition as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã gỡ minh chứng “%(name)s” khỏi dự thảo.") % {"name": evidence.original_name})
    return redirect_after_save(request, f"{reverse('monitoring:report_detail', args=[report.pk])}#line-{evidence.line_id}")


@login_required
@require_POST
def evidence_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The province marks a file of a report for the plan's public page (public=1) or takes the mark off."""
    evidence = perm.get_visible_evidence(request.user, pk)
    require(perm.can_publish_evidence(request.user, evidence))
    back = f"{reverse('monitoring:report_detail', args=[evidence.line.report_id])}#line-{evidence.line_id}"
    choice = request.POST.get("public")
    if choice not in ("0", "1"):
        messages.error(request, _("Không rõ công khai hay thôi công khai minh chứng; chưa có gì thay đổi."))
        return redirect_after_save(request, back)
    mark_evidence_public(evidence, choice == "1")
    message = (_("Đã công khai minh chứng “%(name)s” trên trang công khai của kế hoạch.") if choice == "1"
               else _("Đã thôi công khai minh chứng “%(name)s”."))
    messages.success(request, message % {"name": evidence.original_name})
    return redirect_after_save(request, back)


@login_required
@require_POST
def report_summary(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A summary written on an older version of the report (edited, submitted or reviewed since) is 409,
    checked before the permission, which the newer state may have changed."""
    report = perm.get_visible_report(request.user, pk)
    form = SummaryForm(request.POST)
    if not form.is_valid():
        require(perm.can_edit_report(request.user, report))
        messages.error(request, _("Đánh giá chung chưa hợp lệ: %(errors)s")
                       % {"errors": " ".join(str(e) for errs in form.errors.values() for e in errs)})
        return _report_page(request, report, status=400)
    expected = form.cleaned_data.get("lock_version") or 0
    try:
        if report.lock_version != expected:
            raise StaleEdit
        require(perm.can_edit_report(request.user, report))
        save_summary(report, form.cleaned_data["summary"].strip(), expected_version=expected)
    except StaleEdit:
        return _stale_report(request, report)
    except InvalidTransition as error:
        messages.error(request, str(error))
        return _report_page(request, report, status=400)
    messages.success(request, _("Đã lưu đánh giá chung."))
    return redirect("monitoring:report_detail", pk=report.pk)


def _report_page(request: AuthenticatedRequest, report: UnitReport, status: int) -> HttpResponse:
    response = report_detail(request, report.pk)
    response.status_code = status
    return response


def _stale_report(request: AuthenticatedRequest, report: UnitReport) -> HttpResponse:
    messages.error(request, _("Báo cáo vừa thay đổi (được gửi lại hoặc đã được thẩm định) sau khi bạn mở "
                              "trang. Xem lại nội dung mới rồi thao tác lại; chưa có gì thay đổi."))
    report.refresh_from_db()
    return _report_page(request, report, status=409)


def _transition(request: AuthenticatedRequest, pk: int, allowed: Any, action: Any, done: str) -> HttpResponse:
    """The form carries the report's lock_version as the page showed it: a submission or review based on
    a report that has changed since (resubmitted, reviewed by someone else) is refused with 409."""
    report = perm.get_visible_report(request.user, pk)
    sent = int_param(request.POST.get("lock_version"))
    expected = sent or 0
    try:
        return run_transition(request, report, allowed(request.user, report), lambda r: action(r, expected), done,
                              "monitoring:report_detail", expected_version=sent, pk=report.pk)
    except StaleEdit:
        return _stale_report(request, report)


@login_required
@require_POST
def report_submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The leader sends; a report with lines still incomplete goes only once the leader has confirmed."""
    report = perm.get_visible_report(request.user, pk)
    if unconfirmed_gaps(request, report, perm.can_submit_report(request.user, report),
                        lambda: incomplete_lines(report)):
        messages.error(request, _("Báo cáo còn nội dung chưa đầy đủ (xem danh sách bên dưới). Xác nhận vẫn gửi "
                                  "hoặc trả lại cán bộ đầu mối để bổ sung; báo cáo chưa được gửi."))
        return redirect(f"{reverse('monitoring:report_detail', args=[report.pk])}#before-sending")
    return _transition(request, pk, perm.can_submit_report,
                       lambda r, v: submit_report(r, request.user, expected_version=v),
                       _("Đã duyệt và gửi báo cáo về Sở Nội vụ."))


@login_required
@require_POST
def report_request_approval(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, perm.can_request_approval,
                       lambda r, v: request_approval(r, request.user, expected_version=v),
                       _("Đã báo lãnh đạo đơn vị duyệt báo cáo."))


@login_required
@require_POST
def report_return_to_focal_point(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _transition(request, pk, perm.can_return_to_focal_point,
                       lambda r, v: return_to_focal_point(r, request.user, comment, expected_version=v),
                       _("Đã trả lại báo cáo cho cán bộ đầu mối."))


@login_required
@require_POST
def report_accept(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _transition(request, pk, perm.can_review_report,
                       lambda r, v: accept_report(r, request.user, comment, expected_version=v),
                       _("Đã chấp nhận báo cáo."))


@login_required
@require_POST
def report_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    comment = request.POST.get("comment", "")
    return _transition(request, pk, perm.can_review_report,
                       lambda r, v: return_report(r, request.user, comment, expected_version=v),
                       _("Đã trả lại báo cáo để đơn vị chỉnh sửa."))


@login_required
def version_detail(request: AuthenticatedRequest, pk: int, number: int) -> HttpResponse:
    report = perm.get_visible_report(request.user, pk)
    version = get_object_or_404(report.versions.select_related("submitted_by", "reviewed_by"), number=number)
    # Evidence of the version, also files removed from the draft since: a version shows what was sent.
    listed = {item["id"] for line in version.content.get("lines", []) for item in line.get("evidence", [])}
    available = set(Evidence.objects.filter(pk__in=listed, line__report=report).values_list("pk", flat=True))
    return render(request, "monitoring/version_detail.html", {
        "report": report, "period": report.period, "plan": report.period.plan, "version": version,
        "lines": version.content.get("lines", []), "available": available,
        "versions": report.versions.order_by("number"),
    })


# --- Notifications ----------------------------------------------------------------------------------


@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    mine = Notification.objects.filter(recipient=request.user)
    if request.method == "POST":
        mine.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("monitoring:notification_list")
    return render(request, "monitoring/notification_list.html", {
        "notifications": mine[:200], "unread": mine.filter(read_at__isnull=True).count(),
        # What waits for the user is listed too: an empty inbox must not read as "nothing to do".
        "todo": todo_items(request.user, timezone.localdate()),
    })


@login_required
@require_POST
def notification_open(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Opening a notification marks it read and goes where it points; another person's is 404."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
    link = notification.link if notification.link.startswith("/") and not notification.link.startswith("//") else ""
    return redirect(link or reverse("monitoring:notification_list"))
