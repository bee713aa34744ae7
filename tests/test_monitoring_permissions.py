"""Every monitoring page per role: Minh Xuân's report is seen by its own unit and by the province, edited by
its focal point, sent by its leader and reviewed by the coordinator; other units learn nothing of it."""

from __future__ import annotations

import pytest

from chiso.monitoring.models import ReportStatus
from chiso.monitoring.reports.services import submit_report
from tests.conftest import client_for
from tests.monitoring_helpers import minhxuan_report, user

ROLES = ["admin", "coordinator", "focal_point", "leader", "viewer", "other_commune", "department_focal_point",
         "anonymous"]
ALL = dict.fromkeys(ROLES, 200) | {"anonymous": 302}
# Minh Xuân's report and what hangs on it.
REPORT = ALL | {"other_commune": 404, "department_focal_point": 404}
# Only its focal point edits it while it is a draft.
EDIT = {role: 403 for role in REPORT} | {"focal_point": 200, "other_commune": 404, "department_focal_point": 404,
                                         "anonymous": 302}
# The province-wide review list of a period.
REVIEW_LIST = {role: 403 for role in ROLES} | {"admin": 200, "coordinator": 200, "viewer": 200, "anonymous": 302}
# One's own unit's report for the period: unit staff only (the other units here have tasks of their own, and
# the demo has their reports already: the page sends them to it).
OWN_REPORT = {role: 403 for role in ROLES} | {"focal_point": 302, "leader": 302, "other_commune": 302,
                                              "department_focal_point": 302, "anonymous": 302}


def _pages(report):  # type: ignore[no-untyped-def]
    line = report.lines.first()
    return {
        "index": ("/theo-doi/", ALL),
        "notifications": ("/theo-doi/thong-bao/", ALL),
        "period_review": (f"/theo-doi/ky-bao-cao/{report.period_id}/", REVIEW_LIST),
        "own_report": (f"/theo-doi/ky-bao-cao/{report.period_id}/bao-cao-cua-don-vi/", OWN_REPORT),
        "report": (f"/theo-doi/bao-cao/{report.pk}/", REPORT),
        "line_row": (f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/", REPORT),
        "line_edit": (f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/sua/", EDIT),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_monitoring_page_answers_each_role_as_its_rights_allow(demo_plan, role):
    report = minhxuan_report(demo_plan)
    client = client_for(role)
    failures = []
    for name, (url, expected) in _pages(report).items():
        status = client.get(url).status_code
        if status != expected[role]:
            failures.append(f"{name} {url}: {status} != {expected[role]}")
    assert not failures, failures


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_versions_are_seen_by_whoever_sees_the_report(demo_plan, role):
    report = minhxuan_report(demo_plan)
    submit_report(report, user("leader"))
    assert client_for(role).get(f"/theo-doi/bao-cao/{report.pk}/lan-gui/1/").status_code == REPORT[role]


SUBMIT = {role: 403 for role in ROLES} | {"leader": 302, "other_commune": 404, "department_focal_point": 404,
                                         "anonymous": 302}
REVIEW = {role: 403 for role in ROLES} | {"admin": 302, "coordinator": 302, "other_commune": 404,
                                         "department_focal_point": 404, "anonymous": 302}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_the_leader_submits(demo_plan, role):
    report = minhxuan_report(demo_plan)
    response = client_for(role).post(f"/theo-doi/bao-cao/{report.pk}/gui/",
                                     {"lock_version": report.lock_version, "confirm_incomplete": "1"})
    assert response.status_code == SUBMIT[role]
    report.refresh_from_db()
    assert report.status == (ReportStatus.SUBMITTED if role == "leader" else ReportStatus.DRAFT)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["chap-nhan", "tra-lai"])
def test_only_the_province_reviews(demo_plan, role, action):
    report = minhxuan_report(demo_plan)
    submit_report(report, user("leader"))
    response = client_for(role).post(f"/theo-doi/bao-cao/{report.pk}/{action}/",
                                     {"comment": "Bổ sung minh chứng", "lock_version": report.lock_version})
    assert response.status_code == REVIEW[role]
    report.refresh_from_db()
    changed = REVIEW[role] == 302 and role != "anonymous"
    assert (report.status != ReportStatus.SUBMITTED) == changed


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "leader", "viewer", "admin"])
def test_who_is_not_the_focal_point_cannot_change_a_line_by_posting(demo_plan, role):
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    response = client_for(role).post(f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/sua/", {
        "status": "done", "progress": 100, "lock_version": line.lock_version})
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.status == "not_started"


