"""Writes to frameworks: loading the built-in data files, copying to a new version, renumbering."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from chiso.core.figures_cache import data_changed
from chiso.frameworks.models import Framework, Node, subtree_ids
from chiso.orgs.models import Province

BUILTIN_DIR = Path(__file__).resolve().parent / "data"

_CODE_PART = re.compile(r"\d+|[A-Za-z]+")


def code_sort_key(code: str) -> tuple[tuple[int, int | str], ...]:
    """'1.10' after '1.9'; 'A.2' after 'A.1'; letters before digits never matter within one level."""
    return tuple((0, int(p)) if p.isdigit() else (1, p.upper()) for p in _CODE_PART.findall(code))


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def builtin_files() -> list[Path]:
    return sorted(BUILTIN_DIR.glob("*.yaml"))


@transaction.atomic
def load_framework_file(path: Path) -> Framework:
    """Create or update a built-in framework from its data file (idempotent)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    framework, _ = Framework.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "index": data["index"],
            "name_vi": data["name_vi"],
            "name_en": data.get("name_en") or "",
            "version": str(data.get("version") or ""),
            "valid_from": data.get("valid_from"),
            "valid_to": data.get("valid_to"),
            "unit": data.get("unit") or "points",
            "total_max": _decimal(data.get("total_max")),
            "levels": data.get("levels") or [],
            "sources": data.get("sources") or [],
            "notes": "\n".join(data.get("notes") or []),
            "province": None,
        },
    )
    existing = {node.code: node for node in framework.nodes.all()}
    seen: set[str] = set()

    def walk(items: list[dict[str, Any]], parent: Node | None, depth: int) -> None:
        for item in items:
            code = str(item["code"])
            seen.add(code)
            node = existing.get(code) or Node(framework=framework, code=code)
            node.parent = parent
            node.depth = depth
            node.name_vi = item["name_vi"]
            node.name_en = item.get("name_en") or ""
            node.max_points = _decimal(item.get("max_points"))
            node.unit = item.get("unit") or framework.unit
            node.scoring = item.get("scoring") or "survey"
            node.aliases = list(item.get("aliases") or [])
            node.source = str(item.get("source") or "")
            node.confidence = str(item.get("confidence") or "")
            node.note = str(item.get("note") or "")
            node.save()
            walk(item.get("children") or [], node, depth + 1)

    walk(data.get("nodes") or [], None, 0)
    renumber(framework)  # positions first: finding what lies below a stale node reads them
    _drop_stale_nodes(framework, [node for code, node in existing.items() if code not in seen])
    renumber(framework)
    return framework


def _drop_stale_nodes(framework: Framework, stale: list[Node]) -> None:
    """Remove nodes a data file no longer has, unless something hangs on them or below them (tasks of a
    plan, published scores): deleting a node deletes its subtree, so one old parent without tasks must
    not take children with tasks along."""
    if not stale:
        return
    nodes = list(framework.nodes.all())
    in_use = _nodes_in_use(framework)
    for node in stale:
        if not in_use.intersection(subtree_ids(nodes, node)):
            node.delete()


def _nodes_in_use(framework: Framework) -> set[int]:
    """Nodes another app's rows point to (tasks, scores…), found from the model's reverse relations so
    that frameworks need not know those apps; history tables and the tree's own parent link aside."""
    used: set[int] = set()
    for relation in Node._meta.related_objects:
        if relation.related_model is Node or relation.related_model.__name__.startswith("Historical"):
            continue
        if relation.related_name == "+":
            continue
        used |= set(Node.objects.filter(framework=framework, **{f"{relation.name}__isnull": False})
                    .values_list("pk", flat=True))
    return used


def load_builtin_frameworks() -> list[Framework]:
    return [load_framework_file(path) for path in builtin_files()]


def renumber(framework: Framework) -> None:
    """Recompute depth and pre-order position: siblings in natural code order."""
    nodes = list(framework.nodes.all())
    children: dict[int | None, list[Node]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    position = 0
    changed: list[Node] = []

    def walk(parent_id: int | None, depth: int) -> None:
        nonlocal position
        for node in sorted(children.get(parent_id, []), key=lambda n: code_sort_key(n.code)):
            position += 1
            if node.position != position or node.depth != depth:
                node.position, node.depth = position, depth
                changed.append(node)
            walk(node.pk, depth + 1)

    walk(None, 0)
    Node.objects.bulk_update(changed, ["position", "depth"])
    data_changed()  # a bulk update sends no signal; cached figures order components by position


@transaction.atomic
def copy_framework(source: Framework, *, province: Province, slug: str, version: str,
                   name_vi: str, valid_from: int | None) -> Framework:
    """A new, editable version of a framework owned by the province; the tree is copied whole."""
    copy = Framework.objects.create(
        index=source.index, slug=slug, name_vi=name_vi, name_en=source.name_en, version=version,
        valid_from=valid_from, valid_to=None, unit=source.unit, total_max=source.total_max,
        levels=source.levels, sources=source.sources, notes=source.notes, province=province,
        copied_from=source,
    )
    mapping: dict[int, Node] = {}
    for node in source.nodes.order_by("position"):
        new = Node.objects.create(
            framework=copy, parent=mapping.get(node.parent_id) if node.parent_id else None, code=node.code,
            depth=node.depth, position=node.position, name_vi=node.name_vi, name_en=node.name_en,
            max_points=node.max_points, unit=node.unit, scoring=node.scoring, aliases=node.aliases,
            source=node.source, confidence=node.confidence, note=node.note,
        )
        mapping[node.pk] = new
    return copy
