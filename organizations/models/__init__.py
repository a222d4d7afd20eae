"""Regions, organisations, focus areas and the people who work for them.

The staff accounts that manage organisations are in ``accounts.py`` (``ClusterManager``); this
package exports them too, as Django expects of an app's ``models``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q, Value
from django.db.models.expressions import CombinedExpression, RawSQL
from django.db.models.functions import Coalesce, Now, NullIf
from django.urls import reverse
from django.utils.functional import cached_property, lazy
from django.utils.translation import get_language, override
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from core.deletion import refuse_if_guarded
from core.languages import AnyLanguageModelMixin, language_codes, language_fields
from core.trees import would_be_own_ancestor
from organizations.functions import OrganizationNames, PersonDocument, RegionDocument, SearchTerms
from organizations.logos import LOGO_MAX_MB, LOGO_SIZES, logo_key, validate_logo_file
from organizations.models.accounts import ClusterManager as ClusterManager
from organizations.profiles import PROFILE_TEXT_MAX, language_name, validate_language_codes

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


# The row type is spelled out: with only the model, mypy leaves rows of ``self`` untyped.
def sort_name_expression(language: str) -> Coalesce:
    """The organisation name to sort by in ``language``: its name in that language, else the
    first of English, German, Japanese that is filled (empty strings count as missing). The
    expression of the organizations_org_sort_* indexes and of ``organizations.search.sort_name``.
    """
    order = [language, *(code for code in language_codes() if code != language)]
    return Coalesce(
        *(NullIf(F(f"name_{code}"), Value("")) for code in order[:-1]),
        F(f"name_{order[-1]}"),
    )


def _interpolate(text: StrOrPromise, values: dict[str, Any]) -> str:
    return str(text) % values


# A translated text with values put in when it is shown, in the language of that moment.
lazy_interpolate = lazy(_interpolate, str)


def sme_percent_expression() -> CombinedExpression:
    """The SMEs' share of the members in whole percent (rounded down), NULL without members:
    the expression of the organizations_org_sme_share index and of the list's SME filter."""
    return F("sme_count") * 100 / NullIf(F("member_count"), 0)


