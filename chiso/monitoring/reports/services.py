"""Multi-row writes on unit reports: opening a report (optionally carrying the last one forward), saving a
line, adding and removing evidence, and the submit → return/accept flow with its frozen versions.
Each function owns its transaction; views, commands and the demo loader call them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from chiso.accounts.models import User
from chiso.core.locking import StaleEdit, claim_version
from chiso.core.workflow import InvalidTransition, clean_comment, save_transition
from chiso.monitoring.models import (
    EDITABLE_STATUSES,
    Evidence,
    LineStatus,
    ReportingPeriod,
    ReportLine,
    ReportStatus,
    ReportVersion,
    UnitReport,
)
from chiso.monitoring.reminders.notifications import notify_review
from chiso.monitoring.reports.evidence import CheckedFile
from chiso.orgs.models import Unit
from chiso.plans.models import Assignment


def unit_assignments(period: ReportingPeriod, unit_id: int) -> QuerySet[Assignment]:
    """What a unit reports on in a period: its assignments in the period's plan, in appendix order."""
    return Assignment.objects.filter(task__plan_id=period.plan_id, unit_id=unit_id).order_by("task__order", "id")


def previous_report(period: ReportingPeriod, unit_id: int) -> UnitReport | None:
    """The unit's report for the plan's previous period (by deadline), to carry forward."""
    return (
        UnitReport.objects.filter(period__plan_id=period.plan_id, unit_id=unit_id, period__due_date__lt=period.due_date)
        .order_by("-period__due_date").first()
    )


@transaction.atomic
def open_report(period: ReportingPeriod, unit: Unit, user: User | None, *, carry_forward: bool = True) -> UnitReport:
    """The unit's report for the period, created with one line per assignment if it does not exist yet.
    Carrying forward copies the previous period's lines and evidence, so the unit changes only what moved."""
    # Locking the period serialises two clicks; the unique (period, unit) constraint backs it up.
    ReportingPeriod.objects.select_for_update().filter(pk=period.pk).exists()
    existing = UnitReport.objects.filter(period=period, unit=unit).first()
    if existing:
        return existing
    source = previous_report(period, unit.pk) if carry_forward else None
    try:
        with transaction.atomic():
            report = UnitReport.objects.create(period=period, unit=unit, created_by=user, carried_from=source)
    except IntegrityError:
        return UnitReport.objects.get(period=period, unit=unit)
    previous_lines = {}
    if source is not None:
        previous_lines = {line.assignment_id: line for line in source.lines.prefetch_related("evidence")}
        report.summary = source.summary
        report.save(update_fields=["summary"])
    lines = []
    for assignment in unit_assignments(period, unit.pk):
        old = previous_lines.get(assignment.pk)
        line = ReportLine(report=report, assignment=assignment)
        if old is not None:
            for field in ("status", "reason", "progress", "work_done", "indicator_value", "completed_on"):
                setattr(line, field, getattr(old, field))
        lines.append(line)
    # With history, so that the line's record starts at its creation (carried forward or blank).
    bulk_create_with_history(lines, ReportLine, default_user=user)
    # Evidence rows point to the same stored files: files are never deleted while a row refers to them.
    copies = []
    by_assignment = {line.assignment_id: line for line in ReportLine.objects.filter(report=report)}
    for assignment_id, old in previous_lines.items():
        if assignment_id not in by_assignment:
            continue
        for item in old.evidence.all():
            if item.removed_at is None:
                copies.append(Evidence(
                    line=by_assignment[assignment_id], unit=unit, file=item.file.name, original_name=item.original_name,
                    content_type=item.content_type, size=item.size, sha256=item.sha256, uploaded_by=item.uploaded_by))
    Evidence.objects.bulk_create(copies)
    return report


