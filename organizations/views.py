from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Case, F, Value, When
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from core import downloads
from core.caching import cached_summary
from core.charts import bar_chart
from core.languages import fallback_language
from core.links import Links
from core.presenters import Presentation
from organizations import logos, presenters
from organizations import search as site_search
from organizations.continents import CONTINENTS, OTHER, continent_of
from organizations.downloads import focus_area_names
from organizations.filters import PROFILE_FILTERS, OrganizationFilterSet
from organizations.models import Affiliation, FocusArea, Organization, Region
from organizations.results import annotate_results

PAGE_SIZE = 25
MACRO_REGIONS_SHOWN = 100  # curated: a handful; the cap only guards the page's size
COUNTRIES_CHARTED = 15  # the chart of organisations per country: the largest; the list has all
SUGGESTIONS = 10  # the pickers' suggestions (regions, organisations)


@dataclass
class ListFilters:
    """The organisation list's filters, read from the query string: shared by the page and its
    downloads, so that both always list the same organisations."""

    found: site_search.OrganizationSearch
    form: Any  # the filter set's form, bound: what the page shows in its filter panel
    focus: FocusArea | None
    kind: str
    profile: dict[str, Any]  # the partner profile's filters that validated (PROFILE_FILTERS)

    @property
    def ignored(self) -> list[tuple[str, str]]:
        """(label, value) of each filter given but dropped: its value did not validate."""
        return [
            (str(self.form.fields[name].label), str(self.form.data.get(name, ""))[:80])
            for name in self.form.errors
            if name in self.form.fields
        ]


def _list_filters(request: HttpRequest) -> ListFilters:
    """Text (``q``) and region (``region``: slug, ISO code or name, with everything below it) for
    the search; the filter set's (organizations/filters.py): focus area (``focus``: slug), kind
    (``kind``), and the partner profile's: ``language``, ``target``, ``smes``, ``cooperates``."""
    # The list's filter set (organizations/filters.py, the API's too): a value that does not
    # validate is dropped (and named on the page).
    names = ("kind", "focus", *PROFILE_FILTERS)
    chosen = OrganizationFilterSet(
        {name: site_search.clean_input(request.GET.get(name)) for name in names}
    )
    chosen.is_valid()
    cleaned = chosen.form.cleaned_data
    focus = cleaned.get("focus")
    kind = cleaned.get("kind") or ""
    profile = {name: cleaned[name] for name in PROFILE_FILTERS if cleaned.get(name)}
    found = site_search.search_organizations(
        q=request.GET.get("q", ""),
        region=request.GET.get("region", ""),
        focus_area_id=focus.pk if focus else None,
        kind=kind,
        # The profile's filters narrow what the search ranks (a filtered queryset).
        queryset=chosen.filter_queryset(Organization.objects.all()) if profile else None,
    )
    return ListFilters(found=found, form=chosen.form, focus=focus, kind=kind, profile=profile)


@require_safe
def organization_list(request: HttpRequest) -> HttpResponse:
    """Organisations, filtered by text (``q``), region (``region``: slug, ISO code or name),
    focus area (``focus``: slug) and kind (``kind``); ranked by relevance when there is text."""
    filters = _list_filters(request)
    found, focus, kind = filters.found, filters.focus, filters.kind
    # Django's Paginator needs len() and slices only; the stub's protocol also asks for iteration
    # and integer indexes, which OrganizationResults does not offer.
    paginator: Paginator[Organization] = Paginator(
        found.results,  # type: ignore[arg-type]  # stub stricter than Django, see above
        PAGE_SIZE,
    )
    page = paginator.get_page(request.GET.get("page"))
    annotate_results(page.object_list)  # the apps above: e.g. agreements in force, partners
    if "cooperates" in filters.profile:  # "who already cooperates there": whom to write to
        _introductions(page.object_list)
    region_value = site_search.region_label(found.region) if found.region else found.region_input
    return render(
        request,
        "organizations/organization_list.html",
        {
            "page_obj": page,
            "found": found,
            "query": found.query,
            "region_value": region_value,
            "form": filters.form,
            "ignored_filters": filters.ignored,
            "is_filtered": bool(
                found.query.raw or found.region_input or focus or kind or filters.profile
            ),
            "downloads": downloads.download_links(request, "organizations:organization_download"),
        },
    )


