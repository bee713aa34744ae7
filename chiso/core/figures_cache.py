"""Figures computed from the whole province (a plan's dashboard, the emulation table, a plan's coverage of its
index results) cached under a version of the data they are computed from.

They cost hundreds of milliseconds on a province of 150 units (every report line of the plan or the year is read
and folded into a state per assignment, chiso.monitoring.state) and are the same for every reader until
something changes. The version is a random value in the shared cache, replaced whenever a row of a model the
figures read is saved or deleted: plans, targets, tasks, assignments, reporting periods, reports, report lines,
provinces, units, unit groups, frameworks and their nodes, emulation weights, index results and their scores —
except a line saved in a report not yet sent (a draft or a returned one): no figure counts it until the report
is sent, which saves the report.
chiso writes them with save() and delete() (an assignment's bulk changes ride on its task's save, a draft
report's bulk-created lines count only once the report is sent, and that is a save), so every edit moves it.
The models are listed where the signals are connected (monitoring.apps); a province's predecessors (an m2m
edited in the admin only) show after FIGURES_TTL seconds.

The version is replaced when the change commits (chiso.core.data_versions: the changing transaction sees one
of its own meanwhile). One version for the whole database, not per province: finding the province of a report
line costs a query per save, and a deployment serves one province. Entries also expire after FIGURES_TTL
seconds. The language is part of the key (labels are computed in it); callers put in the day (lateness depends
on it)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils import translation

from chiso.core import data_versions

FIGURES_TTL = 300
VERSION_KEY = "figures:version"

T = TypeVar("T")


def data_changed(**_signal: Any) -> None:
    """Receiver of every save and delete of the models the figures read."""
    data_versions.replace_on_commit(VERSION_KEY)


def data_version() -> str:
    return data_versions.current([VERSION_KEY])[0]


def cached_figures(name: str, parts: tuple[object, ...], compute: Callable[[str], T]) -> T:
    """compute(version) once per version of the data, language and parts (what the caller varies on, the
    day included). `version` names this state, for the caller to key fragments of its page on."""
    state = (name, parts, data_version(), translation.get_language())
    version = hashlib.sha256(repr(state).encode()).hexdigest()
    key = f"figures:{name}:{version}"
    found = cache.get(key)
    if found is None:
        found = compute(version)
        cache.set(key, found, FIGURES_TTL)
    return found
