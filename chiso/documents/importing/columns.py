"""Which column of an appendix table a heading names, in every wording real plans use."""

from __future__ import annotations

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
    return None
