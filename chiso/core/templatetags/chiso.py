"""Template filters: numbers in Vietnamese form (`vnnum`), file sizes likewise (`filesize_vn`), a dictionary lookup (`get_item`) and the absolute
value (`absolute`). Dates use Django's own `date` filter with the formats of chiso/formats; history is
rendered by chiso.core.history."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

from chiso.core.numbers import file_size, rounded

register = template.Library()


@register.filter
def vnnum(value: Any, places: int | None = None) -> str:
    """42.153 → '42,153', 4744 → '4.744' in Vietnamese (the active language's separators, thousands grouped
    whatever USE_THOUSAND_SEPARATOR says: it is off so that ids and years in forms stay plain); drops trailing
    zeros unless places is given. Rounded first: Django's number_format would cut the extra decimals off."""
    if value is None or value == "":
        return ""
    number, places = rounded(value, places)
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def filesize_vn(size: int) -> str:
    """1258291 → '1,2 MB' in Vietnamese (the active language's separators); 2300 → '2 KB'."""
    number, places, unit = file_size(size)
    return f"{vnnum(number, places)} {unit}"


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def absolute(value: Any) -> Any:
    """−0,567 → 0,567 for wordings that say "giảm" themselves."""
    return abs(value) if value is not None and value != "" else value
