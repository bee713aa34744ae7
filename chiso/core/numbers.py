"""Numbers as published figures are written: rounded half up (42,1527 → 42,153), trailing zeros dropped
unless a number of places is asked for; in documents always with the Vietnamese decimal comma."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def rounded(value: Decimal | float | int | str, places: int | None = None) -> tuple[Decimal, int]:
    """The value rounded to `places` (or to its own significant decimals), and that number of places."""
    number = Decimal(str(value))
    if places is None:
        number = number.normalize()
        exponent = number.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
    return number.quantize(Decimal(1).scaleb(-int(places)), ROUND_HALF_UP), int(places)


def vn_number(value: Decimal | float | int | None, places: int | None = None) -> str:
    """42.1527 → '42,153' (places=3); 2.5 → '2,5'; 1234.5 → '1.234,5', whatever the interface language:
    the written analysis is document text."""
    if value is None:
        return ""
    number, places = rounded(value, places)
    whole, _, fraction = f"{number:f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-')):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


MEGABYTE = 1024 * 1024


def file_size(size: int) -> tuple[Decimal, int, str]:
    """A file's size as it is written: megabytes to one decimal place from 1 MB up, else whole kilobytes (at
    least 1): the number, its places and the unit."""
    if size >= MEGABYTE:
        return Decimal(size) / MEGABYTE, 1, "MB"
    return Decimal(max(1, round(size / 1024))), 0, "KB"


def vn_file_size(size: int) -> str:
    """1258291 → '1,2 MB'; 2300 → '2 KB', whatever the interface language (document text)."""
    number, places, unit = file_size(size)
    return f"{vn_number(number, places)} {unit}"
