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
