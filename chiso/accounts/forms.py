"""Accounts' forms: sign-in and password change with chiso's limits and Vietnamese messages (core.bounds),
and the coordinator's account management."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from chiso.accounts.models import Role, User
from chiso.accounts.services import assignable_roles, email_taken
from chiso.core.bounds import BoundedForm
from chiso.core.text import collation_key
from chiso.orgs.models import Province, Unit


class SignInForm(BoundedForm, AuthenticationForm):
    pass


class ChangePasswordForm(BoundedForm, PasswordChangeForm):
    pass


def unit_choices(province_id: int) -> list[tuple[int, str]]:
    units = Unit.objects.filter(province_id=province_id, is_active=True).only("id", "name")
    return [(u.pk, u.name) for u in sorted(units, key=lambda u: collation_key(u.name))]


def set_choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class AccountForm(forms.Form):
    """Create or edit one account of the actor's province; the unit must be in it, the role one they may give."""

    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử (dùng để đăng nhập)"))
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    unit = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int)
    role = forms.ChoiceField(label=_("Vai trò"))
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, actor: User, account: User | None = None, **kwargs: Any) -> None:
        if account is not None and "initial" not in kwargs:
            kwargs["initial"] = {"full_name": account.get_full_name(), "email": account.email, "phone": account.phone,
                                 "unit": account.unit_id, "role": account.role, "lock_version": account.lock_version}
        super().__init__(*args, **kwargs)
        self.account = account
        set_choices(self, "unit", unit_choices(actor.own_province_id))
        set_choices(self, "role", [(r.value, r.label) for r in assignable_roles(actor)])

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if email_taken(email, except_pk=self.account.pk if self.account else None):
            raise forms.ValidationError(_("Đã có tài khoản dùng địa chỉ thư này."))
        return email

    def clean_unit(self) -> Unit:
        return Unit.objects.get(pk=self.cleaned_data["unit"])


class AccountImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp danh sách tài khoản (.csv hoặc .xlsx)"))


class CoordinatorForm(forms.Form):
    """The admin's form for a province's first coordinator (and its Sở Nội vụ when the province has none)."""

    province = forms.ModelChoiceField(label=_("Tỉnh, thành phố"), queryset=Province.objects.none())
    unit_code = forms.SlugField(label=_("Mã đơn vị của Sở Nội vụ"), initial="so-noi-vu", max_length=80)
    unit_name = forms.CharField(label=_("Tên Sở Nội vụ"), max_length=255, required=False,
                                help_text=_("Để trống: “Sở Nội vụ” kèm tên tỉnh."))
    full_name = forms.CharField(label=_("Họ và tên cán bộ điều phối"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử (dùng để đăng nhập)"))
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provinces = Province.objects.filter(dissolved_on__isnull=True)
        field = self.fields["province"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = provinces
        # Sorted in Vietnamese order, not by the database's collation.
        field.choices = [("", "—")] + [
            (p.pk, p.name) for p in sorted(provinces, key=lambda p: collation_key(p.name))]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        if email_taken(email):
            raise forms.ValidationError(_("Đã có tài khoản dùng địa chỉ thư này."))
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        province = data.get("province")
        if province and not data.get("unit_name"):
            data["unit_name"] = f"Sở Nội vụ {province.name}"
        return data


class AccountFilterForm(forms.Form):
    """List filters."""

    q = forms.CharField(label=_("Tìm theo tên, thư điện tử"), required=False)
    role = forms.ChoiceField(label=_("Vai trò"), required=False)
    unit = forms.TypedChoiceField(label=_("Đơn vị"), required=False, coerce=int, empty_value=None)
    active = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=[
        ("", _("Tất cả")), ("1", _("Đang hoạt động")), ("0", _("Đã khóa"))])

    def __init__(self, *args: Any, province_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "role", [("", _("Tất cả")), *Role.choices])
        set_choices(self, "unit", [("", _("Tất cả")), *unit_choices(province_id)])
