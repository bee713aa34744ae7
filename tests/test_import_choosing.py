"""Choosing an appendix's framework among editions of one index that explain the same rows: the edition whose
node names the rows print wins, not the latest (chiso's own export of a plan on PAPI 2020, re-imported in 2021)."""

from __future__ import annotations

import pytest

from chiso.documents.importing.choosing import choose, explanation
from chiso.documents.importing.raw import RawPlan, RawRow
from chiso.frameworks.models import Framework, Node

APPENDIX = "PHỤ LỤC 01 NHIỆM VỤ, GIẢI PHÁP NÂNG CAO CHỈ SỐ PAPI"


def make_plan_printed_on(slug: str, year: int) -> RawPlan:
    """One task under each sub-dimension of the framework, its group row printing the node's code and name as
    chiso's export does (no node column)."""
    rows = [RawRow(source=f"Bảng 2, dòng {n}", content=f"Nhiệm vụ thứ {n}", number=str(n), group_number=node.code,
                   group_text=node.name_vi, appendix=APPENDIX)
            for n, node in enumerate(Node.objects.filter(framework__slug=slug, code__contains=".")
                                     .order_by("position"), start=1)]
    return RawPlan(kind="docx", header={"year": year}, rows=rows)


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["papi-2020", "papi-2021"])
def test_between_editions_explaining_every_row_the_one_whose_names_the_rows_print_is_chosen(slug):
    raw = make_plan_printed_on(slug, 2021)
    editions = list(Framework.objects.filter(slug__in=["papi-2020", "papi-2021"]))
    explained = {f.slug: explanation(f, raw.rows) for f in editions}
    assert explained["papi-2020"].rows == explained["papi-2021"].rows == len(raw.rows)  # a tie on rows alone
    assert [choice.chosen.slug for choice in choose(raw, editions)] == [slug]


@pytest.mark.django_db
def test_an_edition_printed_word_for_word_reads_closer_than_one_with_other_names():
    raw = make_plan_printed_on("papi-2020", 2021)
    closeness = {slug: explanation(Framework.objects.get(slug=slug), raw.rows).closeness
                 for slug in ("papi-2020", "papi-2021")}
    assert closeness["papi-2020"] == len(raw.rows)  # every printed name is its node's name exactly
    assert closeness["papi-2021"] < closeness["papi-2020"]
