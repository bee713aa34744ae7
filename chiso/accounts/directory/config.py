"""Directory sign-in settings from the environment (CHISO_LDAP_*), read by chiso.settings when
CHISO_LDAP_SERVER_URI is set. What each variable means: docs/DEPLOY.md."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ldap
from django.core.exceptions import ImproperlyConfigured
from django_auth_ldap.config import LDAPSearch

REQUIRED_VARIABLES = ("CHISO_LDAP_SERVER_URI", "CHISO_LDAP_USER_SEARCH_BASE")
DEFAULT_USER_FILTER = "(uid=%(user)s)"
# chiso field ← directory attribute; the same names in Active Directory and in OpenLDAP's inetOrgPerson. Only
# these are refreshed from the directory at each sign-in; unit, role and the active flag are never touched.
PROFILE_ATTRIBUTES = {"first_name": "givenName", "last_name": "sn", "email": "mail"}


def directory_settings(environ: Mapping[str, str], start_tls: bool = False) -> dict[str, Any]:
    """The AUTH_LDAP_* settings of django-auth-ldap; refuses an incomplete configuration by naming what is missing."""
    missing = [name for name in REQUIRED_VARIABLES if not environ.get(name)]
    if missing:
        raise ImproperlyConfigured("Directory sign-in needs these environment variables, which are missing or empty: "
                                   + ", ".join(missing) + ". See docs/DEPLOY.md.")
    user_filter = environ.get("CHISO_LDAP_USER_FILTER") or DEFAULT_USER_FILTER
    if "%(user)s" not in user_filter:
        raise ImproperlyConfigured("CHISO_LDAP_USER_FILTER must contain %(user)s, where the login typed is put "
                                   "(e.g. (sAMAccountName=%(user)s)).")
    return {
        "AUTH_LDAP_SERVER_URI": environ["CHISO_LDAP_SERVER_URI"],
        # A read-only service account that may search the users; empty for a directory that allows anonymous search.
        "AUTH_LDAP_BIND_DN": environ.get("CHISO_LDAP_BIND_DN", ""),
        "AUTH_LDAP_BIND_PASSWORD": environ.get("CHISO_LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(environ["CHISO_LDAP_USER_SEARCH_BASE"], ldap.SCOPE_SUBTREE, user_filter),
        "AUTH_LDAP_START_TLS": start_tls,
        "AUTH_LDAP_CONNECTION_OPTIONS": connection_options(environ),
        "AUTH_LDAP_USER_ATTR_MAP": PROFILE_ATTRIBUTES,
        # Never create an account (the backend refuses first; this is the library's own guard as well) and
        # never let the library save the whole account: the backend writes only the profile fields above.
        "AUTH_LDAP_NO_NEW_USERS": True,
        "AUTH_LDAP_ALWAYS_UPDATE_USER": False,
        # Permissions come from chiso's roles, never from directory groups (and no group search at each request).
        "AUTH_LDAP_FIND_GROUP_PERMS": False,
    }


def connection_options(environ: Mapping[str, str]) -> dict[int, Any]:
    timeout = float(environ.get("CHISO_LDAP_TIMEOUT_SECONDS") or "5")
    options: dict[int, Any] = {
        # Active Directory answers a search from the domain's root with referrals, which the library would follow
        # without credentials and fail on; chiso needs none.
        ldap.OPT_REFERRALS: 0,
        # A directory that does not answer must not hold a sign-in, and a web worker, for minutes.
        ldap.OPT_NETWORK_TIMEOUT: timeout,
        ldap.OPT_TIMEOUT: timeout,
    }
    if environ.get("CHISO_LDAP_CA_FILE"):
        options[ldap.OPT_X_TLS_CACERTFILE] = environ["CHISO_LDAP_CA_FILE"]
        options[ldap.OPT_X_TLS_REQUIRE_CERT] = ldap.OPT_X_TLS_DEMAND
        options[ldap.OPT_X_TLS_NEWCTX] = 0  # builds the TLS context from the options above, so it comes last
    return options
