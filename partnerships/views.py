"""Public pages of agreements and events. Thin views: reads are QuerySet methods."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.postgres.expressions import ArraySubquery
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import ModelChoiceIteratorValue
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core import downloads, pageviews
from core.caching import (
    AGREEMENT_TABLES,
    AGREEMENT_TAG,
    ORGANIZATION_AGREEMENTS_TAG,
    REGION_AGREEMENTS_TAG,
    cached_summary,
    reading_scope,
)
from core.links import Links
from core.pagination import DeferredJoin
from core.presenters import Presentation
from organizations import geocoding
from organizations import search as site_search
from organizations.downloads import focus_area_names
from organizations.models import Affiliation, FocusArea, Organization, Region
from organizations.profiles import TARGET_REGIONS_MAX
from partnerships import access, funders, presenters, report_pdf, reports, timeline
from partnerships.charts import signings_chart
from partnerships.filters import AgreementFilterSet, EventFilterSet
from partnerships.forms import AgreementFilterForm
from partnerships.maps import agreement_map, filtered_map, published_map
from partnerships.models import (
    Activity,
    Agreement,
    AgreementParty,
    Document,
    Event,
    SigningEvent,
)
from partnerships.regions import (
    KeptAgreements,
    cooperating_from,
    region_agreements,
    region_facts,
    region_pair_agreements,
    region_pair_facts,
)
from partnerships.selectors import first_rows_and_count, partners_of
from partnerships.terms import deadlines_on
from partnerships.uploads import document_file_response, evidence_file_response

if TYPE_CHECKING:
    from partnerships.models import AgreementsWithStatus

PAGE_SIZE = 20
REGION_PAGE_SIZE = 25  # organisations of a region page, agreements of a region pair page
REGION_AGREEMENTS_SHOWN = 10
EVENTS_PAGE_SIZE = 20
UPCOMING_SHOWN = 20  # events to come, soonest first, above the past ones
OTHER_SIGNINGS_SHOWN = 20
ORGANIZATION_AGREEMENTS_SHOWN = 10
PARTNERS_SHOWN = 50
SUBREGIONS_PAGE_SIZE = 60  # child regions on a region page


def _filter_choices(form: AgreementFilterForm) -> None:
    """Offer only values that find something: focus areas and years of published agreements.
    Both are short whatever the number of agreements (a curated vocabulary, and years); regions
    and organisations, which grow with the database, are typed with suggestions instead.
    Validation still accepts any existing slug (a shared link keeps working).
    """
    focus_field = cast(forms.ModelChoiceField, form.fields["focus"])
    focus_areas = FocusArea.objects.filter(
        Exists(Agreement.objects.published().filter(focus_areas=OuterRef("pk")))
    )
    # The value carries its record: the widget (core.languages.MarkedSelect) marks a name
    # shown in another language than the page's.
    focus_field.widget.choices = [("", focus_field.empty_label)] + [
        (ModelChoiceIteratorValue(f.slug, f), f.name) for f in focus_areas
    ]
    years = Agreement.objects.published_signing_years()  # one index probe per year
    form.fields["year"].widget.choices = [("", _("Any year"))] + [
        (str(year), str(year)) for year in years
    ]


def _filtered_agreements(request: HttpRequest) -> tuple[AgreementFilterForm, AgreementsWithStatus]:
    """The agreement list's filters and the published agreements they find, in the list's
    order: shared by the page, its map and its downloads, so that all list the same agreements."""
    filters = AgreementFilterSet(request.GET or None)
    return filters.form, filters.qs


def agreement_list(request: HttpRequest) -> HttpResponse:
    filters = AgreementFilterSet(request.GET or None)
    form, agreements = filters.form, filters.qs.with_parties()
    # Paginator needs count() and slices only (the stub's protocol asks for more).
    paginator: Paginator[Agreement] = Paginator(
        DeferredJoin(agreements),  # type: ignore[arg-type]  # stub stricter than Django
        PAGE_SIZE,
    )
    page = paginator.get_page(request.GET.get("page"))
    _filter_choices(form)
    return render(
        request,
        "partnerships/agreement_list.html",
        {
            "form": form,
            "page_obj": page,
            "active_filters": form.active_filters(),
            "ignored_filters": form.ignored_filters() if form.is_bound else [],
            "filter_suggestions": _filter_suggestions(form),
            "downloads": downloads.download_links(request, "partnerships:agreement_download"),
            # The Atom feed and the calendar of signings of the list as filtered.
            "subscription_query": filters.subscription_query(),
        },
    )


def agreement_map_page(request: HttpRequest) -> HttpResponse:
    """The map of the published agreements, filtered by the agreement list's parameters."""
    form, agreements = _filtered_agreements(request)
    _filter_choices(form)
    return render(
        request,
        "partnerships/agreement_map.html",
        {
            "form": form,
            # Unfiltered, the map of everything: the cached summary the home page shows too.
            "world_map": filtered_map(agreements, form.active_filters())
            if form.active_filters()
            else published_map(),
            "active_filters": form.active_filters(),
            "ignored_filters": form.ignored_filters() if form.is_bound else [],
            "filter_suggestions": _filter_suggestions(form),
        },
    )