def _introductions(organizations: Any) -> None:
    """Sets ``introduction`` on each organisation of the page: whom to ask for a warm
    introduction — its international-affairs contact when that is publishable, else its first
    publishable contact point (the one rule, ``AffiliationQuerySet.publishable``). One query,
    one row per organisation."""
    rows = list(organizations)
    international_first = Case(
        When(pk=F("organization__international_contact_id"), then=Value(0)), default=Value(1)
    )
    contacts = {
        affiliation.organization_id: affiliation
        for affiliation in Affiliation.objects.publishable()
        .filter(organization_id__in=[row.pk for row in rows])
        .select_related("person")
        .order_by("organization_id", international_first, "pk")
        .distinct("organization_id")
    }
    for row in rows:
        row.introduction = contacts.get(row.pk)


ORGANIZATION_COLUMNS = (
    *("id", "slug", "url", "name", "short_name", "legal_name", "kind", "kind_label"),
    *("region", "region_slug", "region_code", "street_address", "postal_code", "locality"),
    *("website", "email", "phone", "focus_areas", "latitude", "longitude", "location_source"),
)


def _organization_record(request: HttpRequest) -> Callable[[Organization], dict[str, Any]]:
    """A download's row: a flattening of the organisation's presenter dict
    (``organizations.presenters.organization``), with what the list download writes otherwise:
    the kind's label, the phone number in E.164 (the dict: the international format) and the
    focus areas' names (an array subquery of the download's one query: no prefetch)."""
    how = Presentation(links=Links(request))  # one reverse for the whole download

    def record(organization: Organization) -> dict[str, Any]:
        data = presenters.organization(organization, how, focus_areas=False, profile_rows=False)
        region = data["region"]
        return {
            **{key: data[key] for key in ("id", "slug", "url", "name", "short_name")},
            **{key: data[key] for key in ("legal_name", "kind")},
            "kind_label": str(organization.get_kind_display()),
            "region": region["name"],
            "region_slug": region["slug"],
            "region_code": region["iso_code"],
            **{key: data[key] for key in ("street_address", "postal_code", "locality")},
            "website": data["website"],
            "email": data["email"],
            "phone": organization.phone.as_e164 if organization.phone else "",
            "focus_areas": organization.focus_area_names,  # type: ignore[attr-defined]  # annotated
            **{key: data[key] for key in ("latitude", "longitude", "location_source")},
        }

    return record


@require_safe
def organization_download(request: HttpRequest, fmt: str) -> StreamingHttpResponse:
    """The organisation list as CSV or JSON (``organizations.csv``, ``organizations.json``):
    every organisation the list's filters find (``q``, ``region``, ``focus``, ``kind``), in the
    page's order, not capped at the page's ``RESULT_CAP`` (see core/downloads.py)."""
    language = (get_language() or "en")[:2]
    organizations = (
        _list_filters(request)
        .found.results.ordered()
        .annotate(focus_area_names=focus_area_names(language, "organizations"))
    )
    return downloads.download_response(
        request,
        organizations,
        downloads.record_columns(ORGANIZATION_COLUMNS),
        fmt=fmt,
        name="organizations",
        present=_organization_record(request),
    )


