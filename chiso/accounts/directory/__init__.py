"""Optional sign-in through the province's directory (LDAP / Active Directory, the `ldap` extra).

The directory only checks the password of an account that already exists in chiso and is active; the
coordinator creates the account and sets its unit and role here (docs/DEPLOY.md, "Sign-in through the
province's directory"). `config` and `backend` import python-ldap and are loaded only when
CHISO_LDAP_SERVER_URI is set; this package's root and `views` never do, so the demo runs without the extra.
"""

from __future__ import annotations

from django.conf import settings

BACKEND = "chiso.accounts.directory.backend.DirectoryBackend"


def directory_sign_in_enabled() -> bool:
    return BACKEND in settings.AUTHENTICATION_BACKENDS


def with_directory_backend(backends: list[str]) -> list[str]:
    """The directory is asked before chiso's own passwords and after the login throttle (django-axes), which must
    stay first to refuse a locked-out login before anything checks a password."""
    return [backends[0], BACKEND, *[backend for backend in backends[1:] if backend != BACKEND]]