AGREEMENT_COLUMNS = (
    *("id", "slug", "url", "code", "title", "kind", "kind_label", "status", "status_label"),
    *("signed_on", "effective_from", "ends_on", "term", "auto_renewal", "terminated_on"),
    *("parties", "party_slugs", "focus_areas", "summary"),
)


def _agreement_record(request: HttpRequest) -> Callable[[Agreement], dict[str, Any]]:
    """A download's row: a subset of the agreement's presenter dict
    (``partnerships.presenters.agreement`` without its nested rows), with what the list download
    writes otherwise: the kind's and status's labels, and the parties' and focus areas' names
    (array subqueries of the download's one query, in English where a language has none)."""
    how = Presentation(links=Links(request))  # one reverse for the whole download

    def record(agreement: Agreement) -> dict[str, Any]:
        data = presenters.agreement(agreement, how, nested=False)
        return {
            **{key: data[key] for key in ("id", "slug", "url", "code", "title", "kind")},
            "kind_label": str(agreement.get_kind_display()),
            "status": data["status"],
            "status_label": agreement.get_status_display(),
            **{key: data[key] for key in ("signed_on", "effective_from", "ends_on", "term")},
            **{key: data[key] for key in ("auto_renewal", "terminated_on")},
            "parties": agreement.party_names,  # type: ignore[attr-defined]  # annotated
            "party_slugs": agreement.party_slugs,  # type: ignore[attr-defined]  # annotated
            "focus_areas": agreement.focus_area_names,  # type: ignore[attr-defined]  # annotated
            "summary": data["summary"],
        }

    return record


@require_safe
def agreement_download(request: HttpRequest, fmt: str) -> StreamingHttpResponse:
    """The agreement list as CSV or JSON (``agreements.csv``, ``agreements.json``): every
    published agreement the list's filters find, in the list's order, streamed in one query
    (core/downloads.py)."""
    language = (get_language() or "en")[:2]
    _form, agreements = _filtered_agreements(request)
    parties = AgreementParty.objects.filter(agreement=OuterRef("pk")).order_by("position", "pk")
    # The earlier agreement joined in: the presenter reads whether it is public (a query per row
    # otherwise), though the download does not publish it.
    agreements = agreements.select_related("previous").annotate(
        party_names=ArraySubquery(
            parties.values_list(downloads.translated("organization__name", language))
        ),
        party_slugs=ArraySubquery(parties.values_list("organization__slug")),
        focus_area_names=focus_area_names(language, "agreements"),
    )
    return downloads.download_response(
        request,
        agreements,
        downloads.record_columns(AGREEMENT_COLUMNS),
        fmt=fmt,
        name="agreements",
        present=_agreement_record(request),
    )


def _filter_suggestions(form: AgreementFilterForm) -> list[tuple[str, str]]:
    """(label, link) of what the search suggests for an ambiguous region or organisation
    filter: "Did you mean …?" links to the list filtered by each suggestion."""
    links = []
    for name, rows in form.suggestions.items():
        for row in rows:
            query = cast(QueryDict, form.data).copy()  # clean() keeps it a QueryDict
            query[name] = row.slug
            query.pop("page", None)
            # A region with where it lies ("Lyon (Auvergne-Rhône-Alpes)", Region.choice_label):
            # several regions share a name. The suggestions come with their parents.
            label = row.choice_label() if hasattr(row, "choice_label") else str(row)
            links.append((label, f"?{query.urlencode()}"))
    return links


def agreement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # The agreement's records are read under its own tag (core/caching.py): the cached page
    # stays valid while other agreements change (issue 24). Organisations, people, places and
    # events it names are read under their tables' tags.
    with reading_scope(AGREEMENT_TABLES) as scope:
        return _agreement_detail(request, slug, scope)


