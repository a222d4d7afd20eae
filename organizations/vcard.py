"""vCard 4.0 (RFC 6350) for a public contact point: ``/<lang>/contacts/<affiliation id>.vcf``.

Written by hand rather than with ``vobject``: vobject targets vCard 3.0 and has seen little
maintenance, while the part of RFC 6350 needed here is small — escaping text values (§3.4),
folding lines at 75 octets without splitting a UTF-8 sequence (§3.2), CRLF line ends — and is
tested in ``tests/organizations/test_vcard.py``.

Only publishable affiliations (``Affiliation.objects.publishable()``: public and current) have a
card; any other id answers 404, exactly like an id that does not exist, so that the URL reveals
nothing.
"""

from __future__ import annotations

import datetime
import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from organizations.models import Affiliation, Organization, Region

PRODID = "-//Cluster Partnership Portal//Contacts//EN"
LINE_LIMIT = 75  # octets, not counting the CRLF (RFC 6350 §3.2)


def escape_text(value: object) -> str:
    """Escape a text value or one component of a structured value (RFC 6350 §3.4).

    Backslash first (so the escapes added next are not doubled), then comma and semicolon, then
    every kind of line break as ``\\n``.
    """
    text = str(value)
    text = text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return text


def structured(*components: object) -> str:
    """A structured value such as N or ADR: escaped components joined by semicolons."""
    return ";".join(escape_text(component or "") for component in components)


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets, never inside a UTF-8 sequence.

    Continuation lines start with one space, which counts towards their 75 octets.
    """
    chunks: list[str] = []
    current = ""
    size = 0
    limit = LINE_LIMIT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append(current)
            current, size, limit = "", 0, LINE_LIMIT - 1
        current += char
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)


def _uri(value: str) -> str:
    """A URI value is not escaped like text (RFC 6350 §4.2), but must stay on its line."""
    return "".join(value.split())


def content_line(name: str, value: str, /, **params: str) -> str:
    """``NAME;PARAM=value:value``; ``value`` must already be escaped or structured."""
    rendered = "".join(f";{key.upper()}={param}" for key, param in params.items())
    return fold(f"{name}{rendered}:{value}")


def _regions_of(region: Region) -> tuple[str, str]:
    """(state or prefecture, country) names for an address, from the region tree."""
    chain = Region.objects.breadcrumb(region)  # one query, whatever the depth
    country = next((r.name for r in chain if r.kind == Region.Kind.COUNTRY), "")
    subdivision = next((r.name for r in chain if r.kind == Region.Kind.SUBDIVISION), "")
    return subdivision, country


def _address(organization: Organization) -> str | None:
    if not (organization.street_address or organization.locality or organization.postal_code):
        return None
    subdivision, country = _regions_of(organization.region)
    return structured(
        "",  # post office box
        "",  # extended address
        organization.street_address,
        organization.locality,
        subdivision,
        organization.postal_code,
        country,
    )


def affiliation_vcard(affiliation: Affiliation, *, source_url: str, uid_seed: str) -> str:
    """The vCard 4.0 text of a contact point, names and position in the active language."""
    person = affiliation.person
    organization = affiliation.organization
    language = get_language() or "en"
    updated = max(person.updated_at, organization.updated_at)
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        content_line("PRODID", escape_text(PRODID)),
        content_line("UID", f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, uid_seed)}"),
        "KIND:individual",
        content_line("FN", escape_text(person.display_name(language))),
        content_line(
            "N",
            structured(person.family_name, person.given_name, "", person.honorific, ""),
        ),
        content_line("ORG", structured(organization.name)),
    ]
    if affiliation.position:
        lines.append(content_line("TITLE", escape_text(affiliation.position)))
    if affiliation.email:
        lines.append(content_line("EMAIL", escape_text(affiliation.email), type="work"))
    if affiliation.phone:
        lines.append(
            content_line("TEL", f"tel:{affiliation.phone.as_e164}", value="uri", type="work,voice")
        )
    address = _address(organization)
    if address:
        lines.append(content_line("ADR", address, type="work"))
    if organization.website:
        lines.append(content_line("URL", _uri(organization.website), type="work"))
    lines += [
        content_line("SOURCE", _uri(source_url)),
        content_line("REV", updated.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")),
        "END:VCARD",
    ]
    return "\r\n".join(lines) + "\r\n"


@require_safe
def contact_vcard(request: HttpRequest, pk: int) -> HttpResponse:
    affiliation = get_object_or_404(
        Affiliation.objects.publishable().select_related("person", "organization__region"), pk=pk
    )
    source_url = request.build_absolute_uri(
        reverse("organizations:contact_vcard", kwargs={"pk": pk})
    )
    # The UID is the same in every language: the card describes one contact point.
    uid_seed = f"{request.scheme}://{request.get_host()}/contacts/{pk}"
    body = affiliation_vcard(affiliation, source_url=source_url, uid_seed=uid_seed)
    response = HttpResponse(body.encode("utf-8"), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{affiliation.person.slug}.vcf"'
    return response
