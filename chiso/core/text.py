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


# Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y; words differing only
# by tone come in the order no tone, huyền, hỏi, ngã, sắc, nặng (the dictionaries' order).
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve (ă), circumflex (â ê ô), horn (ơ ư)
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def vietnamese_sort_key(text: str) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...]]:
    """A key that sorts Vietnamese words as a Vietnamese reader expects ("Đ" after "D", "Ư" after "U"),
    case-blind; tones only break ties."""
    letters: list[tuple[int, int]] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFD", str(text or "").lower()):
        if char in _LETTER_MARKS and letters:
            letters[-1] = (letters[-1][0], _LETTER_MARKS[char])
        elif char in _TONES and tones:
            tones[-1] = _TONES[char]
        elif char == "đ":
            letters.append((ord("d"), 4))
        elif unicodedata.category(char) != "Mn":
            letters.append((ord(char), 0))
            tones.append(0)
    return tuple(letters), tuple(tones)
