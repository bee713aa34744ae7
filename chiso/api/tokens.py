"""Issuing, checking and revoking API tokens. The raw token is returned once, at creation; only its SHA-256
is stored. A system token gets its own service account (no password, cannot log in) whose role and unit
give it exactly the rights of its scope: a provincial viewer for a read-only token, the unit's focal point
for a token scoped to one unit's reports."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chiso.accounts.models import Role, User
from chiso.api.models import ApiToken, TokenKind, TokenScope
from chiso.orgs.models import Unit

TOKEN_PREFIX = "chiso_"
# Recording the last use on every request would write once per call: once a minute is precise enough.
LAST_USE_RESOLUTION = dt.timedelta(minutes=1)


class TokenRefused(Exception):
    """The token cannot be issued as asked; the message says why."""


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_raw() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def _expiry(days: int) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def max_days() -> int:
    return int(getattr(settings, "CHISO_API_TOKEN_MAX_DAYS", 365))


def _check_days(days: int) -> None:
    if not 1 <= days <= max_days():
        raise TokenRefused(_("Thời hạn của khóa từ 1 đến %(n)s ngày.") % {"n": max_days()})


def create_personal_token(user: User, name: str, days: int) -> tuple[ApiToken, str]:
    _check_days(days)
    raw = _new_raw()
    token = ApiToken.objects.create(
        name=name.strip()[:120], kind=TokenKind.PERSONAL, scope=TokenScope.FULL, user=user, issued_by=user,
        province_id=user.own_province_id, unit_id=user.unit_id, prefix=raw[len(TOKEN_PREFIX):][:8],
        key_sha256=hash_token(raw), expires_at=_expiry(days))
    return token, raw


def can_issue_system_tokens(user: User) -> bool:
    return user.is_authenticated and user.authors_in_province


@transaction.atomic
def create_system_token(issuer: User, name: str, scope: str, unit: Unit | None, days: int) -> tuple[ApiToken, str]:
    """A token for another system of the issuer's province, acting through its own service account."""
    _check_days(days)
    if scope == TokenScope.UNIT_REPORTS:
        if unit is None or unit.province_id != issuer.province_id:
            raise TokenRefused(_("Chọn một đơn vị của tỉnh."))
        role, account_unit = Role.FOCAL_POINT, unit
    elif scope == TokenScope.READ:
        role, account_unit, unit = Role.VIEWER, issuer.own_unit, None
    else:
        raise TokenRefused(_("Phạm vi của khóa không hợp lệ."))
    account = User(username=f"he-thong-{secrets.token_hex(6)}", first_name=name.strip()[:150], role=role,
                   unit=account_unit)
    account.set_unusable_password()
    account.save()
    raw = _new_raw()
    token = ApiToken.objects.create(
        name=name.strip()[:120], kind=TokenKind.SYSTEM, scope=scope, user=account, issued_by=issuer,
        province_id=issuer.own_province_id, unit=unit, prefix=raw[len(TOKEN_PREFIX):][:8],
        key_sha256=hash_token(raw), expires_at=_expiry(days))
    return token, raw


def managed_tokens(user: User) -> list[ApiToken]:
    """The user's own tokens and, for a coordinator, the system tokens of the province."""
    tokens = ApiToken.objects.filter(user=user, kind=TokenKind.PERSONAL)
    if can_issue_system_tokens(user):
        tokens = ApiToken.objects.filter(
            Q(user=user, kind=TokenKind.PERSONAL) | Q(kind=TokenKind.SYSTEM, province_id=user.province_id))
    return list(tokens.select_related("unit", "issued_by"))


def may_revoke(user: User, token: ApiToken) -> bool:
    if token.kind == TokenKind.PERSONAL:
        return token.user_id == user.pk
    return can_issue_system_tokens(user) and token.province_id == user.province_id


@transaction.atomic
def revoke_token(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if token.kind == TokenKind.SYSTEM:
        # The service account exists only for the token: it goes inactive with it.
        User.objects.filter(pk=token.user_id).update(is_active=False)


def token_for(raw: str) -> ApiToken | None:
    """The usable token of this raw value, with its user, unit and province in one query; records its use."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = ApiToken.objects.usable().select_related("user__unit").filter(key_sha256=hash_token(raw)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
