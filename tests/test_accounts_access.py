"""Who may manage accounts: admins and coordinators, for their own province only. Every new page per role;
another province's account is a 404; nothing changes on a refused request."""

from __future__ import annotations

import pytest

from chiso.accounts.models import User
from tests.accounts_helpers import logged_in, make_account, make_other_province_coordinator
from tests.conftest import ROLES, client_for

MANAGERS = {"admin": 200, "coordinator": 200, "focal_point": 403, "leader": 403, "viewer": 403, "anonymous": 302}
ADMIN_ONLY = {"admin": 200, "coordinator": 403, "focal_point": 403, "leader": 403, "viewer": 403, "anonymous": 302}
PAGES = {
    "list": ("/tai-khoan/quan-ly/", MANAGERS),
    "create": ("/tai-khoan/quan-ly/moi/", MANAGERS),
    "import": ("/tai-khoan/quan-ly/nhap/", MANAGERS),
    "edit": ("/tai-khoan/quan-ly/{pk}/sua/", MANAGERS),
    "coordinator": ("/tai-khoan/dieu-phoi-tinh/moi/", ADMIN_ONLY),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_account_pages_per_role(page, role):
    account = make_account()
    url, expected = PAGES[page]
    assert client_for(role).get(url.format(pk=account.pk)).status_code == expected[role]


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["trang-thai", "dat-lai"])
@pytest.mark.parametrize("role", ROLES)
def test_account_actions_per_role_change_nothing_when_refused(action, role):
    account = make_account()
    password = account.password
    response = client_for(role).post(f"/tai-khoan/quan-ly/{account.pk}/{action}/", {"active": "0"})
    account.refresh_from_db()
    if role in ("admin", "coordinator"):
        assert response.status_code == 302
        assert (not account.is_active) if action == "trang-thai" else account.password != password
    else:
        assert response.status_code == {"anonymous": 302}.get(role, 403)
        assert account.is_active and account.password == password


@pytest.mark.django_db
def test_a_coordinator_cannot_see_or_change_another_provinces_accounts():
    outsider = logged_in(make_other_province_coordinator())
    account = make_account()
    assert outsider.get(f"/tai-khoan/quan-ly/{account.pk}/sua/").status_code == 404
    assert outsider.post(f"/tai-khoan/quan-ly/{account.pk}/trang-thai/", {"active": "0"}).status_code == 404
    assert outsider.post(f"/tai-khoan/quan-ly/{account.pk}/dat-lai/").status_code == 404
    assert "canbo.moi" not in outsider.get("/tai-khoan/quan-ly/").content.decode()
    account.refresh_from_db()
    assert account.is_active and account.check_password("Mat-khau-cu-2025")


@pytest.mark.django_db
def test_a_coordinator_cannot_create_an_account_in_another_provinces_unit_or_an_admin():
    other_unit = make_other_province_coordinator().unit
    client = client_for("coordinator")
    form = {"full_name": "Trần Văn Nam", "email": "nam@example.gov.vn", "phone": "", "role": "focal_point",
            "unit": other_unit.pk}
    assert client.post("/tai-khoan/quan-ly/moi/", form).status_code == 400
    assert client.post("/tai-khoan/quan-ly/moi/", {**form, "unit": make_account().unit_id, "role": "admin"}
                       ).status_code == 400
    assert not User.objects.filter(email="nam@example.gov.vn").exists()


@pytest.mark.django_db
def test_the_account_list_is_bounded_in_queries(django_assert_max_num_queries):
    client = client_for("coordinator")
    client.get("/tai-khoan/quan-ly/")
    for n in range(30):
        make_account(f"them.{n}")
    # session, user, unit+province (nav), the units of the filter, the accounts with their units
    with django_assert_max_num_queries(8):
        assert client.get("/tai-khoan/quan-ly/").status_code == 200
