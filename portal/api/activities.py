"""The API's commitments and public activities (issue 21), in a module of their own: their
declared shapes (for the schema), filters, list and detail views, and their entries in the sync
(``modified_since`` and the changes endpoint's deletions) — registered with ``portal.api.sync``
and ``portal.api.views`` when this module is imported (by ``portal/api/urls.py``), so that the
shared modules need no edit beyond the URLs.

Public rows only: commitments of published agreements, and activities marked public of published
agreements (``Activity.objects.public()``, the one rule). A partners-only activity, or one whose
agreement is unpublished, is listed by ``/api/v1/changes/`` as removed once it changed.
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters  # type: ignore[import-untyped]  # no stubs
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partnerships import filters as agreement_filters
from partnerships import presenters
from partnerships.models import Activity, Agreement, AgreementParty, Commitment
from portal.api import filters, sync, views
from portal.api import serializers as api

# --- The rows ------------------------------------------------------------------------------------


def commitments() -> QuerySet[Commitment]:
    return Commitment.objects.filter(agreement__in=Agreement.objects.published()).prefetch_related(
        Prefetch("responsible_parties", queryset=AgreementParty.objects.only("pk", "organization"))
    )


def activities() -> QuerySet[Activity]:
    return Activity.objects.public().prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.only("pk", "organization")),
        Prefetch("commitments", queryset=Commitment.objects.only("pk")),
    )


# --- Sync: what changed since a time -------------------------------------------------------------


def _commitment_ids(since: datetime.datetime) -> list[models.QuerySet]:
    of_changed_agreements = (
        Commitment.objects.filter(agreement_id__in=sync._ids(Agreement, "pgh_obj_id", since))
        .order_by()
        .values("pk")
    )
    return [
        sync._ids(Commitment, "pgh_obj_id", since),
        # Its responsible parties added or removed (the link rows' history).
        sync._ids(Commitment.responsible_parties.through, "commitment_id", since),
        of_changed_agreements,
    ]


def _activity_ids(since: datetime.datetime) -> list[models.QuerySet]:
    of_changed_agreements = (
        Activity.objects.filter(agreement_id__in=sync._ids(Agreement, "pgh_obj_id", since))
        .order_by()
        .values("pk")
    )
    return [
        sync._ids(Activity, "pgh_obj_id", since),
        # Its parties or commitments added or removed (the link rows' history): the activity
        # counts as modified.
        sync._ids(Activity.parties.through, "activity_id", since),
        sync._ids(Activity.commitments.through, "activity_id", since),
        of_changed_agreements,
    ]


sync.SOURCES["commitments"] = (Commitment, _commitment_ids)
sync.SOURCES["activities"] = (Activity, _activity_ids)
views.VISIBLE["commitments"] = commitments
views.VISIBLE["activities"] = lambda: Activity.objects.public()


# --- Filters -------------------------------------------------------------------------------------


def _agreement_filter() -> Any:
    # Documented as an integer (django-filter's NumberFilter, which IntegerFilter extends, would
    # be documented as any number, and 0.5 is refused).
    return extend_schema_field(serializers.IntegerField(min_value=1, max_value=2**63 - 1))(
        agreement_filters.IntegerFilter(
            field_name="agreement_id",
            min_value=1,
            max_value=2**63 - 1,
            help_text=_("The agreement's id."),
        )
    )


class CommitmentFilterSet(filters.ApiFilterSet):
    """The commitment list's filters."""

    resource = "commitments"
    agreement = _agreement_filter()

    class Meta(filters.ApiFilterSet.Meta):
        model = Commitment
        fields: list[str] = []


class ActivityFilterSet(filters.ApiFilterSet):
    """The activity list's filters."""

    resource = "activities"
    agreement = _agreement_filter()
    kind = django_filters.ChoiceFilter(choices=Activity.Kind.choices)
    since = django_filters.DateFilter(
        field_name="starts_on",
        lookup_expr="gte",
        help_text=_("Activities on or after this day (ISO 8601 date)."),
    )
    until = django_filters.DateFilter(
        field_name="starts_on",
        lookup_expr="lte",
        help_text=_("Activities on or before this day (ISO 8601 date)."),
    )

    class Meta(filters.ApiFilterSet.Meta):
        model = Activity
        fields: list[str] = []


# --- Declared shapes (the schema) ----------------------------------------------------------------


class CommitmentSerializer(api.Translated):
    translated_fields = ("text",)
    agreement = serializers.IntegerField(source="agreement_id", read_only=True)
    responsible = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="Ids of the responsible parties' organisations; empty: all, jointly.",
    )

    class Meta:
        model = Commitment
        fields = ["id", "agreement", "text", "responsible", "position", "updated_at"]


class ResultsSerializer(serializers.Serializer):
    companies = serializers.IntegerField(allow_null=True, help_text="Companies taking part.")
    meetings = serializers.IntegerField(allow_null=True, help_text="Meetings held.")
    introductions = serializers.IntegerField(allow_null=True, help_text="Introductions made.")
    projects = serializers.IntegerField(allow_null=True, help_text="Projects started.")
    funding = serializers.FloatField(allow_null=True, help_text="Funding obtained, in euros.")


class ActivitySerializer(api.Translated):
    translated_fields = ("description",)
    agreement = serializers.IntegerField(source="agreement_id", read_only=True)
    organizations = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="Ids of the organisations of the parties involved.",
    )
    commitments = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, help_text="Ids of its commitments."
    )
    results = ResultsSerializer(read_only=True)
    evidence_url = serializers.URLField(allow_null=True, read_only=True)
    evidence_file_url = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "agreement",
            "kind",
            "starts_on",
            "ends_on",
            "place",
            "description",
            "organizations",
            "commitments",
            "results",
            "evidence_url",
            "evidence_file_url",
            "updated_at",
        ]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_evidence_file_url(self, activity: Activity) -> str | None:
        """The public download of an uploaded evidence file, or null."""
        return None


# --- Views ---------------------------------------------------------------------------------------


@views._with_filters(CommitmentSerializer)
class CommitmentList(views.ResourceList):
    """Commitments of published agreements: what the parties promised, item by item."""

    serializer_class = CommitmentSerializer
    presenter = staticmethod(presenters.commitment)
    filterset_class = CommitmentFilterSet
    base_queryset = staticmethod(commitments)


@views._detail_schema(CommitmentSerializer)
class CommitmentDetail(views.ResourceDetail):
    serializer_class = CommitmentSerializer
    presenter = staticmethod(presenters.commitment)
    base_queryset = staticmethod(commitments)


@views._with_filters(ActivitySerializer)
class ActivityList(views.ResourceList):
    """Public activities under published agreements, with their results."""

    serializer_class = ActivitySerializer
    presenter = staticmethod(presenters.activity)
    filterset_class = ActivityFilterSet
    base_queryset = staticmethod(activities)


@views._detail_schema(ActivitySerializer)
class ActivityDetail(views.ResourceDetail):
    serializer_class = ActivitySerializer
    presenter = staticmethod(presenters.activity)
    base_queryset = staticmethod(activities)
