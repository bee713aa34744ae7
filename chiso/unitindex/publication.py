"""Standings of a round (totals, percentages, ranks within the unit type, classes) and their publication
as `results.Result` rows, so the existing analysis, charts and coverage read a unit's index like any other."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chiso.accounts.models import User
from chiso.frameworks.models import Node
from chiso.results.models import Origin, Result, Score
from chiso.unitindex.models import Entry, Participant, Round, SheetStatus
from chiso.unitindex.scoring import Totals, class_for, competition_ranks, node_sums, sheet_totals
from chiso.unitindex.services import SheetRefused


@dataclass
class Standing:
    participant: Participant
    totals: Totals
    rank: int
    rank_of: int
    klass: str


def round_participants(round_: Round) -> list[Participant]:
    """The sheets of a round, each pointing to one round object with its stages loaded once."""
    loaded = Round.objects.prefetch_related("stages").get(pk=round_.pk)
    participants = list(round_.participants.select_related("unit", "framework").prefetch_related(
        "reopenings").order_by("unit_type", "unit__name"))
    for participant in participants:
        participant.round = loaded
    return participants


def entries_by_participant(round_: Round) -> dict[int, list[Entry]]:
    grouped: dict[int, list[Entry]] = {}
    for entry in (Entry.objects.filter(participant__round=round_).select_related("node", "node__criterion")
                  .order_by("node__position")):
        grouped.setdefault(entry.participant_id, []).append(entry)
    return grouped


def standings(round_: Round) -> list[Standing]:
    """Every unit's totals, its rank within its unit type (ties share) and its class; in a bounded number
    of queries whatever the number of units."""
    participants = round_participants(round_)
    entries = entries_by_participant(round_)
    totals = {p.pk: sheet_totals(p, entries.get(p.pk, [])) for p in participants}
    rows: list[Standing] = []
    for unit_type in sorted({p.unit_type for p in participants}):
        group = [p for p in participants if p.unit_type == unit_type]
        ranks = competition_ranks({p.pk: totals[p.pk].percent for p in group})
        rows += [Standing(p, totals[p.pk], ranks[p.pk], len(group), class_for(totals[p.pk].percent, round_.thresholds))
                 for p in sorted(group, key=lambda p: (ranks[p.pk], p.unit.name))]
    return rows


@transaction.atomic
def publish_round(round_: Round, *, decision_text: str, by: User) -> list[Result]:
    """Every sheet must be final. Each unit gets one Result (total, rank within its type) with a Score per
    node: criteria their final score, fields and criteria above them the sum of what is under them."""
    not_final = [p.unit.name for p in round_participants(round_) if p.status != SheetStatus.FINAL]
    if not_final:
        raise SheetRefused(_("Chưa có điểm cuối cùng: %(units)s.") % {"units": ", ".join(not_final)})
    entries = entries_by_participant(round_)
    nodes: dict[int, list[Node]] = {}
    results = []
    for standing in standings(round_):
        sheet = standing.participant
        tree = nodes.setdefault(sheet.framework_id, list(Node.objects.filter(framework_id=sheet.framework_id)))
        result, _created = Result.objects.update_or_create(
            framework_id=sheet.framework_id, year=round_.year, province_id=round_.province_id, unit_id=sheet.unit_id,
            defaults={"total": standing.totals.total, "rank": standing.rank, "rank_of": standing.rank_of,
                      "origin": Origin.ENTERED, "source": decision_text[:500], "updated_by": by})
        leaf_scores = {e.node_id: e.standing_score for e in entries.get(sheet.pk, [])
                       if not e.not_applicable and e.standing_score is not None}
        result.scores.all().delete()
        Score.objects.bulk_create([Score(result=result, node_id=node_id, value=value)
                                   for node_id, value in node_sums(tree, leaf_scores).items()])
        results.append(result)
    round_.published_at, round_.decision_text = timezone.now(), decision_text
    round_.save(update_fields=["published_at", "decision_text"])
    return results
