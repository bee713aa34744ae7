"""The directory checks the password; chiso decides who may sign in and as what.

A directory user signs in only as an active chiso account found by the login typed (or, when no account has
that login, by the directory's e-mail address, since chiso's logins are e-mail addresses), keeping the unit and
role the coordinator gave it. Only the name and e-mail are refreshed from the directory. After the first sign-in
through the directory the account's chiso password is made unusable: from then on the directory alone decides
(an account disabled there cannot fall back on an old chiso password, and "Quên mật khẩu" sends it nothing).
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.http import HttpRequest
from django_auth_ldap.backend import LDAPBackend, _LDAPUser, ldap_error

from chiso.accounts.models import User
from chiso.accounts.services import email_taken


class DirectoryBackend(LDAPBackend):
    def get_or_build_user(self, username: str, ldap_user: _LDAPUser) -> tuple[User, bool]:
        directory_email = first_value(ldap_user.attrs, self.settings.USER_ATTR_MAP.get("email", "mail"))
        account = account_for_directory_user(username, directory_email)
        if account is None:
            # Caught by the library: this backend answers "no", the next one (chiso's own passwords) is asked.
            raise ldap_user.AuthenticationFailed("no active chiso account for this directory user")
        return account, False

    def authenticate_ldap_user(self, ldap_user: _LDAPUser, password: str) -> User | None:
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is not None:
            bind_to_directory(user, ldap_user.attrs or {}, self.settings.USER_ATTR_MAP)
        return user

    def get_user(self, user_id: int) -> User | None:
        # As Django's own backend: a session of an account deactivated since it signed in ends at its next request.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


def account_for_directory_user(login: str, directory_email: str) -> User | None:
    """The chiso account a directory user signs in as, or None: an account with that login decides (an inactive
    one refuses); without one, the single account whose e-mail is the directory's."""
    found = list(User.objects.filter(username__iexact=login).order_by("pk")[:2])
    if not found and directory_email:
        found = list(User.objects.filter(email__iexact=directory_email).order_by("pk")[:2])
    # Two accounts that differ only in case (or share the e-mail) are ambiguous: none is chosen.
    account = found[0] if len(found) == 1 else None
    return account if account is not None and account.is_active else None


def first_value(attrs: Any, attribute: str) -> str:
    values = (attrs or {}).get(attribute) or []
    return str(values[0]).strip() if values else ""


def bind_to_directory(user: User, attrs: Any, attribute_map: dict[str, str]) -> None:
    """Refresh the profile fields from the directory and retire the chiso password. Saves those columns only, so
    a coordinator's change of unit or role made meanwhile is never written over."""
    changed = []
    for field, attribute in attribute_map.items():
        max_length = getattr(User._meta.get_field(field), "max_length", None)  # a longer value would not save
        value = first_value(attrs, attribute)[:max_length]
        if field == "email":
            value = value.lower()
            if value and email_taken(value, except_pk=user.pk):
                continue  # another account uses it; keep the one chiso has
        if value and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if user.has_usable_password():
        user.set_unusable_password()
        changed.append("password")
    if changed:
        user.save(update_fields=changed)


@receiver(ldap_error, sender=DirectoryBackend)
def note_directory_unreachable(sender: type, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """The sign-in page says the directory could not be asked, rather than only "wrong password"."""
    if request is not None:
        request.directory_unreachable = True  # type: ignore[attr-defined]
