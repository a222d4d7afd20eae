"""Translation status per record in the admin: a list column saying in which languages a record's
texts are complete, and a filter "missing in Japanese" (any language of settings.LANGUAGES).

A text is missing in a language when it has a text in some language but none in that one; a
record whose texts are empty in every language misses nothing (there is nothing to translate).
The model admin names the fields that count: ``translation_status_fields = ("name",
"description")``; and, where a text may be kept in its original language beside them (a quote
as it was said, an agreement's title in the signed language), the column that holds it:
``translation_status_originals = {"text": "original_text"}`` — a quote kept only in French is
missing in every language of the portal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core import access
from core.languages import language_codes, language_name
from core.pageviews import recent_views


def _empty(column: str) -> Q:
    return Q(**{f"{column}__isnull": True}) | Q(**{column: ""})


Originals = dict[str, str]


def missing_in(fields: tuple[str, ...], language: str, originals: Originals | None = None) -> Q:
    """Rows with a text of one of ``fields`` in some language (or in its original language,
    ``originals``) but not in ``language``."""
    originals = originals or {}
    condition = Q(pk__in=[])
    for field in fields:
        elsewhere = Q(pk__in=[])
        for code in language_codes():
            if code != language:
                elsewhere |= ~_empty(f"{field}_{code}")
        if field in originals:
            elsewhere |= ~_empty(originals[field])
        condition |= _empty(f"{field}_{language}") & elsewhere
    return condition


def missing_languages(
    obj: Any, fields: tuple[str, ...], originals: Originals | None = None
) -> list[str]:
    """The languages in which one of ``fields`` of ``obj`` has no text while another (or the
    original, ``originals``) has one."""
    originals = originals or {}
    missing = []
    for code in language_codes():
        for field in fields:
            texts = {c: (getattr(obj, f"{field}_{c}", "") or "").strip() for c in language_codes()}
            original = (
                (getattr(obj, originals[field], "") or "").strip() if field in originals else ""
            )
            if not texts[code] and (any(texts.values()) or original):
                missing.append(code)
                break
    return missing


class MissingTranslationFilter(admin.SimpleListFilter):
    """ "Missing in Japanese": the records whose texts still lack that language."""

    title = _("translation")
    parameter_name = "missing"

    def lookups(self, request, model_admin) -> list[tuple[str, str]]:
        return [
            (code, str(_("missing in %(language)s") % {"language": language_name(code)}))
            for code in language_codes()
        ]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        code = self.value()
        if code not in language_codes():
            return queryset
        # Set by the mixin's get_list_filter.
        return queryset.filter(
            missing_in(self.model_admin_fields, code, self.model_admin_originals)
        )

    model_admin_fields: tuple[str, ...] = ()
    model_admin_originals: ClassVar[Originals] = {}


class TranslationStatusAdminMixin:
    """Adds the "translations" column and the "missing in …" filter to a model admin."""

    translation_status_fields: ClassVar[tuple[str, ...]] = ()
    translation_status_originals: ClassVar[Originals] = {}
    # A record with a public page whose views are counted (core/pageviews.py): the queue
    # lists the most viewed first.
    translation_queue_by_views: ClassVar[bool] = False

    def get_list_display(self, request):
        columns = list(super().get_list_display(request))  # type: ignore[misc]  # mixed into a ModelAdmin
        return [*columns, "translation_status"]

    def get_list_filter(self, request):
        fields = self.translation_status_fields
        status_filter = type(
            "MissingTranslationFilter",
            (MissingTranslationFilter,),
            {
                "model_admin_fields": fields,
                "model_admin_originals": self.translation_status_originals,
            },
        )
        return [*super().get_list_filter(request), status_filter]  # type: ignore[misc]  # mixed into a ModelAdmin

    @admin.display(description=_("translations"))
    def translation_status(self, obj) -> str:
        """Each language's code, struck through where a text is missing: "en de ~~ja~~ fr"."""
        missing = set(
            missing_languages(
                obj, self.translation_status_fields, self.translation_status_originals
            )
        )
        return format_html_join(
            " ",
            "{}",
            (
                (
                    format_html('<del title="{}">{}</del>', _("missing"), code)
                    if code in missing
                    else code,
                )
                for code in language_codes()
            ),
        ) or format_html("{}", "—")


@dataclass(frozen=True)
class NextRecord:
    """A record still missing the chosen language: what to translate next."""

    label: str
    model_name: str
    url: str
    changed: Any  # when it was last changed (None for a model without ``updated_at``)
    views: int = 0  # of its public page, in the last PORTAL_PAGE_VIEWS_QUEUE_DAYS days


NEXT_PER_LANGUAGE = 20