@pytest.mark.django_db
def test_only_a_focal_point_opens_the_units_report(demo_plan):
    from chiso.monitoring.models import UnitReport
    from chiso.monitoring.periods import generate_periods

    generate_periods(demo_plan)
    q3 = demo_plan.reporting_periods.get(label="Quý III/2025")
    url = f"/theo-doi/ky-bao-cao/{q3.pk}/bao-cao-cua-don-vi/"
    assert client_for("leader").post(url).status_code == 403
    assert not UnitReport.objects.filter(period=q3, unit=user("leader").unit).exists()
    assert client_for("focal_point").post(url).status_code == 302
    assert UnitReport.objects.filter(period=q3, unit=user("focal_point").unit).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["reportingperiod", "unitreport", "reportversion", "notification"])
def test_the_admin_neither_edits_nor_deletes_periods_and_reports(demo_plan, model, rf):
    from django.apps import apps
    from django.contrib import admin

    report = minhxuan_report(demo_plan)
    submit_report(report, user("leader"))
    model_class = apps.get_model("monitoring", model)
    model_admin = admin.site._registry[model_class]
    request = rf.post("/")
    request.user = user("admin")
    request.user.is_superuser = True  # whatever the account's own permissions, the admin offers no write
    obj = model_class.objects.first() if model != "notification" else None
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, obj)
    assert not model_admin.has_delete_permission(request, obj)


WRITE = {role: 403 for role in ROLES} | {"focal_point": 302, "other_commune": 404, "department_focal_point": 404,
                                         "anonymous": 302}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_the_focal_point_writes_the_summary(demo_plan, role):
    report = minhxuan_report(demo_plan)
    response = client_for(role).post(f"/theo-doi/bao-cao/{report.pk}/danh-gia-chung/",
                                     {"summary": "  Đã hoàn thành 80% nhiệm vụ.  ", "lock_version": report.lock_version})
    assert response.status_code == WRITE[role]
    report.refresh_from_db()
    assert report.summary == ("Đã hoàn thành 80% nhiệm vụ." if role == "focal_point" else "")


@pytest.mark.django_db
def test_a_stale_summary_or_one_on_a_sent_report_is_refused(demo_plan):
    report = minhxuan_report(demo_plan)
    focal = client_for("focal_point")
    opened = report.lock_version
    url = f"/theo-doi/bao-cao/{report.pk}/danh-gia-chung/"
    assert focal.post(url, {"summary": "Bản một", "lock_version": opened}).status_code == 302
    stale = focal.post(url, {"summary": "Bản hai", "lock_version": opened})
    assert stale.status_code == 409
    assert "Báo cáo vừa thay đổi" in stale.content.decode()
    report.refresh_from_db()
    assert report.summary == "Bản một"
    seen_before_sending = report.lock_version
    submit_report(report, user("leader"))
    report.refresh_from_db()
    assert focal.post(url, {"summary": "Sửa sau khi gửi", "lock_version": report.lock_version}).status_code == 403
    # A page opened before the report was sent: the user is told it changed, not that they may not write.
    assert focal.post(url, {"summary": "Sửa trang cũ", "lock_version": seen_before_sending}).status_code == 409
    report.refresh_from_db()
    assert report.summary == "Bản một"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_the_focal_point_uploads_evidence(demo_plan, role, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chiso.monitoring.models import Evidence
    from tests.monitoring_helpers import pdf_bytes

    settings.MEDIA_ROOT = tmp_path
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    response = client_for(role).post(f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/minh-chung/",
                                     {"file": SimpleUploadedFile("quyet-dinh.pdf", pdf_bytes())})
    assert response.status_code == WRITE[role]
    assert Evidence.objects.filter(line=line).exists() == (role == "focal_point")
