"""The written analysis: the Vietnamese paragraph a plan opens with, generated from an Analysis in the
style of the provinces' own plans ("… đạt 42,153/80 điểm, giảm 0,567 điểm so với năm 2020; xếp thứ
34/63 tỉnh, thành phố, giảm 02 bậc …"). It is document text, so it is Vietnamese whatever the interface
language, with decimal commas and two-digit counts as administrative documents write them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from chiso.core.numbers import vn_number
from chiso.frameworks.models import MeasureUnit
from chiso.results.analysis import Analysis, Flag, NodeRow
from chiso.results.models import Group

GROUP_WORDS = {
    Group.HIGHEST: "nhóm đạt điểm cao nhất",
    Group.HIGH_AVERAGE: "nhóm đạt điểm trung bình cao",
    Group.LOW_AVERAGE: "nhóm đạt điểm trung bình thấp",
    Group.LOWEST: "nhóm đạt điểm thấp nhất",
}


def count(n: int) -> str:
    """Administrative documents write small counts with two digits: 02, 04."""
    return f"{n:02d}"


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " và " + names[-1]


def _level(analysis: Analysis, depth: int) -> str:
    name = analysis.result.framework.level_name(depth) or ("nội dung" if depth else "chỉ số thành phần")
    return name[:1].lower() + name[1:]


def _score(row: NodeRow) -> str:
    maximum = f"/{vn_number(row.node.max_points)}" if row.node.max_points is not None else ""
    return f"{vn_number(row.score, 2)}{maximum} điểm"


def _subject_peers(analysis: Analysis) -> str:
    return "đơn vị" if analysis.result.unit_id else "tỉnh, thành phố"


def opening_sentence(analysis: Analysis) -> str:
    result = analysis.result
    framework = result.framework
    parts = [f"Theo kết quả công bố Chỉ số {framework.get_index_display()} năm {result.year}, "
             f"{result.subject_name} đạt "]
    if analysis.total is None:
        parts = [f"Theo kết quả công bố Chỉ số {framework.get_index_display()} năm {result.year}, "
                 f"{result.subject_name} chưa có tổng điểm được công bố"]
    elif framework.unit == MeasureUnit.PERCENT:
        parts.append(f"{vn_number(analysis.total, 2)}%")
    else:
        maximum = f"/{vn_number(framework.total_max)}" if framework.total_max else ""
        parts.append(f"{vn_number(analysis.total, 3)}{maximum} điểm")
    change = analysis.change
    if change is not None and analysis.previous is not None:
        unit = "%" if framework.unit == MeasureUnit.PERCENT else " điểm"
        if change == 0:
            parts.append(f", bằng năm {analysis.previous.year}")
        else:
            word = "tăng" if change > 0 else "giảm"
            places = 2 if framework.unit == MeasureUnit.PERCENT else 3
            parts.append(f", {word} {vn_number(abs(change), places)}{unit} so với năm {analysis.previous.year}")
    if analysis.rank is not None and analysis.rank_of:
        parts.append(f"; xếp thứ {analysis.rank}/{analysis.rank_of} {_subject_peers(analysis)}")
        moved = analysis.rank_change
        if moved is not None and analysis.previous is not None:
            if moved == 0:
                parts.append(f", giữ nguyên thứ hạng so với năm {analysis.previous.year}")
            else:
                word = "tăng" if moved > 0 else "giảm"
                parts.append(f", {word} {count(abs(moved))} bậc so với năm {analysis.previous.year}")
    if analysis.group is not None:
        parts.append(f"; ở nhóm thứ {analysis.group} là {GROUP_WORDS[Group(analysis.group)]}")
    return "".join(parts) + "."


def _judged(rows: list[NodeRow]) -> list[NodeRow]:
    """Rows that can be called low or at maximum: a published score and a known maximum."""
    return [row for row in rows if row.score is not None and row.node.max_points is not None]


def top_level_sentence(analysis: Analysis) -> str | None:
    rows = analysis.rows_at(0)
    judged = _judged(rows)
    grouped = [row for row in rows if row.group is not None]
    if not judged and not grouped:
        return None  # nothing to say at this level rather than "none is low"
    level = _level(analysis, 0)
    texts = []
    if judged:
        low = [row for row in judged if Flag.LOW in row.flags]
        if low:
            listed = "; ".join(f"{row.node.name_vi} đạt {_score(row)}" for row in low)
            texts.append(f"- {count(len(low))}/{len(rows)} {level} đạt điểm thấp so với điểm tối đa, gồm: {listed}.")
        else:
            texts.append(f"- Không có {level} nào đạt điểm thấp so với điểm tối đa.")
    if grouped:
        lowest = [row.node.name_vi for row in grouped if row.group == Group.LOWEST]
        highest = [row.node.name_vi for row in grouped if row.group == Group.HIGHEST]
        pieces = [f"Có {count(len(lowest))}/{len(rows)} {level} xếp ở nhóm điểm thấp nhất, là: {join_names(lowest)}"
                  if lowest else f"Không có {level} xếp ở nhóm điểm thấp nhất"]
        pieces.append(f"có {count(len(highest))}/{len(rows)} {level} xếp ở nhóm điểm cao nhất, là: "
                      f"{join_names(highest)}" if highest else f"chưa có {level} xếp ở nhóm điểm cao nhất")
        texts.append("; ".join(pieces) + ".")
    text = " ".join(texts)
    return text if text.startswith("-") else f"- {text}"


def second_level_sentence(analysis: Analysis) -> str | None:
    rows = analysis.rows_at(1)
    judged = _judged(rows)
    if not judged:
        return None
    level = _level(analysis, 1)
    # Where only some were published, say so: "none at maximum" is about those known.
    scope = f"{len(rows)} {level}" if len(judged) == len(rows) else \
        f"{len(rows)} {level} ({count(len(judged))} có số liệu công bố)"
    at_max = [row for row in judged if Flag.AT_MAX in row.flags]
    low = [row for row in judged if Flag.LOW in row.flags]
    if at_max:
        head = (f"- Trong {scope} có {count(len(at_max))} {level} đạt điểm tối đa "
                f"({join_names([row.node.name_vi for row in at_max])})")
    else:
        head = f"- Trong {scope} chưa có {level} đạt điểm tối đa"
    if low:
        listed = "; ".join(f"{row.node.name_vi} {_score(row)}" for row in low)
        return f"{head} và còn một số {level} đạt điểm thấp, gồm: {listed}."
    return f"{head}."


def fell_sentence(analysis: Analysis) -> str | None:
    if analysis.previous is None:
        return None
    rows = analysis.rows_at(0)
    fell = [row for row in rows if Flag.FELL in row.flags]
    if not fell:
        return None
    level = _level(analysis, 0)
    listed = "; ".join(f"{row.node.name_vi} (giảm {vn_number(abs(row.change), 2)} điểm)" for row in fell
                       if row.change is not None)
    return f"- {count(len(fell))}/{len(rows)} {level} giảm điểm so với năm {analysis.previous.year}: {listed}."


def written_analysis(analysis: Analysis) -> str:
    """The opening paragraph and its indented findings, one per line, ready to paste into a plan."""
    lines = [opening_sentence(analysis)]
    lines += [s for s in (top_level_sentence(analysis), second_level_sentence(analysis), fell_sentence(analysis)) if s]
    return "\n".join(lines)


def _plain(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def analysis_as_dict(analysis: Analysis) -> dict[str, Any]:
    """The analysis for scripts: every figure and flag, and the paragraph."""
    result = analysis.result
    return {
        "index": result.framework.index, "framework": result.framework.slug, "year": result.year,
        "subject": result.subject_name, "province": result.province.code,
        "unit": result.unit.code if result.unit is not None else None,
        "total": _plain(analysis.total), "published_total": _plain(analysis.published_total),
        "computed_total": _plain(analysis.computed_total), "total_differs": analysis.total_differs,
        "previous_year": analysis.previous.year if analysis.previous else None,
        "change": _plain(analysis.change), "rank": analysis.rank, "rank_of": analysis.rank_of,
        "rank_published": analysis.rank_published, "rank_change": analysis.rank_change,
        "group": analysis.group, "low_share": float(analysis.low_share),
        "nodes": [{
            "code": row.node.code, "name": row.node.name_vi, "depth": row.node.depth,
            "score": _plain(row.score), "max": _plain(row.node.max_points), "share": _plain(row.share),
            "change": _plain(row.change), "rank": row.rank, "rank_change": row.rank_change, "group": row.group,
            "median": _plain(row.median), "flags": row.flags,
        } for row in analysis.rows],
        "paragraph": written_analysis(analysis),
    }
