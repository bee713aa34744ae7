"""A form's fields as a browser would post them back unchanged: the starting point of tests that change one
field (boundaries) or many (the fuzzer)."""

from __future__ import annotations

from typing import Any

from django import forms


def posted(form: forms.BaseForm) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[key] = "on"
        elif isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            data[key] = [str(v) for v in (value or [])]
        elif value is None:
            data[key] = ""
        else:
            data[key] = field.widget.format_value(value) or ""
    return data
