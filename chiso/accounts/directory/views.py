""""Quên mật khẩu" where sign-in goes through the province's directory: the page says that a directory password is
changed in the directory (chiso mails no link to an account bound to it: its chiso password is unusable)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views

from chiso.accounts.directory import directory_sign_in_enabled


class PasswordResetView(auth_views.PasswordResetView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["directory_sign_in"] = directory_sign_in_enabled()
        return context
