"""The endpoints: a list (cursor pages, in id order) and a detail view per resource, the changes
endpoint, the schema and its documentation page."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.http import http_date
from django_filters.rest_framework import DjangoFilterBackend  # type: ignore[import-untyped]
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.links import Links
from core.presenters import Presentation
from organizations import presenters as organizations_presenters
from organizations.models import Affiliation, Organization, Person, Region
from partnerships import presenters as partnerships_presenters
from partnerships.models import (
    Agreement,
    AgreementContact,
    AgreementParty,
    Attendance,
    Document,
    Event,
    Signature,
    SigningEvent,
    Statement,
)
from portal.api import filters, sync
from portal.api import serializers as api

ERRORS = {
    400: OpenApiResponse(api.ErrorSerializer, description="A query parameter is not valid."),
    429: OpenApiResponse(api.ErrorSerializer, description="Too many requests: slow down."),
}
NOT_FOUND = {404: OpenApiResponse(api.ErrorSerializer, description="No public row has this id.")}


class IdCursorPagination(CursorPagination):
    """Pages in id order, continued by an opaque ``cursor`` (an index seek, no OFFSET)."""

    ordering = "pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class LanguageMixin:
    """``?lang=en|de|ja`` activates that language for translated fields; ``all`` adds every
    language in ``translations``; without it, LocaleMiddleware's choice (Accept-Language)."""

    request: Request
    all_languages = False

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]  # APIView.initial
        filters.check_query(request.query_params)
        chosen = filters.LanguageFilter(data=request.query_params)
        if not chosen.is_valid():
            raise ValidationError(chosen.errors)
        language = chosen.validated_data.get("lang")
        self.all_languages = language == filters.ALL_LANGUAGES
        if language in filters.LANGUAGES:
            translation.activate(language)
        elif self.all_languages:
            translation.activate(settings.MODELTRANSLATION_DEFAULT_LANGUAGE)
        request.LANGUAGE_CODE = translation.get_language()

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]  # GenericAPIView's
        context["all_languages"] = self.all_languages
        return context


class PresenterMixin(LanguageMixin):
    # Answers with the resource's presenter (``presenter``, a ``staticmethod``); its
    # ``serializer_class`` is the declared shape the schema documents. (No docstring: the
    # views without their own are documented by LanguageMixin's.)

    @staticmethod
    def presenter(row: Any, how: Presentation, /) -> dict[str, Any]:
        raise NotImplementedError

    def presentation(self) -> Presentation:
        return Presentation(links=Links(self.request), all_languages=self.all_languages)


class ResourceList(PresenterMixin, generics.ListAPIView):
    # A list: its filters are a FilterSet (``filterset_class``, applied by django-filter's
    # backend, documented by drf-spectacular). (No docstring, as above.)

    filter_backends = [DjangoFilterBackend]
    pagination_class = IdCursorPagination

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        how, present = self.presentation(), self.presenter
        return self.get_paginated_response([present(row, how) for row in rows])

    def get_queryset(self) -> QuerySet:
        return self.base_queryset()

    def base_queryset(self) -> QuerySet:
        raise NotImplementedError


class ResourceDetail(PresenterMixin, generics.RetrieveAPIView):
    lookup_url_kwarg = "pk"

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self.presenter(self.get_object(), self.presentation()))

    def get_queryset(self) -> QuerySet:
        return self.base_queryset()

    def base_queryset(self) -> QuerySet:
        raise NotImplementedError

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any):
        response = super().finalize_response(request, response, *args, **kwargs)
        updated_at = getattr(getattr(self, "_object", None), "updated_at", None)
        if updated_at is not None and response.status_code == 200:
            response["Last-Modified"] = http_date(updated_at.timestamp())
        return response

    def get_object(self) -> Any:
        self._object = super().get_object()
        return self._object


INVALID_CURSOR = {
    404: OpenApiResponse(
        api.ErrorSerializer,
        description=(
            "The cursor is not one this API gave, or a filter names a region, country, "
            "organisation or focus area that does not exist (or a region name that is "
            "ambiguous: the message lists the candidates)."
        ),
    )
}


def _with_filters(serializer: Any) -> Any:
    """The list's schema: its parameters (its FilterSet's are documented by drf-spectacular
    from the filter backend) and ``lang``."""
    return extend_schema(
        parameters=[filters.LanguageFilter],
        responses={200: serializer(many=True), **ERRORS, **INVALID_CURSOR},
    )


def _detail_schema(serializer: Any) -> Any:
    return extend_schema(
        parameters=[filters.LanguageFilter], responses={200: serializer, **ERRORS, **NOT_FOUND}
    )


# --- Regions -------------------------------------------------------------------------------------


