"""The staff accounts that manage an organisation: the link the access rules read.

Its own module of the models package: it is about accounts and rights, not about the regions,
organisations and people of ``organizations/models/__init__.py``, and those import nothing from
here (the foreign key names its organisation by label), so the package has no import circle.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ClusterManager(models.Model):
    """A staff account that manages an organisation's records in the admin.

    The organisation scope of a cluster manager's rights: ``organizations/access.py`` reads these
    rows to tell ``core/access.py`` which organisations a user manages, and what they may edit
    follows from that (and Django's permissions), once for the admin, the public pages and the API.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="cluster_managements",
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="cluster_managers",
    )

    class Meta:
        verbose_name = _("cluster manager")
        verbose_name_plural = _("cluster managers")
        ordering = ["organization", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="cluster_manager_once_per_organization"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organization}"
