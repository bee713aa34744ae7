"""A synthetic national dataset for measuring the pages at scale: every province of the current map with its
departments and communes, users for each role, several years of issued province plans with their tasks and
assignments, each unit's own plan, quarterly reporting periods and the units' reports (lines, a frozen
version, evidence metadata) — deterministic for a given seed.

Rows are written with bulk_create, one transaction per province, so the national default takes minutes, not
hours. History tables are not filled (nothing was edited) and evidence rows point at files that are not on
disk: the generator measures pages, it does not pretend to be a real province."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import yaml
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from chiso.accounts.models import Role, User
from chiso.frameworks.models import Framework, Node
from chiso.frameworks.services import load_builtin_frameworks
from chiso.monitoring.models import (
    Evidence,
    LineStatus,
    ReportingPeriod,
    ReportLine,
    ReportStatus,
    ReportVersion,
    UnitReport,
)
from chiso.monitoring.reports.services import report_snapshot
from chiso.orgs.models import Province, Unit, UnitGroup, UnitKind
from chiso.orgs.provinces import load_provinces
from chiso.orgs.services import seed_groups
from chiso.plans.models import (
    Assignment,
    Comparator,
    Plan,
    PlanStatus,
    PlanTarget,
    ReportingRule,
    ReportKind,
    ScheduleKind,
    TargetKind,
    Task,
)
from chiso.results.builtin import load_builtin_results

GROUPS_FILE = Path(__file__).resolve().parent.parent / "orgs" / "data" / "groups.yaml"
FRAMEWORKS = {"PAR_INDEX": "par-index-province-2022", "PAPI": "papi-2021", "SIPAS": "sipas-2022"}
DEPARTMENTS = [
    "Sở Nội vụ", "Văn phòng Ủy ban nhân dân tỉnh", "Sở Tài chính", "Sở Tư pháp", "Sở Xây dựng", "Sở Công Thương",
    "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Nông nghiệp và Môi trường", "Sở Khoa học và Công nghệ",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Dân tộc và Tôn giáo", "Thanh tra tỉnh", "Sở Ngoại vụ",
    "Ban Quản lý các khu công nghiệp", "Công an tỉnh", "Bảo hiểm xã hội tỉnh", "Đài Phát thanh và Truyền hình",
    "Ban Dân tộc", "Trung tâm Phục vụ hành chính công",
]
SYLLABLES = ["An", "Bình", "Hòa", "Phú", "Tân", "Thịnh", "Minh", "Quang", "Hưng", "Lộc", "Phúc", "Thành", "Trung",
             "Đông", "Tây", "Nam", "Bắc", "Long", "Sơn", "Hà", "Lâm", "Yên", "Vĩnh", "Xuân", "Thái"]
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
PASSWORD = "chiso-synthetic"
BATCH = 2000


@dataclass
class Sizes:
    provinces: int = 34
    departments: int = 20
    communes: int = 100
    years: int = 5
    last_year: int = 2025
    tasks: int = 150
    unit_plans: bool = True
    # Share of province tasks given to "UBND cấp xã" (every commune), as appendices do for a few rows.
    commune_task_share: float = 0.05


@dataclass
class Counts:
    provinces: int = 0
    units: int = 0
    users: int = 0
    plans: int = 0
    tasks: int = 0
    assignments: int = 0
    periods: int = 0
    reports: int = 0
    lines: int = 0
    evidence: int = 0
    skipped: list[str] = field(default_factory=list)

    def add(self, other: Counts) -> None:
        for name in ("provinces", "units", "users", "plans", "tasks", "assignments", "periods", "reports", "lines",
                     "evidence"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


class DatasetRefused(Exception):
    pass


def database_is_empty() -> bool:
    """No plan and no user: nothing a person entered could be mixed with synthetic rows."""
    return not Plan.objects.exists() and not User.objects.exists()


def generate_national_dataset(sizes: Sizes, seed: int, *, allow_existing: bool = False,
                              as_of: dt.date | None = None,
                              progress: Callable[[str], None] | None = None) -> Counts:
    """Provinces that already have units (a demo, a real province) are left alone and listed as skipped."""
    if not allow_existing and not database_is_empty():
        raise DatasetRefused("database not empty")
    as_of = as_of or timezone.localdate()
    load_builtin_frameworks()
    load_provinces()
    load_builtin_results()
    frameworks = {index: Framework.objects.get(slug=slug, province__isnull=True) for index, slug in FRAMEWORKS.items()}
    nodes = {index: list(Node.objects.filter(framework=fw, depth__gte=1).order_by("position"))
             or list(Node.objects.filter(framework=fw).order_by("position")) for index, fw in frameworks.items()}
    password = make_password(PASSWORD)
    groups = yaml.safe_load(GROUPS_FILE.read_text(encoding="utf-8"))
    total = Counts()
    provinces = list(Province.objects.on_map_in(sizes.last_year).order_by("code")[: sizes.provinces])
    for number, province in enumerate(provinces, start=1):
        if Unit.objects.filter(province=province).exists():
            total.skipped.append(province.code)
            continue
        rng = random.Random(f"{seed}:{province.code}")
        with transaction.atomic():
            counts = _province(province, sizes, rng, frameworks, nodes, password, groups, as_of)
        total.add(counts)
        if progress:
            progress(f"{number}/{len(provinces)} {province.name}: {counts.tasks} tasks, {counts.assignments} "
                     f"assignments, {counts.reports} reports, {counts.lines} lines")
    return total


def _names(rng: random.Random, count: int) -> list[str]:
    pairs = [f"{a} {b}" for a in SYLLABLES for b in SYLLABLES if a != b]
    rng.shuffle(pairs)
    return pairs[:count]


def _units(province: Province, sizes: Sizes, rng: random.Random) -> tuple[Unit, list[Unit], list[Unit]]:
    committee = Unit(province=province, code="ubnd-tinh", name=f"Ủy ban nhân dân {province.designation}",
                     short_name="UBND tỉnh", kind=UnitKind.PROVINCE_COMMITTEE)
    departments = []
    for position in range(sizes.departments):
        base = DEPARTMENTS[position % len(DEPARTMENTS)]
        name = base if position < len(DEPARTMENTS) else f"{base} {position // len(DEPARTMENTS) + 1}"
        departments.append(Unit(province=province, code="so-noi-vu" if position == 0 else f"so-{position:02d}",
                                name=name, kind=UnitKind.DEPARTMENT))
    communes = []
    for position, name in enumerate(_names(rng, sizes.communes)):
        kind = UnitKind.WARD if position % 5 == 0 else UnitKind.COMMUNE
        communes.append(Unit(province=province, code=f"xa-{position:03d}",
                             name=f"{'Phường' if kind == UnitKind.WARD else 'Xã'} {name}", kind=kind))
    Unit.objects.bulk_create([committee, *departments, *communes])
    return committee, departments, communes


def _users(province: Province, committee: Unit, departments: list[Unit], communes: list[Unit],
           password: str) -> list[User]:
    users = [
        User(username=f"dieuphoi.{province.code}", role=Role.COORDINATOR, unit=departments[0], password=password,
             last_name="Điều phối", first_name=province.name),
        User(username=f"lanhdaotinh.{province.code}", role=Role.VIEWER, unit=committee, password=password,
             last_name="Lãnh đạo tỉnh", first_name=province.name),
    ]
    for unit in [*departments, *communes]:
        users.append(User(username=f"daumoi.{province.code}.{unit.code}", role=Role.FOCAL_POINT, unit=unit,
                          password=password, last_name="Đầu mối", first_name=unit.name))
        users.append(User(username=f"lanhdao.{province.code}.{unit.code}", role=Role.LEADER, unit=unit,
                          password=password, last_name="Lãnh đạo", first_name=unit.name))
    User.objects.bulk_create(users, batch_size=BATCH)
    return users


def _due(rng: random.Random, year: int) -> tuple[str, str, dt.date | None]:
    """(schedule kind, wording, due date): most tasks by a quarter's end or a date, some ongoing."""
    draw = rng.random()
    if draw < 0.2:
        return ScheduleKind.ONGOING, "Thường xuyên", None
    if draw < 0.8:
        quarter = rng.randint(1, 4)
        month = quarter * 3
        last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1))
        return ScheduleKind.DATE, f"Quý {ROMAN[quarter]} năm {year}", last
    day = dt.date(year, rng.randint(2, 11), rng.randint(1, 28))
    return ScheduleKind.DATE, f"Trước ngày {day.day}/{day.month}/{year}", day


