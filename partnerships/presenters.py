"""The published dict of agreements, events and documents (see ``core/presenters.py``): the
API's JSON, and the shape the other outputs derive theirs from. Nested rows are read from the
prefetches of the callers' querysets (``portal.api.views``): no presenter queries."""

from __future__ import annotations

from typing import Any

from core.languages import original_of
from core.presenters import Presentation, iso_date
from organizations.presenters import contact_point, focus_area_ref, organization_ref, region_ref
from partnerships.models import (
    Activity,
    Agreement,
    AgreementContact,
    AgreementParty,
    Attendance,
    Commitment,
    CooperationArea,
    Document,
    Event,
    Signature,
    SigningEvent,
    Statement,
)


def event_ref(event: Event | None, how: Presentation) -> dict[str, Any] | None:
    if event is None:
        return None
    return {"id": event.pk, "slug": event.slug, "name": how.text(event, "name")}


def party(party: AgreementParty, how: Presentation) -> dict[str, Any]:
    return {
        "organization": organization_ref(party.organization, how),
        "role": party.role,
        "role_description": how.text(party, "role_description"),
        "translations": how.translations(party, ("role_description",)),
    }


def cooperation_area(area: CooperationArea, how: Presentation) -> dict[str, Any]:
    return {
        "description": how.text(area, "description"),
        "translations": how.translations(area, ("description",)),
    }


def signature(signature: Signature, how: Presentation) -> dict[str, Any]:
    return {
        "person": signature.person.display_name(),
        "capacity": how.text(signature, "capacity"),
        "on_behalf_of": signature.party.organization_id,
        "translations": how.translations(signature, ("capacity",)),
    }


def attendance(attendance: Attendance, how: Presentation) -> dict[str, Any]:
    return {
        "person": attendance.person.display_name(),
        "capacity": how.text(attendance, "capacity"),
        "organization": organization_ref(attendance.organization, how),
        "is_dignitary": attendance.is_dignitary,
        "translations": how.translations(attendance, ("capacity",)),
    }


def signing_event(
    signing: SigningEvent, how: Presentation, *, people: bool = True
) -> dict[str, Any]:
    """A signing with its signatures and attendance (prefetched as ``api_signatures`` and
    ``api_attendances``). With ``people=False`` they are left out, for an output that does not
    publish them (JSON-LD: a schema.org event of the signing, from the agreement page's
    prefetches, which do not hold the API's)."""
    return {
        "id": signing.pk,
        "signed_on": iso_date(signing.signed_on),
        "place": region_ref(signing.place, how),
        "venue": how.text(signing, "venue"),
        "occasion": event_ref(signing.occasion, how),
        "description": how.text(signing, "description"),
        **(
            {
                "signatures": [signature(row, how) for row in signing.api_signatures],  # type: ignore[attr-defined]  # prefetched
                "attendances": [attendance(row, how) for row in signing.api_attendances],  # type: ignore[attr-defined]  # prefetched
            }
            if people
            else {}
        ),
        "translations": how.translations(signing, ("venue", "description")),
    }


def statement(statement: Statement, how: Presentation) -> dict[str, Any]:
    return {
        "person": statement.person.display_name(),
        "capacity": how.text(statement, "capacity"),
        "organization": organization_ref(statement.organization, how),
        "text": how.text(statement, "text"),
        "original_language": statement.original_language,
        # The quote as it was said, in original_language (any ISO 639 language); "" if unknown.
        "original_text": original_of(
            statement, "text", original_field="original_text", language_field="original_language"
        ),
        "translations": how.translations(statement, ("text", "capacity")),
    }


def agreement_contact(contact: AgreementContact, how: Presentation) -> dict[str, Any]:
    affiliation = contact.affiliation
    return {
        "person": affiliation.person.display_name(),
        "for_party": contact.party.organization_id,
        "contact_point": contact_point(affiliation, how),
    }


def document(document: Document, how: Presentation) -> dict[str, Any]:
    """A public document; ``file_url``: the public download of an uploaded file, or null."""
    return {
        "id": document.pk,
        "agreement": document.agreement_id,
        "kind": document.kind,
        "title": how.text(document, "title"),
        "url": document.url,
        "file_url": how.links.url(document.get_file_url()) if document.file else None,
        "language": document.language,
        "published_on": iso_date(document.published_on),
        "translations": how.translations(document, ("title",)),
    }


