"""The kernel's own models: a staff account's preferences, and the content generation.

Both were the organizations app's (migrations ``organizations/0007_content_generation`` and
``0012_user_preference``) and moved here without touching the database: their tables keep their
names (``db_table``), see ``core/migrations/0001_models_from_organizations.py``.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


def validate_time_zone(value: str) -> None:
    if value and value not in available_timezones():
        raise ValidationError(_("Unknown time zone."), code="invalid")


class UserPreference(models.Model):
    """A staff account's preferences: the language of the e-mails the portal sends them (the
    renewal reminders), and whether they are told of their partners' steps on shared agreements.
    An account without a row gets ``settings.LANGUAGE_CODE`` and the notices: see
    :func:`language_of`."""

    class AgreementNotices(models.TextChoices):
        IMMEDIATELY = "immediately", _("Immediately")
        DAILY = "daily", _("Once a day, as a digest")
        NEVER = "never", _("Never")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="preference",
    )
    language = models.CharField(
        _("language of e-mails"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Reminders and other e-mails from the portal are written in this language."),
    )
    agreement_notices = models.CharField(
        _("e-mails about partners' steps"),
        max_length=11,
        choices=AgreementNotices,
        default=AgreementNotices.IMMEDIATELY,
        db_default=AgreementNotices.IMMEDIATELY,  # a database default: no table rewrite
        help_text=_(
            "An e-mail when a partner submits, approves, publishes or withdraws a shared "
            "agreement, or changes its key terms. Renewal reminders are sent either way."
        ),
    )

    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        default="",
        db_default="",  # a database default: no table rewrite
        validators=[validate_time_zone],
        help_text=_(
            "Times in the admin (approvals, comments, history) are shown in this time zone. "
            "Empty: the portal's own."
        ),
    )

    class Meta:
        db_table = "organizations_userpreference"  # the organizations app's table until it moved
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")
        ordering = ["user"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_language_display()})"


def language_of(user: Any) -> str:
    """The language to write to ``user`` in: their preference, else the site's default.
    Reads ``user.preference`` (``select_related("preference")`` avoids a query per user)."""
    try:
        return user.preference.language
    except UserPreference.DoesNotExist:
        return settings.LANGUAGE_CODE


class ContentGeneration(models.Model):
    """One row whose ``value`` changes in every transaction that changes what public pages show.

    Written only by PostgreSQL: a deferred constraint trigger on each tracked table
    (``core/caching.py``) replaces ``value`` with a random UUID when the writing transaction
    commits, whatever wrote (the admin, a service, a bulk import, raw SQL). The page cache, the
    cached summaries and the ETags of public pages are keyed on it (``core/caching.py``,
    ``portal/caching.py``).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.UUIDField(verbose_name=_("value"))

    class Meta:
        # The organizations app's table and constraint until they moved: the names are kept, and
        # with them the SQL of the triggers that write the row.
        db_table = "organizations_contentgeneration"
        verbose_name = _("content generation")
        verbose_name_plural = _("content generations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=1), name="organizations_contentgeneration_single_row"
            ),
        ]

    def __str__(self) -> str:
        return str(self.value)


class PageViews(models.Model):
    """How often a record's public page was viewed on a day, in every language (issue 23): no
    visitor, address or agent is stored, only the record, the day and the count. Written in
    batches by ``core/pageviews.py``; read by the "Needs translation" queue (most viewed
    first)."""

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, verbose_name=_("kind of record")
    )
    object_id = models.BigIntegerField(verbose_name=_("record"))
    day = models.DateField(verbose_name=_("day"))
    views = models.PositiveIntegerField(default=0, verbose_name=_("views"))

    class Meta:
        verbose_name = _("page views")
        verbose_name_plural = _("page views")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "day"],
                name="core_pageviews_one_row_per_record_and_day",
            ),
        ]
        # The unique constraint's index serves the queue's sum per record over recent days
        # (content type, object id, then a range of days).

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.day}: {self.views}"
