"""Django's sign-in and password forms with chiso's limits and Vietnamese messages (core.bounds)."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from chiso.core.bounds import BoundedForm


class SignInForm(BoundedForm, AuthenticationForm):
    pass


class ChangePasswordForm(BoundedForm, PasswordChangeForm):
    pass