def _province(province: Province, sizes: Sizes, rng: random.Random, frameworks: dict[str, Framework],
              nodes: dict[str, list[Node]], password: str, groups: list[dict[str, Any]], as_of: dt.date) -> Counts:
    counts = Counts(provinces=1)
    committee, departments, communes = _units(province, sizes, rng)
    counts.units = 1 + len(departments) + len(communes)
    seed_groups(province, groups)
    commune_group = UnitGroup.objects.get(province=province, name="UBND cấp xã")
    users = _users(province, committee, departments, communes, password)
    counts.users = len(users)
    leaders = {u.unit_id: u for u in users if u.role == Role.LEADER and u.unit_id is not None}
    for year in range(sizes.last_year - sizes.years + 1, sizes.last_year + 1):
        plan, rule = _province_plan(province, committee, frameworks, year)
        counts.plans += 1
        tasks = _tasks(plan, year, sizes, rng, nodes, departments, commune_group)
        assignments = _assignments(tasks, communes, commune_group)
        counts.tasks += len(tasks)
        counts.assignments += len(assignments)
        by_unit: dict[int, list[Assignment]] = {}
        for assignment in assignments:
            by_unit.setdefault(assignment.unit_id, []).append(assignment)
        if sizes.unit_plans:
            _unit_plans(plan, by_unit, {u.pk: u for u in [*departments, *communes]}, year, counts)
        periods = _quarters(plan, rule, year)
        counts.periods += len(periods)
        _reports(periods, by_unit, leaders, users[0], rng, as_of, counts)
    return counts


