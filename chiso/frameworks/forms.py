from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from chiso.core.bounds import BoundedForm
from chiso.core.locking import VersionField
from chiso.frameworks.models import Framework, Node, subtree_ids
from chiso.orgs.models import Province


def framework_slug(province: Province, name: str, version: str) -> str:
    return slugify(f"{province.code}-{name}-{version}")[:80]


def _check_new_slug(form: forms.BaseForm, province: Province, name: str | None, version: str | None) -> str:
    """The slug a new province framework will get, or an error on the form if one already has it."""
    if not name or not version:
        return ""
    slug = framework_slug(province, name, version)
    if Framework.objects.filter(slug=slug).exists():
        form.add_error("version", _("Đã có một bộ chỉ số cùng tên và phiên bản."))
    return slug


class FrameworkForm(BoundedForm, forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, province: Province | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.province = province

    class Meta:
        model = Framework
        fields = ["index", "name_vi", "name_en", "version", "valid_from", "valid_to", "unit", "total_max", "notes"]
        localized_fields = ["total_max"]  # 42,153 with a decimal comma, as people write it
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Năm kết thúc phải từ năm bắt đầu trở đi."))
        if self.instance.pk is None and self.province:  # the slug is fixed at creation; renaming keeps it
            self.instance.slug = _check_new_slug(self, self.province, cleaned.get("name_vi"), cleaned.get("version"))
            self.instance.province = self.province
        return cleaned


class CopyFrameworkForm(BoundedForm, forms.Form):
    name_vi = forms.CharField(label=_("Tên phiên bản mới"), max_length=200)
    version = forms.CharField(label=_("Phiên bản"), max_length=60)
    valid_from = forms.IntegerField(label=_("Áp dụng từ năm"), min_value=2000, max_value=2100, required=False)

    def __init__(self, *args: Any, province: Province, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.province = province

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["slug"] = _check_new_slug(self, self.province, cleaned.get("name_vi"), cleaned.get("version"))
        return cleaned


class NodeForm(BoundedForm, forms.ModelForm):
    lock_version = VersionField()
    parent_code = forms.CharField(label=_("Mã nội dung cấp trên"), max_length=30, required=False,
                                  help_text=_("Để trống nếu là nội dung cấp cao nhất."))
    aliases_text = forms.CharField(label=_("Tên gọi khác"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                   help_text=_("Mỗi dòng một cách gọi đã gặp trong kế hoạch."))

    class Meta:
        model = Node
        fields = ["code", "name_vi", "name_en", "max_points", "unit", "scoring", "source", "confidence", "note"]
        localized_fields = ["max_points"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, framework: Framework, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.framework = framework
        if self.instance.pk:
            self.fields["parent_code"].initial = self.instance.parent.code if self.instance.parent else ""
            self.fields["aliases_text"].initial = "\n".join(self.instance.aliases)
            self.fields["lock_version"].initial = self.instance.lock_version

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        clash = self.framework.nodes.filter(code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Mã “%(code)s” đã có trong bộ chỉ số này.") % {"code": code})
        return code

    def clean_parent_code(self) -> Node | None:
        code = self.cleaned_data["parent_code"].strip()
        if not code:
            return None
        parent = self.framework.nodes.filter(code=code).first()
        if parent is None:
            raise forms.ValidationError(_("Không có nội dung mã “%(code)s” trong bộ chỉ số này.") % {"code": code})
        if self.instance.pk and parent.pk in subtree_ids(list(self.framework.nodes.all()), self.instance):
            raise forms.ValidationError(_("Không thể đặt một nội dung làm cấp dưới của chính nó."))
        return parent

    def clean_max_points(self) -> Any:
        value = self.cleaned_data["max_points"]
        if value is not None and value < 0:
            raise forms.ValidationError(_("Điểm tối đa không được âm."))
        return value

    def save(self, commit: bool = True) -> Node:
        node = super().save(commit=False)
        node.framework = self.framework
        node.parent = self.cleaned_data["parent_code"]
        node.aliases = [a.strip() for a in self.cleaned_data["aliases_text"].splitlines() if a.strip()]
        if commit:
            node.save()
        return node