def _agreement_detail(request: HttpRequest, slug: str, scope: set[str]) -> HttpResponse:
    agreement = Agreement.objects.published().with_status().for_detail().filter(slug=slug).first()
    preview = agreement is None
    if agreement is None:
        # Not public: a preview for whoever may view it in the admin ("View on site"), as the
        # public will see it once published; never cached (a signed-in request), never indexed.
        agreement = get_object_or_404(Agreement.objects.with_status().for_detail(), slug=slug)
        if not access.may_preview(request.user, agreement):
            raise Http404
    scope.add(f"{AGREEMENT_TAG}{agreement.pk}")  # its lineage's changes bump it too
    # Each agreement of the lineage, with the earlier one named only when it is public itself.
    lineage: list[tuple[Agreement, Agreement | None]] = []
    lineage_ids = Agreement.objects.lineage_ids(agreement)
    if len(lineage_ids) > 1:
        items = list(
            Agreement.objects.published()
            .with_status()
            .filter(pk__in=lineage_ids)
            .order_by(F("signed_on").asc(nulls_first=True), "pk")
        )
        by_id = {item.pk: item for item in items}
        lineage = [
            (item, by_id.get(item.previous_id) if item.previous_id is not None else None)
            for item in items
        ]
    response = render(
        request,
        "partnerships/agreement_detail.html",
        {
            "agreement": agreement,
            "lineage": lineage,
            "deadlines": deadlines_on(agreement, timezone.localdate(), status=agreement.status),
            "preview": preview,
            "timeline": timeline.agreement_timeline(agreement),
        },
    )
    if preview:
        response["X-Robots-Tag"] = "noindex"
        patch_cache_control(response, private=True, no_store=True)
    else:
        pageviews.mark(response, agreement)  # counted, cache hits too (core/pageviews.py)
    return response


@require_safe
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """An uploaded document's file, only while the document is public; 404 otherwise.

    The only way the public gets uploaded files (nothing serves MEDIA_URL), in every environment.
    """
    document = get_object_or_404(Document.objects.public().exclude(file=""), pk=pk)
    return document_file_response(document)


