"""Forms of the API token page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chiso.accounts.models import User
from chiso.api.models import TokenScope
from chiso.api.tokens import max_days
from chiso.core.bounds import BoundedForm
from chiso.core.text import fold
from chiso.orgs.models import Unit


class PersonalTokenForm(BoundedForm, forms.Form):
    name = forms.CharField(label=_("Tên khóa (để nhận ra, ví dụ: Bảng tính tổng hợp)"), max_length=120)
    days = forms.IntegerField(label=_("Thời hạn (ngày)"), min_value=1, initial=90, error_messages={
        "invalid": _("Nhập số ngày."), "min_value": _("Thời hạn ít nhất 1 ngày.")})

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["days"].validators.append(_MaxDays())


class _MaxDays:
    def __call__(self, value: int) -> None:
        if value > max_days():
            raise forms.ValidationError(_("Thời hạn tối đa %(n)s ngày.") % {"n": max_days()})


class SystemTokenForm(PersonalTokenForm):
    scope = forms.ChoiceField(label=_("Phạm vi"), choices=[
        (TokenScope.READ, _("Chỉ đọc dữ liệu của tỉnh")),
        (TokenScope.UNIT_REPORTS, _("Báo cáo của một đơn vị (cập nhật tiến độ, tải minh chứng)"))])
    unit = forms.ModelChoiceField(label=_("Đơn vị (khi phạm vi là báo cáo của một đơn vị)"),
                                  queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, issuer: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        in_province = Unit.objects.filter(province_id=issuer.own_province_id, is_active=True)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)  # declared above; narrows the type
        field.queryset = in_province
        # Vietnamese order, by the folded name ("Đ" with "D").
        field.choices = [("", "—"), *((u.pk, u.name) for u in sorted(in_province, key=lambda u: fold(u.name)))]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("scope") == TokenScope.UNIT_REPORTS and not cleaned.get("unit"):
            self.add_error("unit", _("Chọn đơn vị mà hệ thống này báo cáo thay."))
        return cleaned
