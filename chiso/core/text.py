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


# The Vietnamese alphabet in its order; letters outside it (f, j, w, z in loanwords) where Latin puts them.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Letter-forming marks make another letter (a → ă, â; o → ô, ơ; u → ư); tone marks only weigh when the
# letters are equal, in the dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
_LETTER_MARKS = {("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê", ("o", "\u0302"): "ô",
                 ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_NUMBER = re.compile(r"\d+")


def _letters(text: str) -> tuple[list[tuple[str, int]], str]:
    """The text as (letter, tone) pairs, letter-forming marks folded into the letter; and its case pattern."""
    pairs: list[tuple[str, int]] = []
    cases = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.category(char) == "Mn":
            if pairs and (pairs[-1][0], char) in _LETTER_MARKS:
                pairs[-1] = (_LETTER_MARKS[(pairs[-1][0], char)], pairs[-1][1])
            elif pairs and char in _TONES:
                pairs[-1] = (pairs[-1][0], _TONES[char])
            continue
        cases.append("1" if char.isupper() else "0")
        pairs.append(("đ" if char in "đĐ" else char.lower(), 0))
    return pairs, "".join(cases)


def collation_key(text: str) -> tuple[str, str, str]:
    """Sort key of Vietnamese words in dictionary order: "Bạch" < "Bình" < "Bông", "Cán" < "Chiêm",
    "Đông" after every "D…", "Phường 2" < "Phường 10". Letters first (the alphabet a ă â b c d đ e ê …),
    then tones (a à ả ã á ạ), then case. The one key every list of units is sorted by."""
    spaced = _SPACES.sub(" ", unicodedata.normalize("NFC", str(text or ""))).strip()
    # Numbers compare by value: padded to a fixed width before the letters are weighed.
    padded = _NUMBER.sub(lambda match: match.group().zfill(8), spaced)
    pairs, cases = _letters(padded)
    primary = "".join(chr(0x100 + _RANK[letter]) if letter in _RANK else letter for letter, _tone in pairs)
    tones = "".join(str(tone) for _letter, tone in pairs)
    return primary, tones, cases


