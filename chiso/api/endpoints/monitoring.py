"""Reporting periods, unit reports with their lines and versions; the unit's writes: opening its report,
saving a line (the page's form, the same rules and messages, 409 on a stale lock_version) and uploading
evidence (the page's checks). Permissions are chiso.monitoring.permissions, as on the pages."""


import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Router
from ninja.files import UploadedFile
from ninja.pagination import paginate

from chiso.api.endpoints.common import Pages, account, refused, require_writable, since
from chiso.api.schemas import ErrorOut, EvidenceOut, LineIn, LineOut, PeriodOut, ReportDetail, ReportOut
from chiso.core.http import require
from chiso.monitoring import permissions as perm
from chiso.monitoring.models import Evidence, ReportingPeriod, ReportLine, UnitReport
from chiso.monitoring.reports.evidence import EvidenceRejected, check_evidence
from chiso.monitoring.reports.forms import LineForm
from chiso.monitoring.reports.services import add_evidence, add_missing_lines, open_report, save_line

router = Router(tags=["Theo dõi, báo cáo"])


@router.get("/periods", response=list[PeriodOut], summary="Kỳ báo cáo")
@paginate(Pages)
def period_list(request: HttpRequest, plan: int | None = None) -> QuerySet:
    periods = ReportingPeriod.objects.visible_to(account(request)).order_by("plan_id", "due_date", "id")
    return periods.filter(plan_id=plan) if plan else periods


@router.get("/reports", response=list[ReportOut], summary="Báo cáo của các đơn vị")
@paginate(Pages)
def report_list(request: HttpRequest, plan: int | None = None, period: int | None = None, unit: int | None = None,
                status: str | None = None, updated_since: dt.datetime | None = None) -> QuerySet[UnitReport]:
    reports = (UnitReport.objects.visible_to(account(request)).filter(**since(updated_since))
               .select_related("unit", "period").order_by("-period__due_date", "unit_id", "id"))
    filters = {"period__plan_id": plan, "period_id": period, "unit_id": unit, "status": status}
    return reports.filter(**{key: value for key, value in filters.items() if value})


def _lines() -> Prefetch:
    return Prefetch("lines", queryset=ReportLine.objects.select_related("assignment").prefetch_related("evidence")
                    .order_by("assignment__task__order", "id"))


@router.get("/reports/{report_id}", response=ReportDetail, summary="Một báo cáo: các dòng, minh chứng, các lần gửi")
def report_detail(request: HttpRequest, report_id: int) -> UnitReport:
    perm.get_visible_report(account(request), report_id)
    return UnitReport.objects.select_related("unit", "period").prefetch_related(_lines(), "versions").get(
        pk=report_id)


@router.post("/periods/{period_id}/own-report", response={200: ReportDetail, 403: ErrorOut},
             summary="Lập (hoặc lấy) báo cáo của đơn vị mình cho kỳ")
def own_report(request: HttpRequest, period_id: int) -> UnitReport:
    user = account(request)
    require_writable(request)
    period = perm.get_visible_period(user, period_id)
    require(perm.can_open_report(user, period))
    report = UnitReport.objects.filter(period=period, unit=user.own_unit).first()
    if report is None:
        report = open_report(period, user.own_unit, user, carry_forward=True)
    elif perm.can_edit_report(user, report):
        add_missing_lines(report)
    return report_detail(request, report.pk)


def _editable_line(request: HttpRequest, report_id: int, line_id: int) -> ReportLine:
    user = account(request)
    report = perm.get_visible_report(user, report_id)
    line = get_object_or_404(report.lines.select_related("assignment"), pk=line_id)
    require_writable(request)
    require(perm.can_edit_report(user, report))
    return line


def _form_data(data: LineIn) -> dict[str, str]:
    """The JSON body as the page's form would post it: dd/mm/yyyy dates and the decimal comma."""
    return {
        "status": data.status, "reason": data.reason, "progress": str(data.progress), "work_done": data.work_done,
        "indicator_value": "" if data.indicator_value is None else str(data.indicator_value).replace(".", ","),
        "completed_on": data.completed_on.strftime("%d/%m/%Y") if data.completed_on else "",
        "lock_version": str(data.lock_version),
    }


@router.put("/reports/{report_id}/lines/{line_id}", response={200: LineOut, 400: ErrorOut, 403: ErrorOut,
                                                               409: ErrorOut},
            summary="Cập nhật một dòng báo cáo (tình trạng, tiến độ, kết quả, giá trị chỉ tiêu)")
def line_update(request: HttpRequest, report_id: int, line_id: int, data: LineIn) -> ReportLine | HttpResponse:
    line = _editable_line(request, report_id, line_id)
    form = LineForm(_form_data(data))
    if not form.is_valid():
        errors = {field: [str(m) for m in messages] for field, messages in form.errors.items()}
        return refused(400, _("Dữ liệu chưa hợp lệ; chưa lưu gì."), errors)
    save_line(line, form.line_data(), expected_version=data.lock_version)
    return ReportLine.objects.select_related("assignment").prefetch_related("evidence").get(pk=line.pk)


@router.post("/reports/{report_id}/lines/{line_id}/evidence", response={201: EvidenceOut, 400: ErrorOut,
                                                                        403: ErrorOut, 409: ErrorOut},
             summary="Tải lên một minh chứng cho dòng báo cáo")
def evidence_upload(request: HttpRequest, report_id: int, line_id: int,
                    file: UploadedFile = File(...)) -> tuple[int, Evidence] | HttpResponse:  # noqa: B008
    line = _editable_line(request, report_id, line_id)
    try:
        checked = check_evidence(file, file.name or "")
    except EvidenceRejected as error:
        return refused(400, str(error), {"file": [str(error)]})
    return 201, add_evidence(line, checked, account(request))
