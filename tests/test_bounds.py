"""Every numeric, date and text field is bounded at the model and the form, with a Vietnamese message: dates
in 2000–2100, integers within their column, text no longer than a spreadsheet cell. Each boundary is tried
on both sides: the last value accepted, the first refused, and nothing saved on a refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from openpyxl import Workbook

from chiso.core.bounds import (
    DOCUMENT_TEXT_MAX,
    INT_MAX,
    SMALL_INT_MAX,
    TEXT_MAX,
    XLSX_CELL_MAX,
    bound_field,
    plausible_date,
)
from chiso.documents.exports.xlsx_form import write
from chiso.monitoring.models import ReportLine, UnitReport
from chiso.plans.forms import PlanForm
from chiso.results.models import Result
from tests.conftest import client_for
from tests.form_data import posted
from tests.monitoring_helpers import minhxuan_report

HTMX = {"HTTP_HX_REQUEST": "true"}
# Fields people do not type: set by chiso itself (timestamps, counters, positions), or history of the map.
NOT_TYPED = {"last_login", "date_joined", "submitted_at", "first_submitted_at", "reviewed_at", "read_at",
             "emailed_at", "removed_at", "confirmed_at", "formed_on", "dissolved_on", "email_attempts", "size",
             "version_count", "number", "depth", "position", "order", "lock_version", "body",
             # set by the system at a hand-off, never typed
             "approval_requested_at", "leader_returned_at",
             # the unit index's and the API's hand-offs and jobs, stamped by chiso
             "published_at", "closed_at", "sent_at", "explained_at", "beat_at", "due_at", "last_started_at",
             "revoked_at", "last_used_at",
             # a background job's own error message; an API write's HTTP status
             "error", "status"}


# Every app of chiso's own that stores what people type.
BOUNDED_APPS = {"accounts", "orgs", "frameworks", "plans", "results", "monitoring", "documents", "unitindex", "api",
                "ops", "onboarding"}


def _typed_fields(kind: type[models.Field]) -> list[tuple[str, models.Field]]:
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in BOUNDED_APPS or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, kind) and field.editable and field.name not in NOT_TYPED \
                    and not getattr(field, "auto_now", False) and not getattr(field, "auto_now_add", False):
                found.append((model._meta.label, field))
    return found


@pytest.mark.parametrize(("model", "field"), _typed_fields(models.TextField), ids=lambda v: getattr(v, "name", v))
def test_every_free_text_field_fits_a_spreadsheet_cell(model, field):
    assert field.max_length is not None and field.max_length < XLSX_CELL_MAX
    assert any(isinstance(v, MaxLengthValidator) and v.limit_value == field.max_length for v in field.validators)


@pytest.mark.parametrize(("model", "field"), _typed_fields(models.DateField), ids=lambda v: getattr(v, "name", v))
def test_every_typed_date_is_bounded_to_plausible_years(model, field):
    assert plausible_date in field.validators


@pytest.mark.parametrize(("model", "field"), _typed_fields(models.PositiveSmallIntegerField),
                         ids=lambda v: getattr(v, "name", v))
def test_every_small_integer_fits_its_column(model, field):
    limits = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
    assert field.choices or (limits and min(limits) <= SMALL_INT_MAX)


def _refused(field: forms.Field, value: object) -> list[str]:
    try:
        field.clean(value)
    except ValidationError as error:
        return error.messages
    return []


@pytest.mark.parametrize(("accepted", "refused"), [("01/01/2000", "31/12/1999"), ("31/12/2100", "01/01/2101"),
                                                   ("15/06/2025", "01/01/0001")])
def test_a_form_date_is_accepted_up_to_its_bound_and_refused_past_it(accepted, refused):
    field = forms.DateField(input_formats=["%d/%m/%Y"])
    bound_field(field)
    assert _refused(field, accepted) == []
    assert _refused(field, refused) == ["Năm phải từ 2000 đến 2100."]


def test_a_form_text_is_accepted_up_to_its_length_and_refused_one_past_it():
    field = forms.CharField()
    bound_field(field)
    assert _refused(field, "ă" * TEXT_MAX) == []
    assert _refused(field, "ă" * (TEXT_MAX + 1)) == [f"Nội dung dài tối đa {TEXT_MAX} ký tự (hiện có {TEXT_MAX + 1})."]


def test_a_form_integer_is_accepted_up_to_its_column_and_refused_past_it():
    field = forms.IntegerField(required=False)
    bound_field(field)
    assert _refused(field, str(INT_MAX)) == [] and _refused(field, str(-INT_MAX)) == []
    assert _refused(field, str(INT_MAX + 1)) == [f"Giá trị không được lớn hơn {INT_MAX}."]
    assert _refused(field, "99999999999999999999") == [f"Giá trị không được lớn hơn {INT_MAX}."]
    assert _refused(field, "mười") == ["Nhập một số nguyên."]


def _result_form(result: Result, **changes: str) -> dict[str, object]:
    data: dict[str, object] = {"total": "", "rank": "", "rank_of": "", "group": "", "source": "",
                               "lock_version": result.lock_version}
    for score in result.scores.select_related("node"):
        data[f"node_{score.node_id}"] = str(score.value).replace(".", ",")
    return data | changes


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "value"), [("rank", "99999999999999999999"), ("rank_of", "99999999999999999999"),
                                             ("rank", str(SMALL_INT_MAX + 1)), ("rank_of", "40000"), ("rank", "0")])
def test_a_result_rank_past_its_column_is_refused_with_a_message(name, value):
    result = Result.objects.filter(province__isnull=False).first()
    before = (result.rank, result.rank_of, result.lock_version)
    response = client_for("admin").post(f"/ket-qua/{result.pk}/sua/", _result_form(result, **{name: value}))
    assert response.status_code == 400
    assert "Giá trị không được" in response.content.decode()
    result.refresh_from_db()
    assert (result.rank, result.rank_of, result.lock_version) == before


@pytest.mark.django_db
def test_a_result_rank_at_its_column_limit_is_kept():
    result = Result.objects.filter(province__isnull=False).first()
    response = client_for("admin").post(f"/ket-qua/{result.pk}/sua/",
                                        _result_form(result, rank=str(SMALL_INT_MAX), rank_of=str(SMALL_INT_MAX)))
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.rank == result.rank_of == SMALL_INT_MAX


def _line_form(line: ReportLine, **changes: object) -> dict[str, object]:
    return {"status": "done", "reason": "", "progress": "100", "work_done": "Đã xong", "indicator_value": "",
            "completed_on": "15/09/2025", "lock_version": line.lock_version, **changes}


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "message"), [
    ({"completed_on": "01/01/0001"}, "Năm phải từ 2000 đến 2100."),
    ({"completed_on": "31/12/9999"}, "Năm phải từ 2000 đến 2100."),
    ({"completed_on": "31/12/1999"}, "Năm phải từ 2000 đến 2100."),
    ({"work_done": "x" * (TEXT_MAX + 1)}, f"Nội dung dài tối đa {TEXT_MAX} ký tự"),
    ({"reason": "x" * (TEXT_MAX + 1)}, f"Nội dung dài tối đa {TEXT_MAX} ký tự"),
    ({"progress": "99999999999999999999", "status": "in_progress"}, "Tiến độ từ 0 đến 100%."),
    ({"indicator_value": "1" * 30}, ""),
])
def test_a_report_line_past_a_bound_is_refused_and_nothing_changes(demo_plan, changes, message):
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    response = client_for("focal_point").post(f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/sua/",
                                              _line_form(line, **changes), **HTMX)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ReportLine.objects.get(pk=line.pk).lock_version == line.lock_version


@pytest.mark.django_db
def test_a_report_line_at_its_bounds_is_kept(demo_plan):
    report = minhxuan_report(demo_plan)
    line = report.lines.first()
    response = client_for("focal_point").post(
        f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/sua/",
        _line_form(line, work_done="ư" * TEXT_MAX, completed_on="01/01/2000"), **HTMX)
    assert response.status_code == 200
    line.refresh_from_db()
    assert len(line.work_done) == TEXT_MAX and line.completed_on == dt.date(2000, 1, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(("length", "status"), [(TEXT_MAX, 302), (TEXT_MAX + 1, 400)])
def test_a_report_summary_is_bounded(demo_plan, length, status):
    report = minhxuan_report(demo_plan)
    response = client_for("focal_point").post(f"/theo-doi/bao-cao/{report.pk}/danh-gia-chung/",
                                              {"summary": "a" * length, "lock_version": report.lock_version})
    assert response.status_code == status
    assert len(UnitReport.objects.get(pk=report.pk).summary) == (length if status == 302 else 0)


@pytest.mark.django_db
@pytest.mark.parametrize(("changes", "message"), [
    ({"issued_on": "01/01/0001"}, "Năm phải từ 2000 đến 2100."),
    ({"period_end": "31/12/9999"}, "Năm phải từ 2000 đến 2100."),
    ({"body": "b" * (DOCUMENT_TEXT_MAX + 1)}, f"Nội dung dài tối đa {DOCUMENT_TEXT_MAX} ký tự"),
])
def test_a_plan_past_a_bound_is_refused_and_nothing_changes(demo_plan, changes, message):
    from chiso.accounts.models import User

    admin = User.objects.get(username="quantri")
    form = posted(PlanForm(instance=demo_plan, user=admin, province_id=demo_plan.province_id,
                           initial={"lock_version": demo_plan.lock_version}))
    before = demo_plan.lock_version
    response = client_for("coordinator").post(f"/ke-hoach/{demo_plan.pk}/sua/", form | changes)
    assert response.status_code == 400, response.status_code
    assert message in response.content.decode()
    demo_plan.refresh_from_db()
    assert demo_plan.lock_version == before


def test_an_export_cell_never_cuts_text_silently():
    sheet = Workbook().active
    assert write(sheet, 1, 1, "đ" * XLSX_CELL_MAX).value == "đ" * XLSX_CELL_MAX
    long = write(sheet, 2, 1, "đ" * (XLSX_CELL_MAX + 500)).value
    assert len(long) <= XLSX_CELL_MAX and "không vừa một ô bảng tính" in long


@pytest.mark.django_db
@pytest.mark.parametrize("multiple", [False, True])
def test_a_chosen_id_too_long_for_any_column_is_a_refused_choice_not_an_overflow(multiple):
    from chiso.frameworks.models import Framework

    kind = forms.ModelMultipleChoiceField if multiple else forms.ModelChoiceField
    field = kind(queryset=Framework.objects.all(), required=False)
    bound_field(field)
    huge = "99999999999999999999"
    assert _refused(field, [huge] if multiple else huge)
    known = str(Framework.objects.first().pk)
    assert _refused(field, [known] if multiple else known) == []
