"""Access tokens of the API and the record of every write made through it.

A token is shown once and stored only as its SHA-256: a database dump reveals no usable token. A personal
token acts with its owner's rights; a system token is issued by a coordinator for another system and acts
as a service account of the province (read-only) or of one unit (its reports), so that the same scoping and
permission functions as the pages apply to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chiso.core.bounds import plausible_date


class TokenKind(models.TextChoices):
    PERSONAL = "personal", _("Khóa cá nhân")
    SYSTEM = "system", _("Khóa cho hệ thống khác")


class TokenScope(models.TextChoices):
    FULL = "full", _("Theo quyền của người dùng")
    READ = "read", _("Chỉ đọc")
    UNIT_REPORTS = "unit_reports", _("Báo cáo của một đơn vị")


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True)


class ApiToken(models.Model):
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=10, choices=TokenKind.choices)
    scope = models.CharField(_("phạm vi"), max_length=20, choices=TokenScope.choices, default=TokenScope.FULL)
    # Whose rights the token carries: the owner for a personal token, the service account for a system one.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                  related_name="+", verbose_name=_("người cấp"))
    province = models.ForeignKey("orgs.Province", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                             verbose_name=_("đơn vị"))
    prefix = models.CharField(_("mã nhận diện"), max_length=12)
    key_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn"), validators=[plausible_date])
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")

    def __str__(self) -> str:
        return self.name

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def read_only(self) -> bool:
        return self.scope == TokenScope.READ


class ApiWrite(models.Model):
    """One write made through the API, with the token that made it; the changed rows' own history carries
    the token's name as its change reason."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="writes")
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=300)
    status = models.PositiveSmallIntegerField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("lần ghi qua API")
        verbose_name_plural = _("lần ghi qua API")

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status}"


class RequestCount(models.Model):
    """Requests of one subject (a token, a signed-in user, an address) in one minute window: the rate limit's
    counter, kept in the database that every web process shares (chiso.api.limits)."""

    subject = models.CharField(max_length=80)
    minute = models.BigIntegerField()  # the window: minutes since the epoch
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subject", "minute"], name="api_requestcount_one_per_minute")]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.minute}: {self.used}"
