"""Who may use each page and action of the plan import, and what the preview costs in queries.

- admin, coordinator: import the province's plans, see and change its imports.
- focal point: imports its own unit's plan; another unit's import is a 404 (it learns nothing).
- leader, viewer: 403 everywhere; anonymous: sent to the login page."""

from __future__ import annotations

from pathlib import Path

import pytest

from chiso.documents.models import ImportStatus, PlanImport
from chiso.frameworks.models import Framework
from chiso.plans.models import Plan
from scripts.make_import_fixtures import build
from tests.conftest import ROLES, client_for
from tests.test_import_ui import COMPLETE, media, row_post, upload  # noqa: F401 (media is a fixture)


def _key(plan_import: PlanImport, position: int = 1) -> int:
    return plan_import.rows[position]["key"]


# action → (method, url, data); the url and data are built from the import.
ACTIONS = {
    "preview": lambda pi: ("get", f"/van-ban/nhap-ke-hoach/{pi.pk}/", None),
    "row": lambda pi: ("get", f"/van-ban/nhap-ke-hoach/{pi.pk}/dong/{_key(pi)}/", None),
    "row_form": lambda pi: ("get", f"/van-ban/nhap-ke-hoach/{pi.pk}/dong/{_key(pi)}/sua/", None),
    "row_save": lambda pi: ("post", f"/van-ban/nhap-ke-hoach/{pi.pk}/dong/{_key(pi)}/sua/",
                            row_post(pi, pi.rows[1], content="Nội dung đã sửa")),
    "split": lambda pi: ("post", f"/van-ban/nhap-ke-hoach/{pi.pk}/dong/{_key(pi)}/tach/",
                         {"version": 1, "at_line": 1}),
    "merge": lambda pi: ("post", f"/van-ban/nhap-ke-hoach/{pi.pk}/dong/{_key(pi)}/gop/", {"version": 1}),
    "delete": lambda pi: ("post", f"/van-ban/nhap-ke-hoach/{pi.pk}/dong/{_key(pi)}/xoa/", {"version": 1}),
    "promote": lambda pi: ("post", f"/van-ban/nhap-ke-hoach/{pi.pk}/khong-hieu/{pi.unreadable[0]['key']}/", {}),
    "header": lambda pi: ("post", f"/van-ban/nhap-ke-hoach/{pi.pk}/thong-tin/",
                          {"title": "Kế hoạch đã sửa", "issuer": "", "number": "", "symbol": "", "place": "",
                           "issued_on": "", "version": 1}),
    "confirm": lambda pi: ("post", f"/van-ban/nhap-ke-hoach/{pi.pk}/xac-nhan/", {"lock_version": 1}),
    "cancel": lambda pi: ("post", f"/van-ban/nhap-ke-hoach/{pi.pk}/huy/", {}),
    "original": lambda pi: ("get", f"/van-ban/nhap-ke-hoach/{pi.pk}/tep-goc/", None),
}
WITH_UNREADABLE = COMPLETE + "\n\t\t\tSở Nội vụ\t"
ALLOWED = {"preview": 200, "row": 200, "row_form": 200, "row_save": 302, "split": 302, "merge": 302, "delete": 302,
           "promote": 302, "header": 302, "confirm": 302, "cancel": 302, "original": 200}
CHANGES = {"row_save", "split", "merge", "delete", "promote", "header", "confirm", "cancel"}


def _prepared(role: str, text: str) -> PlanImport:
    """An import whose second row has two lines (to be split) and is at version 1, as the actions send."""
    plan_import = upload(role, text=text)
    plan_import.rows[1]["content"] = "Việc một\nViệc hai"
    PlanImport.objects.filter(pk=plan_import.pk).update(rows=plan_import.rows)
    return plan_import