@require_safe
def region_suggest(request: HttpRequest) -> JsonResponse:
    """Regions for the region picker as the visitor types: ``{"results": [{value, label}]}``.

    ``value`` is what the picker submits (``Bavaria (DE-BY)``), which the organisation list
    resolves back to the region.
    """
    regions = site_search.suggest_regions(request.GET.get("q", ""), limit=SUGGESTIONS)
    language = get_language()
    results = []
    for region in regions:
        # The picker shows the label beside the value: say what and where the region is.
        label = region.get_kind_display()
        if region.parent:
            label = f"{label}, {region.parent.name}"
        results.append(
            {
                "value": site_search.region_label(region),
                "label": str(label),
                "slug": region.slug,
                "code": region.iso_code,
            }
        )
    response = JsonResponse({"results": results, "language": language})
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_safe
def organization_suggest(request: HttpRequest) -> JsonResponse:
    """Organisations for the organisation picker as the visitor types, best first, at most
    ``SUGGESTIONS``: ``{"results": [{value, label, slug}]}``.

    ``value`` is what the picker submits (``BioM (biom)``), which the agreement list resolves
    back to the organisation (``search.resolve_organization``).
    """
    found = site_search.search_organizations(q=request.GET.get("q", ""))
    organizations = [] if found.query.is_empty else found.results[0:SUGGESTIONS]
    results = [
        {
            "value": site_search.organization_label(organization),
            "label": f"{organization.get_kind_display()}, {organization.region.name}",
            "slug": organization.slug,
        }
        for organization in organizations
    ]
    response = JsonResponse({"results": results, "language": get_language()})
    response["Cache-Control"] = "public, max-age=300"
    return response


@dataclass(frozen=True)
class Continent:
    """A continent's part of the regions index: its countries (by name) with their counts."""

    code: str
    name: str
    countries: list[tuple[Region, int]]

    @property
    def organizations(self) -> int:
        return sum(count for _country, count in self.countries)


def _by_continent(rows: list[tuple[Region, int]]) -> list[Continent]:
    """The countries grouped by continent, the continent with the most organisations first;
    countries of no known continent last."""
    groups: dict[str, list[tuple[Region, int]]] = {}
    for country, count in rows:
        code = continent_of(country.iso_code)
        groups.setdefault(code if code in CONTINENTS else "", []).append((country, count))
    continents = [
        Continent(code, str(CONTINENTS.get(code, OTHER)), countries)
        for code, countries in groups.items()
    ]
    return sorted(continents, key=lambda c: (c.code == "", -c.organizations, c.name))


@require_safe
def region_list(request: HttpRequest) -> HttpResponse:
    """Countries where organisations are registered, with counts, and the macro-regions; the
    region pages drill down from there. Bounded by the number of countries, not of regions."""
    # One grouped query over every organisation: a summary kept until public data changes.
    counts = cached_summary("country-organization-counts", Region.objects.organization_counts)
    countries = sorted(
        Region.objects.filter(pk__in=list(counts)), key=lambda r: str(r.name).casefold()
    )
    macro_regions = Region.objects.filter(kind=Region.Kind.MACRO_REGION).with_organizations()
    largest = sorted(countries, key=lambda r: (-counts[r.pk], str(r.name).casefold()))
    countries_chart = bar_chart(
        [
            (str(country.name), counts[country.pk], country.get_absolute_url())
            for country in largest[:COUNTRIES_CHARTED]
        ],
        langs=[fallback_language(country, "name") for country in largest[:COUNTRIES_CHARTED]],
    )
    rows = [(country, counts[country.pk]) for country in countries]
    return render(
        request,
        "organizations/region_list.html",
        {
            "countries": rows,
            "continents": _by_continent(rows),
            "countries_chart": countries_chart if countries else None,
            "countries_charted": min(len(countries), COUNTRIES_CHARTED),
            "macro_regions": macro_regions.order_by("name")[:MACRO_REGIONS_SHOWN],
        },
    )


@require_safe
def organization_logo(request: HttpRequest, slug: str, key: str, size: int) -> FileResponse:
    """An organisation's logo at ``size`` pixels, while ``key`` names its current logo: a PNG
    derivative (organizations/logos.py), cached for a year (a new logo has a new address)."""
    if size not in logos.LOGO_SIZES:
        raise Http404("No logo of this size.")
    name = Organization.objects.filter(slug=slug).values_list("logo", flat=True).first()
    if not name or logos.logo_key(name) != key:
        raise Http404("No such logo.")
    field = Organization._meta.get_field("logo")
    try:
        stream = field.storage.open(logos.logo_name(key, size), "rb")
    except FileNotFoundError:
        raise Http404("The logo's file is missing.") from None
    response = FileResponse(stream, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = logos.LOGO_CONTENT_SECURITY_POLICY
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
