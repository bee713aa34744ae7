"""Forms for plans and tasks. Units and groups are offered together in one picker, since plans
name both ("Sở Nội vụ; UBND cấp xã")."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from chiso.core.bounds import BoundedForm
from chiso.core.widgets import QuickSelect
from chiso.frameworks.models import Framework, Node
from chiso.orgs.models import Unit, UnitGroup, UnitKind
from chiso.plans.models import Plan, Task
from chiso.plans.services import TaskData

_KIND_ORDER = [UnitKind.PROVINCE_COMMITTEE, UnitKind.DEPARTMENT, UnitKind.OFFICE, UnitKind.WARD,
               UnitKind.COMMUNE, UnitKind.OUTSIDE, UnitKind.DISTRICT, UnitKind.VILLAGE]


def agency_choices(units: list[Unit], groups: list[UnitGroup]) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = []
    # Every group is offered, also those that name no defined set ("Các cơ quan, đơn vị liên quan"): plans
    # use them and an edited task must keep them. Only groups that resolve produce assignments.
    if groups:
        choices.append((str(_("Nhóm đơn vị")), [
            (f"g:{g.pk}", g.name if g.resolves else _("%(group)s (chưa xác định đơn vị)") % {"group": g.name}) for g in groups
        ]))
    for kind in _KIND_ORDER:
        members = [(f"u:{u.pk}", u.name) for u in units if u.kind == kind]
        if members:
            choices.append((str(UnitKind(kind).label), members))
    return choices


class AgencyField(forms.MultipleChoiceField):
    widget = forms.SelectMultiple(attrs={"class": "agency-picker", "size": 8})


class TaskForm(BoundedForm, forms.Form):
    nodes = forms.MultipleChoiceField(
        label=_("Nội dung chỉ số"), widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"required": _("Chọn ít nhất một nội dung chỉ số."),
                        "invalid_choice": _("Nội dung chỉ số “%(value)s” không có trong các lựa chọn của kế hoạch.")},
    )
    number = forms.CharField(label=_("TT"), max_length=20, required=False)
    content = forms.CharField(label=_("Nhiệm vụ, giải pháp"), widget=forms.Textarea(attrs={"rows": 3}))
    target = forms.CharField(label=_("Chỉ tiêu"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    lead = AgencyField(label=_("Cơ quan chủ trì"), error_messages={
        "required": _("Chọn ít nhất một cơ quan chủ trì."),
        "invalid_choice": _("Đơn vị “%(value)s” không có trong các lựa chọn của tỉnh.")})
    coordinating = AgencyField(label=_("Cơ quan phối hợp"), required=False, error_messages={
        "invalid_choice": _("Đơn vị “%(value)s” không có trong các lựa chọn của tỉnh.")})
    monitoring = forms.ChoiceField(label=_("Đơn vị theo dõi"), required=False,
                                   help_text=_("Khi kế hoạch giao một đơn vị chủ trì theo dõi nhiệm vụ."))
    schedule_text = forms.CharField(
        label=_("Thời gian thực hiện"), max_length=300, required=False,
        help_text=_("Ví dụ: Thường xuyên; Năm 2025; Quý III và Quý IV; Trước ngày 15/7/2025."),
    )
    due_date = forms.DateField(label=_("Hạn hoàn thành (nếu khác)"), required=False,
                               widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}))
    outputs = forms.CharField(label=_("Sản phẩm, kết quả"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, plan: Plan, units: list[Unit], groups: list[UnitGroup], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self._units = {str(u.pk): u for u in units}
        self._groups = {str(g.pk): g for g in groups}
        frameworks: list[Framework] = list(plan.frameworks.all())
        nodes = list(Node.objects.filter(framework__in=frameworks).order_by("framework__index", "position"))
        self._nodes = {str(n.pk): n for n in nodes}
        node_choices: list[tuple[str, Any]] = []
        for framework in frameworks:
            node_choices.append((framework.name_vi, [
                (str(n.pk), f"{'  ' * n.depth}{n.code}. {n.name_vi}") for n in nodes if n.framework_id == framework.pk
            ]))
        cast(forms.ChoiceField, self.fields["nodes"]).choices = node_choices
        choices = agency_choices(units, groups)
        cast(forms.ChoiceField, self.fields["lead"]).choices = choices
        cast(forms.ChoiceField, self.fields["coordinating"]).choices = choices
        cast(forms.ChoiceField, self.fields["monitoring"]).choices = [("", "—")] + [(str(u.pk), u.name) for u in units]

    def clean_nodes(self) -> list[Node]:
        return [self._nodes[p] for p in self.cleaned_data["nodes"]]

    def _split(self, values: list[str]) -> tuple[list[Unit], list[UnitGroup]]:
        units = [self._units[v[2:]] for v in values if v.startswith("u:") and v[2:] in self._units]
        groups = [self._groups[v[2:]] for v in values if v.startswith("g:") and v[2:] in self._groups]
        return units, groups

    def clean_lead(self) -> tuple[list[Unit], list[UnitGroup]]:
        units, groups = self._split(self.cleaned_data["lead"])
        if not units and not groups:
            raise forms.ValidationError(_("Chọn ít nhất một cơ quan chủ trì."))
        return units, groups

    def clean_coordinating(self) -> tuple[list[Unit], list[UnitGroup]]:
        return self._split(self.cleaned_data.get("coordinating") or [])

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lead = cleaned.get("lead")
        coordinating = cleaned.get("coordinating")
        if lead and coordinating:
            both = set(lead[0]) & set(coordinating[0])
            if both:
                self.add_error("coordinating", _("%(units)s đã là cơ quan chủ trì.")
                               % {"units": ", ".join(u.name for u in both)})
        return cleaned

    def task_data(self, task: Task | None = None) -> TaskData:
        data = self.cleaned_data
        lead_units, lead_groups = data["lead"]
        coordinating_units, coordinating_groups = data["coordinating"]
        return TaskData(
            content=data["content"].strip(), nodes=data["nodes"], lead_units=lead_units, lead_groups=lead_groups,
            coordinating_units=coordinating_units, coordinating_groups=coordinating_groups,
            target=data["target"].strip(), schedule_text=data["schedule_text"].strip(),
            outputs=data["outputs"].strip(), notes=data["notes"].strip(), number=data["number"].strip(),
            group_heading=task.group_heading if task else "", due_date=data["due_date"],
            order=task.order if task else None, monitoring_unit=self._units.get(data["monitoring"]),
        )

    @staticmethod
    def initial_for(task: Task) -> dict[str, Any]:
        return {
            "nodes": [str(n.pk) for n in task.nodes.all()], "number": task.number, "content": task.content,
            "target": task.target,
            "lead": [f"u:{u.pk}" for u in task.lead_units.all()] + [f"g:{g.pk}" for g in task.lead_groups.all()],
            "coordinating": [f"u:{u.pk}" for u in task.coordinating_units.all()]
            + [f"g:{g.pk}" for g in task.coordinating_groups.all()],
            "schedule_text": task.schedule_text, "outputs": task.outputs, "notes": task.notes,
            "monitoring": str(task.monitoring_unit_id or ""),
            "due_date": task.fixed_due_date,
            "lock_version": task.lock_version,
        }


class PlanForm(BoundedForm, forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    recipients_text = forms.CharField(
        label=_("Nơi nhận"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng một nơi nhận."),
    )

    class Meta:
        model = Plan
        fields = [
            "issuer", "issuer_parent", "number", "symbol", "place", "issued_on", "title", "period_text",
            "period_start", "period_end", "frameworks", "legal_basis", "preamble", "purpose", "body",
            "implementation", "funding", "signer_on_behalf", "signer_capacity", "signer_title", "signer_name",
            "unit_plans_due", "replaces",
        ]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "legal_basis": forms.Textarea(attrs={"rows": 3}),
            "preamble": forms.Textarea(attrs={"rows": 4}),
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "body": forms.Textarea(attrs={"rows": 4}),
            "implementation": forms.Textarea(attrs={"rows": 4}),
            "funding": forms.Textarea(attrs={"rows": 2}),
            "frameworks": forms.SelectMultiple(attrs={"size": 6}),
            "replaces": forms.SelectMultiple(attrs={"size": 4}),
            "issued_on": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
            "period_start": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
            "period_end": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
            "unit_plans_due": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
        }

    # A unit's plan takes its frameworks and deadline from the province plan it implements, and cannot
    # replace plans: those belong to the province's own plans. The parent link is set only by deriving.
    PROVINCE_ONLY_FIELDS = ("frameworks", "unit_plans_due", "replaces")

    def __init__(self, *args: Any, user: Any, province_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.instance.parent_id:
            for name in self.PROVINCE_ONLY_FIELDS:
                del self.fields[name]
        else:
            cast(forms.ModelChoiceField, self.fields["frameworks"]).queryset = Framework.objects.visible_to(user)
            self.fields["frameworks"].required = True
            self.fields["frameworks"].error_messages["required"] = _("Chọn ít nhất một bộ chỉ số.")
            cast(forms.ModelChoiceField, self.fields["replaces"]).queryset = Plan.objects.filter(
                province_id=province_id, parent__isnull=True).exclude(pk=self.instance.pk)
        if self.instance.pk:
            self.fields["recipients_text"].initial = "\n".join(self.instance.recipients)
            self.fields["lock_version"].initial = self.instance.lock_version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        cleaned["recipients"] = [line.strip(" -;") for line in (cleaned.get("recipients_text") or "").splitlines()
                                 if line.strip(" -;")]
        return cleaned

    def save(self, commit: bool = True) -> Plan:
        plan = super().save(commit=False)
        plan.recipients = self.cleaned_data["recipients"]
        if commit:
            plan.save()
            self.save_m2m()
        return plan


class AppendixFilterForm(BoundedForm, forms.Form):
    unit = forms.ChoiceField(label=_("Đơn vị"), required=False, widget=QuickSelect)
    node = forms.ChoiceField(label=_("Nội dung chỉ số"), required=False, widget=QuickSelect)
    schedule = forms.ChoiceField(label=_("Thời gian"), required=False, widget=QuickSelect)
    q = forms.CharField(label=_("Tìm"), required=False)

    def __init__(self, *args: Any, unit_choices: list[tuple[str, str]], node_choices: list[tuple[str, str]],
                 **kwargs: Any):
        """The choices as plans.appendix.appendix_filter_choices gives them."""
        from chiso.plans.models import ScheduleKind

        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [("", _("Tất cả đơn vị")), *unit_choices]
        cast(forms.ChoiceField, self.fields["node"]).choices = [("", _("Tất cả nội dung")), *node_choices]
        cast(forms.ChoiceField, self.fields["schedule"]).choices = [("", _("Mọi thời hạn"))] + list(ScheduleKind.choices)


class IssueForm(forms.Form):
    """What an issued plan must carry: its number and the date it was signed (Decree 30/2020/NĐ-CP). A plan
    that already has them is issued as it stands."""

    number = forms.CharField(label=_("Số văn bản"), max_length=20, required=False,
                             help_text=_("Phần số trước ký hiệu, ví dụ 154 trong 154/KH-UBND."))
    issued_on = forms.DateField(label=_("Ngày ban hành"), required=False, widget=forms.DateInput(format="%d/%m/%Y"),
                                help_text=_("Ngày ký, dạng ngày/tháng/năm."))

    def __init__(self, data: Any = None, *, plan: Any, initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial=initial)
        self.plan = plan
        self.fields["number"].required = not plan.number
        self.fields["issued_on"].required = not plan.issued_on
        if plan.number:
            self.fields["number"].widget = forms.HiddenInput()
        if plan.issued_on:
            self.fields["issued_on"].widget = forms.HiddenInput()

    def clean_number(self) -> str:
        number = self.cleaned_data.get("number", "").strip()
        if number and not number.replace(".", "").isalnum():
            raise forms.ValidationError(_("Số văn bản chỉ gồm chữ số (và chữ cái), ví dụ 154."))
        return number
