"""What the API returns: plain pydantic shapes (django-ninja Schemas) read from model instances.

Field names are English (machines read them); labels of statuses are given beside the codes in Vietnamese."""


import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema


class UnitRef(Schema):
    id: int
    code: str
    name: str
    short_name: str
    kind: str


class UnitOut(UnitRef):
    province_id: int
    parent_id: int | None
    is_active: bool


class UnitGroupOut(Schema):
    id: int
    name: str
    aliases: list[str]
    kinds: list[str]
    scope: str


class NodeOut(Schema):
    id: int
    code: str
    name_vi: str
    name_en: str
    depth: int
    parent_id: int | None
    max_points: Decimal | None
    unit: str
    scoring: str
    source: str
    confidence: str


class FrameworkOut(Schema):
    id: int
    index: str
    slug: str
    name_vi: str
    version: str
    valid_from: int | None
    valid_to: int | None
    unit: str
    total_max: Decimal | None
    province_id: int | None


class FrameworkDetail(FrameworkOut):
    levels: list[Any]
    sources: list[Any]
    nodes: list[NodeOut]


class TargetOut(Schema):
    id: int
    text: str
    index: str
    node_id: int | None
    kind: str
    comparator: str
    value: Decimal | None
    value_text: str
    year: int | None


class RuleOut(Schema):
    id: int
    kind: str
    day: int | None
    month: int | None
    text: str


class PlanOut(Schema):
    id: int
    province_id: int
    owner_unit_id: int
    parent_id: int | None
    issuer: str
    number: str
    symbol: str
    reference: str
    place: str
    issued_on: dt.date | None
    title: str
    period_text: str
    period_start: dt.date | None
    period_end: dt.date | None
    status: str
    is_public: bool
    updated_at: dt.datetime
    lock_version: int


class PlanDetail(PlanOut):
    issuer_parent: str
    legal_basis: str
    purpose: str
    implementation: str
    funding: str
    unit_plans_due: dt.date | None
    framework_ids: list[int]
    targets: list[TargetOut]
    reporting_rules: list[RuleOut]

    @staticmethod
    def resolve_framework_ids(obj: Any) -> list[int]:
        return [f.pk for f in obj.frameworks.all()]


class NodeRef(Schema):
    id: int
    code: str
    name_vi: str
    framework_id: int


class TaskOut(Schema):
    id: int
    plan_id: int
    order: int
    number: str
    content: str
    target: str
    lead_text: str
    coordinating_text: str
    schedule_text: str
    schedule_kind: str
    due_date: dt.date | None
    outputs: str
    nodes: list[NodeRef]
    lead_units: list[UnitRef]
    lead_group_ids: list[int]
    coordinating_unit_ids: list[int]
    updated_at: dt.datetime


class AssignmentState(Schema):
    status: str | None
    status_label: str
    done_on: dt.date | None
    done_late: bool
    closed: bool
    overdue: bool


class AssignmentOut(Schema):
    id: int
    task_id: int
    plan_id: int
    unit: UnitRef
    due_date: dt.date | None
    state: AssignmentState


class TaskPage(Schema):
    items: list[TaskOut]
    count: int


class AssignmentPage(Schema):
    items: list[AssignmentOut]
    count: int


class PeriodOut(Schema):
    id: int
    plan_id: int
    kind: str
    label: str
    start: dt.date
    end: dt.date
    due_date: dt.date


class EvidenceOut(Schema):
    id: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    # Marked by Sở Nội vụ for the plan's public page (chiso.public.evidence): downloadable there without login.
    is_public: bool


class LineOut(Schema):
    id: int
    assignment_id: int | None
    task_id: int | None
    status: str
    status_label: str
    reason: str
    progress: int
    work_done: str
    indicator_value: Decimal | None
    completed_on: dt.date | None
    lock_version: int
    updated_at: dt.datetime
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_task_id(obj: Any) -> int | None:
        return obj.assignment.task_id if obj.assignment_id else None

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_evidence(obj: Any) -> list[Any]:
        # Removed files stay for the versions already sent, not in the live report.
        return [e for e in obj.evidence.all() if e.removed_at is None]


class VersionOut(Schema):
    number: int
    submitted_at: dt.datetime
    outcome: str
    review_comment: str
    reviewed_at: dt.datetime | None


class ReportOut(Schema):
    id: int
    period_id: int
    plan_id: int
    unit: UnitRef
    status: str
    status_label: str
    version_count: int
    first_submitted_at: dt.datetime | None
    submitted_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    updated_at: dt.datetime
    lock_version: int

    @staticmethod
    def resolve_plan_id(obj: Any) -> int:
        return int(obj.period.plan_id)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


class ReportDetail(ReportOut):
    summary: str
    review_comment: str
    lines: list[LineOut]
    versions: list[VersionOut]


class LineIn(Schema):
    """A report line as the unit's form sends it; lock_version is the one the client read."""

    status: str
    reason: str = ""
    progress: int = 0
    work_done: str = ""
    indicator_value: Decimal | None = None
    completed_on: dt.date | None = None
    lock_version: int


class ScoreOut(Schema):
    node_id: int
    code: str
    value: Decimal

    @staticmethod
    def resolve_code(obj: Any) -> str:
        return str(obj.node.code)


class ResultOut(Schema):
    id: int
    index: str
    framework_id: int
    year: int
    province_id: int
    province: str
    unit_id: int | None
    total: Decimal | None
    rank: int | None
    rank_of: int | None
    group: int | None
    source: str
    origin: str
    updated_at: dt.datetime

    @staticmethod
    def resolve_index(obj: Any) -> str:
        return str(obj.framework.index)

    @staticmethod
    def resolve_province(obj: Any) -> str:
        return str(obj.province.name)


class AnalysisRow(Schema):
    code: str
    name: str
    depth: int
    score: Decimal | None
    max_points: Decimal | None
    previous: Decimal | None
    change: Decimal | None
    rank: int | None
    median: Decimal | None
    flags: list[str]


class AnalysisOut(Schema):
    total: Decimal | None
    computed_total: Decimal | None
    previous_total: Decimal | None
    change: Decimal | None
    rank: int | None
    rank_published: bool
    rank_of: int | None
    previous_rank: int | None
    group: int | None
    rows: list[AnalysisRow]


class ResultDetail(ResultOut):
    scores: list[ScoreOut]
    analysis: AnalysisOut


class ImportOut(Schema):
    results: int
    scores: int


class EmulationRow(Schema):
    unit: UnitRef
    tasks: int
    tasks_on_time: int
    tasks_late: int
    reports: int
    reports_on_time: int
    reports_late: int
    task_rate: Decimal | None
    report_rate: Decimal | None
    score: Decimal | None
    rank: int | None


class EmulationOut(Schema):
    province_id: int
    year: int
    as_of: dt.date
    years: list[int]
    task_weight: int
    report_weight: int
    rows: list[EmulationRow]


class OpenResultRow(Schema):
    index: str
    year: int
    province_code: str
    province: str
    node_code: str
    node_name: str
    value: Decimal | None
    rank: int | None
    rank_of: int | None
    group: int | None
    source: str


class OpenDataOut(Schema):
    licence: str
    sources: str
    count: int
    rows: list[OpenResultRow]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None
