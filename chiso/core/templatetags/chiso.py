"""Template helpers: Vietnamese numbers and dates, and the history diff of an object."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def vnnum(value: Any, places: int | None = None) -> str:
    """42.153 → '42,153' in Vietnamese; drops trailing zeros unless places is given."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if places is None:
        number = number.normalize()
        exponent = number.as_tuple().exponent
        places = max(0, -exponent) if isinstance(exponent, int) else 0
    # Django's number_format cuts extra decimals off; published figures are rounded (42,1527 → 42,153).
    number = number.quantize(Decimal(1).scaleb(-int(places)), ROUND_HALF_UP)
    return number_format(number, decimal_pos=int(places), use_l10n=True)


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def absolute(value: Any) -> Any:
    """−0,567 → 0,567 for wordings that say "giảm" themselves."""
    return abs(value) if value is not None and value != "" else value
