"""Who sees and does what in the unit index.

Everything belongs to one province: another province's round, sheet or tree is a 404. Within it the
coordinators (and the admin) run the round; the province's leaders (viewers) read everything; a unit's
focal point fills its own sheet and its leader sends it; an appraiser sees and scores only the sheets or
criteria assigned to them. Before publication a unit never sees another unit's sheet (403)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from chiso.accounts.models import Role, User
from chiso.frameworks.models import Node
from chiso.unitindex.models import AppraiserAssignment, Entry, Participant, Round


def _in_province(user: User, queryset: QuerySet, path: str) -> QuerySet:
    return queryset if user.is_instance_admin else queryset.filter(**{path: user.province_id})


def get_round(user: User, pk: int) -> Round:
    return get_object_or_404(_in_province(user, Round.objects.select_related("province"), "province_id"), pk=pk)


def get_sheet(user: User, pk: int) -> Participant:
    queryset = Participant.objects.select_related("round__province", "unit", "framework", "signed_by")
    return get_object_or_404(_in_province(user, queryset, "round__province_id"), pk=pk)


def get_entry(user: User, pk: int) -> Entry:
    queryset = Entry.objects.select_related("participant__round", "participant__unit", "node__criterion",
                                            "node__framework")
    return get_object_or_404(_in_province(user, queryset, "participant__round__province_id"), pk=pk)


def manages(user: User, round_: Round) -> bool:
    return user.is_instance_admin or (user.is_coordinator and user.province_id == round_.province_id)


def reads_whole_round(user: User, round_: Round) -> bool:
    return manages(user, round_) or (user.role == Role.VIEWER and user.province_id == round_.province_id)


def assignments(user: User, round_: Round) -> list[AppraiserAssignment]:
    if user.role != Role.APPRAISER:
        return []
    return list(AppraiserAssignment.objects.filter(round=round_, appraiser=user).select_related("node"))


def _assigned_node_ids(user: User, sheet: Participant) -> set[int] | None:
    """None: the whole sheet is assigned; otherwise the criteria (a node and everything under it)."""
    mine = assignments(user, sheet.round)
    if any(a.participant_id == sheet.pk for a in mine):
        return None
    roots = [a.node for a in mine if a.node is not None and a.node.framework_id == sheet.framework_id]
    if not roots:
        return set()
    nodes = list(Node.objects.filter(framework_id=sheet.framework_id).only("id", "parent_id"))
    inside = {root.pk for root in roots}
    changed = True
    while changed:  # walk down: a node is inside when its parent is
        grown = inside | {n.pk for n in nodes if n.parent_id in inside}
        changed, inside = grown != inside, grown
    return inside


def own_unit(user: User, sheet: Participant) -> bool:
    return user.is_unit_staff and user.unit_id == sheet.unit_id


def visible_entry_ids(user: User, sheet: Participant) -> set[int] | None:
    """None: every criterion of the sheet; a set: only these nodes (an appraiser of some criteria)."""
    if reads_whole_round(user, sheet.round) or own_unit(user, sheet):
        return None
    if user.role == Role.APPRAISER:
        return _assigned_node_ids(user, sheet)
    return None if sheet.round.published_at else set()


def can_see_sheet(user: User, sheet: Participant) -> bool:
    visible = visible_entry_ids(user, sheet)
    return visible is None or bool(visible)


def can_fill(user: User, sheet: Participant) -> bool:
    return own_unit(user, sheet)


def can_send(user: User, sheet: Participant) -> bool:
    return user.role == Role.LEADER and user.unit_id == sheet.unit_id


def can_appraise(user: User, entry: Entry) -> bool:
    sheet = entry.participant
    if manages(user, sheet.round):
        return True
    if user.role != Role.APPRAISER:
        return False
    visible = _assigned_node_ids(user, sheet)
    return visible is None or entry.node_id in visible


def can_finish_appraisal(user: User, sheet: Participant) -> bool:
    return manages(user, sheet.round) or (user.role == Role.APPRAISER and _assigned_node_ids(user, sheet) is None)


def rounds_for(user: User) -> QuerySet[Round]:
    rounds = _in_province(user, Round.objects.all(), "province_id")
    if user.is_instance_admin or user.sees_whole_province:
        return rounds
    if user.role == Role.APPRAISER:
        return rounds.filter(appraisers__appraiser=user).distinct()
    return rounds.filter(Q(participants__unit_id=user.unit_id) | Q(published_at__isnull=False)).distinct()
