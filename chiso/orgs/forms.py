from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from chiso.core.bounds import BoundedForm
from chiso.core.locking import VersionField
from chiso.orgs.models import Unit
from chiso.orgs.services import ensure_standard_groups


class UnitImportForm(BoundedForm, forms.Form):
    file = forms.FileField(label=_("Tệp danh sách đơn vị (.csv hoặc .xlsx)"))


class UnitForm(BoundedForm, forms.ModelForm):
    lock_version = VersionField()
    aliases_text = forms.CharField(label=_("Tên gọi khác"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text=_("Mỗi dòng một cách gọi (viết tắt, tên cũ)."))

    class Meta:
        model = Unit
        fields = ["code", "name", "short_name", "kind", "parent", "email", "is_active"]

    def __init__(self, *args: Any, province: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.province = province
        cast(forms.ModelChoiceField, self.fields["parent"]).queryset = Unit.objects.filter(province=province).exclude(pk=self.instance.pk)
        if self.instance.pk:
            self.fields["aliases_text"].initial = "\n".join(self.instance.aliases)
            self.fields["lock_version"].initial = self.instance.lock_version

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if Unit.objects.filter(province=self.province, code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Mã đơn vị đã được dùng."))
        return code

    def save(self, commit: bool = True) -> Unit:
        unit = super().save(commit=False)
        unit.province = self.province
        unit.aliases = [a.strip() for a in self.cleaned_data["aliases_text"].splitlines() if a.strip()]
        if commit:
            with transaction.atomic():
                ensure_standard_groups(self.province)
                unit.save()
        return unit
