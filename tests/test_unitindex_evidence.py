"""Evidence reuse (a file sent with a quarterly report is offered on its criterion and, once picked, is in
the dossier without a second upload) and the dossier of a unit with 40 criteria and 200 files, built in the
background in bounded memory, downloaded whole or resumed from a byte range.

The dossier size can be raised for a measurement: CHISO_DOSSIER_FILE_KB=1024 (see docs/PERFORMANCE.md)."""

from __future__ import annotations

import io
import os
import time
import tracemalloc
import zipfile
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from openpyxl import load_workbook

from chiso.accounts.models import Role
from chiso.frameworks.models import Framework, IndexKind, Node
from chiso.monitoring.models import Evidence
from chiso.monitoring.reports.evidence import check_evidence
from chiso.monitoring.reports.services import add_evidence
from chiso.orgs.models import Unit, UnitKind
from chiso.unitindex.evidence_reuse import suggestions
from chiso.unitindex.models import Dossier, DossierStatus, Entry, EntryEvidence
from chiso.unitindex.tasks import build_dossier_task
from tests.conftest import client_for
from tests.monitoring_helpers import minhxuan_report, pdf_bytes, user
from tests.unitindex_helpers import demo_province, make_round, make_tree, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_a_file_sent_with_a_report_on_a_criterions_task_is_offered_picked_and_in_the_dossier(demo_plan):  # type: ignore[no-untyped-def]
    province = demo_province()
    tree = make_tree(province)
    criterion = tree.nodes.get(code="TCTP 1.3.1")
    report = minhxuan_report(demo_plan)
    line = report.lines.select_related("assignment__task").first()
    line.assignment.task.nodes.add(criterion)  # the unit's task works on criterion 1.3.1
    data = pdf_bytes("Ke hoach tuyen truyen")
    sent = add_evidence(line, check_evidence(io.BytesIO(data), "ke-hoach-tuyen-truyen.pdf"), user("focal_point"))
    other_line = report.lines.exclude(pk=line.pk).first()
    unrelated = add_evidence(other_line, check_evidence(io.BytesIO(pdf_bytes("khac")), "khac.pdf"), user("focal_point"))

    minhxuan = Unit.objects.get(province=province, code="phuong-minh-xuan")
    round_ = make_round(province, tree, [minhxuan])
    sheet = round_.participants.get()
    entry = Entry.objects.select_related("node__framework", "participant__round").get(participant=sheet,
                                                                                      node=criterion)
    assert list(suggestions(entry)) == [sent]
    elsewhere = Entry.objects.select_related("node__framework", "participant__round").get(
        participant=sheet, node__code="TCTP 1.1.1")
    assert unrelated not in suggestions(elsewhere) and sent not in suggestions(elsewhere)

    page = client_for("focal_point").get(f"/chi-so-don-vi/phieu/{sheet.pk}/").content.decode()
    assert page.count("ke-hoach-tuyen-truyen.pdf") == 1 and "Chọn" in page
    picked = client_for("focal_point").post(f"/chi-so-don-vi/tieu-chi/{entry.pk}/chon-minh-chung/",
                                            {"evidence": sent.pk}, HTTP_HX_REQUEST="true")
    assert picked.status_code == 200 and "(từ báo cáo định kỳ)" in picked.content.decode()
    reused = EntryEvidence.objects.get(entry=entry)
    assert reused.report_evidence == sent and not reused.file  # nothing copied
    assert Evidence.objects.count() == 2  # and nothing uploaded again
    refused = client_for("focal_point").post(f"/chi-so-don-vi/tieu-chi/{elsewhere.pk}/chon-minh-chung/",
                                             {"evidence": unrelated.pk}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400 and not EntryEvidence.objects.filter(entry=elsewhere).exists()

    dossier = Dossier.objects.create(participant=sheet)
    build_dossier_task.enqueue(dossier.pk)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.DONE
    download = client_for("leader").get(f"/chi-so-don-vi/ho-so/{dossier.pk}/tai-ve/")
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        assert archive.read("TCTP_1.3.1/ke-hoach-tuyen-truyen.pdf") == data


def _big_tree(province) -> Framework:  # type: ignore[no-untyped-def]
    framework = Framework.objects.create(index=IndexKind.OTHER, slug="cchc-40", name_vi="Bộ 40 tiêu chí",
                                         version="2025", province=province, total_max=Decimal(40))
    field = Node.objects.create(framework=framework, code="I", depth=0, position=0, name_vi="Lĩnh vực",
                                max_points=Decimal(40))
    for number in range(1, 41):
        Node.objects.create(framework=framework, parent=field, code=f"TC 1.{number}", depth=1, position=number,
                            name_vi=f"Tiêu chí {number}", max_points=Decimal(1))
    return framework


def test_the_dossier_of_40_criteria_and_200_files_lists_every_file_in_bounded_memory():  # type: ignore[no-untyped-def]
    province = demo_province()
    unit = make_unit(province, "so-do-do", "Sở Đo đạc", UnitKind.DEPARTMENT)
    round_ = make_round(province, _big_tree(province), [unit])
    sheet = round_.participants.get()
    size = int(os.environ.get("CHISO_DOSSIER_FILE_KB", "256")) * 1024
    payload = os.urandom(size)  # incompressible: the worst case for the archive
    evidence = [EntryEvidence(entry=entry, original_name=f"minh-chung-{n}.pdf", content_type="application/pdf",
                              size=size) for entry in sheet.entries.all() for n in range(5)]
    for item in evidence:
        item.file.save(item.original_name, ContentFile(payload), save=False)
    EntryEvidence.objects.bulk_create(evidence)
    dossier = Dossier.objects.create(participant=sheet, requested_by=make_user("do.do", Role.FOCAL_POINT, unit))

    tracemalloc.start()
    started = time.perf_counter()
    build_dossier_task.enqueue(dossier.pk)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"\ndossier: 40 criteria, 200 files x {size // 1024} KB: {seconds:.1f} s, peak Python memory "
          f"{peak / 1024 / 1024:.1f} MB")

    dossier.refresh_from_db()
    assert (dossier.status, dossier.done_files, dossier.total_files) == (DossierStatus.DONE, 200, 200)
    assert peak < 16 * 1024 * 1024 < 200 * size  # streamed: far below the files' total
    from chiso.unitindex.dossier import dossier_dir

    with zipfile.ZipFile(dossier_dir() / dossier.path) as archive:
        names = archive.namelist()
        index = load_workbook(io.BytesIO(archive.read("MUC_LUC.xlsx")), read_only=True).worksheets[0]
        listed = [row[4] for row in index.iter_rows(min_row=3, values_only=True)]
    assert len(names) == 201 and sorted(listed) == sorted(n for n in names if n != "MUC_LUC.xlsx")
    assert "TC_1.40/minh-chung-4.pdf" in names


