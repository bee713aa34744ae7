"""Which column of an appendix table a heading names, in every wording real plans use: the one list of heading
variants, shared by the import engine (tables) and the round-trip reader of chiso's own export
(plan_import_docx)."""

from __future__ import annotations

import re

from chiso.core.text import fold

# Heading wording → column, tried in order (the first match wins): "Đơn vị chủ trì theo dõi" is a lead,
# "Nội dung, nhiệm vụ và giải pháp" the task, "Đơn vị thực hiện" the doers, "Nội dung thành phần" a node.
HEADING_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("number", ("tt", "stt", "so tt")),
    ("content", ("nhiem vu", "giai phap")),
    ("lead", ("chu tri",)),
    ("monitoring", ("theo doi",)),
    ("coordinating", ("phoi hop",)),
    ("doer", ("don vi thuc hien", "co quan thuc hien", "don vi trien khai")),
    ("schedule", ("thoi gian", "thoi han", "tien do")),
    ("outputs", ("san pham", "ket qua")),
    ("notes", ("ghi chu",)),
    ("target", ("chi tieu", "muc tieu")),
    ("node", ("linh vuc", "tieu chi", "chi so", "noi dung thanh phan", "noi dung")),
]


def column_for(heading: str) -> str | None:
    words = fold(heading)
    if not words:
        return None
    for key, variants in HEADING_WORDS:
        if key == "number":
            if words in variants:
                return key
        elif any(variant in words for variant in variants):
            return key
    tokens = _WORD.findall(words)
    for key, variants in HEADING_WORDS:
        if key != "number" and any(_misread_in(variant.split(), tokens) for variant in variants):
            return key
    return None


_WORD = re.compile(r"[a-z0-9]+")


def _near(word: str, known: str) -> bool:
    """One letter misread, as OCR does ("qian" for "gian"); short words must be exact."""
    if word == known:
        return True
    return len(known) >= 3 and len(word) == len(known) and sum(a != b for a, b in zip(word, known, strict=True)) == 1


def _misread_in(variant: list[str], tokens: list[str]) -> bool:
    return any(all(_near(tokens[start + i], word) for i, word in enumerate(variant))
               for start in range(len(tokens) - len(variant) + 1))