def _province_plan(province: Province, committee: Unit, frameworks: dict[str, Framework],
                   year: int) -> tuple[Plan, ReportingRule]:
    """The province's issued plan of the year, with its three targets and its quarterly reporting rule."""
    plan = Plan.objects.create(
        province=province, owner_unit=committee, issuer=f"ỦY BAN NHÂN DÂN {province.designation.upper()}",
        number=str(100 + year % 100), symbol="KH-UBND", place=province.name, issued_on=dt.date(year, 1, 20),
        title=f"Kế hoạch duy trì, cải thiện và nâng cao Chỉ số CCHC, PAPI, SIPAS năm {year}",
        period_text=f"Năm {year}", period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
        status=PlanStatus.ISSUED, source_note="Dữ liệu tổng hợp (generate_national_dataset)",
        # Published, as the sample plans ask ("công khai ... để người dân theo dõi"): the benchmark measures the
        # public page on it.
        is_public=True,
    )
    plan.frameworks.set(frameworks.values())
    PlanTarget.objects.bulk_create([
        PlanTarget(plan=plan, order=1, text="Chỉ số PAPI nằm trong nhóm trung bình cao trở lên", index="PAPI",
                   kind=TargetKind.GROUP, comparator=Comparator.AT_MOST, value_text="high_avg", year=year - 1),
        PlanTarget(plan=plan, order=2, text="Chỉ số CCHC đạt 85% trở lên", index="PAR_INDEX",
                   kind=TargetKind.PERCENT, comparator=Comparator.AT_LEAST, value=Decimal(85), year=year - 1),
        PlanTarget(plan=plan, order=3, text="Chỉ số SIPAS đạt 85% trở lên", index="SIPAS",
                   kind=TargetKind.PERCENT, comparator=Comparator.AT_LEAST, value=Decimal(85), year=year - 1),
    ])
    rule = ReportingRule.objects.create(plan=plan, kind=ReportKind.QUARTERLY, day=15,
                                        text="Báo cáo quý trước ngày 15 của tháng cuối quý")
    return plan, rule