def test_a_dossier_download_resumes_from_a_byte_range():  # type: ignore[no-untyped-def]
    province = demo_province()
    minhxuan = Unit.objects.get(province=province, code="phuong-minh-xuan")
    round_ = make_round(province, make_tree(province), [minhxuan])
    sheet = round_.participants.get()
    entry = sheet.entries.first()
    item = EntryEvidence(entry=entry, original_name="a.pdf", content_type="application/pdf", size=5000)
    item.file.save("a.pdf", ContentFile(os.urandom(5000)), save=True)
    dossier = Dossier.objects.create(participant=sheet)
    build_dossier_task.enqueue(dossier.pk)
    client = client_for("focal_point")
    whole = b"".join(client.get(f"/chi-so-don-vi/ho-so/{dossier.pk}/tai-ve/").streaming_content)
    part = client.get(f"/chi-so-don-vi/ho-so/{dossier.pk}/tai-ve/", HTTP_RANGE="bytes=100-")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 100-{len(whole) - 1}/{len(whole)}"
    assert b"".join(part.streaming_content) == whole[100:]
    assert client.get(f"/chi-so-don-vi/ho-so/{dossier.pk}/tai-ve/", HTTP_RANGE=f"bytes={len(whole)}-").status_code == 416
    progress = client.get(f"/chi-so-don-vi/ho-so/{dossier.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "Tải hồ sơ (.zip)" in progress
    assert client_for("other_commune").get(f"/chi-so-don-vi/ho-so/{dossier.pk}/tai-ve/").status_code == 403
