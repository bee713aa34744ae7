"""What a field may hold, defined once: dates in years a plan can be about, integers that fit their column,
free text that fits the exports. Models attach these validators (checked by every ModelForm and the back
office); plain forms get the same limits from BoundedForm, which bounds every field the form left open.

Why these numbers: a date outside 2000–2100 is a typing mistake (01/01/0001, 9999), not a plan; an .xlsx
cell holds at most 32 767 characters, so no text may be longer than a cell (a plan's sections stay under it,
a task's or a report line's text is far shorter); a small-integer column holds up to 32 767."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import DecimalValidator, MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 2000, 2100
XLSX_CELL_MAX = 32_767
# A section of a plan (legal basis, body, implementation …): one spreadsheet cell at most.
DOCUMENT_TEXT_MAX = 32_000
# A task's content, a line's "what was done", a note, a comment: a few pages of text.
TEXT_MAX = 10_000
SMALL_INT_MAX = 32_767
INT_MAX = 2_147_483_647


@deconstructible
class PlausibleDate:
    """A date (or the date of a date-time) in FIRST_YEAR–LAST_YEAR."""

    def __call__(self, value: dt.date | None) -> None:
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise ValidationError(YEAR_MESSAGE, code="implausible_date",
                                  params={"first": FIRST_YEAR, "last": LAST_YEAR})

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlausibleDate)

    def __hash__(self) -> int:
        return hash(type(self))


YEAR_MESSAGE = _("Năm phải từ %(first)s đến %(last)s.")
plausible_date = PlausibleDate()


def at_most(limit: int) -> MaxValueValidator:
    return MaxValueValidator(limit, message=_("Giá trị không được lớn hơn %(limit_value)s."))


def at_least(limit: int) -> MinValueValidator:
    return MinValueValidator(limit, message=_("Giá trị không được nhỏ hơn %(limit_value)s."))


def text_at_most(limit: int) -> MaxLengthValidator:
    return MaxLengthValidator(limit, message=_("Nội dung dài tối đa %(limit_value)s ký tự (hiện có %(show_value)s)."))


YEAR_VALIDATORS = [at_least(FIRST_YEAR), at_most(LAST_YEAR)]
SMALL_INT_VALIDATORS = [at_most(SMALL_INT_MAX)]
TEXT_VALIDATORS = [text_at_most(TEXT_MAX)]
DOCUMENT_TEXT_VALIDATORS = [text_at_most(DOCUMENT_TEXT_MAX)]

NUL_MESSAGE = _("Nội dung có ký tự không hợp lệ (ký tự NUL, thường do sao chép từ phần mềm khác). "
                "Xóa ký tự đó rồi gửi lại.")


def holds_nul(*texts: str) -> bool:
    """Whether any of the texts holds the NUL character, which no database column takes: PostgreSQL refuses
    it in a value saved and in a filter alike (a server error). Forms refuse it in their fields (bound_field);
    this is for text read outside a form."""
    return any("\x00" in text for text in texts)


NUMBER_MESSAGES = {"invalid": _("Nhập một số nguyên."), "min_value": _("Giá trị không được nhỏ hơn %(limit_value)s."),
                   "max_value": _("Giá trị không được lớn hơn %(limit_value)s.")}


def bound_field(field: forms.Field) -> None:
    """Give a form field the limit it lacks: text to TEXT_MAX, integers to their column, dates to the years
    a plan can be about. A limit the form set itself (a smaller max_length, 0–100 %) is kept; Django's own
    limit validators are replaced by the same limits with chiso's Vietnamese wording."""
    if isinstance(field, forms.CharField):
        field.error_messages["null_characters_not_allowed"] = NUL_MESSAGE
    if isinstance(field, forms.CharField) and not isinstance(field, forms.EmailField | forms.URLField):
        if field.max_length is None:
            field.max_length = TEXT_MAX
            field.widget.attrs.setdefault("maxlength", str(TEXT_MAX))
        field.validators = [v for v in field.validators if not isinstance(v, MaxLengthValidator)]
        field.validators.append(text_at_most(field.max_length))
    elif isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField | forms.FloatField):
        # A form sets plain integers as limits (a callable limit would be a date's, not an integer's).
        top = field.max_value if isinstance(field.max_value, int) else INT_MAX
        bottom = field.min_value if isinstance(field.min_value, int) else -INT_MAX
        field.max_value, field.min_value = top, bottom
        field.validators = [v for v in field.validators if not isinstance(v, MaxValueValidator | MinValueValidator)]
        field.validators += [at_least(bottom), at_most(top)]
        if field.error_messages.get("invalid") == forms.IntegerField.default_error_messages["invalid"]:
            field.error_messages["invalid"] = NUMBER_MESSAGES["invalid"]
    elif isinstance(field, forms.ModelChoiceField):
        # This instance only: its lookup of a chosen id is wrapped, the class is untouched.
        field.clean = _ids_in_range(field, field.clean)  # type: ignore[method-assign,assignment]
    elif isinstance(field, forms.DecimalField) and field.max_digits is None:
        field.max_digits = 15
        field.validators.append(DecimalValidator(15, field.decimal_places))
    elif isinstance(field, forms.DateField | forms.DateTimeField) and plausible_date not in field.validators:
        field.validators.append(plausible_date)


def _ids_in_range(field: forms.ModelChoiceField, clean: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """Django looks a chosen id up as it was sent: an id of 20 digits overflows SQLite's integer and raises
    instead of being refused. An id longer than any stored one is refused as a choice not offered."""
    def checked(value: Any) -> Any:
        for chosen in value if isinstance(value, list | tuple) else [value]:
            text = str(chosen).strip().lstrip("-")
            if text.isdigit() and len(text) > 18:
                raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice",
                                      params={"value": chosen})
        return clean(value)
    return checked


class BoundedForm:
    """Mixin for forms.Form and forms.ModelForm: every field bounded (see bound_field)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            bound_field(field)
