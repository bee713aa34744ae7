"""Editing a task of an issued plan so that a unit no longer leads it must not erase what the unit has
reported about it: its submitted versions stay whole and their evidence downloadable."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chiso.monitoring.models import Evidence, ReportLine, ReportVersion
from chiso.monitoring.reports.services import accept_report, add_missing_lines, submit_report
from chiso.orgs.models import Unit
from chiso.plans.models import Assignment
from chiso.plans.services import TaskData, save_task
from tests.conftest import client_for
from tests.monitoring_helpers import minhxuan_report, pdf_bytes, user


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _task_data(node, units: list[Unit]) -> TaskData:  # type: ignore[no-untyped-def]
    return TaskData(content="Niêm yết công khai thủ tục hành chính tại bộ phận một cửa", nodes=[node],
                    lead_units=units, lead_groups=[], coordinating_units=[], coordinating_groups=[],
                    schedule_text="Quý III")


@pytest.mark.django_db
def test_withdrawing_an_assignment_keeps_the_accepted_report_its_versions_and_evidence(demo_plan):
    report = minhxuan_report(demo_plan)
    node = demo_plan.frameworks.get(index="PAPI").nodes.get(code="3")
    task = save_task(demo_plan, _task_data(node, [report.unit]))
    add_missing_lines(report)
    line = report.lines.get(assignment__task=task)
    upload = client_for("focal_point").post(f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/minh-chung/",
                                            {"file": SimpleUploadedFile("bien-ban.pdf", pdf_bytes())})
    assert upload.status_code == 302
    evidence = Evidence.objects.get(line=line)
    submit_report(report, user("leader"))
    accept_report(report, user("coordinator"))

    other = Unit.objects.filter(province=report.unit.province).exclude(pk=report.unit_id).first()
    save_task(demo_plan, _task_data(node, [other]), task=task)

    assert not Assignment.objects.filter(task=task, unit=report.unit).exists()
    kept = ReportLine.with_withdrawn.get(pk=line.pk)
    assert kept.assignment_id is None and Evidence.objects.filter(pk=evidence.pk).exists()
    assert not report.lines.filter(pk=line.pk).exists()  # no longer part of the live report
    version = ReportVersion.objects.get(report=report, number=1)
    assert any(item["task_id"] == task.pk for item in version.content["lines"])
    coordinator = client_for("coordinator")
    page = coordinator.get(f"/theo-doi/bao-cao/{report.pk}/lan-gui/1/").content.decode()
    assert "Niêm yết công khai thủ tục hành chính" in page and "bien-ban.pdf" in page
    download = coordinator.get(f"/theo-doi/minh-chung/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf_bytes()
    assert client_for("focal_point").get(f"/theo-doi/bao-cao/{report.pk}/").status_code == 200
