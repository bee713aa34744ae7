"""The optional second factor (TOTP) of coordinators and admins, built on django-otp: an authenticator app's
six-digit code (a TOTPDevice) plus ten one-time recovery codes (a StaticDevice). Every write here owns its
transaction; every code is checked through django_otp.verify_token, which locks the device row, refuses a code
already used (TOTPDevice.last_t) and throttles wrong codes (waits of 1, 2, 4 … seconds after each failure).

Actions on someone's second factor are recorded in the back office's history of that account (Django's
LogEntry, "Lịch sử" of the user in /quan-tri/), with who did it."""

from __future__ import annotations

import enum
from base64 import b32encode
from dataclasses import dataclass

import django_otp
import segno
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.models import Device
from django_otp.oath import TOTP, hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from chiso.accounts.models import Role, User

RECOVERY_CODE_COUNT = 10
# A code from up to this many 30-second steps ago is named "expired" rather than "wrong": a slow typist or a
# phone whose clock is a few minutes late gets told so.
EXPIRED_LOOKBACK_STEPS = 10
DEVICE_NAME = "Ứng dụng xác thực"


def may_use_second_factor(user: User) -> bool:
    """Only the accounts that can change a whole province's data: coordinators and instance admins."""
    return user.is_active and (user.is_instance_admin or user.role == Role.COORDINATOR)


def confirmed_totp(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user: User) -> bool:
    """Whatever the role today: a device confirmed while the user was a coordinator still guards the sign-in."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def unconfirmed_totp(user: User) -> TOTPDevice:
    """The device being set up (its key shown as a QR code until a code from it confirms it)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_in_groups(device: TOTPDevice) -> str:
    """The key as an authenticator app asks for it when typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// link as an inline SVG (paths only: no script, no style attribute, so the CSP holds)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, title=_("Mã QR để quét bằng ứng dụng xác thực"))
    return mark_safe(svg)  # noqa: S308  # segno's own markup; the only text in it is our escaped title


class Refusal(enum.Enum):
    WRONG = gettext_lazy("Mã xác thực không đúng. Kiểm tra lại mã đang hiện trên ứng dụng xác thực.")
    EXPIRED = gettext_lazy("Mã xác thực đã hết hạn (mỗi mã chỉ dùng được trong khoảng 30 giây). Mời nhập mã mới "
                           "đang hiện trên ứng dụng.")
    REUSED = gettext_lazy("Mã xác thực này đã được dùng. Mời chờ mã tiếp theo trên ứng dụng rồi nhập lại.")
    RECOVERY_WRONG = gettext_lazy("Mã khôi phục không đúng hoặc đã được dùng (mỗi mã chỉ dùng được một lần).")
    NO_DEVICE = gettext_lazy("Tài khoản chưa bật xác thực hai lớp.")


@dataclass
class Throttled:
    """Too many wrong codes in a row: django-otp refuses any code, even a right one, until `seconds` pass."""

    seconds: int

    @property
    def message(self) -> str:
        return _("Bạn đã nhập sai mã nhiều lần liên tiếp. Vui lòng chờ %(seconds)s giây rồi thử lại.") % {
            "seconds": self.seconds}


def normalise_code(raw: str) -> str:
    """Codes are typed with spaces or dashes ("123 456", "abcd-efgh") and in either case."""
    return "".join(ch for ch in raw if ch not in " -\t").lower()


def _throttled(device: Device) -> Throttled | None:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (details or {}).get("locked_until")
    seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 1
    return Throttled(seconds)


def _totp_refusal(device: TOTPDevice, code: str) -> Refusal:
    """Why a six-digit code was refused: it was the code of a step already used, of a step gone by, or none."""
    now_step = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).t()
    try:
        number = int(code)
    except ValueError:
        return Refusal.WRONG
    for step in range(now_step - EXPIRED_LOOKBACK_STEPS, now_step + device.tolerance + 1):
        if hotp(device.bin_key, step, device.digits) == number:
            if step < now_step - device.tolerance:
                return Refusal.EXPIRED
            if step <= device.last_t:
                return Refusal.REUSED
    return Refusal.WRONG


def check_totp(user: User, device: TOTPDevice, code: str) -> Device | Refusal | Throttled:
    """A code of the user's device, refused with its reason, or held back by the throttle."""
    throttled = _throttled(device)
    if throttled is not None:
        return throttled
    verified = django_otp.verify_token(user, device.persistent_id, code)
    if verified is not None:
        return verified
    device.refresh_from_db()  # last_t as verify_token left it
    return _totp_refusal(device, code)


def check_code(user: User, raw: str) -> Device | Refusal | Throttled:
    """At sign-in or before a change: six digits are checked against the authenticator app, anything else
    against the recovery codes (each then used up)."""
    code = normalise_code(raw)
    if code.isdigit() and len(code) == 6:
        device = confirmed_totp(user)
        return check_totp(user, device, code) if device is not None else Refusal.NO_DEVICE
    static = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if static is None:
        return Refusal.RECOVERY_WRONG
    throttled = _throttled(static)
    if throttled is not None:
        return throttled
    verified = django_otp.verify_token(user, static.persistent_id, code)
    return verified if verified is not None else Refusal.RECOVERY_WRONG


def _record(account: User, actor: User, message: str) -> None:
    """One line in the account's history (the back office's LogEntry), naming who acted."""
    LogEntry.objects.log_actions(
        user_id=actor.pk, queryset=[account], action_flag=CHANGE, change_message=message, single_object=True)


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Mã khôi phục"), confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def confirm_second_factor(device: TOTPDevice) -> list[str]:
    """The code from the app matched: the device now guards every sign-in; ten recovery codes are made (shown
    once, stored by django-otp as they are: they are random, one-time and only good after the password)."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(device.user)
    _record(device.user, device.user, _("Bật xác thực hai lớp"))
    return codes


@transaction.atomic
def regenerate_recovery_codes(user: User) -> list[str]:
    """Ten new codes; the old ones stop working."""
    codes = _new_recovery_codes(user)
    _record(user, user, _("Tạo lại mã khôi phục xác thực hai lớp"))
    return codes


@transaction.atomic
def remove_second_factor(account: User, actor: User) -> None:
    """Turned off by its owner, or reset by an instance admin (a lost phone): every device goes, so the next
    sign-in needs the password only and the owner may set the factor up again."""
    TOTPDevice.objects.filter(user=account).delete()
    StaticDevice.objects.filter(user=account).delete()
    message = _("Tắt xác thực hai lớp") if actor.pk == account.pk else _(
        "Quản trị đặt lại xác thực hai lớp (mất thiết bị)")
    _record(account, actor, message)
