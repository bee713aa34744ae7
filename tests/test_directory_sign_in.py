"""Sign-in through the province's directory, against a real OpenLDAP server (Debian's slapd, tests/directory_server.py).

The directory checks passwords only: an active chiso account must exist (the coordinator's, with its unit and
role), nothing is created, and chiso's own accounts keep signing in when the directory is down.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import ldap
import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from chiso.accounts.directory import BACKEND, with_directory_backend
from chiso.accounts.directory.config import directory_settings
from chiso.accounts.models import Role, User
from tests.accounts_helpers import make_account
from tests.directory_server import (
    PEOPLE,
    PEOPLE_DN,
    SERVICE_DN,
    SERVICE_PASSWORD,
    SLAPD,
    DirectoryServer,
    free_port,
    start_directory,
    stop_directory,
)

LOGIN = "/tai-khoan/dang-nhap/"
WRONG = "Tên đăng nhập hoặc mật khẩu không đúng"
UNREACHABLE = "không kết nối được máy chủ thư mục"
HOA, TUAN, BINH = PEOPLE


@pytest.fixture(scope="session")
def directory_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DirectoryServer]:
    if not SLAPD.exists():
        pytest.skip("Debian's slapd is not installed (/usr/sbin/slapd); scripts/test.sh installs slapd and ldap-utils")
    server = start_directory(tmp_path_factory.mktemp("slapd"))
    yield server
    stop_directory(server)


def environment(uri: str, user_filter: str = "(uid=%(user)s)") -> dict[str, str]:
    return {"CHISO_LDAP_SERVER_URI": uri, "CHISO_LDAP_BIND_DN": SERVICE_DN, "CHISO_LDAP_BIND_PASSWORD": SERVICE_PASSWORD,
            "CHISO_LDAP_USER_SEARCH_BASE": PEOPLE_DN, "CHISO_LDAP_USER_FILTER": user_filter,
            "CHISO_LDAP_TIMEOUT_SECONDS": "3"}


def directory_sign_in_at(uri: str) -> override_settings:
    """The settings chiso.settings builds when CHISO_LDAP_SERVER_URI is set, pointed at `uri`."""
    return override_settings(**directory_settings(environment(uri)),
                             AUTHENTICATION_BACKENDS=with_directory_backend(settings.AUTHENTICATION_BACKENDS))


@pytest.fixture
def directory(directory_server: DirectoryServer, db: None) -> Iterator[DirectoryServer]:
    with directory_sign_in_at(directory_server.uri):
        yield directory_server


def sign_in(username: str, password: str) -> tuple[Client, str]:
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": password})
    assert response.status_code in (200, 302)
    return client, response.content.decode()


def signed_in_user(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_directory_password_signs_in_the_chiso_account_keeping_its_unit_and_role(directory: DirectoryServer) -> None:
    account = make_account(HOA.uid, unit_code="phuong-minh-xuan", role=Role.LEADER)
    client, _ = sign_in(HOA.uid, HOA.password)
    user = signed_in_user(client)
    assert user is not None and user.pk == account.pk
    assert (user.role, user.unit_id) == (Role.LEADER, account.unit_id)
    assert client.get("/").status_code == 200


def test_directory_refreshes_name_and_email_and_retires_the_chiso_password(directory: DirectoryServer) -> None:
    make_account(HOA.uid)  # "Nguyễn Thị Hà", hoa.nguyen@example.gov.vn, chiso password Mat-khau-cu-2025
    sign_in(HOA.uid, HOA.password)
    account = User.objects.get(username=HOA.uid)
    assert (account.last_name, account.first_name, account.email) == (HOA.family_name, HOA.given_name, HOA.mail)
    assert not account.has_usable_password()
    _, page = sign_in(HOA.uid, "Mat-khau-cu-2025")  # the old chiso password no longer opens the account
    assert WRONG in page


def test_directory_login_finds_an_account_whose_chiso_login_is_the_email(directory: DirectoryServer) -> None:
    account = make_account(BINH.mail)
    account.email = BINH.mail
    account.save()
    client, _ = sign_in(BINH.uid, BINH.password)
    user = signed_in_user(client)
    assert user is not None and user.pk == account.pk


def test_wrong_directory_password_is_refused_with_the_usual_vietnamese_message(directory: DirectoryServer) -> None:
    make_account(HOA.uid)
    client, page = sign_in(HOA.uid, "Sai-mat-khau-2026")
    assert WRONG in page and signed_in_user(client) is None
    assert User.objects.get(username=HOA.uid).has_usable_password()


def test_directory_user_without_a_chiso_account_is_refused_and_none_is_created(directory: DirectoryServer) -> None:
    accounts_before = User.objects.count()
    client, page = sign_in(TUAN.uid, TUAN.password)
    assert WRONG in page and signed_in_user(client) is None
    assert User.objects.count() == accounts_before
    assert not User.objects.filter(username__iexact=TUAN.uid).exists()


def test_inactive_chiso_account_is_refused_with_the_directory_password(directory: DirectoryServer) -> None:
    account = make_account(TUAN.uid)
    account.is_active = False
    account.save()
    client, page = sign_in(TUAN.uid, TUAN.password)
    assert WRONG in page and signed_in_user(client) is None
    assert User.objects.get(pk=account.pk).first_name == "Hà"  # not refreshed either


def test_account_without_directory_entry_signs_in_with_its_chiso_password(directory: DirectoryServer) -> None:
    client, _ = sign_in("dieuphoi", "chiso-demo-2025")
    user = signed_in_user(client)
    assert user is not None and user.username == "dieuphoi" and user.has_usable_password()


def test_session_ends_when_the_account_is_deactivated_after_a_directory_sign_in(directory: DirectoryServer) -> None:
    make_account(HOA.uid)
    client, _ = sign_in(HOA.uid, HOA.password)
    assert client.get("/").status_code == 200
    User.objects.filter(username=HOA.uid).update(is_active=False)
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_directory_down_refuses_directory_accounts_with_a_clear_message_and_lets_chiso_accounts_in() -> None:
    make_account(HOA.uid)
    with directory_sign_in_at(f"ldap://127.0.0.1:{free_port()}"):  # nothing listens there
        client, page = sign_in(HOA.uid, HOA.password)
        assert UNREACHABLE in page.lower() and signed_in_user(client) is None
        client, page = sign_in("dieuphoi", "chiso-demo-2025")
        assert UNREACHABLE not in page.lower() and signed_in_user(client) is not None


def test_forgot_password_points_directory_users_to_the_directory_and_mails_them_nothing(
        directory: DirectoryServer) -> None:
    make_account(HOA.uid)
    sign_in(HOA.uid, HOA.password)  # now bound to the directory, with its e-mail HOA.mail
    local = make_account("canbo.moi")
    assert "tài khoản thư mục của tỉnh" in Client().get("/tai-khoan/quen-mat-khau/").content.decode()
    for address in (HOA.mail, local.email):
        Client().post("/tai-khoan/quen-mat-khau/", {"email": address})
    assert [message.to for message in mail.outbox] == [[local.email]]


@pytest.mark.django_db
def test_forgot_password_says_nothing_of_a_directory_where_none_is_configured() -> None:
    assert "tài khoản thư mục" not in Client().get("/tai-khoan/quen-mat-khau/").content.decode()


def test_active_directory_example_searches_by_account_name_and_creates_no_account() -> None:
    ad = directory_settings({"CHISO_LDAP_SERVER_URI": "ldaps://dc1.tinh.example", "CHISO_LDAP_USER_SEARCH_BASE":
                             "OU=Can bo,DC=tinh,DC=example", "CHISO_LDAP_USER_FILTER": "(sAMAccountName=%(user)s)"})
    assert ad["AUTH_LDAP_USER_SEARCH"].filterstr == "(sAMAccountName=%(user)s)"
    assert ad["AUTH_LDAP_NO_NEW_USERS"] is True and ad["AUTH_LDAP_ALWAYS_UPDATE_USER"] is False
    assert ad["AUTH_LDAP_CONNECTION_OPTIONS"][ldap.OPT_REFERRALS] == 0
    assert set(ad["AUTH_LDAP_USER_ATTR_MAP"]) == {"first_name", "last_name", "email"}  # never unit or role


@pytest.mark.parametrize(("variables", "named"), [
    ({"CHISO_LDAP_SERVER_URI": "ldap://dc1"}, "CHISO_LDAP_USER_SEARCH_BASE"),
    ({"CHISO_LDAP_SERVER_URI": "ldap://dc1", "CHISO_LDAP_USER_SEARCH_BASE": "dc=x",
      "CHISO_LDAP_USER_FILTER": "(uid=nguyenvana)"}, "%(user)s"),
])
def test_incomplete_directory_configuration_is_refused_naming_what_is_wrong(variables: dict[str, str],
                                                                            named: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=named.replace("(", r"\(").replace(")", r"\)")):
        directory_settings(variables)


@pytest.mark.parametrize("configured", [True, False])
def test_settings_ask_the_directory_first_only_when_a_server_is_set(configured: bool) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHISO_LDAP_")}
    if configured:
        env.update(environment("ldap://127.0.0.1:1"))
    probe = (f"import sys, chiso.settings as s; b = s.AUTHENTICATION_BACKENDS; "
             f"print(b.index({BACKEND!r}) if {BACKEND!r} in b else -1, 'ldap' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], env=env, cwd=Path(__file__).parent.parent,
                         capture_output=True, text=True, check=True).stdout.split()
    # Configured: right after the login throttle, before chiso's passwords. Not configured: python-ldap not even
    # imported, so the demo runs without the `ldap` extra.
    assert out == (["1", "True"] if configured else ["-1", "False"])
