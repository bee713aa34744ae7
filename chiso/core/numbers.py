"""Numbers as Vietnamese administrative documents write them, whatever the interface language:
decimal comma, dot for thousands (42,153; 1.234,5)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def vn_number(value: Decimal | float | int | None, places: int | None = None) -> str:
    """42.1527 → '42,153' (places=3); 2.5 → '2,5' (places=None keeps the significant digits)."""
    if value is None:
        return ""
    number = Decimal(str(value))
    if places is None:
        number = number.normalize()
        exponent = number.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
    text = f"{number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):f}"
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-')):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"
