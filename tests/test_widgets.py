"""QuickSelect writes the markup Django's Select renders through templates, only faster."""

from __future__ import annotations

import re

import pytest
from django import forms

from chiso.core.widgets import QuickSelect

CHOICES = [("", "Tất cả đơn vị"), ("1", 'Sở <Nội vụ> & "Tư pháp"'), ("2", "UBND phường Minh Xuân"),
           ("Nhóm", [("3", "Xã Hùng Lợi"), ("4", "Xã Trung Minh")])]


def _form(widget: type[forms.Select], required: bool) -> type[forms.Form]:
    class Form(forms.Form):
        unit = forms.ChoiceField(label="Đơn vị", choices=CHOICES, required=required, widget=widget)

    return Form


def _markup(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("data", [None, {"unit": "2"}, {"unit": "4"}, {"unit": "không có"}])
@pytest.mark.parametrize("required", [False, True])
def test_quick_select_writes_what_django_renders(data, required):
    django_html = str(_form(forms.Select, required)(data)["unit"])
    quick_html = str(_form(QuickSelect, required)(data)["unit"])
    assert _markup(quick_html) == _markup(django_html)
    assert "&lt;Nội vụ&gt; &amp; &quot;Tư pháp&quot;" in quick_html  # escaped once, as Django does
