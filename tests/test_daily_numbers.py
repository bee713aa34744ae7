"""Numbers on screen: thousands grouped, decimal comma (core templatetags vnnum)."""

from __future__ import annotations

from django.utils import translation

from chiso.core.templatetags.chiso import vnnum


def test_large_counts_get_the_thousands_dot_and_decimals_the_comma():
    with translation.override("vi"):
        assert vnnum(4744) == "4.744"
        assert vnnum("42.153") == "42,153"
        assert vnnum(1234567.5) == "1.234.567,5"
        assert vnnum(36) == "36"
    with translation.override("en"):
        assert vnnum(4744) == "4,744"