@dataclass
class _Leads:
    """Whom a generated task goes to: one or two departments, or every commune through the group."""

    node: Node
    departments: list[Unit]
    to_communes: bool


def _tasks(plan: Plan, year: int, sizes: Sizes, rng: random.Random, nodes: dict[str, list[Node]],
           departments: list[Unit], commune_group: UnitGroup) -> list[tuple[Task, _Leads]]:
    """The plan's tasks with their node, lead units and lead group, saved in bulk."""
    indices = list(nodes)
    made: list[tuple[Task, _Leads]] = []
    for order in range(1, sizes.tasks + 1):
        index = indices[order % len(indices)]
        node = rng.choice(nodes[index])
        kind, wording, due = _due(rng, year)
        to_communes = rng.random() < sizes.commune_task_share
        leads = [] if to_communes else rng.sample(departments, 2 if rng.random() < 0.1 else 1)
        task = Task(plan=plan, order=order, number=str(order), group_heading=f"{index} {node.code}",
                    content=f"Thực hiện các giải pháp nâng cao «{node.name_vi[:200]}» ({order}/{year})",
                    lead_text="UBND cấp xã" if to_communes else "; ".join(u.name for u in leads),
                    schedule_text=wording, schedule_kind=kind, due_date=due,
                    outputs="Văn bản triển khai; Báo cáo")
        made.append((task, _Leads(node, leads, to_communes)))
    Task.objects.bulk_create([t for t, _ in made], batch_size=BATCH)
    Task.nodes.through.objects.bulk_create(
        [Task.nodes.through(task_id=t.pk, node_id=lead.node.pk) for t, lead in made], batch_size=BATCH)
    Task.lead_units.through.objects.bulk_create(
        [Task.lead_units.through(task_id=t.pk, unit_id=u.pk) for t, lead in made for u in lead.departments],
        batch_size=BATCH)
    Task.lead_groups.through.objects.bulk_create(
        [Task.lead_groups.through(task_id=t.pk, unitgroup_id=commune_group.pk) for t, lead in made
         if lead.to_communes], batch_size=BATCH)
    return made


def _assignments(tasks: list[tuple[Task, _Leads]], communes: list[Unit], commune_group: UnitGroup) -> list[Assignment]:
    assignments = [Assignment(task=task, unit=unit, due_date=task.due_date,
                              via_group=commune_group if lead.to_communes else None)
                   for task, lead in tasks for unit in (communes if lead.to_communes else lead.departments)]
    Assignment.objects.bulk_create(assignments, batch_size=BATCH)
    return assignments


def _quarters(plan: Plan, rule: ReportingRule, year: int) -> list[ReportingPeriod]:
    periods = []
    for quarter in range(1, 5):
        start = dt.date(year, quarter * 3 - 2, 1)
        end = dt.date(year + (quarter == 4), quarter * 3 % 12 + 1, 1) - dt.timedelta(days=1)
        periods.append(ReportingPeriod(plan=plan, kind=ReportKind.QUARTERLY, rule=rule, start=start, end=end,
                                       label=f"Quý {ROMAN[quarter]}/{year}",
                                       due_date=dt.date(year, quarter * 3, 15)))
    ReportingPeriod.objects.bulk_create(periods)
    return periods


