"""Repairing the lines of OCR'd or diacritics-less text before the body reader looks for its headings: page
furniture dropped (a page number alone, "Trang 3/10", the running header printed on every page), words broken by
hyphenation across lines joined, and the misreads OCR makes in the words headings are recognised by ("ndi dung",
"ciia", "s6", "THU'C", "d)" for "đ)") corrected. Only the words the structure depends on are repaired; a task's
own wording is kept as read (it is matched folded and by similarity, core.text.fold being the one folding rule)."""

from __future__ import annotations

import re
from collections import Counter

from chiso.core.text import fold

_PAGE_NUMBER = re.compile(r"^\s*(?:[-–—]\s*)?(?:trang\s*)?\d{1,3}(?:\s*/\s*\d{1,3})?(?:\s*[-–—])?\s*$", re.IGNORECASE)
# Misreads of the words headings and lettered items are made of, on folded words: OCR reads "ô/ố/ộ" as "6",
# "ơ/o" as "0", "ị/i" as "1" or "l", "đ" as "d" or "p", "ủ" as "ii".
_WORD_FIXES = {
    "ndi": "noi", "n6i": "noi", "n0i": "noi", "ciia": "cua", "cia": "cua", "ctia": "cua", "s6": "so", "s0": "so",
    "chi'": "chi", "thu'c": "thuc", "thu'e": "thuc", "hi6n": "hien", "hicn": "hien", "nhi6m": "nhiem",
    "ch1": "chi", "chl": "chi", "t0": "to", "chii": "chu", "tr1": "tri", "dimg": "dung", "dtmg": "dung",
    "n0ng": "nong", "ngu0i": "nguoi", "nguo'i": "nguoi", "chu'c": "chuc", "gia1": "giai",
}
_TOKEN = re.compile(r"[A-Za-zÀ-ỹĐđ0-9']+")
_LETTER_ITEM = re.compile(r"^\s*([a-hpđd])\s*[)\]}]\s*")


def _fix_word(match: re.Match[str]) -> str:
    word = match.group(0)
    fixed = _WORD_FIXES.get(fold(word))
    if fixed is None or fixed == fold(word):
        return word
    return fixed.upper() if word.isupper() else fixed


def repair_words(line: str) -> str:
    return _TOKEN.sub(_fix_word, line)


def running_headers(lines: list[str]) -> set[str]:
    """Short lines printed on several pages (a running header or footer): furniture, not text."""
    counts = Counter(fold(line) for line in lines if len(line) < 80)
    return {text for text, count in counts.items() if count >= 3 and not re.match(r"^[a-h\d]\s*[).]", text)}


def repair_lines(lines: list[str]) -> list[str]:
    furniture = running_headers(lines)
    repaired: list[str] = []
    previous_letter = ""
    for raw in lines:
        line = raw.strip()
        if not line or _PAGE_NUMBER.match(line) or fold(line) in furniture:
            continue
        if repaired and repaired[-1].endswith("-") and line[:1].islower():
            repaired[-1] = repaired[-1][:-1] + line  # a word hyphenated across the line break
            continue
        line = repair_words(line)
        item = _LETTER_ITEM.match(line)
        if item:
            letter = item.group(1).lower()
            # "đ)" read as "d)" or "p)": after "d)" comes "đ)", after "c)" "d)".
            if letter in ("d", "p", "đ"):
                letter = "đ" if previous_letter == "d" else "d"
            previous_letter = letter
            line = f"{letter}) {line[item.end():]}"
        repaired.append(line)
    return repaired


def looks_ocred(lines: list[str]) -> bool:
    """Most lines without a single diacritic: a scan's text layer or text typed without marks."""
    from chiso.documents.importing.mapping import lacks_marks

    checked = [line for line in lines if sum(ch.isalpha() for ch in line) >= 12]
    return bool(checked) and sum(lacks_marks(line) for line in checked) > 0.5 * len(checked)
