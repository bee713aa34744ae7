from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GroupReview(models.Model):
    """The coordinator has gone through the province's group wordings ("UBND cấp xã" …) once: nothing in the
    data says so otherwise, since the standard wordings arrive with the first units."""

    province = models.OneToOneField("orgs.Province", on_delete=models.CASCADE, related_name="group_review",
                                    verbose_name=_("tỉnh"))
    reviewed_at = models.DateTimeField(_("rà soát lúc"), auto_now=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+", verbose_name=_("người rà soát"))

    class Meta:
        verbose_name = _("rà soát nhóm đơn vị")
        verbose_name_plural = _("rà soát nhóm đơn vị")

    def __str__(self) -> str:
        return str(self.province)