def _unit_plans(parent: Plan, by_unit: dict[int, list[Assignment]], units: dict[int, Unit], year: int,
                counts: Counts) -> None:
    """Each unit's own plan, issued, with its share of the province's tasks copied as derive_unit_plan does."""
    plans = [Plan(province=parent.province, owner_unit=units[unit_id], issuer=units[unit_id].name.upper(),
                  symbol="KH", place=parent.place, title=f"Kế hoạch của {units[unit_id].name} thực hiện kế hoạch "
                  f"năm {year} của tỉnh", period_text=parent.period_text, period_start=parent.period_start,
                  period_end=parent.period_end, parent=parent, status=PlanStatus.ISSUED,
                  issued_on=dt.date(year, 2, 10))
             for unit_id in by_unit]
    Plan.objects.bulk_create(plans, batch_size=BATCH)
    framework_ids = list(parent.frameworks.values_list("pk", flat=True))
    Plan.frameworks.through.objects.bulk_create(
        [Plan.frameworks.through(plan_id=p.pk, framework_id=f) for p in plans for f in framework_ids],
        batch_size=BATCH)
    copies, leads = [], []
    node_of = dict(Task.nodes.through.objects.filter(task__plan=parent).values_list("task_id", "node_id"))
    for plan, (unit_id, assignments) in zip(plans, by_unit.items(), strict=True):
        for order, assignment in enumerate(assignments, start=1):
            source = assignment.task
            copies.append(Task(plan=plan, order=order, number=source.number, group_heading=source.group_heading,
                               content=source.content, lead_text=units[unit_id].name,
                               schedule_text=source.schedule_text, schedule_kind=source.schedule_kind,
                               due_date=source.due_date, outputs=source.outputs, source_task=source))
            leads.append(unit_id)
    Task.objects.bulk_create(copies, batch_size=BATCH)
    Task.nodes.through.objects.bulk_create(
        [Task.nodes.through(task_id=t.pk, node_id=node_of[cast(int, t.source_task_id)]) for t in copies],
        batch_size=BATCH)
    Task.lead_units.through.objects.bulk_create(
        [Task.lead_units.through(task_id=t.pk, unit_id=u) for t, u in zip(copies, leads, strict=True)], batch_size=BATCH)
    Assignment.objects.bulk_create(
        [Assignment(task=t, unit_id=u, due_date=t.due_date) for t, u in zip(copies, leads, strict=True)],
        batch_size=BATCH)
    counts.plans += len(plans)
    counts.tasks += len(copies)
    counts.assignments += len(copies)


