"""Every write on accounts: create (with an invitation), edit role and unit, deactivate, reset, a province's
first coordinator. Each owns its transaction; invitations are queued once the transaction has committed, so a
refused save mails nobody."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from chiso.accounts.invitations import send_invitations_task
from chiso.accounts.models import Role, User
from chiso.core.locking import claim_version
from chiso.core.text import clean_spaces, collation_key
from chiso.orgs.models import Province, Unit, UnitKind
from chiso.orgs.services import ensure_standard_groups

EDITABLE = ("first_name", "last_name", "email", "phone", "role", "unit")


def split_full_name(full_name: str) -> tuple[str, str]:
    """"Nguyễn Thị Hà" → ("Nguyễn Thị", "Hà"): the given name is the last word, as Vietnamese lists sort."""
    words = clean_spaces(full_name).split(" ")
    return " ".join(words[:-1]), words[-1]


def assignable_roles(actor: User) -> list[Role]:
    """A coordinator gives any role but admin; only an admin makes admins."""
    return [role for role in Role if actor.is_instance_admin or role != Role.ADMIN]


def accounts_of_province(province_id: int) -> QuerySet[User]:
    return User.objects.filter(unit__province_id=province_id)


def sorted_accounts(accounts: Iterable[User]) -> list[User]:
    """Vietnamese order: by given name, then family name."""
    return sorted(accounts, key=lambda u: (collation_key(u.first_name), collation_key(u.last_name),
                                           u.username))


def email_taken(email: str, except_pk: int | None = None) -> bool:
    """Whether another account signs in with, or is mailed at, this address."""
    others = User.objects.exclude(pk=except_pk) if except_pk is not None else User.objects.all()
    return others.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists()


def _invite_on_commit(user_ids: list[int]) -> None:
    transaction.on_commit(lambda: send_invitations_task.enqueue(user_ids))


def build_account(*, full_name: str, email: str, phone: str, unit: Unit, role: str) -> User:
    """An unsaved account that can only be entered through its invitation link; the e-mail is the login."""
    last_name, first_name = split_full_name(full_name)
    user = User(username=email.lower(), email=email.lower(), first_name=first_name, last_name=last_name,
                phone=clean_spaces(phone), unit=unit, role=role, is_active=True)
    user.set_unusable_password()
    return user


@transaction.atomic
def create_accounts(rows: list[dict[str, Any]]) -> list[User]:
    """Create every account or none (a bulk import, or one from the form); each gets an invitation mail."""
    users = [build_account(**row) for row in rows]
    for user in users:
        user.save()
    _invite_on_commit([user.pk for user in users])
    return users


@transaction.atomic
def update_account(account: User, expected_version: int, changes: dict[str, Any]) -> User:
    """Save the edited fields only if nobody saved the account since the editor opened it (StaleEdit)."""
    claim_version(account, expected_version)
    for field in EDITABLE:
        if field in changes:
            setattr(account, field, changes[field])
    account.username = account.email or account.username
    account.save(update_fields=[*EDITABLE, "username"])
    return account


@transaction.atomic
def set_account_active(account: User, active: bool) -> None:
    """Deactivating keeps the account and its history; the person can no longer sign in."""
    account.is_active = active
    account.save(update_fields=["is_active"])


@transaction.atomic
def reset_account(account: User) -> None:
    """The old password stops working and earlier links die; a new invitation link is mailed."""
    account.set_unusable_password()
    account.save(update_fields=["password"])
    _invite_on_commit([account.pk])


@transaction.atomic
def create_province_coordinator(*, province: Province, unit_code: str, unit_name: str, full_name: str,
                                email: str, phone: str) -> User:
    """The admin's first step for a new province: its Sở Nội vụ (created when the code is new; the province
    gets the standard group wordings with it) and the coordinator's account, invited by mail."""
    unit = Unit.objects.filter(province=province, code=unit_code).first()
    if unit is None:
        ensure_standard_groups(province)
        unit = Unit.objects.create(province=province, code=unit_code, name=unit_name, short_name="Sở Nội vụ",
                                   kind=UnitKind.DEPARTMENT)
    [user] = create_accounts([{"full_name": full_name, "email": email, "phone": phone, "unit": unit,
                               "role": Role.COORDINATOR}])
    return user