class RegionQuerySet(models.QuerySet["Region", "Region"]):
    def subtree_ids(self, region: Region) -> models.QuerySet:
        """The ids of ``region`` and everything below it, as a subquery for ``__in=`` (one
        recursive query inside the caller's query; :meth:`subtree_id_list` reads it as a list, for
        the public pages, where the planner needs its size).

        "Below" follows both the tree (``parent``) and curated membership (``members``): Kansai
        includes the Osaka prefecture, and therefore everything registered in Osaka.
        """
        member_table = Region.members.through._meta.db_table
        # PostgreSQL allows one recursive reference only, so both kinds of edge (tree and
        # membership) are first gathered into one non-recursive ``edges`` term.
        sql = f"""
            WITH RECURSIVE edges(parent_id, child_id) AS (
                SELECT parent_id, id FROM {Region._meta.db_table} WHERE parent_id IS NOT NULL
                UNION ALL
                SELECT from_region_id, to_region_id FROM {member_table}
            ),
            subtree(id) AS (
                SELECT %s::bigint
                UNION
                SELECT edges.child_id FROM edges JOIN subtree ON edges.parent_id = subtree.id
            )
            SELECT id FROM subtree
        """  # noqa: S608 - table names come from _meta; values are query parameters
        ids = RawSQL(sql, [region.pk])  # noqa: S611 - fixed SQL; values are query parameters
        return Region.objects.filter(pk__in=ids).values_list("pk", flat=True)

    def subtree_id_list(self, region: Region) -> list[int]:
        """:meth:`subtree_ids`, read now (one query): for the public pages' filters.

        A list of known length lets PostgreSQL estimate how many organisations (and their
        agreements) the filter keeps and read them through the ``region_id`` index. Given the
        recursive subquery instead, it cannot estimate its size and reads the whole
        organisations table (the region page of a state at 100,000 organisations: a sequential
        scan of 550 ms for 700 organisations). The list is as long as the subtree has regions.
        """
        return list(self.subtree_ids(region))

    def upward_ids(self, region_ids: list[int]) -> list[int]:
        """``region_ids`` and every region above them — parents and the macro-regions that include
        them (Osaka → Japan, Kansai) — in one recursive query."""
        from django.db import connection

        if not region_ids:
            return []
        sql = _upward_sql("SELECT unnest(%s::bigint[])")
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(region_ids)])
            return [row[0] for row in cursor.fetchall()]

    def with_organizations(self) -> RegionQuerySet:
        """Regions with an organisation in their subtree: the regions of organisations and every
        region above them (tree and macro-regions). One recursive subquery in the caller's query
        (the sitemap's regions), never a list of ids in Python."""
        # The seed asks each region whether an organisation is registered in it (one probe of
        # the organisations' region index per region), instead of reading every organisation
        # for its distinct regions: bounded by the number of regions.
        regions, organizations = Region._meta.db_table, Organization._meta.db_table
        sql = _upward_sql(
            f"SELECT r.id FROM {regions} r"  # noqa: S608 - table names from _meta
            f" WHERE EXISTS (SELECT 1 FROM {organizations} o WHERE o.region_id = r.id)"
        )
        return self.filter(pk__in=RawSQL(sql, []))  # noqa: S611 - fixed SQL, no values

    def organization_counts(self, root_ids: list[int] | None = None) -> dict[int, int]:
        """{region id: organisations registered in it or in the tree below it} for ``root_ids``,
        or for every country when ``root_ids`` is None; regions without organisations are left
        out. One grouped query: the tree below the roots (by ``parent``; curated macro-region
        membership is not followed, so that nothing is counted twice) joined to organisations.
        """
        table = Region._meta.db_table
        if root_ids is None:
            roots = f"SELECT id, id FROM {table} WHERE kind = %s AND parent_id IS NULL"  # noqa: S608 - table name from _meta
            params: list[Any] = [Region.Kind.COUNTRY.value]
        else:
            if not root_ids:
                return {}
            roots = "SELECT id, id FROM unnest(%s::bigint[]) AS r(id)"
            params = [list(root_ids)]
        # Each region below a root counts its own organisations (LATERAL: an index-only count on
        # ``region_id`` per region), so only the subtree's organisations are read; a join let
        # PostgreSQL, unable to estimate the recursive part, count every organisation.
        sql = f"""
            WITH RECURSIVE below(id, root_id) AS (
                {roots}
                UNION ALL
                SELECT r.id, below.root_id FROM {table} r JOIN below ON r.parent_id = below.id
            )
            SELECT below.root_id, sum(here.n)::int FROM below
            CROSS JOIN LATERAL (
                SELECT count(*) AS n FROM {Organization._meta.db_table} o
                WHERE o.region_id = below.id
            ) here
            GROUP BY below.root_id
            HAVING sum(here.n) > 0
        """  # noqa: S608 - table names come from _meta; values are query parameters
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return dict(cursor.fetchall())

    def countries_of(self, region_ids: Iterable[int]) -> dict[int, Region]:
        """{region id: the country at the root of its tree} (``Region.country`` for many ids):
        one recursive query; a region under a macro-region alone has none."""
        ids = sorted(set(region_ids))
        if not ids:
            return {}
        countries, key, _id, _single, _name, _descriptor = Region.country.get_prefetch_querysets(
            [Region(pk=pk) for pk in ids]
        )
        return {key(country): country for country in countries}

    def breadcrumb(self, region: Region) -> list[Region]:
        """``region``'s parents from the root down, then ``region`` (Germany › Bavaria › Munich).

        One query whatever the depth.
        """
        table = Region._meta.db_table
        chain_sql = f"""
            WITH RECURSIVE chain(id, parent_id) AS (
                SELECT id, parent_id FROM {table} WHERE id = %s
                UNION
                SELECT r.id, r.parent_id FROM {table} r JOIN chain ON r.id = chain.parent_id
            )
            SELECT id FROM chain
        """  # noqa: S608 - table names come from _meta; values are query parameters
        chain_ids = RawSQL(chain_sql, [region.pk])  # noqa: S611 - fixed SQL; values are parameters
        by_id = {r.pk: r for r in self.filter(pk__in=chain_ids)}
        chain: list[Region] = []
        node = by_id.get(region.pk)
        while node is not None and node not in chain:
            chain.append(node)
            node = by_id.get(node.parent_id) if node.parent_id is not None else None
        return list(reversed(chain))


def _upward_sql(seed: str) -> str:
    """A query of the ids ``seed`` selects and of every region above them: parents and the
    macro-regions that include them (Osaka → Japan, Kansai), in one recursive query."""
    member_table = Region.members.through._meta.db_table
    return f"""
        WITH RECURSIVE upward(id) AS (
            {seed}
            UNION
            SELECT edge.up_id FROM (
                SELECT parent_id AS up_id, id AS child_id FROM {Region._meta.db_table}
                    WHERE parent_id IS NOT NULL
                UNION ALL
                SELECT from_region_id, to_region_id FROM {member_table}
            ) edge
            JOIN upward ON edge.child_id = upward.id
        )
        SELECT id FROM upward
    """  # noqa: S608 - table names come from _meta; values are query parameters