def _aware(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


Finished = dict[int, tuple[dt.date, bool] | None]  # assignment id → (day done, on time), or never done


def _reports(periods: list[ReportingPeriod], by_unit: dict[int, list[Assignment]], leaders: dict[int, User],
             coordinator: User, rng: random.Random, as_of: dt.date, counts: Counts) -> None:
    """Reports for every period whose deadline has passed by as_of: most units on time, some late, some only
    drafting, some never; each task finished (on time or late) in a quarter drawn once, or never."""
    finished = _finished(periods, by_unit, rng)
    reports: list[UnitReport] = []
    report_lines: list[ReportLine] = []
    for period in periods:
        if period.due_date >= as_of:
            continue
        for unit_id, assignments in by_unit.items():
            report = _report(period, unit_id, leaders[unit_id], coordinator, rng)
            if report is None:
                continue  # never reported
            reports.append(report)
            report_lines.extend(_line(report, period, assignment, finished[assignment.pk], rng)
                                for assignment in assignments)
    UnitReport.objects.bulk_create(reports, batch_size=BATCH)
    for line in report_lines:
        line.report_id = line.report.pk
    ReportLine.objects.bulk_create(report_lines, batch_size=BATCH)
    evidence = _evidence(report_lines, rng)
    _versions(reports, report_lines, evidence)
    counts.reports += len(reports)
    counts.lines += len(report_lines)
    counts.evidence += len(evidence)


def _finished(periods: list[ReportingPeriod], by_unit: dict[int, list[Assignment]], rng: random.Random) -> Finished:
    finished: Finished = {}
    for assignments in by_unit.values():
        for assignment in assignments:
            draw = rng.random()
            due = assignment.due_date or periods[-1].end
            if draw < 0.65:
                finished[assignment.pk] = (due - dt.timedelta(days=rng.randint(0, 40)), True)
            elif draw < 0.8:
                finished[assignment.pk] = (due + dt.timedelta(days=rng.randint(5, 80)), False)
            else:
                finished[assignment.pk] = None
    return finished


def _report(period: ReportingPeriod, unit_id: int, leader: User, coordinator: User,
            rng: random.Random) -> UnitReport | None:
    """A unit's report of the period as drawn: none, a draft, or sent (on time or late) and reviewed or not."""
    draw = rng.random()
    if draw < 0.08:
        return None
    sent: dt.date | None = None
    if draw < 0.12:
        status = ReportStatus.DRAFT
    else:
        sent = period.due_date - dt.timedelta(days=rng.randint(0, 10)) if draw < 0.85 else (
            period.due_date + dt.timedelta(days=rng.randint(1, 20)))
        outcome = rng.random()
        status = (ReportStatus.ACCEPTED if outcome < 0.75 else
                  ReportStatus.SUBMITTED if outcome < 0.92 else ReportStatus.RETURNED)
    reviewed = sent is not None and status in (ReportStatus.ACCEPTED, ReportStatus.RETURNED)
    return UnitReport(
        period=period, unit_id=unit_id, status=status, summary=f"Báo cáo {period.label}",
        version_count=1 if sent else 0, first_submitted_at=_aware(sent) if sent else None,
        submitted_at=_aware(sent) if sent else None, submitted_by=leader if sent else None,
        reviewed_at=_aware(sent + dt.timedelta(days=3)) if reviewed and sent else None,
        reviewed_by=coordinator if reviewed else None,
        review_comment="Bổ sung minh chứng" if status == ReportStatus.RETURNED else "",
    )


def _line(report: UnitReport, period: ReportingPeriod, assignment: Assignment, done: tuple[dt.date, bool] | None,
          rng: random.Random) -> ReportLine:
    if done is not None and done[0] <= period.end:
        return ReportLine(report=report, assignment=assignment,
                          status=LineStatus.DONE if done[1] else LineStatus.DONE_LATE, progress=100,
                          work_done="Đã ban hành văn bản triển khai và báo cáo kết quả", completed_on=done[0],
                          reason="" if done[1] else "Chờ hướng dẫn của cơ quan cấp trên")
    if assignment.due_date and assignment.due_date < period.start and rng.random() < 0.1:
        return ReportLine(report=report, assignment=assignment, status=LineStatus.CANNOT_DO,
                          reason="Không bố trí được kinh phí")
    return ReportLine(report=report, assignment=assignment, status=LineStatus.IN_PROGRESS,
                      progress=rng.choice([20, 40, 60, 80]), work_done="Đang triển khai")


def _evidence(report_lines: list[ReportLine], rng: random.Random) -> list[Evidence]:
    """One evidence file (its row only) for every line that says done."""
    evidence = []
    for line in report_lines:
        if line.status in (LineStatus.DONE, LineStatus.DONE_LATE):
            digest = hashlib.sha256(f"{line.pk}".encode()).hexdigest()
            evidence.append(Evidence(line=line, unit_id=line.report.unit_id, original_name=f"van-ban-{line.pk}.pdf",
                                     file=f"evidence/{line.report.unit_id}/{digest[:32]}.pdf",
                                     content_type="application/pdf", size=rng.randint(40_000, 2_000_000),
                                     sha256=digest, uploaded_by=None))
    Evidence.objects.bulk_create(evidence, batch_size=BATCH)
    return evidence


def _versions(reports: list[UnitReport], report_lines: list[ReportLine], evidence: list[Evidence]) -> None:
    """The frozen first version of every sent report, written by the service's own snapshot writer."""
    evidence_of: dict[int, list[Evidence]] = {}
    for item in evidence:
        evidence_of.setdefault(item.line.pk, []).append(item)
    lines_of: dict[int, list[tuple[ReportLine, list[Evidence]]]] = {}
    for line in report_lines:
        lines_of.setdefault(line.report.pk, []).append((line, evidence_of.get(line.pk, [])))
    ReportVersion.objects.bulk_create([ReportVersion(
        report=report, number=1, submitted_at=report.submitted_at, submitted_by=report.submitted_by,
        outcome=report.status, review_comment=report.review_comment, reviewed_at=report.reviewed_at,
        reviewed_by=report.reviewed_by, content=report_snapshot(report.summary, lines_of.get(report.pk, [])),
    ) for report in reports if report.version_count and report.submitted_at is not None], batch_size=BATCH)
