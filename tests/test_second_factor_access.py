"""Who may use the second-factor pages: coordinators and instance admins, each for their own account (a
coordinator of another province too: it is their own account); focal points, leaders, viewers and another
unit's staff get a 403 and change nothing; only the instance admin resets someone else's factor. Plus the
pages' query counts."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from chiso.accounts.models import User
from chiso.demo.loader import DEMO_PASSWORD
from tests.accounts_helpers import logged_in, make_other_province_coordinator
from tests.conftest import ROLES, USERNAMES
from tests.second_factor_helpers import (
    CODES,
    CODES_TXT,
    ENABLE,
    REGENERATE,
    SECOND_STEP,
    SETTINGS,
    TURN_OFF,
    code_of,
    sign_in_with_password,
    turn_on,
)

ALL = [*ROLES, "other_commune", "other_province"]
ELIGIBLE = {"admin", "coordinator", "other_province"}
REFUSED = {"focal_point": 403, "leader": 403, "viewer": 403, "other_commune": 403, "anonymous": 302}


def _user(role: str) -> User | None:
    if role == "anonymous":
        return None
    if role == "other_province":
        user = make_other_province_coordinator()
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user
    return User.objects.get(username=USERNAMES[role])


def _client(role: str) -> tuple[Client, User | None]:
    user = _user(role)
    return (logged_in(user) if user else Client()), user


@pytest.mark.django_db
@pytest.mark.parametrize("url", [SETTINGS, ENABLE])
@pytest.mark.parametrize("role", ALL)
def test_the_second_factor_pages_per_role(url, role):
    client, user = _client(role)
    expected = 200 if role in ELIGIBLE else REFUSED[role]
    assert client.get(url).status_code == expected
    if role not in ELIGIBLE and user is not None:
        assert not TOTPDevice.objects.filter(user=user).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url", [CODES, CODES_TXT])
@pytest.mark.parametrize("role", ALL)
def test_the_recovery_codes_pages_per_role_show_nothing_once_left(url, role):
    client, _ = _client(role)
    response = client.get(url)
    if role in ELIGIBLE:  # no codes were just made: back to the settings page
        assert response.status_code == 302 and response["Location"] == SETTINGS
    else:
        assert response.status_code == REFUSED[role]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL)
def test_regenerating_and_turning_off_per_role(role):
    client, user = _client(role)
    if role not in ELIGIBLE:
        assert client.post(REGENERATE, {"regenerate-code": "abcdefgh"}).status_code == REFUSED[role]
        assert client.post(TURN_OFF, {"turn_off-password": DEMO_PASSWORD}).status_code == REFUSED[role]
        assert not StaticToken.objects.exists()
        return
    assert user is not None
    assert client.post(REGENERATE, {"regenerate-code": "abcdefgh"}).status_code == 403  # nothing turned on
    _, codes = turn_on(client, user)
    assert client.post(REGENERATE, {"regenerate-code": codes[0]}).status_code == 302
    new_codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    response = client.post(TURN_OFF, {"turn_off-password": DEMO_PASSWORD, "turn_off-code": new_codes[0]})
    assert response.status_code == 302 and not TOTPDevice.objects.filter(user=user).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL)
def test_only_the_instance_admin_resets_someone_elses_second_factor(role):
    owner = User.objects.get(username=USERNAMES["coordinator"])
    turn_on(logged_in(owner), owner)
    client, _ = _client(role)
    response = client.post(f"/tai-khoan/quan-ly/{owner.pk}/xac-thuc-hai-lop/dat-lai/")
    if role == "admin":
        assert response.status_code == 302 and not TOTPDevice.objects.filter(user=owner).exists()
    else:
        assert response.status_code == ({"anonymous": 302}.get(role, 403))
        assert TOTPDevice.objects.filter(user=owner, confirmed=True).exists()


@pytest.mark.django_db
def test_the_instance_admin_resets_an_account_of_another_province_too():
    owner = make_other_province_coordinator()
    turn_on(logged_in(owner), owner)
    admin = logged_in(User.objects.get(username=USERNAMES["admin"]))
    assert admin.post(f"/tai-khoan/quan-ly/{owner.pk}/xac-thuc-hai-lop/dat-lai/").status_code == 302
    assert not TOTPDevice.objects.filter(user=owner).exists()
    assert admin.post("/tai-khoan/quan-ly/99999999/xac-thuc-hai-lop/dat-lai/").status_code == 404


@pytest.mark.django_db
def test_the_reset_button_shows_only_to_the_admin_on_an_account_with_a_second_factor():
    owner = User.objects.get(username=USERNAMES["coordinator"])
    url = f"/tai-khoan/quan-ly/{owner.pk}/sua/"
    admin = logged_in(User.objects.get(username=USERNAMES["admin"]))
    assert "Đặt lại xác thực hai lớp" not in admin.get(url).content.decode()
    turn_on(logged_in(owner), owner)
    assert "Đặt lại xác thực hai lớp" in admin.get(url).content.decode()
    assert "Đặt lại xác thực hai lớp" not in logged_in(owner).get(url).content.decode()


@pytest.mark.django_db
def test_the_second_factor_pages_are_bounded_in_queries(django_assert_max_num_queries):
    owner = User.objects.get(username=USERNAMES["coordinator"])
    client = logged_in(owner)
    # session, user, unit+province (nav), unread notifications, the unconfirmed device (found or created)
    with django_assert_max_num_queries(8):
        assert client.get(ENABLE).status_code == 200
    device, _ = turn_on(client, owner)
    # session (read and the popped codes written), user, nav, notifications, the device, the codes' count
    with django_assert_max_num_queries(10):
        assert client.get(SETTINGS).status_code == 200
    half_way = sign_in_with_password(owner.username)
    # session, the half-way user (its password hash checked); no page chrome for an anonymous visitor
    with django_assert_max_num_queries(4):
        assert half_way.get(SECOND_STEP).status_code == 200
    # session, user, device (found, then locked and updated by django-otp), the session's new key (cycled at
    # login), django-axes' attempt check and access log, last login, the session saved: 21, whoever signs in
    with django_assert_max_num_queries(21):
        assert half_way.post(SECOND_STEP, {"code": code_of(device, steps=1)}).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL)
def test_the_code_page_per_role_signs_nobody_in_without_a_password_first(role):
    client, user = _client(role)
    response = client.post(SECOND_STEP, {"code": "123456"})
    # Signed in already: home; anonymous with no password given: back to sign-in.
    assert response.status_code == 302
    assert response["Location"] == ("/" if user else "/tai-khoan/dang-nhap/")