@transaction.atomic
def add_missing_lines(report: UnitReport) -> int:
    """A task assigned to the unit after its report was opened gets a blank line, so the report still
    answers for every assignment. Returns how many were added. Runs when the report page is opened: the
    report row is locked so two pages opened at once add each line once, and should the unique
    (report, assignment) constraint still catch a concurrent insert, the other request's lines stand."""
    UnitReport.objects.select_for_update().filter(pk=report.pk).exists()
    have = set(report.lines.values_list("assignment_id", flat=True))
    missing = [ReportLine(report=report, assignment=a) for a in unit_assignments(report.period, report.unit_id)
               if a.pk not in have]
    if not missing:
        return 0
    try:
        with transaction.atomic():
            bulk_create_with_history(missing, ReportLine)
    except IntegrityError:
        return 0
    return len(missing)


@dataclass
class LineData:
    status: str
    reason: str = ""
    progress: int = 0
    work_done: str = ""
    indicator_value: Decimal | None = None
    completed_on: dt.date | None = None


def _require_editable(report: UnitReport) -> None:
    if report.status not in EDITABLE_STATUSES:
        raise InvalidTransition(_("Báo cáo đã gửi, không sửa được nữa (chờ Sở Nội vụ thẩm định hoặc đã chấp nhận)."))


@transaction.atomic
def save_line(line: ReportLine, data: LineData, *, expected_version: int) -> ReportLine:
    report = UnitReport.objects.select_for_update().get(pk=line.report_id)
    _require_editable(report)
    line.report = report  # the row just locked: what the line's receivers read of it costs no query
    claim_version(line, expected_version)
    line.status, line.reason, line.progress = data.status, data.reason, data.progress
    line.work_done, line.indicator_value, line.completed_on = data.work_done, data.indicator_value, data.completed_on
    line.save()
    return line


@transaction.atomic
def save_summary(report: UnitReport, summary: str, *, expected_version: int) -> None:
    _require_editable(UnitReport.objects.select_for_update().get(pk=report.pk))
    claim_version(report, expected_version)
    report.summary = summary
    report.save(update_fields=["summary", "lock_version", "updated_at"])


def add_evidence(line: ReportLine, checked: CheckedFile, user: User) -> Evidence:
    """Store a file that chiso.monitoring.reports.evidence has already checked. If the row cannot be written the
    file is removed again, so nothing is left behind."""
    with transaction.atomic():
        report = UnitReport.objects.select_for_update().get(pk=line.report_id)
        _require_editable(report)
        evidence = Evidence(line=line, unit_id=report.unit_id, original_name=checked.name,
                            content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                            uploaded_by=user)
        evidence.file.save(checked.name, ContentFile(checked.data), save=False)
        try:
            evidence.save()
        except Exception:
            evidence.file.delete(save=False)
            raise
    return evidence


@transaction.atomic
def remove_evidence(evidence: Evidence) -> None:
    """Hide the file from the draft; versions already submitted keep pointing to it."""
    _require_editable(UnitReport.objects.select_for_update().get(pk=evidence.line.report_id))
    evidence.removed_at = timezone.now()
    evidence.save(update_fields=["removed_at"])


def mark_evidence_public(evidence: Evidence, public: bool) -> None:
    """Mark a file for the plan's public page or take the mark off. One row; the public page's version is
    bumped by chiso.public.cache when it sees the change, so the page shows it at once."""
    evidence.is_public = public
    evidence.save(update_fields=["is_public"])


def snapshot(report: UnitReport) -> dict[str, Any]:
    """The report as the reviewer sees it, frozen: lines with the task they answer and the evidence list."""
    lines = (
        report.lines.select_related("assignment__task")
        .prefetch_related("evidence").order_by("assignment__task__order", "id")
    )
    return report_snapshot(report.summary, [
        (line, [e for e in line.evidence.all() if e.removed_at is None]) for line in lines])


def report_snapshot(summary: str, lines: Iterable[tuple[ReportLine, Iterable[Evidence]]]) -> dict[str, Any]:
    """The frozen JSON of a version from lines already read (with their task) and their kept evidence: the
    one writer for submissions and the synthetic national dataset."""
    return {"summary": summary, "lines": [_line_snapshot(line, evidence) for line, evidence in lines]}


