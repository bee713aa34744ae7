"""Text helpers shared by every matcher: Vietnamese wording compared without diacritics,
case, spacing or line breaks, so that "Sở TN&MT", "so tn & mt" and an OCR'd "So TN&MT" meet."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCT_AROUND = re.compile(r"\s*([,;:/()\-–.])\s*")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d), turn '&' into 'và', collapse whitespace."""
    text = unicodedata.normalize("NFC", str(text or "")).replace("&", " và ")
    text = text.replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = _PUNCT_AROUND.sub(r"\1", stripped.lower())
    return _SPACES.sub(" ", stripped).strip(" .;,")


def clean_spaces(text: str) -> str:
    """Join a cell's broken lines into one line of normal text."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


# Vietnamese alphabetical order: ă and â after a, đ after d, ê after e, ô and ơ after o, ư after u; tones
# (huyền, hỏi, ngã, sắc, nặng) only break ties. Python's default order puts every accented letter after z.
_VI_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_VI_RANK = {letter: rank for rank, letter in enumerate(_VI_LETTERS)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_SHAPES = {"\u0306": "ă", "\u0302": {"a": "â", "e": "ê", "o": "ô"}, "\u031b": {"o": "ơ", "u": "ư"}}


def vietnamese_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Sort key putting Vietnamese names in dictionary order (An, Ân, Bắc, Đà, Hà, Ư…)."""
    letters: list[int] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFC", str(text or "")).lower():
        base, *marks = unicodedata.normalize("NFD", char)
        tone = 0
        for mark in marks:
            if mark in _TONES:
                tone = _TONES[mark]
            elif mark == "\u0306" and base == "a":
                base = "ă"
            elif isinstance(_SHAPES.get(mark), dict):
                base = _SHAPES[mark].get(base, base)  # type: ignore[union-attr]
        letters.append(_VI_RANK.get(base, 100 + ord(base)) if base.isalpha() else ord(base) - 200)
        tones.append(tone)
    return tuple(letters), tuple(tones)
