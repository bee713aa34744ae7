"""Checking a parsed (and perhaps corrected) tree and saving it as the province's framework."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from chiso.core.bounds import NUL_MESSAGE, holds_nul
from chiso.frameworks.models import Framework, IndexKind, Node
from chiso.orgs.models import Province
from chiso.unitindex.importing.tree_reader import ParsedRow, ParsedTree
from chiso.unitindex.models import CriterionDetail, TreeSettings
from chiso.unitindex.tree import MaximaProblem, TreeItem, items_problems

LEVELS = [{"vi": "Lĩnh vực", "en": "Area"}, {"vi": "Tiêu chí", "en": "Criterion"},
          {"vi": "Tiêu chí thành phần", "en": "Component criterion"}]


def parent_codes(rows: list[ParsedRow]) -> tuple[list[str | None], list[str]]:
    """Each row's parent code from the depths (a field, then its criteria, then their components), and
    the rows that cannot hang anywhere or repeat a code."""
    stack: dict[int, str] = {}
    parents: list[str | None] = []
    errors: list[str] = []
    seen: set[str] = set()
    for row in rows:
        if row.code in seen:
            errors.append(_("Mã %(code)s xuất hiện hai lần.") % {"code": row.code})
        seen.add(row.code)
        parent = stack.get(row.depth - 1) if row.depth else None
        if row.depth and parent is None:
            errors.append(_("%(code)s không nằm dưới lĩnh vực hoặc tiêu chí nào.") % {"code": row.code})
        parents.append(parent)
        stack[row.depth] = row.code
        for deeper in [d for d in stack if d > row.depth]:
            del stack[deeper]
    return parents, errors


CODE_MAX = Node._meta.get_field("code").max_length or 30


def _too_large(value: Decimal | None, model: type[models.Model], name: str) -> bool:
    """Beyond what the column holds (max_digits, decimal_places): PostgreSQL would refuse it — after rounding
    it to the column's places, half away from zero, so 99 999,9999 in numeric(8, 3) is too large."""
    column = model._meta.get_field(name)
    assert isinstance(column, models.DecimalField)
    if value is None:
        return False
    size, limit = abs(Decimal(value)), Decimal(10) ** (column.max_digits - column.decimal_places)
    # The plain comparison first: quantizing a huge number would exceed the decimal context's precision.
    return size >= limit or size.quantize(Decimal(1).scaleb(-column.decimal_places), rounding=ROUND_HALF_UP) >= limit


def unsaveable_rows(rows: list[ParsedRow]) -> list[str]:
    """Rows the database would refuse: a code too long for its column, points beyond it, a NUL character
    (PostgreSQL refuses it in text) — from a corrected preview, since a file's text holds none."""
    errors: list[str] = []
    if any(holds_nul(row.code, row.name, row.rule, row.evidence, *row.choices) for row in rows):
        errors.append(str(NUL_MESSAGE))
    for row in rows:
        if len(row.code) > CODE_MAX:
            errors.append(_("Mã “%(code)s…” dài quá %(limit)s ký tự.") % {"code": row.code[:20], "limit": CODE_MAX})
        if _too_large(row.max_points, Node, "max_points"):
            errors.append(_("%(code)s: điểm tối đa quá lớn.") % {"code": row.code[:CODE_MAX]})
    return errors


def tree_problems(tree: ParsedTree) -> tuple[list[str], list[MaximaProblem]]:
    """Errors that stop saving, and maxima that do not add up (shown; saving then needs a confirmation)."""
    parents, errors = parent_codes(tree.rows)
    items = [TreeItem(row.code, parent, row.max_points) for row, parent in zip(tree.rows, parents, strict=True)]
    too_large = [_("Tổng điểm, điểm thưởng, điểm trừ quá lớn.")] if (
        _too_large(tree.total, Framework, "total_max") or _too_large(tree.bonus_max, TreeSettings, "bonus_max")
        or _too_large(tree.penalty_max, TreeSettings, "penalty_max")) else []
    return [*tree.errors, *errors, *unsaveable_rows(tree.rows), *too_large], items_problems(items, tree.total)


@transaction.atomic
def save_tree(tree: ParsedTree, *, province: Province, name: str, year: int, demonstration: bool = False) -> Framework:
    errors, _maxima = tree_problems(tree)
    if errors:
        raise ValueError("; ".join(errors))
    slug = slugify(f"{province.code}-{name}-{year}")[:70]
    suffix = Framework.objects.filter(slug__startswith=slug).count()
    framework = Framework.objects.create(
        index=IndexKind.OTHER, slug=f"{slug}-{suffix}" if suffix else slug, name_vi=name, version=str(year),
        valid_from=year, province=province, total_max=tree.total, levels=LEVELS)
    parents, _errors = parent_codes(tree.rows)
    saved: dict[str, Node] = {}
    details = []
    for position, (row, parent) in enumerate(zip(tree.rows, parents, strict=True)):
        node = Node.objects.create(framework=framework, parent=saved.get(parent) if parent else None, code=row.code,
                                   depth=row.depth, position=position, name_vi=row.name[:500],
                                   max_points=row.max_points)
        saved[row.code] = node
        details.append(CriterionDetail(node=node, rule_text=row.rule, evidence_required=row.evidence,
                                       method=row.method, choices=row.choices,
                                       allows_not_applicable=row.not_applicable))
    CriterionDetail.objects.bulk_create(details)
    TreeSettings.objects.create(framework=framework, bonus_max=tree.bonus_max or Decimal(0),
                                penalty_max=tree.penalty_max or Decimal(0), demonstration=demonstration)
    return framework
