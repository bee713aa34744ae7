"""The form fuzzer: every view that accepts POST, as each role that may post to it, gets Hypothesis-made
values for every field of its form — huge and negative numbers, far dates, long and odd Unicode, NUL, wrong
types, missing and repeated fields, junk files. The answer is never a server error, and a refusal (4xx)
changes no row anywhere (nothing half-saved).

Each example runs in a transaction rolled back afterwards, so every example starts from the demo province.
CHISO_FUZZ_EXAMPLES sets the examples per view (200 by default, as in CI). The walk of the URL resolver
fails the suite when a view is neither fuzzed here nor listed as read-only (READ_ONLY), and each read-only
view is posted to once to show it writes nothing."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chiso.accounts.forms import (
    AccountForm,
    ChangePasswordForm,
    CoordinatorForm,
    SignInForm,
)
from chiso.accounts.invitations import make_token
from chiso.accounts.models import User
from chiso.accounts.second_factor_forms import CodeForm
from chiso.api.forms import PersonalTokenForm, SystemTokenForm
from chiso.api.models import ApiWrite, RequestCount
from chiso.api.schemas import LineIn
from chiso.api.tokens import create_personal_token
from chiso.documents.importing.forms import (
    ConfirmForm,
    HeaderForm,
    NewUnitForm,
    RereadForm,
    RowForm,
    SplitForm,
    UploadForm,
    VersionForm,
)
from chiso.documents.models import PlanImport
from chiso.frameworks.forms import CopyFrameworkForm, FrameworkForm, NodeForm
from chiso.frameworks.models import Framework
from chiso.frameworks.services import copy_framework
from chiso.monitoring.models import Evidence, Notification, ReportVersion, UnitReport
from chiso.monitoring.reports.forms import EmulationWeightsForm, LineForm, PeriodForm, ReviewForm, SummaryForm
from chiso.orgs.forms import UnitForm
from chiso.plans.forms import PlanForm, TaskForm
from chiso.plans.models import Plan
from chiso.plans.services import derive_unit_plan
from chiso.results.forms import ImportForm, ResultForm
from chiso.results.models import Result
from chiso.unitindex.forms import (
    AnswerForm,
    AppraisalForm,
    AssignForm,
    BonusPenaltyForm,
    CriterionForm,
    PickEvidenceForm,
    PublishForm,
    ReopenForm,
    RoundForm,
    SelfScoreForm,
    TreeUploadForm,
)
from chiso.unitindex.models import Method, Participant, Round
from chiso.unitindex.views.trees import PREVIEW_FIELDS
from tests.conftest import USERNAMES
from tests.monitoring_helpers import minhxuan_report, pdf_bytes, quarter_three

EXAMPLES = int(os.environ.get("CHISO_FUZZ_EXAMPLES", "200"))
MANAGERS = ("admin", "coordinator")
# Views that only read: a POST to them is answered like a GET (or 405) and must write nothing.
READ_ONLY = {
    "home", "accounts:password_change_done", "plans:plan_list", "plans:my_tasks", "plans:plan_detail",
    "plans:plan_appendix", "plans:plan_history", "plans:task_detail", "frameworks:framework_list",
    "frameworks:framework_detail", "frameworks:node_history", "orgs:unit_list", "results:overview",
    "results:result_template", "results:result_detail", "results:result_whatif", "results:province_results",
    "results:plan_coverage", "monitoring:index", "monitoring:plan_dashboard", "monitoring:my_unit_dashboard",
    "monitoring:unit_dashboard", "monitoring:emulation_ranking", "monitoring:index_overview",
    "monitoring:task_progress", "monitoring:period_list", "monitoring:period_detail", "monitoring:report_detail",
    "monitoring:version_detail", "monitoring:line_row", "monitoring:evidence_download", "documents:plan_docx",
    "documents:plan_xlsx", "documents:period_report", "documents:unit_report", "documents:unit_report_version",
    "documents:import_preview", "documents:import_row", "documents:import_original",
    "accounts:account_list",
    "accounts:second_factor",
    "accounts:recovery_codes",
    "accounts:recovery_codes_download",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
    "monitoring:leadership_home",
    "documents:chase_letter",
    "documents:import_progress",
    "ops:healthz",
    "public:open_data",
    "public:open_data_csv",
    "public:open_data_json",
    "public:plan",
    "public:plan_qr",
    "public:evidence_download",
    "unitindex:index",
    "unitindex:round_detail",
    "unitindex:round_file",
    "unitindex:sheet_detail",
    "unitindex:sheet_file",
    "unitindex:dossier_detail",
    "unitindex:dossier_download",
    "unitindex:evidence_download",
    "unitindex:unit_years",
    "unitindex:tree_list",
    "unitindex:tree_detail",
    "api:api-root",
    "api:openapi-json",
    "api:openapi-view",
    "api:framework_list",
    "api:framework_detail",
    "api:unit_list",
    "api:unit_group_list",
    "api:plan_list",
    "api:plan_detail",
    "api:task_list",
    "api:assignment_list",
    "api:period_list",
    "api:report_list",
    "api:report_detail",
    "api:result_list",
    "api:result_detail",
    "api:emulation",
    "api:open_data",
}


@dataclass
class World:
    """The objects the fuzzed URLs point at, made once per view from the demo province."""

    plan: Plan
    draft: Plan
    framework: Framework
    report: UnitReport
    result: Result
    plan_import: PlanImport
    evidence: Evidence
    ids: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)


def _fields(*form_classes: type[forms.BaseForm], extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    names: list[str] = []
    for form_class in form_classes:
        names += [n for n in getattr(form_class, "base_fields", {}) if n not in names]
        names += [n for n in getattr(getattr(form_class, "Meta", None), "fields", []) or [] if n not in names]
    return tuple(names) + extra


@dataclass(frozen=True)
class Target:
    roles: tuple[str, ...]
    fields: tuple[str, ...]
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    files: tuple[str, ...] = ()
    # An API endpoint: "post" (multipart, as a form) or "put-json" (a JSON body), with a personal key per role.
    api: str = ""


def _report(w: World) -> dict[str, Any]:
    return {"pk": w.report.pk}


def _line(w: World) -> dict[str, Any]:
    return {"pk": w.report.pk, "line_pk": w.ids["line"]}


def _round(w: World) -> dict[str, Any]:
    return {"pk": w.ids["index_round"]}


def _sheet(w: World) -> dict[str, Any]:
    return {"pk": w.ids["index_sheet"]}


def _entry(w: World) -> dict[str, Any]:
    return {"pk": w.ids["index_entry"]}


def _row(w: World) -> dict[str, Any]:
    return {"pk": w.plan_import.pk, "key": w.plan_import.rows[0]["key"]}


def _sent(plan: Plan) -> Plan:
    """The unit plan as the leader sent it, so that returning and accepting it are possible."""
    Plan.objects.filter(pk=plan.pk).update(status="submitted", submitted_at=dt.datetime.now(dt.UTC))
    return plan


def _put_to_leader(plan: Plan) -> Plan:
    """The unit plan waiting for the leader, so that the leader may hand it back."""
    Plan.objects.filter(pk=plan.pk).update(approval_requested_at=dt.datetime.now(dt.UTC))
    return plan


TARGETS: dict[str, Target] = {
    "accounts:login": Target(("anonymous",), _fields(SignInForm, extra=("next",))),
    "accounts:logout": Target(("viewer", "focal_point"), ("next",)),
    "accounts:password_change": Target(("viewer", "coordinator"), _fields(ChangePasswordForm)),
    "set_language": Target(("anonymous", "viewer"), ("language", "next")),
    "plans:plan_create": Target(MANAGERS, _fields(PlanForm, extra=("recipients_text",))),
    "plans:plan_edit": Target(MANAGERS, _fields(PlanForm, extra=("recipients_text", "lock_version")),
                              lambda w: {"pk": w.plan.pk}),
    "plans:plan_issue": Target(MANAGERS, ("confirm", "lock_version"), lambda w: {"pk": w.plan.pk}),
    "plans:plan_submit": Target(("leader", "focal_point"), ("lock_version",), lambda w: {"pk": w.draft.pk}),
    "plans:plan_return": Target(MANAGERS, ("comment", "lock_version"), lambda w: {"pk": _sent(w.draft).pk}),
    "plans:plan_request_approval": Target(("focal_point", "leader"), ("lock_version",), lambda w: {"pk": w.draft.pk}),
    "plans:plan_return_to_focal_point": Target(("leader", "focal_point"), ("comment", "lock_version"),
                                               lambda w: {"pk": _put_to_leader(w.draft).pk}),
    "plans:plan_accept": Target(MANAGERS, ("number", "issued_on", "lock_version"),
                                lambda w: {"pk": _sent(w.draft).pk}),
    "plans:plan_derive": Target(("focal_point", "leader"), ("unit",), lambda w: {"pk": w.plan.pk}),
    "plans:task_create": Target(MANAGERS, _fields(TaskForm), lambda w: {"pk": w.plan.pk}),
    "plans:task_edit": Target(MANAGERS, _fields(TaskForm), lambda w: {"pk": w.plan.pk, "task_pk": w.ids["task"]}),
    "plans:task_delete": Target(MANAGERS, ("lock_version",), lambda w: {"pk": w.draft.pk, "task_pk": w.ids["draft_task"]}),
    "frameworks:framework_create": Target(MANAGERS, _fields(FrameworkForm)),
    "frameworks:framework_edit": Target(MANAGERS, _fields(FrameworkForm), lambda w: {"pk": w.framework.pk}),
    "frameworks:framework_copy": Target(MANAGERS, _fields(CopyFrameworkForm), lambda w: {"pk": w.framework.pk}),
    "frameworks:node_create": Target(MANAGERS, _fields(NodeForm), lambda w: {"pk": w.framework.pk}),
    "frameworks:node_edit": Target(MANAGERS, _fields(NodeForm),
                                   lambda w: {"pk": w.framework.pk, "node_pk": w.ids["node"]}),
    "orgs:unit_import": Target(MANAGERS, (), files=("file",)),
    "orgs:unit_create": Target(MANAGERS, _fields(UnitForm)),
    "orgs:unit_edit": Target(MANAGERS, _fields(UnitForm), lambda w: {"pk": w.ids["unit"]}),
    "results:result_create": Target(MANAGERS, _fields(ResultForm, extra=("framework", "year", "province", "unit"))),
    "results:result_edit": Target(MANAGERS, _fields(ResultForm, extra=("node_1", "node_2")),
                                  lambda w: {"pk": w.result.pk}),
    "results:result_import": Target(MANAGERS, _fields(ImportForm), files=("file",)),
    "results:insert_into_plan": Target(MANAGERS, ("plan", "lock_version"), lambda w: {"pk": w.result.pk}),
    "results:plan_copy_task": Target(MANAGERS, ("task", "code", "index"), lambda w: {"plan_pk": w.plan.pk}),
    "monitoring:notification_list": Target(("focal_point", "coordinator"), ("read",)),
    "monitoring:emulation_weights": Target(MANAGERS, _fields(EmulationWeightsForm)),
    "monitoring:period_generate": Target(MANAGERS, ("confirm",), lambda w: {"plan_pk": w.plan.pk}),
    "monitoring:period_create": Target(MANAGERS, _fields(PeriodForm), lambda w: {"plan_pk": w.plan.pk}),
    "monitoring:period_edit": Target(MANAGERS, _fields(PeriodForm), lambda w: {"pk": w.ids["period"]}),
    "monitoring:period_delete": Target(MANAGERS, ("lock_version",), lambda w: {"pk": w.ids["period"]}),
    "monitoring:unit_report": Target(("focal_point", "leader"), ("carry_forward",),
                                     lambda w: {"period_pk": w.ids["period"]}),
    "monitoring:report_summary": Target(("focal_point",), _fields(SummaryForm), _report),
    "monitoring:report_submit": Target(("leader",), ("lock_version",), _report),
    "monitoring:report_accept": Target(MANAGERS, _fields(ReviewForm, extra=("lock_version",)), _report),
    "monitoring:report_return": Target(MANAGERS, _fields(ReviewForm, extra=("lock_version",)), _report),
    "monitoring:line_edit": Target(("focal_point",), _fields(LineForm), _line),
    "monitoring:evidence_upload": Target(("focal_point",), (), _line, files=("file",)),
    "monitoring:evidence_remove": Target(("focal_point",), ("lock_version",), lambda w: {"pk": w.evidence.pk}),
    "monitoring:evidence_publish": Target(MANAGERS, ("public",), lambda w: {"pk": w.evidence.pk}),
    "documents:import_start": Target(("coordinator", "focal_point"), _fields(UploadForm), files=("file",)),
    "documents:import_header": Target(("coordinator",), _fields(HeaderForm), lambda w: {"pk": w.plan_import.pk}),
    "documents:import_row_edit": Target(("coordinator",), _fields(RowForm), _row),
    "documents:import_row_split": Target(("coordinator",), _fields(SplitForm), _row),
    "documents:import_row_merge": Target(("coordinator",), _fields(VersionForm), _row),
    "documents:import_row_delete": Target(("coordinator",), _fields(VersionForm), _row),
    "documents:import_unreadable_promote": Target(("coordinator",), _fields(VersionForm),
                                                  lambda w: {"pk": w.plan_import.pk, "key": w.ids["unreadable"]}),
    "documents:import_new_unit": Target(("coordinator",), _fields(NewUnitForm), lambda w: {"pk": w.plan_import.pk}),
    "documents:import_confirm": Target(("coordinator",), _fields(ConfirmForm), lambda w: {"pk": w.plan_import.pk}),
    "documents:import_cancel": Target(("coordinator",), ("lock_version",), lambda w: {"pk": w.plan_import.pk}),
    "documents:import_reread": Target(("coordinator",), _fields(RereadForm, extra=("lock_version",)),
                                      lambda w: {"pk": w.plan_import.pk}),
    "accounts:account_create": Target(MANAGERS, _fields(AccountForm)),
    "accounts:account_edit": Target(MANAGERS, _fields(AccountForm), lambda w: {"pk": w.ids["account"]}),
    "accounts:account_import": Target(MANAGERS, ("preview",), files=("file",)),
    "accounts:account_set_active": Target(MANAGERS, ("active",), lambda w: {"pk": w.ids["account"]}),
    "accounts:account_reset": Target(MANAGERS, (), lambda w: {"pk": w.ids["account"]}),
    "accounts:province_coordinator_create": Target(("admin",), _fields(CoordinatorForm)),
    "accounts:second_factor_sign_in": Target(("anonymous", "coordinator"), _fields(CodeForm)),
    "accounts:second_factor_enable": Target(MANAGERS, _fields(CodeForm)),
    "accounts:recovery_codes_regenerate": Target(MANAGERS, ("regenerate-code",)),
    "accounts:second_factor_turn_off": Target(MANAGERS, ("turn_off-password", "turn_off-code")),
    "accounts:second_factor_reset": Target(("admin", "coordinator", "focal_point"), (),
                                           lambda w: {"pk": w.ids["account"]}),
    "accounts:invitation_accept": Target(("anonymous",), _fields(SetPasswordForm),
                                         lambda w: {"token": w.tokens["invitation"]}),
    "accounts:password_reset": Target(("anonymous",), _fields(PasswordResetForm)),
    "accounts:password_reset_confirm": Target(("anonymous",), _fields(SetPasswordForm),
                                              lambda w: {"uidb64": w.tokens["uid"], "token": w.tokens["reset"]}),
    "monitoring:notification_open": Target(("focal_point",), (), lambda w: {"pk": w.ids["notification"]}),
    "monitoring:period_chase": Target(MANAGERS, ("don-vi",), lambda w: {"pk": w.ids["period"]}),
    "monitoring:report_request_approval": Target(("focal_point",), ("lock_version",), _report),
    "monitoring:report_return_to_focal_point": Target(("leader",), ("comment", "lock_version"), _report),
    "onboarding:groups_reviewed": Target(("coordinator", "focal_point"), ()),
    "api_tokens": Target(("coordinator", "focal_point"), ("kind", *(f"p-{n}" for n in _fields(PersonalTokenForm)),
                                                           *(f"s-{n}" for n in _fields(SystemTokenForm)))),
    "api_token_revoke": Target(("coordinator",), (), lambda w: {"pk": w.ids["api_token"]}),
    "public:plan_publish": Target(MANAGERS, ("public",), lambda w: {"pk": w.plan.pk}),
    "api:own_report": Target(("focal_point", "viewer"), (), lambda w: {"period_id": w.ids["period"]}, api="post"),
    "api:line_update": Target(("focal_point", "leader"), tuple(LineIn.model_fields),
                              lambda w: {"report_id": w.report.pk, "line_id": w.ids["line"]}, api="put-json"),
    "api:evidence_upload": Target(("focal_point",), (), lambda w: {"report_id": w.report.pk, "line_id": w.ids["line"]},
                                  files=("file",), api="post"),
    "api:result_import": Target(MANAGERS, ("framework", "year", "source"), files=("file",), api="post"),
    "unitindex:round_new": Target(MANAGERS, _fields(RoundForm)),
    "unitindex:assign": Target(MANAGERS, _fields(AssignForm), _round),
    "unitindex:publish": Target(MANAGERS, _fields(PublishForm), _round),
    "unitindex:survey": Target(MANAGERS, ("action", "unit_code", "code", "points"), _round, files=("file",)),
    "unitindex:reopen": Target(MANAGERS, _fields(ReopenForm), _sheet),
    "unitindex:bonus_penalty": Target(MANAGERS, _fields(BonusPenaltyForm), _sheet),
    "unitindex:sheet_send": Target(("leader",), ("lock_version",), _sheet),
    "unitindex:sheet_explain": Target(("leader",), ("lock_version",), _sheet),
    "unitindex:sheet_finish": Target(MANAGERS, ("stage", "lock_version"), _sheet),
    "unitindex:dossier_start": Target(("focal_point", "coordinator"), (), _sheet),
    "unitindex:entry_self": Target(("focal_point",), _fields(SelfScoreForm), _entry),
    "unitindex:entry_appraise": Target(MANAGERS, _fields(AppraisalForm), _entry),
    "unitindex:entry_answer": Target(("focal_point",), _fields(AnswerForm), _entry),
    "unitindex:entry_upload": Target(("focal_point",), (), _entry, files=("file",)),
    "unitindex:entry_pick": Target(("focal_point",), _fields(PickEvidenceForm), _entry),
    "unitindex:tree_import": Target(MANAGERS, (*_fields(TreeUploadForm), *PREVIEW_FIELDS, "tree_name", "total",
                                               "bonus_max", "penalty_max", "action", "confirm_maxima"),
                                    files=("file",)),
    "unitindex:tree_copy": Target(MANAGERS, ("year",), lambda w: {"pk": w.ids["index_tree"]}),
    "unitindex:criterion_edit": Target(MANAGERS, _fields(CriterionForm), lambda w: {"pk": w.ids["criterion"]}),
}

ODD_VALUES = [
    "", " ", "\x00", "a\x00b", "99999999999999999999", "-99999999999999999999", "-1", "0", "1", "2147483648",
    "1e308", "NaN", "Infinity", "-0", "0,5", "1.000.000,5", "01/01/0001", "31/12/9999", "29/02/2023",
    "9999-12-31", "2025-13-45", "15/06/2025", "ă" * 40_000, "x" * 1_000_001, "<script>alert(1)</script>",
    "' OR 1=1 --", "=HYPERLINK(\"http://x\")", "true", "on", "u:1", "g:1", "u:99999999", "\u202etxet", "🇻🇳" * 50,
    "\ud7ff\ufffd\U0010ffff", "Nguyễn Thị Hà", "\r\n\r\n", "%s%s%n",
]
scalar = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(max_size=60),
    st.integers().map(str),
    st.integers(min_value=-5, max_value=40_000).map(str),
    st.dates(min_value=dt.date(1, 1, 1)).map(lambda d: d.strftime("%d/%m/") + str(d.year)),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
)
# A field is missing, sent once, or repeated (a list is posted as repeated fields).
value = st.one_of(scalar, st.lists(scalar, min_size=2, max_size=4))
# In a JSON body any type can stand where another is expected (NaN and Infinity make invalid JSON on purpose).
json_value = st.recursive(st.one_of(scalar, st.none(), st.booleans(), st.integers(), st.floats()),
                          lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner,
                                                                                               max_size=3)), max_leaves=6)
junk_file = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.sampled_from(["a.pdf", "a.docx", "a.xlsx", "a.csv", "a.txt", "a.exe", "a.docm", "ảnh.png", "x" * 300]),
    st.one_of(st.binary(max_size=3000), st.sampled_from([b"", pdf_bytes(), b"PK\x03\x04junk", b"\xef\xbb\xbfa;b\n"])),
)


def _world() -> World:
    plan = Plan.objects.get(province__code="tuyen-quang", parent__isnull=True, status="issued")
    focal = User.objects.get(username=USERNAMES["focal_point"])
    draft = derive_unit_plan(plan, focal.unit)
    framework = copy_framework(Framework.objects.get(slug="papi-2021"), province=plan.province, slug="fuzz",
                               version="fuzz", name_vi="PAPI thử nghiệm", valid_from=2025)
    report = minhxuan_report(plan)
    line = report.lines.first()
    coordinator = Client()
    coordinator.force_login(User.objects.get(username=USERNAMES["coordinator"]))
    response = coordinator.post("/van-ban/nhap-ke-hoach/", {"text": FUZZ_PLAN, "frameworks": [
        str(Framework.objects.get(slug="papi-2021").pk)]})
    plan_import = PlanImport.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    focal_client = Client()
    focal_client.force_login(focal)
    focal_client.post(f"/theo-doi/bao-cao/{report.pk}/dong/{line.pk}/minh-chung/",
                      {"file": SimpleUploadedFile("quyet-dinh.pdf", pdf_bytes())})
    account = User.objects.get(username=USERNAMES["other_commune"])
    notification = Notification.objects.create(recipient=focal, event_key="fuzz", kind=Notification._meta.get_field(
        "kind").choices[0][0], title="Nhắc báo cáo", link="/theo-doi/")
    api_token = create_personal_token(User.objects.get(username=USERNAMES["coordinator"]), "Bảng tính", 30)[0]
    tokens = {"invitation": make_token(account), "uid": urlsafe_base64_encode(str(account.pk).encode()),
              "reset": default_token_generator.make_token(account)}
    index_round = Round.objects.filter(province=plan.province, published_at__isnull=True).latest("year")
    sheet = Participant.objects.get(round=index_round, unit=focal.unit)
    entry = sheet.entries.filter(node__criterion__method=Method.SELF).order_by("node__position").first()
    return World(plan=plan, draft=draft, tokens=tokens, framework=framework, report=report,
                 result=Result.objects.filter(province=plan.province).first() or Result.objects.first(),
                 plan_import=plan_import, evidence=Evidence.objects.get(line=line), ids={
                     "line": line.pk, "task": plan.tasks.order_by("order").first().pk,
                     "draft_task": draft.tasks.order_by("order").first().pk,
                     "node": framework.nodes.order_by("position").first().pk, "unit": focal.unit_id,
                     "period": quarter_three(plan).pk, "account": account.pk, "notification": notification.pk,
                     "api_token": api_token.pk, "index_round": index_round.pk, "index_sheet": sheet.pk,
                     "index_entry": entry.pk, "index_tree": sheet.framework_id, "criterion": entry.node.criterion.pk,
                     "unreadable": plan_import.unreadable[0]["key"] if plan_import.unreadable else 999})


FUZZ_PLAN = "\n".join([
    "PHỤ LỤC: NHIỆM VỤ NÂNG CAO CHỈ SỐ PAPI",
    "TT\tNội dung thành phần\tNhiệm vụ, giải pháp\tCơ quan chủ trì\tThời gian thực hiện",
    "1\tTham gia của người dân ở cấp cơ sở\tTuyên truyền Luật Thực hiện dân chủ ở cơ sở\tSở Nội vụ\tThường xuyên",
    "\t\t\tSở Nội vụ\t",
])


def _row_counts() -> tuple[int, ...]:
    """The row count of every table of chiso (accounts included, histories too), in one query: what a
    refusal must leave as it was. The API's write log and its rate-limit counter are left out: they record
    every request, refused ones too, by design."""
    models = [m for m in apps.get_models() if m not in (ApiWrite, RequestCount) and m._meta.app_label in {
        "accounts", "orgs", "frameworks", "plans", "results", "monitoring", "documents", "unitindex", "api",
        "onboarding", "public"}]
    sql = " UNION ALL ".join(f'SELECT {i}, COUNT(*) FROM "{m._meta.db_table}"' for i, m in enumerate(models))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(count for _, count in sorted(cursor.fetchall()))


def _client(role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(User.objects.get(username=USERNAMES[role]))
    return client


def _walk(resolver: URLResolver, namespace: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue  # Django's back office: its own forms and tests; chiso's locking there is tested
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else (
                pattern.namespace or namespace)
            yield from _walk(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_view_is_either_fuzzed_or_known_to_only_read():
    names = set(_walk(get_resolver()))
    unknown = names - set(TARGETS) - READ_ONLY
    assert not unknown, f"views neither fuzzed nor listed as read-only: {sorted(unknown)}"
    assert not (set(TARGETS) | READ_ONLY) - names, "listed views that no longer exist"
    assert not set(TARGETS) & READ_ONLY, "a view is either fuzzed or read-only"


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    # A sign-in with an unknown name still hashes once (against timing attacks): a fast hasher keeps the
    # login view's examples quick; the demo accounts keep their PBKDF2 hashes, which still verify.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 "django.contrib.auth.hashers.PBKDF2PasswordHasher"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(TARGETS))
def test_fuzzed_posts_never_cause_a_server_error_or_a_half_save(name, media):
    target = TARGETS[name]
    world = _world()
    url = reverse(name, kwargs=target.kwargs(world))
    # A field no form knows is sent too: a view ignores it (and views without fields still get varied posts).
    fields = {f: json_value if target.api == "put-json" else value for f in (*target.fields, "unexpected")} | {
        f: junk_file for f in target.files}
    seen: dict[int, int] = {}
    # Every example is rolled back, so each starts from these counts and these signed-in browsers (their
    # cookies are put back after an example that signed in or out).
    clients = {role: Client() if target.api else _client(role) for role in target.roles}
    keys = {role: create_personal_token(User.objects.get(username=USERNAMES[role]), "Khóa thử", 30)[1]
            for role in target.roles if target.api and role != "anonymous"}
    before = _row_counts()
    cookies = {role: clients[role].cookies for role in target.roles}

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large, HealthCheck.large_base_example])
    @given(role=st.sampled_from(target.roles), htmx=st.booleans(),
           data=st.fixed_dictionaries({}, optional=fields))
    def post(role: str, htmx: bool, data: dict[str, Any]) -> None:
        client = clients[role]
        client.cookies = copy.copy(cookies[role])
        with transaction.atomic():
            response = _send(client, target, url, data, htmx, keys.get(role))
            status = response.status_code
            seen[status] = seen.get(status, 0) + 1
            assert status < 500, (name, role, data)
            if status >= 400:
                assert _row_counts() == before, (name, role, status, data)
            transaction.set_rollback(True)

    post()
    assert sum(seen.values()) >= min(EXAMPLES, 10)
    print(f"fuzz {name}: {sum(seen.values())} examples, statuses {dict(sorted(seen.items()))}")


def _send(client: Client, target: Target, url: str, data: dict[str, Any], htmx: bool, key: str | None) -> Any:
    if not target.api:
        return client.post(url, data, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    if target.api == "put-json":
        return client.put(url, json.dumps(data), content_type="application/json", headers=headers)
    return client.post(url, data, headers=headers)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_a_post_to_a_read_only_view_writes_nothing(name, media):
    world = _world()
    version = ReportVersion.objects.filter(report=world.report).first()
    candidates = {"pk": world.plan.pk, "task_pk": world.ids["task"], "node_pk": world.ids["node"],
                  "unit_pk": world.ids["unit"], "plan_pk": world.plan.pk, "index": "papi", "code": "tuyen-quang",
                  "number": version.number if version else 1, "extension": "xlsx", "line_pk": world.ids["line"],
                  "key": world.plan_import.rows[0]["key"], "kind": "xlsx", "framework_id": world.framework.pk,
                  "plan_id": world.plan.pk, "report_id": world.report.pk, "result_id": world.result.pk}
    overrides = {"frameworks:framework_detail": {"pk": world.framework.pk},
                 "frameworks:node_history": {"pk": world.framework.pk},
                 "results:result_detail": {"pk": world.result.pk}, "results:result_whatif": {"pk": world.result.pk},
                 "monitoring:period_detail": {"pk": world.ids["period"]},
                 "documents:period_report": {"pk": world.ids["period"]},
                 "monitoring:report_detail": {"pk": world.report.pk}, "monitoring:version_detail": {"pk": world.report.pk},
                 "monitoring:line_row": {"pk": world.report.pk}, "documents:unit_report": {"pk": world.report.pk},
                 "documents:unit_report_version": {"pk": world.report.pk},
                 "monitoring:evidence_download": {"pk": world.evidence.pk},
                 "documents:import_preview": {"pk": world.plan_import.pk},
                 "documents:import_row": {"pk": world.plan_import.pk},
                 "documents:import_original": {"pk": world.plan_import.pk}}
    url = _reverse_with(name, candidates | overrides.get(name, {}))
    before = _row_counts()
    response = _client("admin").post(url, {"x": "\x00" * 3, "pk": "99999999999999999999"})
    assert response.status_code < 500
    assert _row_counts() == before


def _reverse_with(name: str, candidates: dict[str, Any]) -> str:
    """The view's URL with the fewest of the candidate arguments that make it reverse."""
    for count in range(4):
        for keys in itertools.combinations(candidates, count):
            try:
                return reverse(name, kwargs={k: candidates[k] for k in keys})
            except NoReverseMatch:
                continue
    raise AssertionError(f"cannot reverse {name}")
