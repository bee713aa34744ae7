"""The forms of the second factor: a code (six digits from the app, or a recovery code at sign-in), and turning
the factor off (password and a current code)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chiso.accounts.models import User
from chiso.core.bounds import BoundedForm


class CodeForm(BoundedForm, forms.Form):
    code = forms.CharField(label=_("Mã xác thực"), max_length=32, widget=forms.TextInput(attrs={
        "autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false", "autofocus": True}),
        error_messages={"required": _("Mời nhập mã xác thực.")})

    def __init__(self, *args: Any, recovery_allowed: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not recovery_allowed:
            # Setting up: only the app's six digits make sense, so phones show the number pad.
            self.fields["code"].widget.attrs["inputmode"] = "numeric"
            self.fields["code"].help_text = _("Sáu chữ số đang hiện trên ứng dụng xác thực.")
        else:
            self.fields["code"].help_text = _("Sáu chữ số trên ứng dụng xác thực, hoặc một mã khôi phục nếu "
                                              "không có điện thoại bên cạnh.")


class TurnOffForm(CodeForm):
    password = forms.CharField(label=_("Mật khẩu"), max_length=128, strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                               error_messages={"required": _("Mời nhập mật khẩu.")})
    field_order = ["password", "code"]

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["code"].widget.attrs.pop("autofocus", None)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Mật khẩu không đúng."))
        return password
