"""Forms of the unit index. Points are typed the Vietnamese way (1,5) and accepted with a dot too."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from chiso.accounts.models import Role, User
from chiso.core.bounds import BoundedForm
from chiso.frameworks.models import Framework, Node
from chiso.orgs.models import Unit, UnitKind
from chiso.unitindex.importing.tree_reader import parse_points
from chiso.unitindex.models import Method, Participant, Stage

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class PointsField(forms.Field):
    widget = forms.TextInput

    def __init__(self, *, max_length: int = 12, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_length = max_length

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip()
        if len(text) > self.max_length:
            raise forms.ValidationError(_("Điểm phải là số, ví dụ 1,5."))
        try:
            points = parse_points(text)
        except ValueError:
            raise forms.ValidationError(_("Điểm phải là số, ví dụ 1,5.")) from None
        exponent = points.as_tuple().exponent if points is not None else 0
        if isinstance(exponent, int) and exponent < -2:
            raise forms.ValidationError(_("Điểm có tối đa hai chữ số thập phân."))
        return points


class VersionedForm(BoundedForm, forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def parse_documents(text: str) -> list[dict[str, str]]:
    """One document a line: "12/KH-SCT | 15/01/2025 | mục II, trang 3"; the date must be dd/mm/yyyy."""
    documents = []
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")] + ["", ""]
        number, date_text, section = parts[0], parts[1], parts[2]
        if date_text:
            try:
                date_text = dt.datetime.strptime(date_text, "%d/%m/%Y").date().isoformat()
            except ValueError:
                raise forms.ValidationError(_("Dòng %(n)s: ngày văn bản phải có dạng dd/mm/yyyy.") % {
                    "n": line_number}) from None
        documents.append({"number": number[:100], "date": date_text, "section": section[:200]})
    return documents


def documents_text(documents: list[dict[str, str]]) -> str:
    lines = []
    for document in documents:
        date = document.get("date", "")
        if date:
            date = dt.date.fromisoformat(date).strftime("%d/%m/%Y")
        lines.append(" | ".join(part for part in (document.get("number", ""), date, document.get("section", ""))))
    return "\n".join(lines)


class SelfScoreForm(VersionedForm):
    score = PointsField(label=_("Điểm tự chấm"), required=False, max_length=12)
    not_applicable = forms.BooleanField(label=_("Không áp dụng"), required=False)
    figures = forms.CharField(label=_("Số liệu"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    explanation = forms.CharField(label=_("Thuyết minh"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    documents = forms.CharField(
        label=_("Văn bản tham chiếu"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi dòng một văn bản: số hiệu | ngày (dd/mm/yyyy) | mục, trang."))

    def clean_documents(self) -> list[dict[str, str]]:
        return parse_documents(self.cleaned_data["documents"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("not_applicable") and data.get("score") is None and not self.errors:
            self.add_error("score", _("Nhập điểm hoặc chọn “không áp dụng”."))
        return data


class AppraisalForm(VersionedForm):
    stage = forms.ChoiceField(choices=[(Stage.APPRAISAL1, Stage.APPRAISAL1.label),
                                       (Stage.APPRAISAL2, Stage.APPRAISAL2.label)], widget=forms.HiddenInput)
    score = PointsField(label=_("Điểm thẩm định"), required=False, max_length=12)
    comment = forms.CharField(label=_("Ý kiến"), required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 2}))
    request_explanation = forms.BooleanField(label=_("Đề nghị đơn vị giải trình"), required=False)


class AnswerForm(VersionedForm):
    answer = forms.CharField(label=_("Nội dung giải trình"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp minh chứng"))


class PickEvidenceForm(BoundedForm, forms.Form):
    evidence = forms.IntegerField(widget=forms.HiddenInput)


class ReopenForm(BoundedForm, forms.Form):
    stage = forms.ChoiceField(label=_("Giai đoạn"), choices=Stage.choices)
    until = forms.DateField(label=_("Mở đến hết ngày"), input_formats=DATE_FORMATS,
                            widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))
    reason = forms.CharField(label=_("Lý do"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class BonusPenaltyForm(VersionedForm):
    bonus = PointsField(label=_("Điểm thưởng"), required=False, max_length=12)
    bonus_reason = forms.CharField(label=_("Lý do điểm thưởng"), required=False, max_length=500)
    penalty = PointsField(label=_("Điểm trừ"), required=False, max_length=12)
    penalty_reason = forms.CharField(label=_("Lý do điểm trừ"), required=False, max_length=500)


class PublishForm(BoundedForm, forms.Form):
    decision_text = forms.CharField(label=_("Quyết định công bố"), max_length=300,
                                    help_text=_("Ví dụ: Quyết định số 141/QĐ-UBND ngày 14/01/2026"))


class AssignForm(BoundedForm, forms.Form):
    appraiser = forms.ModelChoiceField(label=_("Thẩm định viên"), queryset=User.objects.none())
    participant = forms.ModelChoiceField(label=_("Cả phiếu của đơn vị"), queryset=Participant.objects.none(),
                                         required=False)
    node = forms.ModelChoiceField(label=_("Hoặc tiêu chí (ở mọi đơn vị)"), queryset=Node.objects.none(), required=False)

    def __init__(self, *args: Any, round_: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["appraiser"]).queryset = User.objects.filter(
            role=Role.APPRAISER, is_active=True, unit__province_id=round_.province_id).order_by("last_name")
        cast(forms.ModelChoiceField, self.fields["participant"]).queryset = round_.participants.select_related("unit")
        cast(forms.ModelChoiceField, self.fields["node"]).queryset = Node.objects.filter(
            framework__in=round_.trees.values("framework")).order_by("framework_id", "position")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("participant") and not data.get("node"):
            raise forms.ValidationError(_("Chọn phiếu của một đơn vị hoặc một tiêu chí."))
        return data


class RoundForm(BoundedForm, forms.Form):
    year = forms.IntegerField(label=_("Năm đánh giá"), min_value=2015, max_value=2100)
    name = forms.CharField(label=_("Tên đợt đánh giá"), max_length=200)
    department_tree = forms.ModelChoiceField(label=_("Bộ tiêu chí của sở, ban, ngành"), queryset=Framework.objects.none(),
                                             required=False)
    commune_tree = forms.ModelChoiceField(label=_("Bộ tiêu chí của UBND xã, phường"), queryset=Framework.objects.none(),
                                          required=False)
    units = forms.ModelMultipleChoiceField(label=_("Đơn vị tham gia"), queryset=Unit.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, province_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trees = Framework.objects.filter(province_id=province_id, unit_index__isnull=False).order_by("-valid_from")
        cast(forms.ModelChoiceField, self.fields["department_tree"]).queryset = trees
        cast(forms.ModelChoiceField, self.fields["commune_tree"]).queryset = trees
        cast(forms.ModelChoiceField, self.fields["units"]).queryset = Unit.objects.filter(
            province_id=province_id, is_active=True, kind__in=[UnitKind.DEPARTMENT, UnitKind.COMMUNE, UnitKind.WARD])
        for stage in Stage:
            self.fields[f"deadline_{stage}"] = forms.DateField(
                label=_("Hạn %(stage)s") % {"stage": stage.label.lower()}, input_formats=DATE_FORMATS,
                widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        dates: list[dt.date] = [data[f"deadline_{stage}"] for stage in Stage if data.get(f"deadline_{stage}")]
        if len(dates) == len(Stage) and dates != sorted(dates):
            raise forms.ValidationError(_("Hạn các giai đoạn phải theo thứ tự: tự đánh giá, thẩm định lần 1, "
                                          "giải trình, thẩm định lần 2, công bố."))
        kinds = {unit.kind for unit in data.get("units", [])}
        if kinds & {UnitKind.DEPARTMENT} and not data.get("department_tree"):
            self.add_error("department_tree", _("Có sở, ban, ngành tham gia: cần chọn bộ tiêu chí."))
        if kinds & {UnitKind.COMMUNE, UnitKind.WARD} and not data.get("commune_tree"):
            self.add_error("commune_tree", _("Có xã, phường tham gia: cần chọn bộ tiêu chí."))
        return data


class TreeUploadForm(forms.Form):
    file = forms.FileField(label=_("Phụ lục bộ tiêu chí (.xlsx hoặc .docx)"))
    name = forms.CharField(label=_("Tên bộ tiêu chí"), max_length=200)
    year = forms.IntegerField(label=_("Năm áp dụng"), min_value=2015, max_value=2100)


class SurveyUploadForm(forms.Form):
    file = forms.FileField(label=_("Bảng điểm điều tra (.csv hoặc .xlsx)"))


class CriterionForm(VersionedForm):
    rule_text = forms.CharField(label=_("Cách chấm điểm"), required=False, max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 2}))
    evidence_required = forms.CharField(label=_("Tài liệu kiểm chứng"), required=False, max_length=5000,
                                        widget=forms.Textarea(attrs={"rows": 2}))
    method = forms.ChoiceField(label=_("Phương pháp"), choices=Method.choices)
    choices = forms.CharField(label=_("Các mức điểm"), required=False, max_length=200,
                              help_text=_("Các mức cách nhau bởi dấu chấm phẩy, ví dụ: 0; 0,5; 1. Để trống: "
                                          "điểm bất kỳ từ 0 đến điểm tối đa."))
    explanation_required = forms.BooleanField(label=_("Bắt buộc thuyết minh"), required=False)
    allows_not_applicable = forms.BooleanField(label=_("Được chọn “không áp dụng”"), required=False)

    def clean_choices(self) -> list[str]:
        values = []
        for part in self.cleaned_data["choices"].split(";"):
            if not part.strip():
                continue
            try:
                value = parse_points(part)
            except ValueError:
                raise forms.ValidationError(_("Mức điểm “%(value)s” không phải là số.") % {"value": part.strip()}) from None
            values.append(str(value))
        return values