@require_safe
def activity_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence file of a public activity of a published agreement; 404 otherwise."""
    activity = get_object_or_404(Activity.objects.public().exclude(evidence_file=""), pk=pk)
    return evidence_file_response(activity)


def event_list(request: HttpRequest) -> HttpResponse:
    """Events to come (soonest first), then past ones (newest first, a page at a time, with the
    number of agreements signed at each), filtered by year and country (``EventFilterSet``)."""
    filters = EventFilterSet(request.GET or None)
    filtered = bool(
        filters.form.is_bound
        and filters.form.is_valid()
        and any(value not in (None, "") for value in filters.form.cleaned_data.values())
    )
    events = filters.qs.select_related("region")
    today = timezone.localdate()
    upcoming = list(events.filter(ends_on__gte=today).order_by("starts_on", "pk")[:UPCOMING_SHOWN])
    # Each past event's count of agreements signed there, for the page's events only: a
    # subquery that the page's rows alone evaluate (a deferred join), where a grouped join
    # counted the signings of every event before the page was cut.
    signed_there = (
        SigningEvent.objects.public()
        .filter(occasion=OuterRef("pk"))
        .order_by()
        .values("occasion")
        .annotate(count=Count("agreement", distinct=True))
        .values("count")
    )
    past = (
        events.filter(ends_on__lt=today)
        .annotate(agreement_count=Coalesce(Subquery(signed_there), 0))
        .order_by("-starts_on", "pk")
    )
    # Unfiltered, the number of past public events is a whole-table figure: a cached summary
    # (one primary-key lookup of the content generation; its key changes with the day).
    count = (
        None
        if filtered
        else lambda: cached_summary(
            "public-past-event-count",
            lambda: Event.objects.public().filter(ends_on__lt=today).count(),
        )
    )
    paginator: Paginator[Event] = Paginator(
        DeferredJoin(past, count=count),  # type: ignore[arg-type]  # stub stricter than Django
        EVENTS_PAGE_SIZE,
    )
    page = paginator.get_page(request.GET.get("page"))
    filters.offer_choices()
    other_signings = (
        SigningEvent.objects.public()
        .filter(occasion__isnull=True)
        .select_related("agreement", "place")
        .order_by("-signed_on", "-pk")[:OTHER_SIGNINGS_SHOWN]
        if not filtered
        else []
    )
    return render(
        request,
        "partnerships/event_list.html",
        {
            "form": filters.form,
            "filtered": filtered,
            "upcoming": upcoming,
            "page_obj": page,
            "other_signings": other_signings,
        },
    )


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = get_object_or_404(
        Event.objects.public().select_related("region", "organizer"), slug=slug
    )
    signing_events = SigningEvent.objects.public().filter(occasion=event).for_event_page()
    response = render(
        request,
        "partnerships/event_detail.html",
        {"event": event, "signing_events": signing_events},
    )
    return pageviews.mark(response, event)  # counted, cache hits too (core/pageviews.py)


# The organisation and region pages list agreements, so they live here, not in organizations.


# The organisation's target regions on its page: managers list a few (the admin's limit is
# organizations.profiles.TARGET_REGIONS_MAX); the page never shows more than this.
TARGET_REGIONS_SHOWN = TARGET_REGIONS_MAX


def organization_detail(request: HttpRequest, slug: str) -> HttpResponse:
    # Its agreements and partners are read under its own list of agreements' tag (core/
    # caching.py): the cached page stays valid while agreements it is no party to change.
    with reading_scope(AGREEMENT_TABLES) as scope:
        return _organization_detail(request, slug, scope)


def _organization_detail(request: HttpRequest, slug: str, scope: set[str]) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.for_detail(), slug=slug)
    scope.add(f"{ORGANIZATION_AGREEMENTS_TAG}{organization.pk}")
    agreements = (
        Agreement.objects.published()
        .with_status()
        .involving_organization(organization)
        .with_parties()
    )
    # Capped, with a link to the agreement list filtered by the organisation for the rest. Most
    # organisations have fewer: then the rows read are all of them, counted and mapped from there.
    shown, agreement_count = first_rows_and_count(agreements, ORGANIZATION_AGREEMENTS_SHOWN)
    partners, partner_count = first_rows_and_count(
        partners_of(organization)
        .select_related("region")
        .only("name", "slug", "region__name")
        .order_by("name", "pk"),
        PARTNERS_SHOWN,
    )
    breadcrumb = organization.region.chain  # the JSON-LD address reads the same chain
    contacts = list(
        Affiliation.objects.publishable().filter(organization=organization).select_related("person")
    )
    # The international-affairs contact is shown when it is one of the publishable contacts
    # (the one rule, AffiliationQuerySet.publishable), apart from the others.
    international = [c for c in contacts if c.pk == organization.international_contact_id]
    context = {
        "organization": organization,
        "breadcrumb": breadcrumb,
        "position_from": geocoding.describe(organization, breadcrumb),
        "agreements": shown,
        "agreement_count": agreement_count,
        "partners": partners,
        "partner_count": partner_count,
        "contacts": [c for c in contacts if c not in international],
        "international_contact": international[0] if international else None,
        "target_regions": organization.target_regions.all()[:TARGET_REGIONS_SHOWN],
        "world_map": agreement_map(
            agreements, loaded=shown if agreement_count == len(shown) else None
        ),
        "recent_activities": timeline.recent_for_organization(organization),
    }
    response = render(request, "partnerships/organization_detail.html", context)
    return pageviews.mark(response, organization)  # counted, cache hits too (core/pageviews.py)


def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A region: its sub-regions, organisations and agreements. What reads the whole region (the
    counts, the chart, the partner regions, the map) is a cached summary
    (``partnerships/regions.py``); the lists read only the rows they show. Its agreements
    (and their parties, signings) are read under the region's tag (core/caching.py): the cached
    page stays valid while agreements with no party in the region change."""
    with reading_scope(AGREEMENT_TABLES) as scope:
        return _region_detail(request, slug, scope)


