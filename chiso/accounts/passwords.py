"""Django's password rules with messages written for chiso's users (Django's own Vietnamese is literal)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation as django_rules
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    def validate(self, password: str, user: Any = None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(_("Mật khẩu cần có ít nhất %(min_length)d ký tự."),
                                  code="password_too_short", params={"min_length": self.min_length})

    def get_help_text(self) -> str:
        return _("Ít nhất %(min_length)d ký tự.") % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(_("Mật khẩu quá giống tên đăng nhập, họ tên hoặc địa chỉ thư của bạn."),
                                  code="password_too_similar") from None

    def get_help_text(self) -> str:
        return _("Không giống tên đăng nhập, họ tên hay địa chỉ thư.")


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def validate(self, password: str, user: Any = None) -> None:
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError(_("Mật khẩu này quá thông dụng, dễ bị đoán ra; hãy chọn mật khẩu khác."),
                                  code="password_too_common") from None

    def get_help_text(self) -> str:
        return _("Không phải một mật khẩu thông dụng.")


class NumericPasswordValidator(django_rules.NumericPasswordValidator):
    def validate(self, password: str, user: Any = None) -> None:
        if password.isdigit():
            raise ValidationError(_("Mật khẩu không được chỉ gồm chữ số."), code="password_entirely_numeric")

    def get_help_text(self) -> str:
        return _("Không chỉ gồm chữ số.")
