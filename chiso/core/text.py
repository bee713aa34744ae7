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
# Combining mark → the letter it makes of each base it applies to (breve: ă; circumflex: â ê ô; horn: ơ ư).
_SHAPES: dict[str, dict[str, str]] = {
    "\u0306": {"a": "ă"},
    "\u0302": {"a": "â", "e": "ê", "o": "ô"},
    "\u031b": {"o": "ơ", "u": "ư"},
}


def vietnamese_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Sort key putting Vietnamese names in dictionary order (An, Ân, Bắc, Đà, Hà, Ư…)."""
    letters: list[int] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFC", str(text or "")).lower():
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        tone = 0
        for mark in marks:
            if mark in _TONES:
                tone = _TONES[mark]
            elif mark in _SHAPES:
                base = _SHAPES[mark].get(base, base)
        letters.append(_VI_RANK.get(base, 100 + ord(base)) if base.isalpha() else ord(base) - 200)
        tones.append(tone)
    return tuple(letters), tuple(tones)