def _call(role: str, action: str, plan_import: PlanImport) -> int:
    method, url, data = ACTIONS[action](plan_import)
    client = client_for(role)
    response = client.get(url) if method == "get" else client.post(url, data or {})
    if role == "anonymous":
        assert "/tai-khoan/dang-nhap/" in response.get("Location", "")
    return response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_upload_page_per_role(role, media):  # noqa: F811
    expected = {"admin": 200, "coordinator": 200, "focal_point": 200, "leader": 403, "viewer": 403, "anonymous": 302}
    counts = PlanImport.objects.count()
    assert client_for(role).get("/van-ban/nhap-ke-hoach/").status_code == expected[role]
    posted = client_for(role).post("/van-ban/nhap-ke-hoach/", {"text": COMPLETE})
    assert posted.status_code == {"anonymous": 302, "leader": 403, "viewer": 403}.get(role, 302)
    assert PlanImport.objects.count() == counts + (role not in ("anonymous", "leader", "viewer"))


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", [*ROLES, "other_commune"])
def test_a_province_import_per_role_and_action(role, action, media):  # noqa: F811
    plan_import = _prepared("coordinator", WITH_UNREADABLE)
    before = PlanImport.objects.get(pk=plan_import.pk)
    expected = {"admin": ALLOWED[action], "coordinator": ALLOWED[action], "anonymous": 302, "leader": 403,
                "viewer": 403, "focal_point": 404, "other_commune": 404}[role]
    if action == "original" and role in ("leader", "viewer"):
        expected = 404  # the original follows the plan's visibility, and there is no plan yet
    assert _call(role, action, plan_import) == expected
    after = PlanImport.objects.get(pk=plan_import.pk)
    if action in CHANGES and role not in ("admin", "coordinator"):
        assert (after.rows, after.header, after.status, after.lock_version) == (
            before.rows, before.header, before.status, before.lock_version)
    if action == "confirm":
        assert (after.status == ImportStatus.CONFIRMED) == (role in ("admin", "coordinator"))


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize("role", ["focal_point", "other_commune", "leader"])
def test_a_units_import_is_its_focal_points_alone(role, action, media):  # noqa: F811
    plan_import = _prepared("focal_point", WITH_UNREADABLE)
    expected = {"focal_point": ALLOWED[action], "other_commune": 404,
                "leader": 404 if action == "original" else 403}[role]
    assert _call(role, action, plan_import) == expected


# ---- query bounds ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tuyen_quang_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("import-ui"), pdf=False)["tuyen-quang.docx"]


# session and user, the user's unit (permission), the import, its frameworks, their nodes, the province's
# units (twice: active ones for the picker, all for names), groups; and how the file was read: the issuer's
# evidence named, the re-read form's frameworks and issuer choices: whatever the number of rows.
PREVIEW_QUERIES = 14


@pytest.mark.django_db
def test_preview_queries_do_not_grow_with_the_number_of_rows(media, tuyen_quang_docx, django_assert_max_num_queries):  # noqa: F811
    small = upload(text=COMPLETE)
    frameworks = Framework.objects.filter(slug__in=["par-index-province-2022", "papi-2021", "sipas-2022"])
    client = client_for("coordinator")
    with tuyen_quang_docx.open("rb") as handle:
        response = client.post("/van-ban/nhap-ke-hoach/", {"file": handle,
                                                           "frameworks": [str(f.pk) for f in frameworks]})
    assert response.status_code == 302
    large = PlanImport.objects.exclude(pk=small.pk).get()
    assert len(large.rows) == 124 and len(small.rows) == 2
    for plan_import in (small, large):
        with django_assert_max_num_queries(PREVIEW_QUERIES):
            page = client.get(f"/van-ban/nhap-ke-hoach/{plan_import.pk}/")
        assert page.status_code == 200
        assert page.content.decode().count('class="import-row') == len(plan_import.rows)
    with django_assert_max_num_queries(PREVIEW_QUERIES):
        assert client.get(f"/van-ban/nhap-ke-hoach/{large.pk}/dong/{large.rows[100]['key']}/sua/").status_code == 200
    assert Plan.objects.filter(source_import__isnull=False).count() == 0
