"""Monitoring figures (a plan's dashboard, the emulation table) cached under a stamp of what they are computed
from in the province.

They cost hundreds of milliseconds on a province of 150 units (every report line of the plan or the year is read
and folded into a state per assignment, chiso.monitoring.state) and are the same for every reader until
something in the province changes. The stamp is read in one query each time: the number, latest change and
versions of the province's plans, tasks, assignments, reporting periods, reports, report lines, units, unit
groups and emulation weights. Every edit chiso makes through its forms, services and imports moves one of
them (a save moves updated_at and lock_version; an assignment comes and goes with its task's save), and a
stamp computed from committed rows cannot be overtaken by a transaction that is still running, as a version
bumped by a signal can. What moves none of them (a framework node renamed) shows after FIGURES_TTL seconds.
The language is part of the key (labels are computed in it), and callers put in the day (lateness
depends on it)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection
from django.utils import translation

from chiso.monitoring.models import EmulationWeights, ReportingPeriod, ReportLine, UnitReport
from chiso.orgs.models import Unit, UnitGroup
from chiso.plans.models import Assignment, Plan, Task

FIGURES_TTL = 300

T = TypeVar("T")


def _stamp_sql() -> str:
    plan, task, assignment = Plan._meta.db_table, Task._meta.db_table, Assignment._meta.db_table
    period, report, line = ReportingPeriod._meta.db_table, UnitReport._meta.db_table, ReportLine._meta.db_table
    unit, group, weights = Unit._meta.db_table, UnitGroup._meta.db_table, EmulationWeights._meta.db_table
    in_province = "p.province_id = %(province)s"
    # One row of single-row derived tables: one scan per table, on both engines.
    return f"""SELECT * FROM
      (SELECT COUNT(*), MAX(p.updated_at), SUM(p.lock_version) FROM {plan} p WHERE {in_province}) plans,
      (SELECT COUNT(*), MAX(t.updated_at), SUM(t.lock_version) FROM {task} t
         JOIN {plan} p ON p.id = t.plan_id WHERE {in_province}) tasks,
      (SELECT COUNT(*), MAX(a.id) FROM {assignment} a JOIN {task} t ON t.id = a.task_id
         JOIN {plan} p ON p.id = t.plan_id WHERE {in_province}) assignments,
      (SELECT COUNT(*), SUM(rp.lock_version) FROM {period} rp JOIN {plan} p ON p.id = rp.plan_id
         WHERE {in_province}) periods,
      (SELECT COUNT(*), MAX(r.updated_at), SUM(r.lock_version) FROM {report} r
         JOIN {period} rp ON rp.id = r.period_id JOIN {plan} p ON p.id = rp.plan_id WHERE {in_province}) reports,
      (SELECT COUNT(*), MAX(l.updated_at), SUM(l.lock_version) FROM {line} l JOIN {report} r ON r.id = l.report_id
         JOIN {period} rp ON rp.id = r.period_id JOIN {plan} p ON p.id = rp.plan_id WHERE {in_province}) lines,
      (SELECT COUNT(*), SUM(p.lock_version) FROM {unit} p WHERE {in_province}) units,
      (SELECT COUNT(*), SUM(p.lock_version) FROM {group} p WHERE {in_province}) unit_groups,
      (SELECT COUNT(*), SUM(p.lock_version) FROM {weights} p WHERE {in_province}) emulation_weights"""


def province_stamp(province_id: int) -> str:
    """What the province's monitoring figures are computed from, as one string. One query."""
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(), {"province": province_id})
        row = cursor.fetchone()
    return "|".join(str(value) for value in row)


def cached_figures(name: str, province_id: int, parts: tuple[object, ...], compute: Callable[[], T]) -> T:
    """compute() once per state of the province, language and parts: what the caller varies on, the day
    included."""
    state = (name, province_id, parts, province_stamp(province_id), translation.get_language())
    key = f"figures:{name}:{hashlib.sha256(repr(state).encode()).hexdigest()}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, FIGURES_TTL)
    return found
