"""Forms of the plan import: the upload, one row's correction (the task editor's node list and unit/group
picker), the header, and the small forms of structural changes that only carry a row's version."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from chiso.core.bounds import BoundedForm
from chiso.frameworks.models import Framework, Node
from chiso.orgs.models import Unit, UnitGroup, UnitKind
from chiso.plans.forms import AgencyField, agency_choices
from chiso.plans.models import Plan, PlanStatus

# A whole plan pasted from Word: far longer than one field's text, still within the request size limit.
PASTED_PLAN_MAX = 1_000_000


class UploadForm(BoundedForm, forms.Form):
    # Empty files get the importer's own message ("Tệp rỗng."), like every other refusal.
    file = forms.FileField(label=_("Tệp kế hoạch"), required=False, allow_empty_file=True,
                           help_text=_(".docx, .doc, .rtf, .xlsx, .xls, .pdf (cả bản quét), ảnh chụp trang (.png, .jpg) hoặc .txt "
                                       "(UTF-8)."),
                           widget=forms.ClearableFileInput(
                               attrs={"accept": ".docx,.doc,.rtf,.xlsx,.xls,.pdf,.png,.jpg,.jpeg,.txt"}))
    text = forms.CharField(label=_("Hoặc dán nội dung"), required=False, max_length=PASTED_PLAN_MAX,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           help_text=_("Dán bảng phụ lục từ Word hoặc Excel (các cột cách nhau bằng phím Tab)."))
    frameworks = forms.ModelMultipleChoiceField(
        label=_("Bộ chỉ số"), required=False, queryset=Framework.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Để trống để chọn theo nội dung: mỗi phụ lục theo bộ chỉ số giải thích được nhiều dòng nhất."))
    parent = forms.ModelChoiceField(
        label=_("Thực hiện kế hoạch của tỉnh"), required=False, queryset=Plan.objects.none(),
        help_text=_("Kế hoạch của tỉnh mà kế hoạch của đơn vị thực hiện (nếu có)."))

    def __init__(self, *args: Any, user: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["frameworks"]).queryset = Framework.objects.visible_to(user).order_by("index", "-valid_from")
        if user.manages_province:
            del self.fields["parent"]
        else:
            # A unit implements its province's issued plans, each at most once (plans' unique constraint).
            taken = Plan.objects.filter(owner_unit_id=user.unit_id, parent__isnull=False).values("parent_id")
            cast(forms.ModelChoiceField, self.fields["parent"]).queryset = Plan.objects.filter(
                province_id=user.province_id, parent__isnull=True, status=PlanStatus.ISSUED).exclude(pk__in=taken)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload, text = cleaned.get("file"), (cleaned.get("text") or "").strip()
        if not upload and not text and not self.errors:
            raise forms.ValidationError(_("Chọn một tệp hoặc dán nội dung kế hoạch vào ô."))
        if upload and text:
            raise forms.ValidationError(_("Chỉ gửi một trong hai: tệp hoặc nội dung dán vào."))
        return cleaned


def node_choices(frameworks: list[Framework], nodes: list[Node]) -> list[tuple[str, Any]]:
    return [(framework.name_vi, [(str(n.pk), f"{'  ' * n.depth}{n.code}. {n.name_vi}")
                                 for n in nodes if n.framework_id == framework.pk]) for framework in frameworks]


class RowForm(BoundedForm, forms.Form):
    nodes = forms.MultipleChoiceField(
        label=_("Nội dung chỉ số"), required=False, widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"invalid_choice": _("Nội dung chỉ số “%(value)s” không thuộc các bộ chỉ số của bản nhập.")})
    number = forms.CharField(label=_("TT"), max_length=20, required=False)
    content = forms.CharField(label=_("Nhiệm vụ, giải pháp"), widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": _("Nội dung nhiệm vụ không được để trống.")})
    target = forms.CharField(label=_("Chỉ tiêu"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    lead = AgencyField(label=_("Cơ quan chủ trì"), required=False, error_messages={
        "invalid_choice": _("Đơn vị “%(value)s” không có trong các lựa chọn của tỉnh.")})
    coordinating = AgencyField(label=_("Cơ quan phối hợp"), required=False, error_messages={
        "invalid_choice": _("Đơn vị “%(value)s” không có trong các lựa chọn của tỉnh.")})
    schedule_text = forms.CharField(
        label=_("Thời gian thực hiện"), max_length=300, required=False,
        help_text=_("Ví dụ: Thường xuyên; Năm 2025; Quý III và Quý IV; Trước ngày 15/7/2025."))
    outputs = forms.CharField(label=_("Sản phẩm, kết quả"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, error_messages={
        "required": _("Thiếu phiên bản của dòng: tải lại trang rồi sửa lại.")})

    def __init__(self, *args: Any, frameworks: list[Framework], nodes: list[Node], units: list[Unit],
                 groups: list[UnitGroup], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["nodes"]).choices = node_choices(frameworks, nodes)
        choices = agency_choices(units, groups)
        cast(forms.ChoiceField, self.fields["lead"]).choices = choices
        cast(forms.ChoiceField, self.fields["coordinating"]).choices = choices
        self._unit_names = {u.pk: u.name for u in units}

    @staticmethod
    def _ids(values: list[str], prefix: str) -> list[int]:
        return [int(v[2:]) for v in values if v.startswith(prefix)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        both = set(self._ids(cleaned.get("lead") or [], "u:")) & set(self._ids(cleaned.get("coordinating") or [], "u:"))
        if both:
            self.add_error("coordinating", _("%(units)s đã là cơ quan chủ trì.")
                           % {"units": ", ".join(self._unit_names[i] for i in sorted(both))})
        return cleaned

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "node_ids": [int(i) for i in data["nodes"]], "number": data["number"].strip(),
            "content": data["content"].strip(), "target": data["target"].strip(),
            "lead_unit_ids": self._ids(data["lead"], "u:"), "lead_group_ids": self._ids(data["lead"], "g:"),
            "coordinating_unit_ids": self._ids(data["coordinating"], "u:"),
            "coordinating_group_ids": self._ids(data["coordinating"], "g:"),
            "schedule_text": data["schedule_text"].strip(), "outputs": data["outputs"].strip(),
            "notes": data["notes"].strip(),
        }

    @staticmethod
    def initial_for(row: dict[str, Any]) -> dict[str, Any]:
        return {
            "nodes": [str(i) for i in row["node_ids"]], "number": row["number"], "content": row["content"],
            "target": row["target"],
            "lead": [f"u:{i}" for i in row["lead_unit_ids"]] + [f"g:{i}" for i in row["lead_group_ids"]],
            "coordinating": [f"u:{i}" for i in row["coordinating_unit_ids"]]
            + [f"g:{i}" for i in row["coordinating_group_ids"]],
            "schedule_text": row["schedule_text"], "outputs": row["outputs"], "notes": row["notes"],
            "version": row["version"],
        }


class HeaderForm(BoundedForm, forms.Form):
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255, required=False)
    number = forms.CharField(label=_("Số"), max_length=20, required=False)
    symbol = forms.CharField(label=_("Ký hiệu"), max_length=60, required=False)
    place = forms.CharField(label=_("Địa danh"), max_length=120, required=False)
    issued_on = forms.DateField(label=_("Ngày ban hành"), required=False,
                                widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
                                error_messages={"invalid": _("Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy.")})
    title = forms.CharField(label=_("Trích yếu"), max_length=600, widget=forms.Textarea(attrs={"rows": 2}),
                            error_messages={"required": _("Trích yếu không được để trống.")})
    version = forms.IntegerField(widget=forms.HiddenInput)

    @staticmethod
    def initial_for(header: dict[str, Any]) -> dict[str, Any]:
        initial = {name: header.get(name) or "" for name in ("issuer", "number", "symbol", "place", "title")}
        issued = header.get("issued_on")
        initial["issued_on"] = dt.date.fromisoformat(issued) if issued else None
        initial["version"] = header.get("version", 1)
        return initial

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        changes = {name: data[name].strip() for name in ("issuer", "number", "symbol", "place", "title")}
        changes["issued_on"] = data["issued_on"].isoformat() if data["issued_on"] else None
        return changes


class VersionForm(BoundedForm, forms.Form):
    """Merge and delete: which version of the row the user acted on."""

    version = forms.IntegerField(widget=forms.HiddenInput)


class SplitForm(VersionForm):
    at_line = forms.IntegerField(label=_("Tách sau dòng"), min_value=1, error_messages={
        "required": _("Chọn dòng để tách."), "min_value": _("Chọn dòng để tách."),
        "invalid": _("Chọn dòng để tách.")})


class ConfirmForm(BoundedForm, forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput)


class RereadForm(BoundedForm, forms.Form):
    """Read the file again with other frameworks or another issuer (the preview's "Đọc lại")."""

    frameworks = forms.ModelMultipleChoiceField(
        label=_("Bộ chỉ số"), queryset=Framework.objects.none(), widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"required": _("Chọn ít nhất một bộ chỉ số.")})
    issuer = forms.ModelChoiceField(
        label=_("Cơ quan ban hành"), required=False, queryset=Unit.objects.none(), empty_label=_("UBND tỉnh (cả tỉnh)"),
        help_text=_("Tên như “Văn phòng Sở”, “Lãnh đạo Sở”, “Bộ phận một cửa” được hiểu theo cơ quan này."))
    lock_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any, province_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        frameworks = self.fields["frameworks"]
        issuer = self.fields["issuer"]
        assert isinstance(frameworks, forms.ModelMultipleChoiceField) and isinstance(issuer, forms.ModelChoiceField)
        frameworks.queryset = Framework.objects.visible_to(user).order_by("index", "-valid_from")
        issuer.queryset = Unit.objects.filter(
            province_id=province_id, is_active=True, kind__in=["department", "commune", "ward", "district"],
        ).order_by("kind", "name")


class NewUnitForm(BoundedForm, forms.Form):
    """A unit the plan names but the province lacks: its name (the printed wording, which the user may
    correct), its kind, and the version of the draft the user saw."""

    wording = forms.CharField(widget=forms.HiddenInput, max_length=255)
    name = forms.CharField(label=_("Tên đơn vị"), max_length=255)
    kind = forms.ChoiceField(label=_("Loại"), choices=UnitKind.choices)
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