def regions() -> QuerySet[Region]:
    return Region.objects.select_related("parent").prefetch_related("members")


@_with_filters(api.RegionSerializer)
class RegionList(ResourceList):
    """Regions: countries, their subdivisions, districts and cities, and macro-regions."""

    serializer_class = api.RegionSerializer
    presenter = staticmethod(organizations_presenters.region)
    filterset_class = filters.RegionFilterSet
    base_queryset = staticmethod(regions)


@_detail_schema(api.RegionSerializer)
class RegionDetail(ResourceDetail):
    serializer_class = api.RegionSerializer
    presenter = staticmethod(organizations_presenters.region)
    base_queryset = staticmethod(regions)


# --- Organisations ---------------------------------------------------------------------------


def organizations() -> QuerySet[Organization]:
    """Organisations with what their JSON embeds: the partner profile's target regions, and its
    international-affairs contact only when that is public (the one rule,
    ``AffiliationQuerySet.publishable``; another is prefetched as None)."""
    return (
        Organization.objects.select_related("region")
        .prefetch_related(
            "focus_areas",
            "target_regions",
            Prefetch(
                "international_contact",
                queryset=Affiliation.objects.publishable().select_related("person"),
            ),
        )
        .defer("search_names", "search_document", "search_terms")
    )


@_with_filters(api.OrganizationSerializer)
class OrganizationList(ResourceList):
    """Organisations, archived ones included (their pages stay)."""

    serializer_class = api.OrganizationSerializer
    presenter = staticmethod(organizations_presenters.organization)
    filterset_class = filters.ApiOrganizationFilterSet
    base_queryset = staticmethod(organizations)


@_detail_schema(api.OrganizationSerializer)
class OrganizationDetail(ResourceDetail):
    serializer_class = api.OrganizationSerializer
    presenter = staticmethod(organizations_presenters.organization)
    base_queryset = staticmethod(organizations)


# --- People --------------------------------------------------------------------------------------


def people() -> QuerySet[Person]:
    """People with a public, current contact point, and only those contact points."""
    return Person.objects.public().prefetch_related(
        Prefetch(
            "affiliations",
            queryset=Affiliation.objects.publishable().select_related("organization"),
            to_attr="public_affiliations",
        )
    )


@_with_filters(api.PersonSerializer)
class PersonList(ResourceList):
    """People who are public contacts, with their public contact points."""

    serializer_class = api.PersonSerializer
    presenter = staticmethod(organizations_presenters.person)
    filterset_class = filters.PersonFilterSet
    base_queryset = staticmethod(people)


@_detail_schema(api.PersonSerializer)
class PersonDetail(ResourceDetail):
    serializer_class = api.PersonSerializer
    presenter = staticmethod(organizations_presenters.person)
    base_queryset = staticmethod(people)


# --- Agreements ------------------------------------------------------------------------------


def _references(relation: str, *fields: str) -> tuple[str, ...]:
    """The columns of an embedded ``OrganizationRef``/``RegionRef``/``EventRef`` (with every
    language of a translated one: modeltranslation's ``only``) behind ``relation``."""
    return tuple(f"{relation}__{field}" for field in fields)


ORGANIZATION_REF = ("id", "slug", "name")
REGION_REF = ("id", "slug", "name", "kind", "iso_code")
EVENT_REF = ("id", "slug", "name")


def agreements() -> QuerySet[Agreement]:
    """Published agreements with what their page shows: public contacts and documents only.

    The page's rows (``for_detail``) narrowed to what the JSON shows, for speed at 50 rows a
    page: prefetched into lists (``to_attr``: no related manager and queryset per row), embedded
    organisations, regions and events with their reference columns only, parties of signatures
    and contacts for their organisation's id only."""
    return (
        Agreement.objects.published()
        .with_status()
        .select_related("previous")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=AgreementParty.objects.select_related("organization").only(
                    "agreement_id",
                    "organization_id",
                    "role",
                    "role_description",
                    *_references("organization", *ORGANIZATION_REF),
                ),
                to_attr="api_parties",
            ),
            Prefetch("cooperation_areas", to_attr="api_cooperation_areas"),
            Prefetch("focus_areas", to_attr="api_focus_areas"),
            Prefetch(
                "signing_events",
                queryset=SigningEvent.objects.select_related("place", "occasion").only(
                    "agreement_id",
                    "signed_on",
                    "venue",
                    "description",
                    "place_id",
                    "occasion_id",
                    *_references("place", *REGION_REF),
                    *_references("occasion", *EVENT_REF),
                ),
                to_attr="api_signing_events",
            ),
            Prefetch(
                "api_signing_events__signatures",
                queryset=Signature.objects.select_related("person", "party").only(
                    "signing_event_id", "person_id", "capacity", "party__organization_id", "person"
                ),
                to_attr="api_signatures",
            ),
            Prefetch(
                "api_signing_events__attendances",
                queryset=Attendance.objects.select_related("person", "organization").only(
                    "signing_event_id",
                    "person_id",
                    "capacity",
                    "is_dignitary",
                    "organization_id",
                    "person",
                    *_references("organization", *ORGANIZATION_REF),
                ),
                to_attr="api_attendances",
            ),
            Prefetch(
                "statements",
                queryset=Statement.objects.select_related("person", "organization"),
                to_attr="api_statements",
            ),
            Prefetch(
                "contacts",
                queryset=AgreementContact.objects.public().select_related(
                    "party", "affiliation__person", "affiliation__organization"
                ),
                to_attr="public_contacts",
            ),
            Prefetch("documents", queryset=Document.objects.public(), to_attr="public_documents"),
        )
    )


@_with_filters(api.AgreementSerializer)
class AgreementList(ResourceList):
    """Published agreements with their parties, signing events (signatures, attendance),
    statements, public contacts and public documents."""

    serializer_class = api.AgreementSerializer
    presenter = staticmethod(partnerships_presenters.agreement)
    filterset_class = filters.ApiAgreementFilterSet
    base_queryset = staticmethod(agreements)


@_detail_schema(api.AgreementSerializer)
class AgreementDetail(ResourceDetail):
    serializer_class = api.AgreementSerializer
    presenter = staticmethod(partnerships_presenters.agreement)
    base_queryset = staticmethod(agreements)


# --- Events ----------------------------------------------------------------------------------


def events() -> QuerySet[Event]:
    return (
        Event.objects.public()
        .select_related("region", "organizer")
        .prefetch_related(
            Prefetch(
                "signing_events",
                queryset=SigningEvent.objects.public().only("pk", "agreement_id", "occasion_id"),
                to_attr="public_signings",
            )
        )
    )


@_with_filters(api.EventSerializer)
class EventList(ResourceList):
    """Events at which agreements are (or will be) signed, with the public agreements' ids."""

    serializer_class = api.EventSerializer
    presenter = staticmethod(partnerships_presenters.event)
    filterset_class = filters.EventFilterSet
    base_queryset = staticmethod(events)


@_detail_schema(api.EventSerializer)
class EventDetail(ResourceDetail):
    serializer_class = api.EventSerializer
    presenter = staticmethod(partnerships_presenters.event)
    base_queryset = staticmethod(events)


# --- Documents -------------------------------------------------------------------------------


def documents() -> QuerySet[Document]:
    return Document.objects.public()


@_with_filters(api.DocumentSerializer)
class DocumentList(ResourceList):
    """Public documents of published agreements (texts, press releases, annexes)."""

    serializer_class = api.DocumentSerializer
    presenter = staticmethod(partnerships_presenters.document)
    filterset_class = filters.DocumentFilterSet
    base_queryset = staticmethod(documents)


@_detail_schema(api.DocumentSerializer)
class DocumentDetail(ResourceDetail):
    serializer_class = api.DocumentSerializer
    presenter = staticmethod(partnerships_presenters.document)
    base_queryset = staticmethod(documents)


# --- Changes ---------------------------------------------------------------------------------

VISIBLE = {
    "regions": lambda: Region.objects.all(),
    "organizations": lambda: Organization.objects.all(),
    "people": people,
    "agreements": lambda: Agreement.objects.published(),
    "events": lambda: Event.objects.public(),
    "documents": documents,
}


class Changes(APIView):
    """What a partner system must delete to stay in sync: per resource, the ids of rows that
    changed since ``since`` and are not public now (deleted, unpublished, made private).
    Together with ``modified_since`` on the lists, a full sync by time."""

    @extend_schema(
        parameters=[filters.ChangesFilter], responses={200: api.ChangesSerializer, **ERRORS}
    )
    def get(self, request: Request) -> Response:
        until = timezone.now()
        values = filters.ChangesFilter(data=request.query_params)
        if not values.is_valid():
            raise ValidationError(values.errors)
        # In UTC: a historic zone's offset in seconds (+00:53:28) is no RFC 3339 date-time.
        since = values.validated_data["since"].astimezone(datetime.UTC)
        removed = {
            resource: sync.removed_since(resource, since, visible())
            for resource, visible in VISIBLE.items()
        }
        return Response({"since": since, "until": until, "removed": removed})


class Docs(SpectacularSwaggerSplitView):
    """Swagger UI from drf-spectacular-sidecar's vendored files: no third-party request, and no
    inline script (the split view serves its set-up script as a file, for the CSP)."""

    template_name = "api/docs.html"
    url_name = "api:api_schema"
    title = "Cluster Partnership Portal API"