def agreement(agreement: Agreement, how: Presentation, *, nested: bool = True) -> dict[str, Any]:
    """A published agreement with its nested rows, prefetched into lists (``api_parties``,
    ``api_cooperation_areas``, ``api_focus_areas``, ``api_signing_events``, ``api_statements``,
    ``public_contacts``, ``public_documents``) and its ``status`` and ``ends_on`` annotated
    (``with_status``). With ``nested=False`` the agreement's own values only: for an output that
    presents the nested rows it publishes from its own prefetches (JSON-LD, from the agreement
    page's ``for_detail()``)."""
    previous = agreement.previous
    return {
        "id": agreement.pk,
        "slug": agreement.slug,
        "code": agreement.code,
        "title": how.text(agreement, "title"),
        "summary": how.text(agreement, "summary"),
        "terms": how.text(agreement, "terms"),
        # The title in the language it was signed in (any ISO 639 language, its code beside):
        # "" and "" when it was signed in the portal's languages only.
        "original_title": original_of(
            agreement,
            "title",
            original_field="original_title",
            language_field="original_title_language",
        ),
        "original_title_language": agreement.original_title_language,
        "kind": agreement.kind,
        "state": agreement.state,
        "status": agreement.status,
        "signed_on": iso_date(agreement.signed_on),
        "effective_from": iso_date(agreement.effective_from),
        "term": agreement.term,
        "valid_until": iso_date(agreement.valid_until),
        "term_length": agreement.term_length,
        "term_length_unit": agreement.term_length_unit,
        "ends_on": iso_date(agreement.ends_on),
        "notice_period": agreement.notice_period,
        "notice_period_unit": agreement.notice_period_unit,
        "auto_renewal": agreement.auto_renewal,
        "terminated_on": iso_date(agreement.terminated_on),
        # The earlier agreement this one builds on, when that one is public.
        "previous": previous.pk if previous is not None and previous.is_public else None,
        "lineage": agreement.lineage,
        **(
            {"focus_areas": [focus_area_ref(area, how) for area in agreement.api_focus_areas]}  # type: ignore[attr-defined]  # prefetched
            if nested
            else {}
        ),
        "authentic_languages": list(agreement.authentic_languages),
        **(_agreement_nested(agreement, how) if nested else {}),
        "created_at": how.iso_datetime(agreement.created_at),
        "updated_at": how.iso_datetime(agreement.updated_at),
        "url": how.links.page(agreement),
        "translations": how.translations(agreement, ("title", "summary", "terms")),
    }


def _agreement_nested(agreement: Agreement, how: Presentation) -> dict[str, Any]:
    return {
        "parties": [party(row, how) for row in agreement.api_parties],  # type: ignore[attr-defined]  # prefetched
        "cooperation_areas": [
            cooperation_area(row, how)
            for row in agreement.api_cooperation_areas  # type: ignore[attr-defined]  # prefetched
        ],
        "signing_events": [
            signing_event(row, how)
            for row in agreement.api_signing_events  # type: ignore[attr-defined]  # prefetched
        ],
        "statements": [statement(row, how) for row in agreement.api_statements],  # type: ignore[attr-defined]  # prefetched
        "contacts": [agreement_contact(row, how) for row in agreement.public_contacts],  # type: ignore[attr-defined]  # prefetched
        "documents": [document(row, how) for row in agreement.public_documents],  # type: ignore[attr-defined]  # prefetched
    }


def event(event: Event, how: Presentation, *, agreements: bool = True) -> dict[str, Any]:
    """A public event; ``agreements``: the ids of the public agreements signed at it (its
    public signings prefetched as ``public_signings``), left out with ``agreements=False`` by
    an output that does not publish them (JSON-LD: the event page reads its signings itself)."""
    return {
        "id": event.pk,
        "slug": event.slug,
        "name": how.text(event, "name"),
        "description": how.text(event, "description"),
        "venue": how.text(event, "venue"),
        "starts_on": iso_date(event.starts_on),
        "ends_on": iso_date(event.ends_on),
        "website": event.website,
        "region": region_ref(event.region, how),
        "organizer": organization_ref(event.organizer, how),
        **(
            {"agreements": sorted({signing.agreement_id for signing in event.public_signings})}  # type: ignore[attr-defined]  # prefetched
            if agreements
            else {}
        ),
        "url": how.links.page(event),
        "translations": how.translations(event, ("name", "description", "venue")),
    }


# --- The life of an agreement (issue 21) --------------------------------------------------------


def commitment(commitment: Commitment, how: Presentation) -> dict[str, Any]:
    """A commitment of a published agreement; ``responsible``: the organisations of the
    responsible parties (empty: all, jointly), read from the ``responsible_parties`` prefetch."""
    return {
        "id": commitment.pk,
        "agreement": commitment.agreement_id,
        "text": how.text(commitment, "text"),
        "responsible": [p.organization_id for p in commitment.responsible_parties.all()],
        "position": commitment.position,
        "updated_at": how.iso_datetime(commitment.updated_at),
        "translations": how.translations(commitment, ("text",)),
    }


def activity(activity: Activity, how: Presentation) -> dict[str, Any]:
    """A public activity of a published agreement with its results (null where not given), read
    from the ``parties`` and ``commitments`` prefetches."""
    return {
        "id": activity.pk,
        "agreement": activity.agreement_id,
        "kind": activity.kind,
        "starts_on": iso_date(activity.starts_on),
        "ends_on": iso_date(activity.ends_on),
        "place": activity.place,
        "description": how.text(activity, "description"),
        "organizations": [p.organization_id for p in activity.parties.all()],
        "commitments": [c.pk for c in activity.commitments.all()],
        "results": {
            name: (
                float(value)
                if (value := getattr(activity, name)) is not None and name == "funding"
                else value
            )
            for name in Activity.RESULT_FIELDS
        },
        "evidence_url": activity.evidence_url or None,
        "evidence_file_url": (
            how.links.url(activity.get_evidence_file_url()) if activity.evidence_file else None
        ),
        "updated_at": how.iso_datetime(activity.updated_at),
        "translations": how.translations(activity, ("description",)),
    }
