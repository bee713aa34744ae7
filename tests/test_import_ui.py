"""The plan import pages: upload (refusals store nothing), the preview with every row, its mapping and
confidence, corrections (edit, split, merge, delete, rows not understood), the header, an all-or-nothing
confirmation that keeps the original file with the plan, cancelling, and the original's download."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from chiso.accounts.models import User
from chiso.core.locking import STALE_MESSAGE, StaleEdit
from chiso.documents.importing import saving
from chiso.documents.importing.drafts import PASTED_NAME
from chiso.documents.models import ImportStatus, PlanImport
from chiso.frameworks.models import Framework, Node
from chiso.orgs.models import Unit
from chiso.plans.models import Plan, PlanStatus, Task
from tests.conftest import USERNAMES, client_for
from tests.test_import_robustness import _docx_bytes, _zip_bomb

HEADINGS = "TT\tNội dung thành phần\tNhiệm vụ, giải pháp\tCơ quan chủ trì\tThời gian thực hiện"
# Three task rows (the third's node cannot be recognised) and a row with only an agency, which the importer
# does not understand: it must be listed, not dropped.
SAMPLE = "\n".join([
    "PHỤ LỤC: NHIỆM VỤ NÂNG CAO CHỈ SỐ PAPI", HEADINGS,
    "1\tTham gia của người dân ở cấp cơ sở\tTuyên truyền Luật Thực hiện dân chủ ở cơ sở\tSở Nội vụ\tThường xuyên",
    "2\tCông khai, minh bạch\tCông khai danh sách hộ nghèo tại nhà văn hóa thôn\tSở Khoa học và Công nghệ; "
    "Cơ quan Không Tồn Tại\tQuý III năm 2025",
    "\t\t\tSở Nội vụ\t",
    "9\tViệc khác ngoài danh mục\tRà soát quy trình tiếp nhận phản ánh kiến nghị\tSở Nội vụ\tNăm 2025",
])
COMPLETE = "\n".join(SAMPLE.splitlines()[:4])  # the two rows whose nodes are recognised


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def upload(role: str = "coordinator", text: str = SAMPLE, frameworks: tuple[str, ...] = ("papi-2021",),
           **extra: object) -> PlanImport:
    ids = [str(pk) for pk in Framework.objects.filter(slug__in=frameworks).values_list("pk", flat=True)]
    response = client_for(role).post("/van-ban/nhap-ke-hoach/", {"text": text, "frameworks": ids, **extra})
    assert response.status_code == 302, response.content.decode()[:2000]
    return PlanImport.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def row_post(plan_import: PlanImport, row: dict, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "nodes": [str(i) for i in row["node_ids"]], "number": row["number"], "content": row["content"],
        "target": row["target"],
        "lead": [f"u:{i}" for i in row["lead_unit_ids"]] + [f"g:{i}" for i in row["lead_group_ids"]],
        "coordinating": [f"u:{i}" for i in row["coordinating_unit_ids"]],
        "schedule_text": row["schedule_text"], "outputs": row["outputs"], "notes": row["notes"],
        "version": row["version"],
    }
    data.update(changes)
    return data


def papi(code: str) -> Node:
    return Node.objects.get(framework__slug="papi-2021", code=code)


# ---- upload and preview ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_pasted_plan_is_previewed_with_every_row_its_mapping_confidence_and_the_rows_not_understood(media):
    plan_import = upload()
    assert plan_import.status == ImportStatus.DRAFT and plan_import.kind == "text"
    assert plan_import.owner_unit.kind == "province_committee"
    assert plan_import.original_name == PASTED_NAME
    assert plan_import.file.name.startswith(f"imports/{plan_import.province_id}/")
    assert PASTED_NAME not in plan_import.file.name  # stored under a random name
    assert Path(plan_import.file.path).read_text(encoding="utf-8") == SAMPLE
    rows = plan_import.rows
    assert [r["content"][:20] for r in rows] == ["Tuyên truyền Luật Th", "Công khai danh sách ", "Rà soát quy trình ti"]
    assert rows[0]["node_ids"] == [papi("1").pk] and rows[0]["confidence"]["node"] >= 0.85
    assert rows[1]["lead_unknown"] == ["Cơ quan Không Tồn Tại"]
    assert rows[2]["node_ids"] == [] and rows[2]["problems"][0] == {"message": "Chưa chọn chỉ số/tiêu chí.",
                                                                    "blocking": True}
    assert [u["text"] for u in plan_import.unreadable] == ["Sở Nội vụ"]

    page = client_for("coordinator").get(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/").content.decode()
    assert page.count('class="import-row') == 3
    assert "1. Tham gia của người dân ở cấp cơ sở" in page
    assert "conf-high" in page and "conf-low" in page
    assert "Không nhận ra cơ quan chủ trì “Cơ quan Không Tồn Tại”." in page
    assert "Các dòng không hiểu" in page and "Dòng không có nội dung nhiệm vụ." in page
    assert "Chuyển thành dòng nhiệm vụ" in page
    assert "1 dòng cần sửa trước khi xác nhận" in page


@pytest.mark.django_db
def test_frameworks_are_guessed_from_the_document_when_none_is_chosen(media):
    plan_import = upload(frameworks=())
    assert [f.index for f in plan_import.frameworks.all()] == ["PAPI"]


BAD_FILES = [
    ("corrupt.docx", lambda: _docx_bytes()[:-400], "bị hỏng"),
    ("bomb.docx", _zip_bomb, "bom nén"),
    # A PDF without a text layer is now read by OCR in the background (tests/test_import_sources.py).
    ("plan.exe", lambda: b"MZ\x90\x00", "Chỉ nhận tệp"),
    ("empty.docx", lambda: b"", "Tệp rỗng."),
    ("huge.txt", lambda: b"x" * (1024 * 1024 + 10), "Tệp quá lớn (tối đa 1 MB)."),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "make", "message"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_refused_on_the_upload_page_and_nothing_is_stored(name, make, message, media, settings):
    settings.CHISO_IMPORT_MAX_MB = 1
    counts = (PlanImport.objects.count(), Plan.objects.count(), Task.objects.count())
    response = client_for("coordinator").post("/van-ban/nhap-ke-hoach/",
                                              {"file": SimpleUploadedFile(name, make())})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tệp không được nhận, không có gì được lưu" in page and message in page
    assert (PlanImport.objects.count(), Plan.objects.count(), Task.objects.count()) == counts
    assert stored_files(media) == []


@pytest.mark.django_db
def test_upload_without_file_or_text_or_with_both_is_refused(media):
    client = client_for("coordinator")
    assert "Chọn một tệp hoặc dán nội dung" in client.post("/van-ban/nhap-ke-hoach/", {}).content.decode()
    both = client.post("/van-ban/nhap-ke-hoach/", {"text": SAMPLE, "file": SimpleUploadedFile("a.txt", b"x")})
    assert both.status_code == 400 and "Chỉ gửi một trong hai" in both.content.decode()
    assert PlanImport.objects.count() == 0 and stored_files(media) == []


# ---- corrections ---------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_row_is_corrected_and_a_stale_edit_of_it_is_refused(media):
    plan_import = upload()
    row = plan_import.rows[2]
    url = f"/van-ban/nhap-ke-hoach/{plan_import.pk}/dong/{row['key']}/sua/"
    client = client_for("coordinator")
    form = client.get(url, HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and 'name="nodes"' in form.content.decode()
    soi_noi_vu = Unit.objects.get(province=plan_import.province, code="so-noi-vu")
    saved = client.post(url, row_post(plan_import, row, nodes=[str(papi("3").pk)], lead=[f"u:{soi_noi_vu.pk}"]),
                        HTTP_HX_REQUEST="true")
    assert saved.status_code == 200
    assert "3. Trách nhiệm giải trình" in saved.content.decode()
    assert 'id="import-confirm" hx-swap-oob="true"' in saved.content.decode()  # the confirmation bar follows
    plan_import.refresh_from_db()
    corrected = plan_import.rows[2]
    assert corrected["node_ids"] == [papi("3").pk] and corrected["problems"] == []
    assert corrected["version"] == 2 and corrected["confidence"]["row"] == 1.0 and corrected["edited"]
    assert plan_import.lock_version == 2

    # A second editor opened the row at version 1: refused, the first correction stays.
    stale = client.post(url, row_post(plan_import, row, nodes=[str(papi("4").pk)]), HTTP_HX_REQUEST="true")
    assert stale.status_code == 409 and str(STALE_MESSAGE) in stale.content.decode()
    plan_import.refresh_from_db()
    assert plan_import.rows[2]["node_ids"] == [papi("3").pk]
    assert plan_import.history.count() >= 2


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "message"), [
    ({"content": "  "}, "Nội dung nhiệm vụ không được để trống."),
    ({"nodes": ["999999"]}, "không thuộc các bộ chỉ số của bản nhập"),
    ({"schedule_text": "x" * 301}, "300"),
    ({"lead": ["u:999999"]}, "không có trong các lựa chọn của tỉnh"),
])
def test_bad_row_input_gets_a_vietnamese_message_and_changes_nothing(changes, message, media):
    plan_import = upload()
    row = plan_import.rows[0]
    response = client_for("coordinator").post(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/dong/{row['key']}/sua/",
                                              row_post(plan_import, row, **changes), HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and message in response.content.decode()
    assert PlanImport.objects.get(pk=plan_import.pk).rows == plan_import.rows


@pytest.mark.django_db
def test_a_row_is_split_at_a_line_then_merged_back_and_another_deleted(media):
    plan_import = upload()
    client = client_for("coordinator")
    base = f"/van-ban/nhap-ke-hoach/{plan_import.pk}/dong"
    first = plan_import.rows[0]
    client.post(f"{base}/{first['key']}/sua/", row_post(plan_import, first, content="Việc một\nViệc hai\nViệc ba"))
    plan_import.refresh_from_db()
    first = plan_import.rows[0]
    split = client.post(f"{base}/{first['key']}/tach/", {"version": first["version"], "at_line": 1},
                        HTTP_HX_REQUEST="true")
    assert split.status_code == 200 and 'id="import-body"' in split.content.decode()
    plan_import.refresh_from_db()
    assert [r["content"] for r in plan_import.rows[:2]] == ["Việc một", "Việc hai\nViệc ba"]
    assert plan_import.rows[1]["node_ids"] == first["node_ids"] and len(plan_import.rows) == 4

    outside = client.post(f"{base}/{plan_import.rows[0]['key']}/tach/",
                          {"version": plan_import.rows[0]["version"], "at_line": 1}, HTTP_HX_REQUEST="true")
    assert outside.status_code == 400 and "chỉ có một dòng" in outside.content.decode()

    second = plan_import.rows[1]
    merged = client.post(f"{base}/{second['key']}/gop/", {"version": second["version"]}, HTTP_HX_REQUEST="true")
    assert merged.status_code == 200
    plan_import.refresh_from_db()
    assert plan_import.rows[0]["content"] == "Việc một\nViệc hai\nViệc ba" and len(plan_import.rows) == 3

    top = plan_import.rows[0]
    refused = client.post(f"{base}/{top['key']}/gop/", {"version": top["version"]}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400 and "Dòng đầu tiên không có dòng nào phía trên" in refused.content.decode()

    last = plan_import.rows[2]
    client.post(f"{base}/{last['key']}/xoa/", {"version": last["version"]})
    plan_import.refresh_from_db()
    assert [r["key"] for r in plan_import.rows] == [top["key"], plan_import.rows[1]["key"]]
    assert len(plan_import.rows) == 2
    gone = client.post(f"{base}/{last['key']}/xoa/", {"version": last["version"]}, HTTP_HX_REQUEST="true")
    assert gone.status_code == 409


@pytest.mark.django_db
def test_a_row_not_understood_becomes_a_task_row_where_the_document_has_it(media):
    plan_import = upload()
    item = plan_import.unreadable[0]
    response = client_for("coordinator").post(
        f"/van-ban/nhap-ke-hoach/{plan_import.pk}/khong-hieu/{item['key']}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    plan_import.refresh_from_db()
    assert plan_import.unreadable == []
    assert [r["source"] for r in plan_import.rows] == ["Bảng 1, dòng 2", "Bảng 1, dòng 3", "Bảng 1, dòng 4",
                                                       "Bảng 1, dòng 5"]
    assert plan_import.rows[2]["content"] == "Sở Nội vụ" and plan_import.rows[2]["problems"][0]["blocking"]


@pytest.mark.django_db
def test_header_is_corrected_bad_dates_are_refused_and_stale_headers_too(media):
    plan_import = upload()
    client = client_for("coordinator")
    url = f"/van-ban/nhap-ke-hoach/{plan_import.pk}/thong-tin/"
    fields = {"issuer": "UBND TỈNH TUYÊN QUANG", "number": "154", "symbol": "KH-UBND", "place": "Tuyên Quang",
              "title": "Kế hoạch nâng cao PAPI năm 2025", "version": 1}
    bad = client.post(url, {**fields, "issued_on": "31/02/2025"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 400 and "Ngày không hợp lệ" in bad.content.decode()
    ok = client.post(url, {**fields, "issued_on": "05/01/2025"}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and "Đã lưu thông tin văn bản." in ok.content.decode()
    plan_import.refresh_from_db()
    assert plan_import.header["number"] == "154" and plan_import.header["issued_on"] == "2025-01-05"
    assert plan_import.header["year"] == 2025
    stale = client.post(url, {**fields, "issued_on": "06/01/2025"}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409 and PlanImport.objects.get(pk=plan_import.pk).header["issued_on"] == "2025-01-05"


# ---- confirmation, cancelling, the original -------------------------------------------------------------

@pytest.mark.django_db
def test_confirm_is_refused_while_a_row_lacks_its_node_and_nothing_is_created(media):
    plan_import = upload()
    counts = (Plan.objects.count(), Task.objects.count())
    response = client_for("coordinator").post(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/xac-nhan/",
                                              {"lock_version": plan_import.lock_version})
    assert response.status_code == 400
    assert "Dòng 3 (Bảng 1, dòng 5): chưa chọn chỉ số/tiêu chí." in response.content.decode()
    assert (Plan.objects.count(), Task.objects.count()) == counts
    plan_import.refresh_from_db()
    assert plan_import.status == ImportStatus.DRAFT and plan_import.plan is None


@pytest.mark.django_db
def test_a_failure_in_the_middle_of_the_save_leaves_nothing(media, monkeypatch):
    plan_import = upload(text=COMPLETE)
    counts = (Plan.objects.count(), Task.objects.count())
    real_save_task = saving.save_task
    calls = []

    def failing_on_the_second_row(plan, data):  # type: ignore[no-untyped-def]
        calls.append(data.content)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real_save_task(plan, data)

    monkeypatch.setattr(saving, "save_task", failing_on_the_second_row)
    with pytest.raises(RuntimeError):
        saving.confirm_import(plan_import.pk, None, plan_import.lock_version)
    assert (Plan.objects.count(), Task.objects.count()) == counts
    plan_import.refresh_from_db()
    assert plan_import.status == ImportStatus.DRAFT and plan_import.lock_version == 1


@pytest.mark.django_db
def test_confirm_creates_a_draft_plan_with_every_row_and_keeps_the_original_with_it(media):
    plan_import = upload(text=COMPLETE)
    client = client_for("coordinator")
    response = client.post(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/xac-nhan/",
                           {"lock_version": plan_import.lock_version})
    plan_import.refresh_from_db()
    plan = plan_import.plan
    assert response.status_code == 302 and response["Location"] == f"/ke-hoach/{plan.pk}/"
    assert plan_import.status == ImportStatus.CONFIRMED and plan.status == PlanStatus.DRAFT
    assert plan.owner_unit.kind == "province_committee" and plan.parent is None
    tasks = list(plan.tasks.order_by("order").prefetch_related("nodes", "lead_units"))
    assert [t.content for t in tasks] == [r["content"] for r in plan_import.rows]
    assert [n.code for n in tasks[1].nodes.all()] == ["2"]
    assert tasks[1].lead_text == "Sở Khoa học và Công nghệ; Cơ quan Không Tồn Tại"  # the wording as printed
    assert tasks[1].due_date is not None and tasks[1].assignments.count() == 1
    # A second click does not make a second plan.
    again = client.post(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/xac-nhan/", {"lock_version": 2})
    assert again.status_code == 302 and Plan.objects.filter(source_note__contains=PASTED_NAME).count() == 1

    page = client.get(f"/ke-hoach/{plan.pk}/").content.decode()
    assert f'href="/van-ban/nhap-ke-hoach/{plan_import.pk}/tep-goc/"' in page and "Tệp gốc" in page
    download = client.get(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/tep-goc/")
    assert download.status_code == 200 and b"".join(download.streaming_content).decode() == COMPLETE
    assert PASTED_NAME in download["Content-Disposition"]


@pytest.mark.django_db
def test_confirm_of_rows_changed_by_someone_else_meanwhile_is_refused(media):
    plan_import = upload(text=COMPLETE)
    row = plan_import.rows[0]
    client_for("admin").post(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/dong/{row['key']}/sua/",
                             row_post(plan_import, row, content="Nội dung đã sửa"))
    response = client_for("coordinator").post(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/xac-nhan/",
                                              {"lock_version": 1})
    assert response.status_code == 409 and str(STALE_MESSAGE) in response.content.decode()
    assert PlanImport.objects.get(pk=plan_import.pk).plan is None
    with pytest.raises(StaleEdit):
        saving.confirm_import(plan_import.pk, None, 1)


@pytest.mark.django_db
def test_cancel_closes_the_import_and_removes_its_file(media, django_capture_on_commit_callbacks):
    plan_import = upload()
    path = Path(plan_import.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("coordinator").post(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/huy/")
    assert response.status_code == 302
    plan_import.refresh_from_db()
    assert plan_import.status == ImportStatus.CANCELLED and not plan_import.file and not path.exists()
    assert client_for("coordinator").get(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/tep-goc/").status_code == 404
    assert client_for("coordinator").get(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/").status_code == 404
    assert Plan.objects.filter(source_note__contains=PASTED_NAME).count() == 0


@pytest.mark.django_db
def test_a_focal_point_imports_its_units_plan_implementing_a_province_plan(media, demo_plan):
    focal = User.objects.get(username=USERNAMES["focal_point"])
    plan_import = upload("focal_point", text=COMPLETE, parent=str(demo_plan.pk))
    assert plan_import.owner_unit_id == focal.unit_id and plan_import.parent_id == demo_plan.pk
    response = client_for("focal_point").post(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/xac-nhan/",
                                              {"lock_version": 1})
    assert response.status_code == 302
    plan = Plan.objects.get(source_import=plan_import)
    assert plan.owner_unit_id == focal.unit_id and plan.parent_id == demo_plan.pk and plan.is_unit_plan
    url = f"/van-ban/nhap-ke-hoach/{plan_import.pk}/tep-goc/"
    # The unit's draft plan is seen by its unit and the province's coordinators and viewers, not another unit.
    expected = {"focal_point": 200, "leader": 200, "coordinator": 200, "viewer": 200, "admin": 200,
                "other_commune": 404, "department_focal_point": 404}
    assert {role: client_for(role).get(url).status_code for role in expected} == expected
    # A unit implements a province plan once: that plan is no longer offered.
    form = client_for("focal_point").get("/van-ban/nhap-ke-hoach/").content.decode()
    assert f'value="{demo_plan.pk}"' not in form.split('name="parent"')[1].split("</select>")[0]


@pytest.mark.django_db
def test_the_original_of_a_province_plan_is_downloadable_by_whoever_sees_the_plan(media):
    plan_import = upload(text=COMPLETE)
    url = f"/van-ban/nhap-ke-hoach/{plan_import.pk}/tep-goc/"
    # While a draft import: only those who may work on it.
    expected = {"coordinator": 200, "admin": 200, "viewer": 404, "focal_point": 404, "leader": 404}
    assert {role: client_for(role).get(url).status_code for role in expected} == expected
    saving.confirm_import(plan_import.pk, None, 1)
    # A draft province plan is seen by the province's coordinators and viewers; units see it once issued.
    expected = {"coordinator": 200, "admin": 200, "viewer": 200, "focal_point": 404, "leader": 404,
                "other_commune": 404}
    assert {role: client_for(role).get(url).status_code for role in expected} == expected
    anonymous = client_for("anonymous").get(url)
    assert anonymous.status_code == 302 and "/tai-khoan/dang-nhap/" in anonymous["Location"]
    plan = Plan.objects.get(source_import=plan_import)
    plan.status = PlanStatus.ISSUED
    plan.save(update_fields=["status"])
    assert client_for("focal_point").get(url).status_code == 200


@pytest.mark.django_db
def test_the_command_keeps_the_original_with_the_plan_too(media, tmp_path):
    path = tmp_path / "ke-hoach.txt"
    path.write_text(COMPLETE, encoding="utf-8")
    call_command("import_plan", str(path), "--province", "tuyen-quang", "--framework", "papi-2021")
    plan_import = PlanImport.objects.get(original_name="ke-hoach.txt")
    assert plan_import.status == ImportStatus.CONFIRMED and plan_import.plan.tasks.count() == 2
    assert Path(plan_import.file.path).read_text(encoding="utf-8") == COMPLETE


@pytest.mark.django_db
def test_a_refused_command_import_leaves_no_file(media, tmp_path):
    path = tmp_path / "ke-hoach.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    with pytest.raises(Exception, match="chưa chọn chỉ số"):
        call_command("import_plan", str(path), "--province", "tuyen-quang", "--framework", "papi-2021")
    assert PlanImport.objects.count() == 0 and stored_files(media) == []
