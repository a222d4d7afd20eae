"""The open-data tables of issue 21, kept apart from ``schema.py``: commitments of published
agreements and public activities (``Activity.objects.public()``), with their results as numbers
and their evidence as links."""

from __future__ import annotations

from django.db.models import Case, QuerySet, Value, When

from partnerships.models import Activity, Agreement, Commitment
from portal.open_data.schema import Field, ForeignKey, Table, translations, url_of


def _commitments() -> QuerySet[Commitment]:
    return Commitment.objects.filter(agreement__in=Agreement.objects.published())


def activity_tables(base_url: str) -> list[Table]:
    return [
        Table(
            "commitments",
            "Commitments of published agreements: what the parties promised, item by item",
            _commitments,
            [
                Field("id", "integer"),
                Field("agreement_id", "integer"),
                *translations("text"),
                Field("position", "integer"),
            ],
            foreign_keys=[ForeignKey("agreement_id", "agreements")],
        ),
        Table(
            "activities",
            "Public activities under published agreements, with their results",
            Activity.objects.public,
            [
                Field("id", "integer"),
                Field("agreement_id", "integer"),
                Field("kind"),
                Field("starts_on", "date"),
                Field("ends_on", "date"),
                Field("place"),
                *translations("description"),
                Field("companies", "integer"),
                Field("meetings", "integer"),
                Field("introductions", "integer"),
                Field("projects", "integer"),
                Field("funding", "number", description="Funding obtained, in euros"),
                Field("evidence_url"),
                Field(
                    "evidence_file_url",
                    source=Case(
                        When(evidence_file="", then=Value("")),
                        default=url_of("partnerships:activity_evidence", "pk", base_url),
                    ),
                    description="The uploaded evidence, if any",
                ),
            ],
            foreign_keys=[ForeignKey("agreement_id", "agreements")],
        ),
    ]
