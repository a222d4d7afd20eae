"""The declared shape of each resource: the response schemas drf-spectacular documents the API
from, as DRF serializers. The API's answers themselves are built by the presenters
(``organizations/presenters.py``, ``partnerships/presenters.py``) without DRF's field machinery;
tests/portal/test_api_speed.py proves them byte for byte what these serializers give.

Translated fields are in the request's language (``?lang=``, else Accept-Language, else
English, with modeltranslation's fallback to English); with ``?lang=all`` the fields are English
and ``translations`` holds every language.
"""

from __future__ import annotations

from typing import Any, ClassVar

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.languages import language_codes, original_of
from organizations.logos import LOGO_SIZES
from organizations.models import Affiliation, FocusArea, Organization, Person, Region
from partnerships.models import (
    Agreement,
    AgreementContact,
    AgreementParty,
    Attendance,
    CooperationArea,
    Document,
    Event,
    Signature,
    SigningEvent,
    Statement,
)

LANGUAGES = language_codes()

TRANSLATIONS_SCHEMA = {
    "type": "object",
    "nullable": True,
    "description": (
        f"Only with ?lang=all: every translated field in {', '.join(LANGUAGES[:-1])} and "
        f"{LANGUAGES[-1]}."
    ),
    "additionalProperties": {
        "type": "object",
        "properties": {language: {"type": "string"} for language in LANGUAGES},
    },
}


@extend_schema_field(TRANSLATIONS_SCHEMA)
class TranslationsField(serializers.Field):
    """``{"name": {"en": …, "de": …, "ja": …}}`` with ``?lang=all``, else null."""

    def __init__(self, fields: tuple[str, ...], **kwargs: Any) -> None:
        self.translated = fields
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance: Any) -> dict[str, dict[str, str]] | None:
        if not self.context.get("all_languages"):
            return None
        return {
            field: {
                language: getattr(instance, f"{field}_{language}", "") or ""
                for language in LANGUAGES
            }
            for field in self.translated
        }


class Translated(serializers.ModelSerializer):
    """A model serializer with a ``translations`` field for ``translated_fields``."""

    translated_fields: ClassVar[tuple[str, ...]] = ()

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        if self.translated_fields:
            fields["translations"] = TranslationsField(self.translated_fields)
        return fields


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The row's public page (absolute URL, in the active language)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance: Any) -> str:
        request = self.context.get("request")
        url = instance.get_absolute_url()
        return request.build_absolute_uri(url) if request is not None else url


@extend_schema_field(OpenApiTypes.STR)
class PersonNameField(serializers.Field):
    """A person's name as the pages write it in the active language."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, person: Person) -> str:
        return person.display_name()


# --- References: what a row embeds of another -----------------------------------------------


class RegionRef(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "slug", "name", "kind", "iso_code"]


class OrganizationRef(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "slug", "name"]


class FocusAreaRef(serializers.ModelSerializer):
    class Meta:
        model = FocusArea
        fields = ["slug", "name"]


class EventRef(serializers.ModelSerializer):
    class Meta:
        model = Event
        fields = ["id", "slug", "name"]


# --- Resources ---------------------------------------------------------------------------------


class RegionSerializer(Translated):
    translated_fields = ("name",)
    parent = RegionRef(read_only=True, allow_null=True)
    includes = serializers.SlugRelatedField(
        source="members", slug_field="slug", many=True, read_only=True
    )
    url = PageUrlField()

    class Meta:
        model = Region
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "iso_code",
            "iso_type",
            "parent",
            "includes",
            "latitude",
            "longitude",
            "url",
        ]


class ContactRef(serializers.ModelSerializer):
    """A contact point another row names: an organisation's international-affairs contact."""

    person = serializers.IntegerField(source="person_id", read_only=True)
    name = PersonNameField(source="person")
    phone = serializers.CharField(read_only=True)

    class Meta:
        model = Affiliation
        fields = ["id", "person", "name", "position", "email", "phone"]


class LogoSerializer(serializers.Serializer):
    size = serializers.IntegerField(help_text="The longest side in pixels.")
    url = serializers.URLField(help_text="A PNG; a replaced logo gets a new address.")


