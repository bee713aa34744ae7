"""Real TOTP codes for the second-factor tests, computed from the device's own key with django-otp's TOTP, and
the way a person turns the factor on (through the pages, not by writing rows)."""

from __future__ import annotations

import re
import time

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from chiso.accounts.models import User
from chiso.demo.loader import DEMO_PASSWORD

LOGIN = "/tai-khoan/dang-nhap/"
SECOND_STEP = "/tai-khoan/dang-nhap/ma-xac-thuc/"
SETTINGS = "/tai-khoan/xac-thuc-hai-lop/"
ENABLE = "/tai-khoan/xac-thuc-hai-lop/bat/"
CODES = "/tai-khoan/xac-thuc-hai-lop/ma-khoi-phuc/"
CODES_TXT = "/tai-khoan/xac-thuc-hai-lop/ma-khoi-phuc.txt"
REGENERATE = "/tai-khoan/xac-thuc-hai-lop/ma-khoi-phuc/tao-lai/"
TURN_OFF = "/tai-khoan/xac-thuc-hai-lop/tat/"


def code_of(device: TOTPDevice, steps: int = 0) -> str:
    """The six digits the authenticator app shows now (or `steps` 30-second steps later or earlier)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """Six digits that no step around now (nor a few minutes back) gives."""
    valid = {code_of(device, steps) for steps in range(-12, 3)}
    return next(c for c in (f"{n:06d}" for n in range(123456, 999999, 7919)) if c not in valid)


def turn_on(client: Client, user: User) -> tuple[TOTPDevice, list[str]]:
    """Opens the set-up page, reads the QR's device, confirms with the app's current code; returns the device
    and the recovery codes shown once."""
    assert client.get(ENABLE).status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(ENABLE, {"code": code_of(device)})
    assert response.status_code == 302 and response["Location"] == CODES, response.content.decode()[:2000]
    page = client.get(CODES).content.decode()
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(codes) == 10
    device.refresh_from_db()
    return device, codes


def sign_in_with_password(username: str, password: str = DEMO_PASSWORD) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session
