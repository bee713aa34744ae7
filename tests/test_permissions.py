"""Every page, per role: who may see it (200), who may not change (403), who may not even know it
exists (404), and anonymous visitors are sent to the login page (302)."""

from __future__ import annotations

import pytest

from chiso.accounts.models import Role, User
from chiso.frameworks.models import Framework
from chiso.orgs.models import Province, Unit
from chiso.plans.models import Plan
from chiso.plans.services import derive_unit_plan
from tests.conftest import ROLES, USERNAMES, client_for

ALL = {"admin": 200, "coordinator": 200, "focal_point": 200, "leader": 200, "viewer": 200, "anonymous": 302}
MANAGERS = {"admin": 200, "coordinator": 200, "focal_point": 403, "leader": 403, "viewer": 403, "anonymous": 302}
ADMIN_ONLY = {"admin": 200, "coordinator": 403, "focal_point": 403, "leader": 403, "viewer": 403, "anonymous": 302}


def _urls(plan: Plan) -> dict[str, tuple[str, dict[str, int]]]:
    task = plan.tasks.order_by("order").first()
    builtin = Framework.objects.get(slug="papi-2021")
    node = builtin.nodes.first()
    unit = Unit.objects.get(province=plan.province, code="so-tu-phap")
    return {
        # The province's leadership lands on the overview of the indices (a redirect), everyone else on home.
        "home": ("/", {**ALL, "viewer": 302}),
        "leadership_home": ("/theo-doi/lanh-dao/", {**MANAGERS, "admin": 302, "coordinator": 302, "viewer": 302}),
        "plan_list": ("/ke-hoach/", ALL),
        "plan_create": ("/ke-hoach/moi/", MANAGERS),
        "plan_detail": (f"/ke-hoach/{plan.pk}/", ALL),
        "plan_edit": (f"/ke-hoach/{plan.pk}/sua/", MANAGERS),
        "plan_appendix": (f"/ke-hoach/{plan.pk}/phu-luc/", ALL),
        "plan_history": (f"/ke-hoach/{plan.pk}/lich-su/", ALL),
        "task_detail": (f"/ke-hoach/{plan.pk}/nhiem-vu/{task.pk}/", ALL),
        "task_create": (f"/ke-hoach/{plan.pk}/nhiem-vu/moi/", MANAGERS),
        "task_edit": (f"/ke-hoach/{plan.pk}/nhiem-vu/{task.pk}/sua/", MANAGERS),
        "my_tasks": ("/ke-hoach/nhiem-vu-cua-don-vi/", ALL),
        "framework_list": ("/bo-chi-so/", ALL),
        "framework_detail": (f"/bo-chi-so/{builtin.pk}/", ALL),
        "framework_create": ("/bo-chi-so/moi/", MANAGERS),
        "framework_copy": (f"/bo-chi-so/{builtin.pk}/sao-chep/", MANAGERS),
        # Built-in frameworks are shared by every province: only the admin edits them in place.
        "framework_edit_builtin": (f"/bo-chi-so/{builtin.pk}/sua/", ADMIN_ONLY),
        "node_create_builtin": (f"/bo-chi-so/{builtin.pk}/noi-dung/moi/", ADMIN_ONLY),
        "node_edit_builtin": (f"/bo-chi-so/{builtin.pk}/noi-dung/{node.pk}/sua/", ADMIN_ONLY),
        "node_history": (f"/bo-chi-so/{builtin.pk}/noi-dung/{node.pk}/lich-su/", ALL),
        "unit_list": ("/don-vi/", ALL),
        "unit_import": ("/don-vi/nhap/", MANAGERS),
        "unit_create": ("/don-vi/moi/", MANAGERS),
        "unit_edit": (f"/don-vi/{unit.pk}/sua/", MANAGERS),
    }