def _region_detail(request: HttpRequest, slug: str, scope: set[str]) -> HttpResponse:
    region = get_object_or_404(Region, slug=slug)
    scope.add(f"{REGION_AGREEMENTS_TAG}{region.pk}")
    facts = region_facts(region, REGION_AGREEMENTS_SHOWN)
    organizations = Organization.objects.filter(region_id__in=facts.subtree_ids).select_related(
        "region"
    )
    page: Page[Organization] = Paginator(
        DeferredJoin(organizations, count=facts.organization_count),  # type: ignore[arg-type]  # stub stricter than Django
        REGION_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    agreements = KeptAgreements(
        facts.newest_agreements,
        facts.agreement_count,
        lambda: region_agreements(facts.subtree_ids).with_status().with_parties(),
    )
    context = {
        "region": region,
        "breadcrumb": Region.objects.breadcrumb(region),
        "subregions": _subregions_page(request, facts.subregion_counts),
        "members": region.members.order_by("name")[:SUBREGIONS_PAGE_SIZE],
        "part_of": region.macro_regions.all(),
        "page_obj": page,
        "agreements": agreements[:REGION_AGREEMENTS_SHOWN],
        "agreement_count": facts.agreement_count,
        "partner_regions": Region.objects.filter(
            pk__in=facts.partner_region_ids,
            kind__in=[Region.Kind.COUNTRY, Region.Kind.MACRO_REGION],
        ),
        "signings_chart": signings_chart(facts.signings),
        "world_map": facts.world_map,
        "map_fit": facts.map_fit,  # the first view: the region's organisations
        **_cooperating(request, region, facts.subtree_ids),
    }
    return render(request, "partnerships/region_detail.html", context)


def _cooperating(request: HttpRequest, region: Region, subtree_ids: list[int]) -> dict[str, Any]:
    """ "Who already cooperates there?": the visitor's home region (``?from=``: a slug, code or
    name, resolved as the list's region filter is) and its organisations with agreements into
    ``region``; suggestions when the name is ambiguous."""
    home_input = site_search.clean_input(request.GET.get("from"))
    if not home_input:
        return {"home_input": ""}
    home, suggestions = site_search.resolve_region(home_input)
    return {
        "home_input": site_search.region_label(home) if home else home_input,
        "home_suggestions": suggestions,
        "cooperating": cooperating_from(home, subtree_ids)
        if home is not None and home.pk != region.pk
        else None,
    }


def _subregions_page(request: HttpRequest, counts: dict[int, int]) -> Page:
    """The region's child regions with organisations, with their ``counts`` (from the region's
    summary), a page at a time (``?regions_page=``): a state may have thousands of
    municipalities."""
    children = Region.objects.filter(pk__in=list(counts)).order_by("name", "pk")
    page: Page[Region] = Paginator(
        DeferredJoin(children, count=len(counts)),  # type: ignore[arg-type]  # stub stricter than Django
        SUBREGIONS_PAGE_SIZE,
    ).get_page(request.GET.get("regions_page"))
    page.object_list = [(child, counts[child.pk]) for child in page.object_list]  # type: ignore[misc]  # the template's (region, count) pairs
    return page


def region_pair(request: HttpRequest, slug: str, other_slug: str) -> HttpResponse:
    """Agreements with a party in each of two regions (Bavaria ↔ Kansai). The count and the map
    are a cached summary (``partnerships/regions.py``); the page reads its rows only."""
    if slug == other_slug:
        return redirect("partnerships:region_detail", slug=slug)
    region = get_object_or_404(Region, slug=slug)
    other = get_object_or_404(Region, slug=other_slug)
    facts = region_pair_facts(region, other)
    agreements = KeptAgreements(
        facts.agreements,
        facts.agreement_count,
        lambda: (
            region_pair_agreements(facts.subtree_ids, facts.other_subtree_ids)
            .with_status()
            .with_parties()
        ),
    )
    page: Page[Agreement] = Paginator(
        agreements,  # type: ignore[arg-type]  # stub stricter than Django
        REGION_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/region_pair.html",
        {
            "region": region,
            "other": other,
            "page_obj": page,
            "world_map": facts.world_map,
            "recent_activities": timeline.recent_by_ids(facts.recent_activity_ids),
            # The first view: both regions' organisations.
            "map_fit": facts.map_fit,
        },
    )


# --- Reports for funders and boards (issue 21, partnerships/funders.py) ------------------------


def _funders_report(request: HttpRequest, scope: funders.Scope, period_text: str) -> HttpResponse:
    """The report page, or with ``?format=xlsx`` / ``?format=pdf`` its download."""
    period = funders.Period.parse(period_text)
    if period is None:
        raise Http404("No such period.")
    fmt = request.GET.get("format", "")
    if fmt not in ("", "xlsx", "pdf"):
        raise Http404("No such format.")
    full = fmt != ""
    report = funders.build(scope, period, rows=None if full else funders.LIST_ROWS)
    stem = reports.download_name(f"report-{slugify(scope.label)}-{period}")
    public_url = request.build_absolute_uri(scope.url(period))
    if fmt == "xlsx":
        return reports.xlsx_response(funders.tables(report), stem)
    if fmt == "pdf":
        response = HttpResponse(
            report_pdf.render(report, public_url), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
        return response
    return render(
        request,
        "partnerships/report.html",
        {
            "report": report,
            "public_url": public_url,
            "years": [str(year) for year in range(report.period.last - 4, report.period.last + 1)],
        },
    )


def organization_report(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    return _funders_report(request, funders.Scope.of_organization(organization), period)


def region_report(request: HttpRequest, slug: str, period: str) -> HttpResponse:
    region = get_object_or_404(Region, slug=slug)
    return _funders_report(request, funders.Scope.of_region(region), period)


def region_pair_report(
    request: HttpRequest, slug: str, other_slug: str, period: str
) -> HttpResponse:
    region = get_object_or_404(Region, slug=slug)
    other = get_object_or_404(Region, slug=other_slug)
    return _funders_report(request, funders.Scope.of_region(region, other), period)