def _line_snapshot(line: ReportLine, evidence: Iterable[Evidence]) -> dict[str, Any]:
    task = line.current_task
    return {
        "line_id": line.pk,
        "task_id": task.pk,
        "task_number": task.number,
        "task": task.content,
        "target": task.target,
        "status": line.status,
        "status_label": str(LineStatus(line.status).label),
        "reason": line.reason,
        "progress": line.progress,
        "work_done": line.work_done,
        "indicator_value": None if line.indicator_value is None else str(line.indicator_value),
        "completed_on": line.completed_on.isoformat() if line.completed_on else None,
        "evidence": [{"id": e.pk, "name": e.original_name, "size": e.size, "sha256": e.sha256} for e in evidence],
    }


def _locked(report: UnitReport, expected_version: int | None = None) -> UnitReport:
    """The report locked for a transition; StaleEdit when it changed since the page asking for it was
    opened (a new submission, a review, a summary edit), so nobody accepts a version they have not seen."""
    fresh = UnitReport.objects.select_for_update().get(pk=report.pk)
    if expected_version is not None and fresh.lock_version != expected_version:
        raise StaleEdit
    return fresh


def check_complete(report: UnitReport) -> list[str]:
    """What stops a report from being sent: a task that cannot be done needs its reason."""
    problems = []
    for line in report.lines.select_related("assignment__task"):
        if line.status == LineStatus.CANNOT_DO and not line.reason.strip():
            problems.append(_("Nhiệm vụ %(n)s: cần nêu lý do không thực hiện được.") % {
                "n": line.current_task.number or line.current_task.content[:40]})
    return problems


@transaction.atomic
def submit_report(report: UnitReport, user: User, *, expected_version: int | None = None) -> ReportVersion:
    fresh = _locked(report, expected_version)
    if fresh.status not in EDITABLE_STATUSES:
        raise InvalidTransition(_("Chỉ gửi được báo cáo đang là dự thảo hoặc bị trả lại."))
    add_missing_lines(fresh)
    problems = check_complete(fresh)
    if problems:
        raise InvalidTransition(" ".join(problems))
    now = timezone.now()
    version = ReportVersion.objects.create(
        report=fresh, number=fresh.version_count + 1, content=snapshot(fresh), submitted_at=now, submitted_by=user)
    save_transition(report, fresh, status=ReportStatus.SUBMITTED, version_count=version.number, submitted_at=now,
          submitted_by=user, first_submitted_at=fresh.first_submitted_at or now, review_comment="",
          reviewed_at=None, reviewed_by=None)
    return version


def _review(report: UnitReport, user: User, outcome: str, comment: str, expected_version: int | None) -> ReportVersion:
    fresh = _locked(report, expected_version)
    if fresh.status != ReportStatus.SUBMITTED:
        raise InvalidTransition(_("Chỉ thẩm định được báo cáo đã gửi."))
    now = timezone.now()
    version = fresh.versions.get(number=fresh.version_count)
    version.outcome, version.review_comment, version.reviewed_at, version.reviewed_by = outcome, comment, now, user
    version.save(update_fields=["outcome", "review_comment", "reviewed_at", "reviewed_by"])
    save_transition(report, fresh, status=outcome, review_comment=comment, reviewed_at=now, reviewed_by=user)
    return version


@transaction.atomic
def return_report(report: UnitReport, user: User, comment: str, *, notify: bool = True,
                  expected_version: int | None = None) -> ReportVersion:
    comment = clean_comment(comment, _("Ghi rõ ý kiến để đơn vị biết cần sửa gì."))
    version = _review(report, user, ReportStatus.RETURNED, comment, expected_version)
    if notify:
        notify_review(report, version)
    return version


@transaction.atomic
def accept_report(report: UnitReport, user: User, comment: str = "", *, notify: bool = True,
                  expected_version: int | None = None) -> ReportVersion:
    """notify=False for history being entered (the demo), which is news to nobody."""
    version = _review(report, user, ReportStatus.ACCEPTED, clean_comment(comment, None), expected_version)
    if notify:
        notify_review(report, version)
    return version