@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_each_role_as_its_rights_allow(demo_plan, role):
    client = client_for(role)
    failures = []
    for name, (url, expected) in _urls(demo_plan).items():
        status = client.get(url).status_code
        if status != expected[role]:
            failures.append(f"{name} {url}: {status} != {expected[role]}")
    assert not failures, failures


BACK_OFFICE_LISTS = ["/quan-tri/plans/plan/", "/quan-tri/results/result/", "/quan-tri/documents/planimport/",
                     "/quan-tri/monitoring/unitreport/", "/quan-tri/orgs/unit/"]


@pytest.mark.django_db
def test_admin_back_office_is_for_the_admin_only():
    admin = client_for("admin")
    assert admin.get("/quan-tri/").status_code == 200
    for url in BACK_OFFICE_LISTS:
        assert admin.get(url).status_code == 200, url
    for role in ("coordinator", "focal_point", "leader", "viewer"):
        assert client_for(role).get("/quan-tri/").status_code == 302
        assert client_for(role).get(BACK_OFFICE_LISTS[0]).status_code == 302


@pytest.fixture
def commune_draft(demo_plan) -> Plan:
    focal = User.objects.get(username=USERNAMES["focal_point"])
    return derive_unit_plan(demo_plan, focal.unit)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "view_status", "edit_status"),
    [("admin", 200, 200), ("coordinator", 200, 200), ("focal_point", 200, 200), ("leader", 200, 403),
     ("viewer", 200, 403), ("other_commune", 404, 404), ("department_focal_point", 404, 404), ("anonymous", 302, 302)],
)
def test_a_commune_draft_is_seen_and_edited_only_by_its_commune_and_the_province(
        commune_draft, role, view_status, edit_status):
    client = client_for(role)
    assert client.get(f"/ke-hoach/{commune_draft.pk}/").status_code == view_status
    assert client.get(f"/ke-hoach/{commune_draft.pk}/phu-luc/").status_code == view_status
    task = commune_draft.tasks.first()
    assert client.get(f"/ke-hoach/{commune_draft.pk}/nhiem-vu/{task.pk}/sua/").status_code == edit_status


@pytest.mark.django_db
def test_other_commune_cannot_edit_a_commune_draft_by_posting(commune_draft):
    task = commune_draft.tasks.first()
    before = task.content
    response = client_for("other_commune").post(
        f"/ke-hoach/{commune_draft.pk}/nhiem-vu/{task.pk}/sua/", {"content": "đổi trái phép"})
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.content == before


@pytest.mark.django_db
def test_coordinator_of_another_province_sees_nothing_of_this_one(demo_plan):
    other = Province.objects.get(code="thai-nguyen")  # from the national list loaded with the demo
    snv = Unit.objects.create(province=other, code="so-noi-vu", name="Sở Nội vụ", kind="department")
    outsider = User.objects.create_user("dieuphoi.tn", password="x", role=Role.COORDINATOR, unit=snv)
    from django.test import Client

    client = Client()
    client.force_login(outsider)
    assert client.get(f"/ke-hoach/{demo_plan.pk}/").status_code == 404
    assert client.get(f"/ke-hoach/{demo_plan.pk}/phu-luc/").status_code == 404
    assert client.post(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/moi/", {"content": "x"}).status_code == 404
    assert demo_plan.title.encode() not in client.get("/ke-hoach/").content
    unit_page = client.get("/don-vi/").content.decode()
    assert "Sở Khoa học và Công nghệ" not in unit_page


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["focal_point", "leader", "viewer"])
def test_roles_without_rights_cannot_issue_or_change_the_province_plan(demo_plan, role):
    client = client_for(role)
    before = demo_plan.tasks.count()
    assert client.post(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/moi/", {"content": "x"}).status_code == 403
    assert client.post(f"/ke-hoach/{demo_plan.pk}/ban-hanh/").status_code == 403
    task = demo_plan.tasks.first()
    assert client.post(f"/ke-hoach/{demo_plan.pk}/nhiem-vu/{task.pk}/xoa/").status_code == 403
    assert demo_plan.tasks.count() == before