@dataclass(frozen=True)
class QueueRow:
    """One line of the "Needs translation" page: a kind of record, a language, how many."""

    model_name: str
    language: str
    language_name: str
    count: int
    url: str


def translation_queue_rows(site: admin.AdminSite, request) -> list[QueueRow]:
    """For every model admin with a translation status and every language: the records the
    user may change (the admin's own queryset, narrowed to the rows the organisation scope of
    core/access.py lets them edit: a manager's or a translator's own) that still miss it, most
    first. One query per model (a count per language in it), whatever the data."""
    rows = []
    for model, model_admin in site._registry.items():  # the documented registry
        fields = getattr(model_admin, "translation_status_fields", ())
        if not fields or not model_admin.has_change_permission(request):
            continue
        originals = getattr(model_admin, "translation_status_originals", {})
        # The rows the user may edit, without what the admin's list adds to them (an
        # agreement's derived status: a subquery per row the count would wrap).
        queryset = access.editable(request.user, model._default_manager.order_by())
        changelist = reverse(
            f"{site.name}:{model._meta.app_label}_{model._meta.model_name}_changelist"
        )
        counts = queryset.aggregate(
            **{
                code: Count("pk", filter=missing_in(fields, code, originals))
                for code in language_codes()
            }
        )
        for code in language_codes():
            count = counts[code]
            rows.append(
                QueueRow(
                    model_name=str(model._meta.verbose_name_plural),
                    language=code,
                    language_name=language_name(code),
                    count=count,
                    url=f"{changelist}?{urlencode({'missing': code})}",
                )
            )
    return sorted(rows, key=lambda row: (-row.count, row.model_name, row.language))


def next_to_translate(
    site: admin.AdminSite, request, language: str, rows: list[QueueRow]
) -> list[NextRecord]:
    """The records the user may edit that still miss ``language``, at most
    ``NEXT_PER_LANGUAGE``: the most viewed in the last ``PORTAL_PAGE_VIEWS_QUEUE_DAYS`` days
    first (``core/pageviews.py``; records without a public page count none), then the newest;
    one query per kind of record with any missing (``rows``, from
    :func:`translation_queue_rows`)."""
    wanted = {row.model_name for row in rows if row.language == language and row.count}
    found: list[NextRecord] = []
    for model, model_admin in site._registry.items():  # the documented registry
        fields = getattr(model_admin, "translation_status_fields", ())
        name = str(model._meta.verbose_name_plural)
        if not fields or name not in wanted:
            continue
        originals = getattr(model_admin, "translation_status_originals", {})
        dated = any(f.name == "updated_at" for f in model._meta.concrete_fields)
        queryset = access.editable(request.user, model._default_manager.all()).filter(
            missing_in(fields, language, originals)
        )
        if getattr(model_admin, "translation_queue_by_views", False):
            # Most viewed, then newest (the primary key, backwards). The views are summed per
            # missing row: one index range each.
            queryset = queryset.annotate(recent_views=recent_views(model)).order_by(
                "-recent_views", "-pk"
            )
        else:
            # Newest first: read backwards along the primary key, stopping after the few
            # needed (ordering by the time of the last change sorted every missing row: 340 ms
            # for 50,000 contact points).
            queryset = queryset.order_by("-pk")
        info = (site.name, model._meta.app_label, model._meta.model_name)
        relations = _str_relations(model_admin)
        if relations:
            queryset = queryset.select_related(*relations)
        for obj in queryset[:NEXT_PER_LANGUAGE]:
            found.append(
                NextRecord(
                    label=str(obj),
                    model_name=str(model._meta.verbose_name),
                    url=reverse("{}:{}_{}_change".format(*info), args=[obj.pk]),
                    changed=getattr(obj, "updated_at", None) if dated else None,
                    views=getattr(obj, "recent_views", 0),
                )
            )
    # Of the first of each kind: the most viewed, then the most recently changed.
    found.sort(
        key=lambda record: (record.views, record.changed is not None, record.changed),
        reverse=True,
    )
    return found[:NEXT_PER_LANGUAGE]


def _str_relations(model_admin: Any) -> tuple[str, ...]:
    """What a record's ``str()`` reads beside it, as its list does (``list_select_related``)."""
    related = getattr(model_admin, "list_select_related", ())
    return tuple(related) if isinstance(related, list | tuple) else ()


def translation_totals(site: admin.AdminSite, request) -> list[tuple[str, str, int]]:
    """``(code, language name, records missing it)`` for every language: a translator's start
    page, each linking to the queue in that language (one query per kind of record)."""
    rows = translation_queue_rows(site, request)
    return [
        (code, language_name(code), sum(row.count for row in rows if row.language == code))
        for code in language_codes()
    ]
