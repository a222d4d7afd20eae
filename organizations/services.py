"""Writes for regions, organisations and people: validate with ``full_clean()``, then save."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from modeltranslation import settings as mt_settings
from modeltranslation.utils import build_localized_fieldname

from organizations.models import Affiliation, FocusArea, Organization, Person, Region, Visibility

# A translated text: {"en": "…", "de": "…", "ja": "…"}, or a plain string meaning English.
Translated = dict[str, str] | str


def translated_values(field: str, value: Translated) -> dict[str, str]:
    """Keyword arguments for each language of a translated field.

    ``translated_values("title", {"en": "A", "ja": "B"})`` is ``{"title_en": "A", "title_ja":
    "B"}``. A plain string is the default language (English) whatever language is active, so a
    service called during a German request still fills the required English field.
    """
    if isinstance(value, str):
        value = {mt_settings.DEFAULT_LANGUAGE: value}
    unknown = set(value) - set(mt_settings.AVAILABLE_LANGUAGES)
    if unknown:
        raise ValueError(f"Unknown language(s) for {field}: {', '.join(sorted(unknown))}")
    return {build_localized_fieldname(field, language): text for language, text in value.items()}


@transaction.atomic
def organization_create(
    *,
    name: Translated,
    slug: str,
    kind: str,
    region: Region,
    short_name: str = "",
    legal_name: str = "",
    description: Translated = "",
    parent: Organization | None = None,
    street_address: str = "",
    postal_code: str = "",
    locality: str = "",
    website: str = "",
    email: str = "",
    phone: str = "",
    focus_areas: Iterable[FocusArea] = (),
) -> Organization:
    organization = Organization(
        **translated_values("name", name),
        **translated_values("description", description),
        slug=slug,
        kind=kind,
        region=region,
        short_name=short_name,
        legal_name=legal_name,
        parent=parent,
        street_address=street_address,
        postal_code=postal_code,
        locality=locality,
        website=website,
        email=email,
        phone=phone,
    )
    organization.full_clean()
    organization.save()
    organization.focus_areas.set(focus_areas)
    return organization


@transaction.atomic
def person_create(
    *,
    given_name: str,
    family_name: str,
    slug: str,
    honorific: Translated = "",
    native_name: str = "",
    native_name_order: str = Person.NameOrder.GIVEN_FIRST,
) -> Person:
    person = Person(
        **translated_values("honorific", honorific),
        given_name=given_name,
        family_name=family_name,
        slug=slug,
        native_name=native_name,
        native_name_order=native_name_order,
    )
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def affiliation_create(
    *,
    person: Person,
    organization: Organization,
    position: Translated = "",
    email: str = "",
    phone: str = "",
    visibility: str = Visibility.HIDDEN,
) -> Affiliation:
    """A position and contact point; hidden from the public unless ``visibility`` says so."""
    affiliation = Affiliation(
        **translated_values("position", position),
        person=person,
        organization=organization,
        email=email,
        phone=phone,
        visibility=visibility,
    )
    affiliation.full_clean()
    affiliation.save()
    return affiliation
