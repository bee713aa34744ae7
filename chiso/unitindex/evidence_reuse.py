"""The point of scoring in chiso: the evidence a unit already attached to its reports during the year, on
the tasks of a criterion, is offered on that criterion's row of its sheet."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from chiso.monitoring.models import Evidence
from chiso.unitindex.models import Entry, Participant


def suggestions(entry: Entry) -> QuerySet[Evidence]:
    """Files the unit attached to report lines of the year on its assignments of tasks linked to the
    criterion's node (or to the same code in the tree it was copied from, which last year's plans answer)."""
    participant = entry.participant
    year = participant.round.year
    node_match = Q(line__assignment__task__nodes=entry.node)
    copied_from = entry.node.framework.copied_from_id
    if copied_from:
        node_match |= Q(line__assignment__task__nodes__framework_id=copied_from,
                        line__assignment__task__nodes__code=entry.node.code)
    return (Evidence.objects
            .filter(node_match, unit_id=participant.unit_id, removed_at__isnull=True,
                    line__assignment__unit_id=participant.unit_id)
            .filter(Q(line__report__period__end__year=year) | Q(line__report__period__start__year=year))
            .select_related("line__report__period", "line__assignment__task")
            .distinct().order_by("-uploaded_at", "-id"))


def suggestions_by_code(participant: Participant) -> dict[str, list[Evidence]]:
    """The same offer for every criterion of a sheet at once (one query): criterion code → files."""
    framework = participant.framework
    trees = [framework.pk] + ([framework.copied_from_id] if framework.copied_from_id else [])
    year = participant.round.year
    rows = (Evidence.objects
            .filter(unit_id=participant.unit_id, removed_at__isnull=True, line__assignment__unit_id=participant.unit_id,
                    line__assignment__task__nodes__framework_id__in=trees)
            .filter(Q(line__report__period__end__year=year) | Q(line__report__period__start__year=year))
            .annotate(criterion_code=F("line__assignment__task__nodes__code"))
            .select_related("line__report__period", "line__assignment__task")
            .order_by("-uploaded_at", "-id"))
    offered: dict[str, list[Evidence]] = {}
    for evidence in rows:
        files = offered.setdefault(evidence.criterion_code, [])
        if all(existing.pk != evidence.pk for existing in files):
            files.append(evidence)
    return offered
