"""The API's rules beyond who may call what: the page's validation and messages, 409 on a stale version,
ETag/304, rate limits with Retry-After, tokens stored hashed, expiring and revocable, every write in the history
with the token's name, and the end-to-end path of a commune's own system."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chiso.accounts.models import User
from chiso.api.models import ApiToken, ApiWrite, TokenKind
from chiso.api.tokens import hash_token
from chiso.monitoring.models import Evidence, ReportLine, UnitReport
from chiso.monitoring.reports.services import mark_evidence_public, submit_report
from tests.api_helpers import ApiClient, api_for, reports, token_for
from tests.conftest import USERNAMES, client_for
from tests.monitoring_helpers import pdf_bytes

V1 = "/api/v1"


@pytest.fixture(autouse=True)
def _fresh_cache_and_media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


def _body(line: ReportLine, **changes: object) -> dict[str, object]:
    return {"status": "in_progress", "progress": 60, "work_done": "Đã niêm yết thủ tục", "reason": "",
            "indicator_value": None, "completed_on": None, "lock_version": line.lock_version, **changes}


@pytest.mark.django_db
def test_a_stale_lock_version_is_refused_with_409_and_changes_nothing(demo_plan):
    _period, report, _other = reports(demo_plan)
    line = report.lines.order_by("id").first()
    api = api_for("focal_point")
    assert api.put(f"{V1}/reports/{report.pk}/lines/{line.pk}", _body(line)).status_code == 200
    stale = api.put(f"{V1}/reports/{report.pk}/lines/{line.pk}", _body(line, progress=10))
    assert stale.status_code == 409
    assert "vừa được người khác cập nhật" in stale.json()["detail"]
    line.refresh_from_db()
    assert line.progress == 60


@pytest.mark.django_db
def test_bad_input_gets_the_forms_vietnamese_messages_and_changes_nothing(demo_plan):
    _period, report, _other = reports(demo_plan)
    line = report.lines.order_by("id").first()
    api = api_for("focal_point")
    url = f"{V1}/reports/{report.pk}/lines/{line.pk}"
    no_reason = api.put(url, _body(line, status="cannot_do"))
    assert no_reason.status_code == 400
    assert no_reason.json()["errors"]["reason"] == ["Nêu lý do không thực hiện được."]
    future = api.put(url, _body(line, status="done", completed_on=(timezone.localdate() + dt.timedelta(days=3))
                                .isoformat()))
    assert future.status_code == 400 and "sau hôm nay" in future.json()["errors"]["completed_on"][0]
    assert api.put(url, _body(line, progress=140)).json()["errors"]["progress"] == ["Tiến độ từ 0 đến 100%."]
    assert api.put(url, _body(line, status="nonsense")).status_code == 400
    assert api.put(url, {"status": "done"}).status_code == 422  # no lock_version: the body's shape is wrong
    line.refresh_from_db()
    assert line.lock_version == 1 and line.progress == 0


@pytest.mark.django_db
def test_a_report_sent_for_review_cannot_be_changed_through_the_api(demo_plan):
    _period, report, _other = reports(demo_plan)
    submit_report(report, User.objects.get(username=USERNAMES["leader"]))
    line = report.lines.order_by("id").first()
    response = api_for("focal_point").put(f"{V1}/reports/{report.pk}/lines/{line.pk}", _body(line))
    assert response.status_code == 403


@pytest.mark.django_db
def test_an_unchanged_list_answers_304_to_its_etag(demo_plan):
    api = api_for("coordinator")
    first = api.get(f"{V1}/plans")
    assert first.status_code == 200 and first["ETag"]
    again = api.get(f"{V1}/plans", **{"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    demo_plan.title += " (sửa)"
    demo_plan.save()
    assert api.get(f"{V1}/plans", **{"If-None-Match": first["ETag"]}).status_code == 200


@pytest.mark.django_db
def test_a_token_over_its_rate_gets_429_with_retry_after(demo_plan, settings):
    settings.CHISO_API_RATE_PER_MINUTE = 3
    api, other = api_for("viewer"), api_for("coordinator")
    assert [api.get(f"{V1}/units").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get(f"{V1}/units")
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    assert "Quá nhiều yêu cầu" in refused.json()["detail"]
    assert other.get(f"{V1}/units").status_code == 200  # per token: another token is not held back


@pytest.mark.django_db
def test_tokens_are_stored_hashed_expire_can_be_revoked_and_record_their_last_use(demo_plan):
    raw = token_for("viewer")
    token = ApiToken.objects.get(key_sha256=hash_token(raw))
    assert raw not in {t.key_sha256 for t in ApiToken.objects.all()} and token.prefix in raw
    assert token.last_used_at is None
    assert ApiClient(raw).get(f"{V1}/units").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert ApiClient(raw + "x").get(f"{V1}/units").status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert ApiClient(raw).get(f"{V1}/units").status_code == 401
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    coordinator = client_for("viewer")
    assert coordinator.post(f"/tai-khoan/khoa-api/{token.pk}/thu-hoi/").status_code == 302
    assert ApiClient(raw).get(f"{V1}/units").status_code == 401


@pytest.mark.django_db
def test_the_token_page_shows_a_new_token_once_and_issues_system_tokens_to_coordinators_only(demo_plan):
    focal = client_for("focal_point")
    created = focal.post("/tai-khoan/khoa-api/", {"kind": "personal", "p-name": "Bảng tính", "p-days": "30"})
    raw = re.search(r"chiso_[\w-]+", created.content.decode()).group(0)
    assert ApiClient(raw).get(f"{V1}/plans").status_code == 200
    assert raw not in focal.get("/tai-khoan/khoa-api/").content.decode()
    assert focal.post("/tai-khoan/khoa-api/", {"kind": "system", "s-name": "X", "s-days": "30",
                                                "s-scope": "read"}).status_code == 403
    assert client_for("anonymous").get("/tai-khoan/khoa-api/").status_code == 302
    bad = focal.post("/tai-khoan/khoa-api/", {"kind": "personal", "p-name": "Dài", "p-days": "5000"})
    assert bad.status_code == 400 and "Thời hạn tối đa" in bad.content.decode()
    # Another user cannot revoke it: it is not among the tokens they manage.
    token = ApiToken.objects.get(key_sha256=hash_token(raw))
    assert client_for("leader").post(f"/tai-khoan/khoa-api/{token.pk}/thu-hoi/").status_code == 404


@pytest.mark.django_db
def test_a_communes_system_pushes_progress_and_a_pdf_that_the_coordinator_then_reviews(demo_plan):
    period, _report, other = reports(demo_plan)
    # The coordinator issues the token on the account page; it is shown once.
    unit = User.objects.get(username=USERNAMES["focal_point"]).unit
    page = client_for("coordinator").post("/tai-khoan/khoa-api/", {
        "kind": "system", "s-name": "Phần mềm một cửa Minh Xuân", "s-days": "90", "s-scope": "unit_reports",
        "s-unit": unit.pk})
    raw = re.search(r"chiso_[\w-]+", page.content.decode()).group(0)
    system = ApiClient(raw)
    opened = system.post(f"{V1}/periods/{period.pk}/own-report").json()
    line = opened["lines"][0]
    saved = system.put(f"{V1}/reports/{opened['id']}/lines/{line['id']}", {
        "status": "in_progress", "progress": 70, "work_done": "Đã số hóa 70% hồ sơ một cửa",
        "indicator_value": "70.5", "lock_version": line["lock_version"]})
    assert saved.status_code == 200 and saved.json()["indicator_value"] == "70.500"
    upload = SimpleUploadedFile("so-hoa-ho-so.pdf", pdf_bytes("So hoa"), content_type="application/pdf")
    sent = system.post(f"{V1}/reports/{opened['id']}/lines/{line['id']}/evidence", {"file": upload})
    assert sent.status_code == 201 and sent.json()["content_type"] == "application/pdf"
    assert sent.json()["is_public"] is False  # only Sở Nội vụ publishes a file, on the page
    mark_evidence_public(Evidence.objects.get(pk=sent.json()["id"]), True)
    shown = system.get(f"{V1}/reports/{opened['id']}").json()
    assert [e["is_public"] for ln in shown["lines"] for e in ln["evidence"]] == [True]
    # Every write is in the history with the token's name, and in the API's own log.
    history = ReportLine.history.filter(id=line["id"]).order_by("-history_date").first()
    assert history.history_change_reason == "Qua API, khóa “Phần mềm một cửa Minh Xuân”"
    assert ApiWrite.objects.filter(token__name="Phần mềm một cửa Minh Xuân").count() == 3
    # The leader sends it; the coordinator sees it on the review page.
    report_id = opened["id"]
    submit_report(UnitReport.objects.get(pk=report_id), User.objects.get(username=USERNAMES["leader"]))
    # Once sent, the report counts: the assignment's state says so (monitoring.state), filterable by it.
    mine = system.get(f"{V1}/assignments?plan={demo_plan.pk}&unit={unit.pk}").json()
    assert mine["count"] == len(opened["lines"])
    assert next(a for a in mine["items"] if a["id"] == line["assignment_id"])["state"]["status"] == "in_progress"
    filtered = system.get(f"{V1}/assignments?plan={demo_plan.pk}&unit={unit.pk}&status=in_progress").json()
    assert line["assignment_id"] in {a["id"] for a in filtered["items"]}
    review = client_for("coordinator").get(f"/theo-doi/bao-cao/{report_id}/").content.decode()
    assert "Đã số hóa 70% hồ sơ một cửa" in review and "so-hoa-ho-so.pdf" in review
    # Another commune's report: neither readable nor writable (404), not even its lines.
    other_line = other.lines.order_by("id").first()
    assert system.get(f"{V1}/reports/{other.pk}").status_code == 404
    assert system.put(f"{V1}/reports/{other.pk}/lines/{other_line.pk}", {
        "status": "in_progress", "progress": 5, "lock_version": 1}).status_code == 404
    upload = SimpleUploadedFile("x.pdf", pdf_bytes(), content_type="application/pdf")
    assert system.post(f"{V1}/reports/{other.pk}/lines/{other_line.pk}/evidence", {"file": upload}).status_code == 404
    assert ApiToken.objects.get(key_sha256=hash_token(raw)).kind == TokenKind.SYSTEM


@pytest.mark.django_db
def test_a_read_only_system_token_reads_the_province_but_writes_nothing(demo_plan):
    _period, report, _other = reports(demo_plan)
    line = report.lines.order_by("id").first()
    reader = api_for("system_read")
    assert reader.get(f"{V1}/reports/{report.pk}").status_code == 200
    assert reader.put(f"{V1}/reports/{report.pk}/lines/{line.pk}", _body(line)).status_code == 403


TOKEN_PAGE = {"admin": 200, "coordinator": 200, "focal_point": 200, "leader": 200, "viewer": 200, "anonymous": 302}
SYSTEM_ISSUERS = {"admin": 200, "coordinator": 200, "focal_point": 403, "leader": 403, "viewer": 403,
                  "anonymous": 302}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(TOKEN_PAGE))
def test_the_token_page_per_role(demo_plan, role):
    client = client_for(role)
    assert client.get("/tai-khoan/khoa-api/").status_code == TOKEN_PAGE[role]
    issued = client.post("/tai-khoan/khoa-api/", {"kind": "system", "s-name": "Cổng tỉnh", "s-days": "30",
                                                   "s-scope": "read"})
    assert issued.status_code == SYSTEM_ISSUERS[role]
    assert ApiToken.objects.filter(name="Cổng tỉnh").exists() == (SYSTEM_ISSUERS[role] == 200)


@pytest.mark.django_db
def test_lists_filter_by_node_unit_status_period_and_updated_since(demo_plan):
    period, report, _other = reports(demo_plan)
    api = api_for("coordinator")
    task = demo_plan.tasks.prefetch_related("nodes").order_by("order").first()
    node = task.nodes.all()[0]
    by_node = api.get(f"{V1}/plans/{demo_plan.pk}/tasks?node={node.pk}").json()
    assert task.pk in {t["id"] for t in by_node["items"]}
    assert by_node["count"] == demo_plan.tasks.filter(nodes=node).count()
    assignments = api.get(f"{V1}/assignments?plan={demo_plan.pk}&node={node.pk}").json()
    assert assignments["count"] == task.assignments.model.objects.filter(task__plan=demo_plan, task__nodes=node).count()
    assert api.get(f"{V1}/reports?period={period.pk}&unit={report.unit_id}").json()["count"] == 1
    for status in ("draft", "accepted"):
        expected = UnitReport.objects.filter(period=period, status=status).count()
        assert api.get(f"{V1}/reports?period={period.pk}&status={status}").json()["count"] == expected
    future = (timezone.now() + dt.timedelta(days=1)).isoformat().replace("+00:00", "Z")
    assert api.get(f"{V1}/plans?updated_since={future}").json()["count"] == 0
    assert api.get(f"{V1}/reports?updated_since={future}").json()["count"] == 0
    papi_2021 = api.get(f"{V1}/results?index=PAPI&year=2021").json()
    assert papi_2021["count"] > 30 and {r["year"] for r in papi_2021["items"]} == {2021}
    assert api.get(f"{V1}/units?q=minh xuan").json()["items"][0]["code"] == "phuong-minh-xuan"


@pytest.mark.django_db
def test_the_task_list_says_what_the_plan_holds_page_by_page(demo_plan):
    """The rows are read as values (chiso.api.endpoints.plans.task_rows): each says the same as the task."""
    from chiso.plans.models import Task

    api = api_for("coordinator")
    total = demo_plan.tasks.count()
    assert total > 100  # two pages
    first, second = (api.get(f"{V1}/plans/{demo_plan.pk}/tasks?page={n}").json() for n in (1, 2))
    items = first["items"] + second["items"]
    assert first["count"] == total and len(first["items"]) == 100 and len(items) == total
    tasks = {t.pk: t for t in Task.objects.filter(plan=demo_plan).prefetch_related(
        "nodes", "lead_units", "lead_groups", "coordinating_units")}
    assert [item["id"] for item in items] == list(demo_plan.tasks.order_by("order", "id").values_list("id", flat=True))
    for item in items:
        task = tasks[item["id"]]
        assert item["content"] == task.content and item["due_date"] == (task.due_date.isoformat()
                                                                        if task.due_date else None)
        assert [n["code"] for n in item["nodes"]] == [n.code for n in sorted(task.nodes.all(),
                                                                             key=lambda n: (n.position, n.pk))]
        assert [u["name"] for u in item["lead_units"]] == [u.name for u in task.lead_units.all()]
        assert item["lead_group_ids"] == [g.pk for g in task.lead_groups.all()]
        assert item["coordinating_unit_ids"] == [u.pk for u in task.coordinating_units.all()]
    assert any(item["nodes"] for item in items) and any(item["lead_units"] for item in items)
    assert any(item["lead_group_ids"] for item in items) and any(item["coordinating_unit_ids"] for item in items)