@extend_schema_field(LogoSerializer(many=True))
class LogoField(serializers.Field):
    """The organisation's logo in each of its bounded sizes, smallest first (empty without)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, organization: Organization) -> list[dict[str, Any]]:
        request = self.context.get("request")
        return [
            {
                "size": size,
                "url": request.build_absolute_uri(path) if request is not None else path,
            }
            for size in LOGO_SIZES
            if (path := organization.logo_url(size))
        ]


class OrganizationSerializer(Translated):
    translated_fields = ("name", "description", "offers", "seeks")
    region = RegionRef(read_only=True)
    focus_areas = FocusAreaRef(many=True, read_only=True)
    phone = serializers.CharField(read_only=True)
    offers = serializers.CharField(read_only=True, help_text="What the organisation offers.")
    seeks = serializers.CharField(read_only=True, help_text="What the organisation looks for.")
    member_count = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Number of members (null: not stated)."
    )
    sme_count = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="How many of the members are small and medium-sized enterprises.",
    )
    languages = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="ISO 639-1 codes of the languages the team works in.",
    )
    target_regions = RegionRef(
        many=True, read_only=True, help_text="Regions where it looks for partners."
    )
    international_contact = ContactRef(
        read_only=True,
        allow_null=True,
        help_text="The international-affairs contact, when it is a public contact point.",
    )
    logo = LogoField()
    url = PageUrlField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "slug",
            "name",
            "short_name",
            "legal_name",
            "kind",
            "region",
            "street_address",
            "postal_code",
            "locality",
            "latitude",
            "longitude",
            "location_source",
            "website",
            "email",
            "phone",
            "description",
            "focus_areas",
            "offers",
            "seeks",
            "member_count",
            "sme_count",
            "languages",
            "target_regions",
            "international_contact",
            "logo",
            "parent",
            "is_archived",
            "created_at",
            "updated_at",
            "url",
        ]


class ContactPointSerializer(Translated):
    translated_fields = ("position",)
    organization = OrganizationRef(read_only=True)
    phone = serializers.CharField(read_only=True)

    class Meta:
        model = Affiliation
        fields = ["id", "organization", "position", "email", "phone", "stated_on"]


class PersonSerializer(Translated):
    translated_fields = ("honorific",)
    name = serializers.CharField(source="display_name", read_only=True)
    contact_points = ContactPointSerializer(source="public_affiliations", many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "slug",
            "name",
            "honorific",
            "given_name",
            "family_name",
            "native_name",
            "native_name_reading",
            "native_name_order",
            "contact_points",
            "created_at",
            "updated_at",
        ]


class PartySerializer(Translated):
    translated_fields = ("role_description",)
    organization = OrganizationRef(read_only=True)

    class Meta:
        model = AgreementParty
        fields = ["organization", "role", "role_description"]


class CooperationAreaSerializer(Translated):
    translated_fields = ("description",)

    class Meta:
        model = CooperationArea
        fields = ["description"]


class SignatureSerializer(Translated):
    translated_fields = ("capacity",)
    person = PersonNameField()
    on_behalf_of = serializers.IntegerField(source="party.organization_id", read_only=True)

    class Meta:
        model = Signature
        fields = ["person", "capacity", "on_behalf_of"]


class AttendanceSerializer(Translated):
    translated_fields = ("capacity",)
    person = PersonNameField()
    organization = OrganizationRef(read_only=True, allow_null=True)

    class Meta:
        model = Attendance
        fields = ["person", "capacity", "organization", "is_dignitary"]


class SigningEventSerializer(Translated):
    translated_fields = ("venue", "description")
    place = RegionRef(read_only=True, allow_null=True)
    occasion = EventRef(read_only=True, allow_null=True)
    signatures = SignatureSerializer(source="api_signatures", many=True, read_only=True)
    attendances = AttendanceSerializer(source="api_attendances", many=True, read_only=True)

    class Meta:
        model = SigningEvent
        fields = [
            "id",
            "signed_on",
            "place",
            "venue",
            "occasion",
            "description",
            "signatures",
            "attendances",
        ]


class StatementSerializer(Translated):
    translated_fields = ("text", "capacity")
    person = PersonNameField()
    organization = OrganizationRef(read_only=True, allow_null=True)

    original_text = serializers.SerializerMethodField(
        help_text=(
            "The quote as it was said, in original_language (any ISO 639 language, also one "
            "the portal does not offer); empty when the original is not known."
        )
    )

    class Meta:
        model = Statement
        fields = [
            "person",
            "capacity",
            "organization",
            "text",
            "original_language",
            "original_text",
        ]

    def get_original_text(self, statement: Statement) -> str:
        return original_of(
            statement, "text", original_field="original_text", language_field="original_language"
        )


class AgreementContactSerializer(serializers.ModelSerializer):
    person = serializers.SerializerMethodField()
    for_party = serializers.IntegerField(source="party.organization_id", read_only=True)
    contact_point = ContactPointSerializer(source="affiliation", read_only=True)

    class Meta:
        model = AgreementContact
        fields = ["person", "for_party", "contact_point"]

    def get_person(self, contact: AgreementContact) -> str:
        return contact.affiliation.person.display_name()


class DocumentSerializer(Translated):
    translated_fields = ("title",)
    agreement = serializers.IntegerField(source="agreement_id", read_only=True)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "agreement",
            "kind",
            "title",
            "url",
            "file_url",
            "language",
            "published_on",
        ]

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_file_url(self, document: Document) -> str | None:
        """The public download of an uploaded file, or null."""
        if not document.file:
            return None
        request = self.context.get("request")
        url = document.get_file_url()
        return request.build_absolute_uri(url) if request is not None else url


class AgreementSerializer(Translated):
    translated_fields = ("title", "summary", "terms")
    status = serializers.ChoiceField(
        choices=Agreement.Status.choices, read_only=True, help_text="Derived from the dates."
    )
    previous = serializers.SerializerMethodField()
    ends_on = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="The end of the term: 'valid_until', or counted from the start and the term.",
    )
    focus_areas = FocusAreaRef(source="api_focus_areas", many=True, read_only=True)
    parties = PartySerializer(source="api_parties", many=True, read_only=True)
    cooperation_areas = CooperationAreaSerializer(
        source="api_cooperation_areas", many=True, read_only=True
    )
    signing_events = SigningEventSerializer(source="api_signing_events", many=True, read_only=True)
    statements = StatementSerializer(source="api_statements", many=True, read_only=True)
    contacts = AgreementContactSerializer(source="public_contacts", many=True, read_only=True)
    documents = DocumentSerializer(source="public_documents", many=True, read_only=True)
    original_title = serializers.SerializerMethodField(
        help_text=(
            "The title in the language the agreement was signed in, when that is none of the "
            "portal's (or its title column in that language); empty otherwise."
        )
    )
    original_title_language = serializers.CharField(
        read_only=True,
        help_text="ISO 639 code of original_title (any language, e.g. it, zh); empty without one.",
    )
    url = PageUrlField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "slug",
            "code",
            "title",
            "summary",
            "terms",
            "original_title",
            "original_title_language",
            "kind",
            "state",
            "status",
            "signed_on",
            "effective_from",
            "term",
            "valid_until",
            "term_length",
            "term_length_unit",
            "ends_on",
            "notice_period",
            "notice_period_unit",
            "auto_renewal",
            "terminated_on",
            "previous",
            "lineage",
            "focus_areas",
            "authentic_languages",
            "parties",
            "cooperation_areas",
            "signing_events",
            "statements",
            "contacts",
            "documents",
            "created_at",
            "updated_at",
            "url",
        ]

    def get_original_title(self, agreement: Agreement) -> str:
        return original_of(
            agreement,
            "title",
            original_field="original_title",
            language_field="original_title_language",
        )

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_previous(self, agreement: Agreement) -> int | None:
        """The id of the earlier agreement this one builds on, when that one is public."""
        previous = agreement.previous
        return previous.pk if previous is not None and previous.is_public else None


class EventSerializer(Translated):
    translated_fields = ("name", "description", "venue")
    region = RegionRef(read_only=True, allow_null=True)
    organizer = OrganizationRef(read_only=True, allow_null=True)
    agreements = serializers.SerializerMethodField()
    url = PageUrlField()

    class Meta:
        model = Event
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "venue",
            "starts_on",
            "ends_on",
            "website",
            "region",
            "organizer",
            "agreements",
            "url",
        ]

    def get_agreements(self, event: Event) -> list[int]:
        """Ids of the public agreements signed at the event."""
        return sorted({signing.agreement_id for signing in event.public_signings})  # type: ignore[attr-defined]  # prefetched by the view


class ChangesSerializer(serializers.Serializer):
    since = serializers.DateTimeField()
    until = serializers.DateTimeField(help_text="The time of this answer: the next 'since'.")
    removed = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text=(
            "Per resource, the ids of rows that changed since 'since' and are not public now "
            "(deleted, unpublished, made private): remove them if you hold them."
        ),
    )


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )
