"""Invitation links: a signed, expiring token that lets a new (or reset) account choose its password once.

The token carries the account id and a digest of the account's password hash. Setting the password changes
the hash, so the link works once; a later reset (a new unusable password) kills older links too; the signature's
timestamp makes it expire after CHISO_INVITATION_MAX_AGE_SECONDS."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from chiso.accounts.models import User

SALT = "chiso.accounts.invitation"


def _password_digest(user: User) -> str:
    return salted_hmac(SALT, user.password).hexdigest()[:24]


def make_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "p": _password_digest(user)}, salt=SALT, compress=True)


def account_for_token(token: str) -> User | None:
    """The account the token was made for, if the token is genuine, unexpired and still unused."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.CHISO_INVITATION_MAX_AGE_SECONDS)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    user = User.objects.filter(pk=data["u"], is_active=True).select_related("unit").first()
    if user is None or not constant_time_compare(str(data.get("p")), _password_digest(user)):
        return None
    return user


def invitation_link(user: User) -> str:
    path = reverse("accounts:invitation_accept", args=[make_token(user)])
    return settings.CHISO_SITE_URL.rstrip("/") + path


def send_invitation(user: User) -> None:
    valid_until = timezone.localtime() + dt.timedelta(seconds=settings.CHISO_INVITATION_MAX_AGE_SECONDS)
    with override("vi"):  # the mail goes out in Vietnamese whoever triggered it
        body = render_to_string("accounts/invitation_email.txt", {
            "user": user, "link": invitation_link(user), "valid_until": valid_until,
            "site_url": settings.CHISO_SITE_URL})
        send_mail(_("Mời sử dụng hệ thống theo dõi nâng cao chỉ số"), body, None, [user.email])


@task()
def send_invitations_task(user_ids: list[int]) -> int:
    """Mail each account its link; accounts without an address or already deactivated are skipped."""
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, is_active=True).exclude(email="").select_related("unit"):
        send_invitation(user)
        sent += 1
    return sent
