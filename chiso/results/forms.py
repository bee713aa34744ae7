from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from chiso.accounts.models import User
from chiso.frameworks.models import Framework, IndexKind, Node
from chiso.orgs.models import Province, Unit
from chiso.results.models import Group, Result
from chiso.results.permissions import editable_province_ids
from chiso.results.services import ResultData, score_error, total_error

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MIN_YEAR, MAX_YEAR = 2005, 2100


def _decimal_field(label: StrOrPromise, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, max_digits=9, decimal_places=4, localize=True,
                              widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 7}))


class ResultSubjectForm(forms.Form):
    """Step one of entering a result: which framework, year and province or unit."""

    framework = forms.ModelChoiceField(label=_("Bộ chỉ số"), queryset=Framework.objects.none())
    year = forms.IntegerField(label=_("Năm đánh giá"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    province = forms.ModelChoiceField(label=_("Tỉnh, thành phố"), queryset=Province.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("hoặc đơn vị trong tỉnh"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["framework"]).queryset = Framework.objects.visible_to(user)
        cast(forms.ModelChoiceField, self.fields["province"]).queryset = Province.objects.filter(
            pk__in=editable_province_ids(user)).order_by("name")
        if user.province_id and (user.is_coordinator or user.is_instance_admin):
            cast(forms.ModelChoiceField, self.fields["unit"]).queryset = Unit.objects.filter(
                province_id=user.province_id, is_active=True)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if bool(cleaned.get("province")) == bool(cleaned.get("unit")):
            raise forms.ValidationError(_("Chọn một tỉnh, thành phố hoặc một đơn vị (không chọn cả hai)."))
        return cleaned


class ResultForm(forms.Form):
    """The published figures of one result, laid out like the framework tree: one field per node."""

    total = _decimal_field(_("Tổng điểm công bố"))
    rank = forms.IntegerField(label=_("Xếp hạng công bố"), min_value=1, required=False)
    rank_of = forms.IntegerField(label=_("trên tổng số"), min_value=1, required=False)
    group = forms.TypedChoiceField(label=_("Nhóm công bố"), choices=[("", "—"), *Group.choices], coerce=int,
                                   empty_value=None, required=False)
    source = forms.CharField(label=_("Nguồn (văn bản, báo cáo công bố)"), max_length=500, required=False)
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, framework: Framework, nodes: list[Node], result: Result | None = None,
                 initial_scores: dict[int, Decimal] | None = None, **kwargs: Any):
        if result is not None and "initial" not in kwargs:
            kwargs["initial"] = {"total": result.total, "rank": result.rank, "rank_of": result.rank_of,
                                 "group": result.group, "source": result.source, "lock_version": result.lock_version}
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.nodes = nodes
        if framework.index != IndexKind.PAPI:
            self.fields["group"].widget = forms.HiddenInput()
        for node in nodes:
            field = _decimal_field(f"{node.code}. {node.name_vi}")
            field.initial = (initial_scores or {}).get(node.pk)
            self.fields[self.node_field(node)] = field

    @staticmethod
    def node_field(node: Node) -> str:
        return f"node_{node.pk}"

    def node_rows(self) -> list[tuple[Node, forms.BoundField]]:
        return [(node, self[self.node_field(node)]) for node in self.nodes]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        problem = total_error(self.framework, cleaned.get("total"))
        if problem:
            self.add_error("total", problem)
        rank, rank_of = cleaned.get("rank"), cleaned.get("rank_of")
        if rank and rank_of and rank > rank_of:
            self.add_error("rank", _("Thứ hạng không được lớn hơn tổng số."))
        for node in self.nodes:
            value = cleaned.get(self.node_field(node))
            problem = score_error(node, value) if value is not None else None
            if problem:
                self.add_error(self.node_field(node), problem)
        return cleaned

    def result_data(self, framework: Framework, year: int, province: Province, unit: Unit | None) -> ResultData:
        data = self.cleaned_data
        return ResultData(
            framework=framework, year=year, province=province, unit=unit, total=data.get("total"),
            rank=data.get("rank"), rank_of=data.get("rank_of"), group=data.get("group"),
            source=data.get("source") or "",
            scores={node.pk: data.get(self.node_field(node)) for node in self.nodes},
        )


class ImportForm(forms.Form):
    framework = forms.ModelChoiceField(label=_("Bộ chỉ số"), queryset=Framework.objects.none())
    year = forms.IntegerField(label=_("Năm đánh giá"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    source = forms.CharField(label=_("Nguồn"), max_length=500, required=False)
    file = forms.FileField(label=_("Tệp .xlsx hoặc .csv theo mẫu"))

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["framework"]).queryset = Framework.objects.visible_to(user)


class OverviewForm(forms.Form):
    index = forms.ChoiceField(label=_("Chỉ số"), choices=IndexKind.choices, required=False)
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