class CountryOfRegion:
    """``region.country``: the country at the root of the region's tree (Germany for Munich, the
    region itself for a country; None under a macro-region), prefetchable like a foreign key:
    ``prefetch_related("parties__organization__region__country")`` reads the countries of every
    loaded region in one recursive query whatever their depth. Unprefetched, one query each."""

    cache_name = "country"

    def is_cached(self, instance: Region) -> bool:
        return self.cache_name in instance._state.fields_cache

    def __get__(self, instance: Region | None, owner: Any = None) -> Any:
        if instance is None:
            return self
        if not self.is_cached(instance):
            countries = list(self.get_prefetch_querysets([instance])[0])
            instance._state.fields_cache[self.cache_name] = countries[0] if countries else None
        return instance._state.fields_cache[self.cache_name]

    def get_prefetch_querysets(self, instances: list[Region], querysets: Any = None) -> tuple:
        table = Region._meta.db_table
        sql = f"""
            WITH RECURSIVE up(start_id, id, parent_id) AS (
                SELECT id, id, parent_id FROM {table} WHERE id = ANY(%s)
                UNION
                SELECT up.start_id, r.id, r.parent_id FROM {table} r JOIN up ON r.id = up.parent_id
            )
            SELECT r.*, up.start_id FROM up JOIN {table} r ON r.id = up.id
            WHERE up.parent_id IS NULL AND r.kind = %s
        """  # noqa: S608 - table name from _meta; values are query parameters
        ids = sorted({instance.pk for instance in instances})
        countries = Region.objects.raw(sql, [ids, Region.Kind.COUNTRY.value])
        return (
            countries,
            lambda country: country.start_id,
            lambda region: region.pk,
            True,  # one country per region
            self.cache_name,
            False,  # stored in the region's field cache, not set through a descriptor
        )


