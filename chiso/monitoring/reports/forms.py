"""Forms for periods, report lines, evidence and the coordinator's review."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chiso.monitoring.models import EmulationWeights, LineStatus, ReportingPeriod, ReportLine
from chiso.monitoring.reports.evidence import (
    ALLOWED_TEXT,
    CheckedFile,
    EvidenceRejected,
    check_evidence,
    max_bytes,
)
from chiso.monitoring.reports.services import LineData

DATE_WIDGET = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
# Reporting dates outside these years are typing mistakes (01/01/0001), not plans.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class PeriodForm(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ReportingPeriod
        fields = ["label", "start", "end", "due_date"]
        widgets = {"start": DATE_WIDGET, "end": DATE_WIDGET, "due_date": DATE_WIDGET}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["lock_version"].initial = self.instance.lock_version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("start", "end", "due_date"):
            value = cleaned.get(name)
            if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
                self.add_error(name, _("Năm phải từ %(first)s đến %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR})
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("Ngày kết thúc kỳ phải sau ngày bắt đầu."))
        # The database allows one period of a kind per plan and first day; say so instead of failing.
        period = self.instance
        if start and ReportingPeriod.objects.filter(plan_id=period.plan_id, kind=period.kind, start=start).exclude(
                pk=period.pk).exists():
            self.add_error("start", _("Kế hoạch đã có một kỳ báo cáo cùng loại bắt đầu từ ngày này."))
        return cleaned


class LineForm(forms.Form):
    status = forms.ChoiceField(label=_("Tình trạng"), choices=LineStatus.choices)
    reason = forms.CharField(label=_("Lý do (khi chậm hoặc không thực hiện được)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    progress = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100, initial=0, error_messages={
        # Django fills these with %-formatting: the percent sign is doubled.
        "min_value": _("Tiến độ từ 0 đến 100%%."), "max_value": _("Tiến độ từ 0 đến 100%%."),
        "invalid": _("Tiến độ là một số nguyên từ 0 đến 100.")})
    work_done = forms.CharField(label=_("Kết quả thực hiện"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    indicator_value = forms.DecimalField(
        label=_("Giá trị chỉ tiêu đạt được"), required=False, max_digits=12, decimal_places=3, localize=True,
        help_text=_("Khi chỉ tiêu đo được, ví dụ 97,8 (%)."),
        error_messages={"invalid": _("Nhập một số, dùng dấu phẩy thập phân (ví dụ 97,8).")})
    completed_on = forms.DateField(label=_("Ngày hoàn thành"), required=False, widget=DATE_WIDGET)
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        status = cleaned.get("status")
        if status == LineStatus.CANNOT_DO and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Nêu lý do không thực hiện được."))
        if status in (LineStatus.DONE, LineStatus.DONE_LATE):
            cleaned["progress"] = 100
        if status == LineStatus.NOT_STARTED and cleaned.get("progress"):
            self.add_error("progress", _("Nhiệm vụ chưa triển khai thì tiến độ là 0%."))
        if status == LineStatus.NOT_STARTED and cleaned.get("indicator_value") is not None:
            self.add_error("indicator_value", _("Nhiệm vụ chưa triển khai thì chưa có giá trị chỉ tiêu."))
        completed = cleaned.get("completed_on")
        # Whether a task was done on time is judged by this date: without it, "done" would count as on time.
        if status in (LineStatus.DONE, LineStatus.DONE_LATE) and completed is None and "completed_on" not in self.errors:
            self.add_error("completed_on", _("Nhập ngày hoàn thành (dd/mm/yyyy)."))
        if completed is not None and status in (LineStatus.NOT_STARTED, LineStatus.IN_PROGRESS):
            self.add_error("completed_on", _("Nhiệm vụ chưa hoàn thành thì không có ngày hoàn thành."))
        elif completed is not None and completed > timezone.localdate():
            self.add_error("completed_on", _("Ngày hoàn thành không thể sau hôm nay."))
        return cleaned

    def line_data(self) -> LineData:
        data = self.cleaned_data
        return LineData(status=data["status"], reason=data["reason"].strip(), progress=data["progress"] or 0,
                        work_done=data["work_done"].strip(), indicator_value=data["indicator_value"],
                        completed_on=data["completed_on"])

    @staticmethod
    def initial_for(line: ReportLine) -> dict[str, Any]:
        return {"status": line.status, "reason": line.reason, "progress": line.progress, "work_done": line.work_done,
                "indicator_value": line.indicator_value, "completed_on": line.completed_on,
                "lock_version": line.lock_version}


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Tệp minh chứng"), error_messages={
        "required": _("Chọn một tệp để tải lên."), "empty": _("Tệp rỗng.")})

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("%(allowed)s; tối đa %(mb)s MB.") % {
            "allowed": ALLOWED_TEXT, "mb": max_bytes() // (1024 * 1024)}

    def clean_file(self) -> CheckedFile:
        upload = self.cleaned_data["file"]
        try:
            return check_evidence(upload, upload.name)
        except EvidenceRejected as error:
            raise forms.ValidationError(str(error)) from None


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Ý kiến thẩm định"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SummaryForm(forms.Form):
    summary = forms.CharField(label=_("Đánh giá chung"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EmulationWeightsForm(forms.ModelForm):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = EmulationWeights
        fields = ["task_weight", "report_weight", "late_task_credit", "late_report_credit"]
        # Decimal comma: a text box, since a browser's number box drops "0,5" in some locales.
        localized_fields = ["late_task_credit", "late_report_credit"]
        widgets = {name: forms.TextInput(attrs={"inputmode": "decimal", "size": 5})
                   for name in ("late_task_credit", "late_report_credit")}
        error_messages = {
            field: {"invalid": _("Nhập một số, dùng dấu phẩy thập phân (ví dụ 0,5)."),
                    "max_digits": _("Nhập một số từ 0 đến 1, tối đa hai chữ số thập phân."),
                    "max_decimal_places": _("Nhập một số từ 0 đến 1, tối đa hai chữ số thập phân."),
                    "max_whole_digits": _("Nhập một số từ 0 đến 1, tối đa hai chữ số thập phân.")}
            for field in ("late_task_credit", "late_report_credit")
        } | {field: {"invalid": _("Nhập một số nguyên từ 0 đến 100."), "max_value": _("Nhập một số nguyên từ 0 đến 100."),
                     "min_value": _("Nhập một số nguyên từ 0 đến 100.")}
             for field in ("task_weight", "report_weight")}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name in ("task_weight", "report_weight"):
            cast(forms.IntegerField, self.fields[name]).max_value = 100
            self.fields[name].validators.append(MaxValueValidator(100))
        self.fields["lock_version"].initial = self.instance.lock_version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in ("late_task_credit", "late_report_credit"):
            value = cleaned.get(name)
            if value is not None and not 0 <= value <= 1:
                self.add_error(name, _("Nhập một số từ 0 đến 1, tối đa hai chữ số thập phân."))
        # Both weights at 0 is refused by the model's check constraint, with its Vietnamese message.
        return cleaned