class Region(AnyLanguageModelMixin, models.Model):
    """A node of the region tree: country → state/prefecture → district → city, plus macro-regions.

    Countries and subdivisions come from ISO 3166 (``manage.py load_regions``); macro-regions such
    as Kansai are curated and list the regions they include in ``members``.
    """

    class Kind(models.TextChoices):
        COUNTRY = "country", _("Country")
        SUBDIVISION = "subdivision", _("State / prefecture")
        DISTRICT = "district", _("District")
        CITY = "city", _("City / municipality")
        MACRO_REGION = "macro_region", _("Macro-region")

    any_language_fields = ("name",)  # a name in one language, any (core/languages.py)

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    iso_code = models.CharField(
        _("ISO 3166 code"),
        max_length=10,
        blank=True,
        help_text=_("ISO 3166-1 alpha-2 for countries (DE), ISO 3166-2 for subdivisions (DE-BY)."),
    )
    iso_type = models.CharField(
        _("ISO subdivision type"), max_length=100, blank=True, help_text=_("e.g. Land, Prefecture")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    members = models.ManyToManyField(
        "self",
        verbose_name=_("includes"),
        symmetrical=False,
        blank=True,
        related_name="macro_regions",
        help_text=_("For macro-regions: the regions it includes (Kansai includes Osaka)."),
    )
    aliases = models.CharField(
        _("aliases"),
        max_length=500,
        blank=True,
        help_text=_("Other common names, separated by commas (Munchen, Muenchen)."),
    )
    # FocusArea is defined below: the plugin cannot infer the target of the string reference.
    strengths: models.ManyToManyField[FocusArea, Any] = models.ManyToManyField(
        "FocusArea",
        verbose_name=_("strengths"),
        blank=True,
        related_name="strong_regions",
        help_text=_("Fields the region is known for, e.g. personalised medicine in Munich."),
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    objects = RegionQuerySet.as_manager()
    country = CountryOfRegion()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]
        indexes = [
            # Region picker (region_suggest) and region names typed into the region filter
            # (organizations/search/regions.py): substrings of 3+ characters ...
            GinIndex(
                OpClass(RegionDocument(languages=language_codes()), name="gin_trgm_ops"),
                name="organizations_region_doc_trgm",
            ),
            # ... and 1-2 character words and CJK bigrams.
            GinIndex(
                SearchTerms(RegionDocument(languages=language_codes())),
                name="organizations_region_terms_gin",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["iso_code"],
                condition=~Q(iso_code=""),
                name="organizations_region_unique_iso_code",
                # Code "unique" on a one-field constraint puts the message on the field.
                violation_error_code="unique",
                violation_error_message=_("Another region already has this ISO 3166 code."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="organizations_region_not_own_parent",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="organizations_region_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="organizations_region_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="organizations_region_centroid_complete",
            ),
            models.CheckConstraint(
                condition=~Q(kind="country") | Q(parent__isnull=True),
                name="organizations_region_country_is_root",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        # A URL name, not an import: the region page lists agreements, so partnerships serves it.
        return reverse("partnerships:region_detail", kwargs={"slug": self.slug})

    @cached_property
    def chain(self) -> list[Region]:
        """``Region.objects.breadcrumb(self)``, read once per instance: a page's breadcrumb and
        its JSON-LD address show the same chain (one query for both)."""
        return Region.objects.breadcrumb(self)

    # A region in a plain list of choices (admin selects and list filters, the public pages'
    # "which region do you mean?"): its name and its parent's, loaded with it.
    choice_related = ("parent",)

    def choice_label(self) -> str:
        """ "Bavaria (Germany)", "バイエルン州 (ドイツ)": the name and where it lies, in the active
        language; a country or macro-region without a parent is its name. Load the parent with
        ``select_related("parent")`` (``choice_related``)."""
        if self.parent is None:
            return self.name
        return f"{self.name} ({self.parent.name})"

    def autocomplete_label(self) -> str:
        """What and where the region is, for the admin's choices:
        "Métropole de Lyon (Metropolitan collectivity…), Auvergne-Rhône-Alpes, France · FR-69M".
        Walks up the parents: load them with ``select_related("parent__parent__parent")``."""
        what = self.iso_type or (self.get_kind_display() if self.kind != self.Kind.COUNTRY else "")
        parts = [f"{self.name} ({what})" if what else self.name]
        ancestor, seen = self.parent, {self.pk}
        while ancestor is not None and ancestor.pk not in seen:
            seen.add(ancestor.pk)
            parts.append(ancestor.name)
            ancestor = ancestor.parent
        label = ", ".join(parts)
        return f"{label} · {self.iso_code}" if self.iso_code else label

    def clean(self) -> None:
        super().clean()
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A region cannot be its own parent.")})
        if would_be_own_ancestor(self, "parent"):
            raise ValidationError(
                {"parent": _("This parent would make the region its own ancestor.")}
            )
        if self.kind == self.Kind.COUNTRY and self.parent_id:
            raise ValidationError({"parent": _("A country is a top-level region.")})
        # Errors go on a field so that the matching check constraint is not reported again.
        errors: dict[str, StrOrPromise] = {}
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = _("The latitude must be between -90 and 90 degrees.")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = _("The longitude must be between -180 and 180 degrees.")
        if (self.latitude is None) != (self.longitude is None):
            missing = "latitude" if self.latitude is None else "longitude"
            errors[missing] = _("Give both latitude and longitude, or neither.")
        if errors:
            raise ValidationError(errors)


class FocusArea(AnyLanguageModelMixin, models.Model):
    """A topic an organisation or agreement focuses on (personalised medicine, neuroscience …)."""

    any_language_fields = ("name",)  # a name in one language, any (core/languages.py)

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    # The version an admin form was loaded with (core/admin/concurrency.py: a stale save is
    # refused). db_default: rows written before the column existed get the migration's time.
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_default=Now())

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# An organisation's search columns (organizations/search): derived, large, shown nowhere.
SEARCH_COLUMNS = ("search_names", "search_document", "search_terms")


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def active(self) -> OrganizationQuerySet:
        """Not archived: what organisation search and site search list. Archived organisations
        keep their pages, which agreements link to."""
        return self.filter(is_archived=False)

    def for_detail(self) -> OrganizationQuerySet:
        """The organisation page's organisation: without the search columns (the largest, never
        shown), its sub-organisations with what their links show."""
        return (
            self.select_related("region", "parent")
            .defer(*SEARCH_COLUMNS)
            .prefetch_related(
                "focus_areas",
                Prefetch("target_regions", queryset=Region.objects.only("name", "slug")),
                Prefetch("children", queryset=Organization.objects.only("name", "slug", "parent")),
            )
        )


class Organization(AnyLanguageModelMixin, models.Model):
    class Kind(models.TextChoices):
        CLUSTER = "cluster", _("Cluster management organisation")
        GOVERNMENT = "government", _("Government body")
        FOUNDATION = "foundation", _("Foundation")
        COMPANY = "company", _("Company")
        RESEARCH = "research", _("University / research institute")
        EVENT_ORGANIZER = "event_organizer", _("Event organiser")
        ASSOCIATION = "association", _("Association / network")
        OTHER = "other", _("Other")

    any_language_fields = ("name",)  # a name in one language, any (core/languages.py)

    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(
        _("short name"), max_length=100, blank=True, help_text=_("e.g. BioM")
    )
    legal_name = models.CharField(
        _("legal name"),
        max_length=300,
        blank=True,
        help_text=_("As registered, e.g. BioM Biotech Cluster Development GmbH"),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="organizations",
        help_text=_("The most precise region that applies (city, district, state or country)."),
    )
    street_address = models.CharField(_("street address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    locality = models.CharField(
        _("locality"), max_length=200, blank=True, help_text=_("As written in the postal address")
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = PhoneNumberField(_("phone"), blank=True)
    description = models.TextField(_("description"), blank=True)
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("focus areas"), blank=True, related_name="organizations"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("e.g. Osaka Bio Headquarters is part of the Senri Life Science Foundation"),
    )

    class LocationSource(models.TextChoices):
        """Where an organisation's map position comes from (approximate unless entered)."""

        NONE = "", _("Not placed")
        ENTERED = "entered", _("Entered by hand")
        LOCALITY = "locality", _("Its locality (gazetteer)")
        REGION = "region", _("Centre of its region (approximate)")

    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    location_source = models.CharField(
        _("position from"),
        max_length=10,
        choices=LocationSource.choices,
        blank=True,
        default=LocationSource.NONE,
        db_default=LocationSource.NONE,
        help_text=_("Positions from the region's centre are shown as approximate."),
    )
    is_archived = models.BooleanField(
        _("archived"),
        default=False,
        db_default=False,  # a database default: adding the column rewrites no table
        help_text=_(
            "Archived organisations are left out of search but keep their page. Archive instead "
            "of deleting an organisation that appears in the history of an agreement."
        ),
    )
    # The partner profile (issue 22): what a partner-seeker needs to decide whom to write to.
    # Edited by the organisation's managers in its own fieldset of the admin; shown on the
    # organisation page; the list's filters read it (organizations/filters.py).
    offers = models.TextField(
        _("what we offer"),
        max_length=PROFILE_TEXT_MAX,
        blank=True,
        default="",  # also what modeltranslation takes for "no translation" (falls back)
        db_default="",  # a database default: adding the column rewrites no table
        help_text=_("A few sentences: services, facilities, networks partners can use."),
    )
    seeks = models.TextField(
        _("what we look for"),
        max_length=PROFILE_TEXT_MAX,
        blank=True,
        default="",
        db_default="",
        help_text=_("A few sentences: the partners, markets or projects you are looking for."),
    )
    member_count = models.IntegerField(_("members"), null=True, blank=True)
    sme_count = models.IntegerField(
        _("of which SMEs"),
        null=True,
        blank=True,
        help_text=_("Small and medium-sized enterprises among the members."),
    )
    languages = ArrayField(
        models.CharField(max_length=3),
        verbose_name=_("languages spoken"),
        blank=True,
        default=list,
        db_default=RawSQL("'{}'::varchar(3)[]", []),
        validators=[validate_language_codes],
        help_text=_("ISO 639 codes of the languages the team works in, e.g. en, de, ja."),
    )
    target_regions = models.ManyToManyField(
        Region,
        verbose_name=_("target regions"),
        blank=True,
        related_name="targeted_by",
        help_text=_("Regions where the organisation looks for partners."),
    )
    international_contact = models.ForeignKey(
        "Affiliation",
        verbose_name=_("international-affairs contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # organizations_org_intl_contact, built concurrently (migration 0016)
        help_text=_("One of the organisation's contact points; shown only when it is public."),
    )
    logo = models.FileField(
        _("logo"),
        max_length=200,
        blank=True,
        db_default="",
        upload_to="logos/",  # replaced by the derivatives' names before saving (logos.py)
        validators=[validate_logo_file],
        help_text=lazy_interpolate(
            _(
                "PNG, JPEG or WebP, at most %(size)s MB. Shown at 128 and 256 pixels; the file's "
                "metadata (camera, location) is removed."
            ),
            {"size": LOGO_MAX_MB},
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Search columns: derived, never edited. A database trigger (migration 0002_search) fills them
    # whenever the organisation, its focus areas or any region above it changes, so that every
    # code path (admin, bulk imports, raw SQL) keeps them right. Read by organizations/search/.
    search_names = models.TextField(
        editable=False, default="", help_text="|name|short name|legal name|, normalised"
    )
    search_document = models.TextField(
        editable=False,
        default="",
        help_text="Names, descriptions, focus areas and region names, normalised",
    )
    search_terms = ArrayField(
        models.TextField(),
        editable=False,
        default=list,
        help_text="Short words and CJK unigrams/bigrams of the document (2-character queries)",
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            # The sitemap index's <lastmod> of the organisations (portal/sitemaps.py): MAX from
            # the end of this index instead of reading every organisation.
            models.Index(fields=["updated_at"], name="organizations_org_updated"),
            # A region's organisations by id (region pages, region pairs, the agreement list's
            # region filter): an index-only scan, where the region_id index alone fetched each
            # organisation's wide row for its id (4,900 pages for one country's 8,300).
            models.Index(fields=["region", "id"], name="organizations_org_region_ids"),
            # The admin's organisation list and autocompletes (party, parent, organiser) in
            # English name order: a broad term ("clu", 60 % of the names) reads the first
            # matches along this index and stops, instead of reading and sorting 60,000 wide
            # rows (issue 24). Other languages order by their own column, with a sort.
            models.Index(fields=["name_en", "id"], name="organizations_org_name_en"),
            # Organisation search (organizations/search/): substring matches of 3+ characters.
            GinIndex(
                fields=["search_document"],
                opclasses=["gin_trgm_ops"],
                name="organizations_org_doc_trgm",
            ),
            # Organisation search: name tier of the ranking, agreements found by party name.
            GinIndex(
                fields=["search_names"],
                opclasses=["gin_trgm_ops"],
                name="organizations_org_names_trgm",
            ),
            # Organisation search: 1-2 character words and Japanese/Chinese bigrams (大阪, 関西),
            # which trigram indexes cannot serve.
            GinIndex(fields=["search_terms"], name="organizations_org_terms_gin"),
            # Organisation search: exact name matches ranked first (any language, short or legal
            # name), and broad terms past the cap.
            GinIndex(OrganizationNames(), name="organizations_org_names_gin"),
            # Organisation list: the "languages spoken" filter (organizations/filters.py).
            GinIndex(fields=["languages"], name="organizations_org_langs_gin"),
            # Organisation list: the "SMEs among the members" filter (organizations/filters.py)
            # counts its matches through this index, not by reading every organisation.
            models.Index(
                sme_percent_expression(),
                name="organizations_org_sme_share",
                condition=Q(is_archived=False, member_count__gt=0),
            ),
            # Deleting a contact point clears it as an organisation's international contact.
            models.Index(fields=["international_contact"], name="organizations_org_intl_contact"),
            # Organisation list: sorted by the name in the visitor's language, falling back to
            # English (organizations.search.sort_name).
            # Partial: the list shows active organisations only, so that counting them and
            # stepping over a deep page's predecessors read this narrow index, not the table.
            # A name given in one language only (core/languages.py) sorts under that
            # name in every list: the visitor's language, then English, German, Japanese — the
            # fallback order of the pages (MODELTRANSLATION_FALLBACK_LANGUAGES).
            # One index a language (a new language: a generated migration adds its index).
            *(
                models.Index(
                    sort_name_expression(code),
                    F("id"),
                    name=f"organizations_org_sort_{code}",
                    # The names ride along so that a deep page's ids come from an index-only
                    # scan (organizations.search.OrganizationResults): an expression index
                    # alone cannot.
                    include=list(language_fields("name")),
                    condition=Q(is_archived=False),
                )
                for code in language_codes()
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="organizations_organization_not_own_parent",
            ),
            # A position is both coordinates and where they come from, or none of them.
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True, location_source="")
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                )
                & ~Q(location_source=""),
                name="organizations_organization_location_complete",
                violation_error_message=_(
                    "Give both latitude (-90 to 90) and longitude (-180 to 180), or neither."
                ),
            ),
            # The profile's figures (issue 22): none negative, and no more SMEs than members.
            models.CheckConstraint(
                condition=Q(member_count__isnull=True) | Q(member_count__gte=0),
                name="organizations_organization_members_not_negative",
                violation_error_message=_("The number of members cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(sme_count__isnull=True) | Q(sme_count__gte=0),
                name="organizations_organization_smes_not_negative",
                violation_error_message=_("The number of SMEs cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(sme_count__isnull=True)
                | Q(member_count__isnull=True)
                | Q(sme_count__lte=F("member_count")),
                name="organizations_organization_smes_within_members",
                violation_error_message=_("There cannot be more SMEs than members."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        # A URL name, not an import: the organisation page lists agreements, so partnerships
        # serves it.
        return reverse("partnerships:organization_detail", kwargs={"slug": self.slug})

    def logo_url(self, size: int = LOGO_SIZES[0]) -> str:
        """The address of the logo at ``size`` pixels (``LOGO_SIZES``), or "" without a logo:
        it names the logo's key, so a replaced logo has a new address (organizations/logos.py)."""
        key = logo_key(self.logo.name or "")
        if key is None:
            return ""
        return reverse(
            "organizations:organization_logo", kwargs={"slug": self.slug, "key": key, "size": size}
        )

    def logo_url_large(self) -> str:
        return self.logo_url(LOGO_SIZES[-1])

    def language_names(self) -> list[str]:
        """The languages spoken, named in the active language ("Japanisch"), in their order."""
        return [language_name(code) for code in self.languages]

    @property
    def sme_percent(self) -> int | None:
        """The SMEs' share of the members in whole percent, when both figures are known."""
        if self.sme_count is None or not self.member_count:
            return None
        return round(100 * self.sme_count / self.member_count)

    def delete(self, *args, **kwargs):
        """Refused while an agreement's history names this organisation (see
        core/deletion.py); checked before anything is written, so the caller's
        transaction stays usable."""
        refuse_if_guarded(self)
        return super().delete(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if would_be_own_ancestor(self, "parent"):
            raise ValidationError(
                {"parent": _("An organisation cannot be its own parent or ancestor.")}
            )
        # The position constraint (organizations_organization_location_complete), field by
        # field: the admin's form leaves ``location_source`` out, so Django skips the constraint
        # there and only this message stands between a half-typed position and the database.
        errors: dict[str, StrOrPromise] = {}
        if self.latitude is not None and not -90 <= self.latitude <= 90:
            errors["latitude"] = _("The latitude must be between -90 and 90 degrees.")
        if self.longitude is not None and not -180 <= self.longitude <= 180:
            errors["longitude"] = _("The longitude must be between -180 and 180 degrees.")
        if (self.latitude is None) != (self.longitude is None):
            missing = "latitude" if self.latitude is None else "longitude"
            errors[missing] = _("Give both latitude and longitude, or neither.")
        errors.update(self._profile_errors())
        if errors:
            raise ValidationError(errors)

    def _profile_errors(self) -> dict[str, StrOrPromise]:
        """The profile's constraints (organizations_organization_members_not_negative,
        _smes_not_negative, _smes_within_members) field by field, and the one rule no
        constraint can hold: the international contact is one of this organisation's."""
        errors: dict[str, StrOrPromise] = {}
        if self.member_count is not None and self.member_count < 0:
            errors["member_count"] = _("The number of members cannot be negative.")
        if self.sme_count is not None and self.sme_count < 0:
            errors["sme_count"] = _("The number of SMEs cannot be negative.")
        elif (
            self.sme_count is not None
            and self.member_count is not None
            and self.sme_count > self.member_count
        ):
            errors["sme_count"] = _("There cannot be more SMEs than members.")
        contact = self.international_contact
        if contact is not None and (self.pk is None or contact.organization_id != self.pk):
            errors["international_contact"] = _(
                "Choose one of this organisation's own contact points."
            )
        return errors


class PersonQuerySet(models.QuerySet["Person"]):
    def active(self) -> PersonQuerySet:
        """Not archived: what site search lists."""
        return self.filter(is_archived=False)

    def public(self, *, named_in: Iterable[models.QuerySet] = ()) -> PersonQuerySet:
        """Which people are public: the one rule. Those with a publishable contact point (the
        people the API lists and site search finds); with ``named_in``, also those a public row
        of each queryset there names by its ``person`` foreign key (the open-data export passes
        ``partnerships.models.public_namings()``: signatories, guests and speakers of published
        agreements, whom the agreement pages show by name)."""
        public = models.Q(
            models.Exists(Affiliation.objects.publishable().filter(person=models.OuterRef("pk")))
        )
        for rows in named_in:
            public |= models.Q(models.Exists(rows.filter(person=models.OuterRef("pk"))))
        return self.filter(public)


# A reading (furigana) is written in kana: hiragana, katakana (with ・ and ー), and spaces between
# the parts. The same pattern in Python (Person.clean) and PostgreSQL (the constraint).
KANA_ONLY = "^[\u3041-\u30ff\u31f0-\u31ff \u3000]*$"  # ぁ…ヿ, small ㇰ…ㇿ, spaces
READING_NEEDS_NAME = _("A reading needs the name in native script it is the reading of.")
READING_IS_KANA = _("Write the reading in hiragana or katakana.")


class Person(models.Model):
    class NameOrder(models.TextChoices):
        GIVEN_FIRST = "given_first", _("Given name first (Horst Domdey)")
        FAMILY_FIRST = "family_first", _("Family name first (Kishimoto Tadamitsu)")

    honorific = models.CharField(
        _("honorific"), max_length=50, blank=True, help_text=_("e.g. Dr., Prof. Dr.")
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    # The name in Japanese script, in its own order (Japanese pages show it instead of the Latin
    # name): the kanji a Japanese person writes, or the katakana Japanese writes for a name from
    # another script. How each page writes it: organizations/names.py.
    native_name = models.CharField(
        _("name in native script"),
        max_length=200,
        blank=True,
        help_text=_(
            "As Japanese pages write it, in its own order: in kanji as the person writes it "
            "(岸本忠三), or in katakana for a name from another script "
            "(フランツ・ヨーゼフ・プシーラー). Leave empty if not known."
        ),
    )
    native_name_reading = models.CharField(
        _("reading (furigana)"),
        max_length=200,
        blank=True,
        default="",
        db_default="",  # a database default: adding the column rewrites no table
        help_text=_(
            "How the name in native script is read, in hiragana or katakana "
            "(きしもと ただみつ); shown above it on Japanese pages. Separate the parts by "
            "spaces as in the name to place each reading over its part."
        ),
    )
    native_name_order = models.CharField(
        _("native name order"),
        max_length=20,
        choices=NameOrder.choices,
        default=NameOrder.GIVEN_FIRST,
        help_text=_("Japanese is always shown family name first; other languages use this order."),
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    is_archived = models.BooleanField(
        _("archived"),
        default=False,
        db_default=False,  # a database default: adding the column rewrites no table
        help_text=_(
            "Archived people are left out of search. Archive instead of deleting a person who "
            "appears in the history of an agreement."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["family_name", "given_name"]
        permissions = [
            # Privacy requests (organizations/privacy.py), from the person's admin page.
            ("export_person", _("Can export everything held about a person")),
            ("erase_person", _("Can erase a person's personal data")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(native_name_reading="") | ~models.Q(native_name=""),
                name="organizations_person_reading_needs_native_name",
                violation_error_message=READING_NEEDS_NAME,
            ),
            models.CheckConstraint(
                condition=models.Q(native_name_reading__regex=KANA_ONLY),
                name="organizations_person_reading_is_kana",
                violation_error_message=READING_IS_KANA,
            ),
        ]
        indexes = [
            # The admin's people list and person autocomplete, in name order: a broad term
            # ("fake", a common surname) reads the first matches along this index and stops,
            # instead of matching and sorting every person (issue 24).
            models.Index(
                fields=["family_name", "given_name", "id"], name="organizations_person_names"
            ),
            # Site search: people by name (organizations/search/people.py), 3+ characters ...
            GinIndex(
                OpClass(PersonDocument(), name="gin_trgm_ops"),
                name="organizations_person_doc_trgm",
            ),
            # ... and 1-2 character words and CJK bigrams.
            GinIndex(SearchTerms(PersonDocument()), name="organizations_person_terms_gin"),
        ]

    def __str__(self) -> str:
        return self.display_name()

    def clean(self) -> None:
        """The constraints organizations_person_reading_needs_native_name and
        _reading_is_kana, on the reading's field."""
        super().clean()
        if self.native_name_reading and not self.native_name:
            raise ValidationError({"native_name_reading": READING_NEEDS_NAME})
        if not re.fullmatch(KANA_ONLY, self.native_name_reading):
            raise ValidationError({"native_name_reading": READING_IS_KANA})

    def delete(self, *args, **kwargs):
        """Refused while an agreement's history names this person (see
        core/deletion.py); checked before anything is written, so the caller's
        transaction stays usable."""
        refuse_if_guarded(self)
        return super().delete(*args, **kwargs)

    def display_name(self, language: str | None = None, *, with_honorific: bool = True) -> str:
        """The person's name as written in ``language`` (default: the active language).

        Given name and family name are stored in Latin script; ``native_name`` keeps the native
        script. Japanese shows the native script when known; a name known only in Latin letters
        keeps its own order there (Franz Josef Pschierer, Kishimoto Tadamitsu), never
        reordered. The portal's other languages put the given name first; a language the portal
        does not have, the person's own order.
        """
        language = (language or get_language() or "en")[:2]
        if language == "ja" and self.native_name:
            return self.native_name
        name = self.latin_name(language)
        if with_honorific and language != "ja":
            # The honorific is translated: read it in ``language`` (with the English fallback),
            # not in whatever language happens to be active.
            with override(language):
                honorific = self.honorific
            if honorific:
                return f"{honorific} {name}"
        return name

    def latin_name(self, language: str | None = None) -> str:
        """Given and family name in Latin letters, in the order ``language`` writes them: given
        name first in the portal's languages but Japanese, where a name keeps its own order
        (Kishimoto Tadamitsu, Franz Josef Pschierer); in a language the portal does not have,
        the person's own order. No honorific."""
        language = (language or get_language() or "en")[:2]
        family_first = self.native_name_order == self.NameOrder.FAMILY_FIRST and (
            language == "ja" or language not in language_codes()
        )
        if family_first:
            parts = [self.family_name, self.given_name]
        else:
            parts = [self.given_name, self.family_name]
        return " ".join(p for p in parts if p)


class Visibility(models.TextChoices):
    """Who may see a person's position and contact data: the public, or nobody outside the admin.

    (A third value, "registered editors only", meant the same as hidden and was removed; the
    rights issue may bring back a level between the two, with a meaning.)"""

    PUBLIC = "public", _("Public")
    HIDDEN = "hidden", _("Hidden")


class AffiliationQuerySet(models.QuerySet["Affiliation"]):
    def publishable(self) -> AffiliationQuerySet:
        """Contact points the public may see: the one rule, used by the organisation and
        agreement pages, the vCards and site search. Visibility Public *and* current: a former
        position is not shown, even when it was public."""
        return self.filter(visibility=Visibility.PUBLIC, is_current=True)


class Affiliation(models.Model):
    """A person's position at an organisation, and how to reach them there (a contact point)."""

    # What __str__ reads besides the row: joined where rows are listed by their name (the
    # admin's chosen autocomplete values, core/admin/widgets.py).
    label_related = ("person", "organization")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="affiliations"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="affiliations",
    )
    position = models.CharField(
        _("position"), max_length=200, blank=True, help_text=_("e.g. CEO, President")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = PhoneNumberField(_("phone"), blank=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.HIDDEN,
        help_text=_("Personal data is shown on public pages only when this is Public."),
    )
    is_current = models.BooleanField(_("current"), default=True)
    # A position entered by a partner's manager (the recording side of a shared agreement gives
    # the partner's signatory their position): that organisation's to edit too, until a manager
    # of ``organization`` approves an agreement naming the person (partnerships/services.py).
    entered_by = models.ForeignKey(
        Organization,
        verbose_name=_("entered for the partner by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # a partial index of the few marked rows (Meta.indexes)
        help_text=_(
            "Entered by a partner's manager; becomes the organisation's own once its manager "
            "approves an agreement naming the person."
        ),
    )
    stated_on = models.DateField(
        _("as of"),
        null=True,
        blank=True,
        help_text=_("Date of the source that gives this position, e.g. a press release."),
    )
    # The version an admin form was loaded with (core/admin/concurrency.py: a stale save is
    # refused). db_default: rows written before the column existed get the migration's time.
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_default=Now())

    objects = AffiliationQuerySet.as_manager()

    class Meta:
        verbose_name = _("affiliation / contact point")
        verbose_name_plural = _("affiliations / contact points")
        ordering = ["person__family_name", "organization__name"]
        constraints = [
            # One contact point per person and organisation; several roles go into "position".
            models.UniqueConstraint(
                fields=["person", "organization"],
                name="organizations_affiliation_unique_person_organization",
                violation_error_message=_(
                    "This person already has a position at this organisation: edit that one."
                ),
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.person} – {self.organization}"
        return f"{label} ({self.position})" if self.position else label


class SearchWord(models.Model):
    """A word (4+ characters) that occurs in some organisation's search document.

    The vocabulary for correcting misspelt queries ("Headquaters" → "headquarters"): a trigram
    lookup in this small table is fast where fuzzy matching over every organisation is not.
    Filled by a database trigger (migration 0002_search); words are never removed, a stale word
    only offers a correction that finds nothing.
    """

    word = models.TextField(primary_key=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")
        indexes = [
            # Query correction in organizations/search/organizations.py: word % 'headquaters'.
            GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="organizations_word_trgm"),
        ]

    def __str__(self) -> str:
        return self.word
