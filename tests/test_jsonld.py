import datetime
import json
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from organizations.models import Region, Visibility
from partnerships.models import Agreement, AgreementParty
from portal.jsonld import (
    agreement_jsonld,
    dumps,
    event_jsonld,
    organization_jsonld,
    render_jsonld,
    signing_event_jsonld,
)

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*)</script>', re.S)


@pytest.fixture
def request_(rf):
    return rf.get("/en/")


def render_tag(obj, request) -> str:
    template = Template("{% load jsonld %}{% jsonld obj %}")
    return template.render(Context({"obj": obj, "request": request}))


def test_organisation_is_a_schema_org_organization_with_its_portal_page_as_id(
    request_, organization_factory
):
    organization = organization_factory(
        slug="example-cluster", name="Example Cluster", short_name="EC"
    )

    data = organization_jsonld(organization, request=request_)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Organization"
    assert data["@id"] == "http://testserver/en/organizations/example-cluster/"
    assert data["name"] == "Example Cluster"
    assert data["alternateName"] == "EC"


def test_organisation_url_is_its_own_website_when_known(request_, organization_factory):
    organization = organization_factory(website="https://cluster.example.org/")

    assert organization_jsonld(organization, request=request_)["url"] == (
        "https://cluster.example.org/"
    )


def test_organisation_address_names_the_country_by_iso_code(
    request_, organization_factory, region_factory, subdivision_factory
):
    country = region_factory(name="Testland", iso_code="XT")
    state = subdivision_factory(name="Test State", parent=country)
    organization = organization_factory(region=state, locality="Test City", postal_code="12345")

    address = organization_jsonld(organization, request=request_)["address"]

    assert address == {
        "@type": "PostalAddress",
        "postalCode": "12345",
        "addressLocality": "Test City",
        "addressRegion": "Test State",
        "addressCountry": "XT",
    }


def test_organisation_names_its_parent_organisation(request_, organization_factory):
    parent = organization_factory(name="Example Foundation", slug="example-foundation")
    organization = organization_factory(parent=parent)

    data = organization_jsonld(organization, request=request_)

    assert data["parentOrganization"] == {
        "@type": "Organization",
        "@id": "http://testserver/en/organizations/example-foundation/",
        "name": "Example Foundation",
    }


def test_organisation_leaves_out_unknown_fields(request_, organization_factory):
    data = organization_jsonld(organization_factory(), request=request_)

    assert "legalName" not in data
    assert "email" not in data
    assert "parentOrganization" not in data


def test_organisation_never_carries_its_peoples_contact_data(
    request_, organization_factory, affiliation_factory
):
    organization = organization_factory()
    affiliation_factory(
        organization=organization, email="hidden@example.org", visibility=Visibility.HIDDEN
    )
    affiliation_factory(
        organization=organization, email="public@example.org", visibility=Visibility.PUBLIC
    )

    text = dumps(organization_jsonld(organization, request=request_))

    assert "hidden@example.org" not in text
    assert "public@example.org" not in text


def test_event_has_iso_dates_and_a_place(request_, event_factory, region_factory):
    city = region_factory(
        name="Test City", kind=Region.Kind.CITY, latitude="48.1", longitude="11.5"
    )
    event = event_factory(
        starts_on=datetime.date(2015, 11, 2),
        ends_on=datetime.date(2015, 11, 4),
        venue="Example Hall",
        region=city,
    )

    data = json.loads(dumps(event_jsonld(event, request=request_)))

    assert (data["@type"], data["startDate"], data["endDate"]) == (
        "Event",
        "2015-11-02",
        "2015-11-04",
    )
    assert data["location"]["name"] == "Example Hall"
    assert data["location"]["address"]["addressLocality"] == "Test City"
    assert data["location"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 48.1,
        "longitude": 11.5,
    }


def test_agreement_is_a_creative_work_with_kind_and_derived_status(request_, agreement_factory):
    agreement = agreement_factory(
        kind=Agreement.Kind.RENEWAL, signed_on=datetime.date(2015, 11, 2), code="EX-2015"
    )

    data = agreement_jsonld(agreement, request=request_)

    assert data["@type"] == "CreativeWork"
    assert data["alternateName"] == "EX-2015"
    assert data["genre"] == "Renewal / amendment"
    assert data["creativeWorkStatus"] == "In force"
    assert data["temporalCoverage"] == "2015-11-02/.."


def test_agreement_parties_are_authors_and_witnesses_contributors(
    request_, agreement_factory, agreement_party_factory
):
    agreement = agreement_factory()
    agreement_party_factory(agreement=agreement, organization__name="Example Cluster North")
    agreement_party_factory(
        agreement=agreement,
        organization__name="Example Ministry",
        role=AgreementParty.Role.WITNESS,
    )

    data = agreement_jsonld(agreement, request=request_)

    assert [a["name"] for a in data["author"]] == ["Example Cluster North"]
    assert [c["name"] for c in data["contributor"]] == ["Example Ministry"]


def test_agreement_builds_on_a_published_earlier_agreement(request_, agreement_factory):
    earlier = agreement_factory(slug="example-2010")
    renewal = agreement_factory(previous=earlier, lineage=Agreement.Lineage.RENEWS)

    data = agreement_jsonld(renewal, request=request_)

    assert data["isBasedOn"]["@id"] == "http://testserver/en/agreements/example-2010/"


def test_agreement_never_names_an_unpublished_earlier_agreement(request_, agreement_factory):
    earlier = agreement_factory(title="Confidential example", publication="draft")
    renewal = agreement_factory(previous=earlier, lineage=Agreement.Lineage.RENEWS)

    text = dumps(agreement_jsonld(renewal, request=request_))

    assert "Confidential example" not in text
    assert "isBasedOn" not in text


def test_agreement_lists_its_signing_events(
    request_, agreement_factory, signing_event_factory, event_factory
):
    agreement = agreement_factory(slug="example-renewal")
    occasion = event_factory(name="Example Partnering Days 2015", slug="example-days")
    signing_event_factory(agreement=agreement, occasion=occasion)

    (signing,) = agreement_jsonld(agreement, request=request_)["subjectOf"]

    assert signing["@type"] == "Event"
    assert signing["about"] == {"@id": "http://testserver/en/agreements/example-renewal/"}
    assert signing["superEvent"]["@id"] == "http://testserver/en/events/example-days/"
    assert "@context" not in signing


def test_signing_event_happens_on_its_date(request_, signing_event_factory):
    signing = signing_event_factory(signed_on=datetime.date(2015, 11, 2))

    data = signing_event_jsonld(signing, request=request_)

    assert data["startDate"] == data["endDate"] == "2015-11-02"


def test_render_escapes_markup_so_a_title_cannot_close_the_script(request_, agreement_factory):
    title = "</script><script>alert(1)</script> & <!--"
    agreement = agreement_factory(title=title)

    html = render_jsonld(agreement_jsonld(agreement, request=request_))

    inner = SCRIPT.fullmatch(html).group(1)
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner)["name"] == title


def test_render_keeps_non_ascii_text_readable(request_, organization_factory):
    organization = organization_factory(name_ja="大阪バイオ・ヘッドクオーター")

    with translation.override("ja"):
        html = render_jsonld(organization_jsonld(organization, request=request_))

    assert "大阪バイオ・ヘッドクオーター" in html


def test_template_tag_renders_a_json_ld_script(request_, organization_factory):
    organization = organization_factory(name="Example Cluster")

    html = render_tag(organization, request_)

    assert json.loads(SCRIPT.fullmatch(html).group(1))["name"] == "Example Cluster"


def test_template_tag_renders_nothing_for_an_unpublished_agreement(request_, agreement_factory):
    assert render_tag(agreement_factory(publication="draft"), request_) == ""


def test_template_tag_renders_nothing_for_a_signing_of_an_unpublished_agreement(
    request_, signing_event_factory
):
    signing = signing_event_factory(agreement__publication="draft")

    assert render_tag(signing, request_) == ""


def test_template_tag_renders_nothing_without_a_request(organization_factory):
    assert render_tag(organization_factory(), None) == ""


# --- The JSON-LD is the presenters' output, written in schema.org terms ------------------------


def _from_api(client, agreement, *, signing_regions, occasion_venues):
    """The agreement's JSON-LD as built from the API's answer (the presenters' dicts), with
    what the dicts do not hold passed alongside as the page passes it."""
    from portal.jsonld import agreement_from_presented, signing_from_presented

    api = json.loads(client.get(f"/api/v1/agreements/{agreement.pk}/").content)
    nested = {"focus_areas", "parties", "cooperation_areas", "signing_events"}
    nested |= {"statements", "contacts", "documents"}

    def organization(ref):
        page = f"http://testserver/en/organizations/{ref['slug']}/"
        return {"@type": "Organization", "@id": page, "name": ref["name"]}

    def signing(data):
        occasion = data["occasion"]
        own = {k: v for k, v in data.items() if k not in ("signatures", "attendances")}
        built = signing_from_presented(
            own,
            agreement=api,
            region=signing_regions[data["id"]],
            occasion_venue=occasion_venues.get(data["id"], ""),
            occasion=(
                {
                    "@type": "Event",
                    "@id": f"http://testserver/en/events/{occasion['slug']}/",
                    "name": occasion["name"],
                }
                if occasion
                else None
            ),
            address=False,
        )
        return {k: v for k, v in built.items() if k != "@context"}

    return agreement_from_presented(
        {k: v for k, v in api.items() if k not in nested},
        focus_areas=api["focus_areas"],
        parties=[(party, organization(party["organization"])) for party in api["parties"]],
        previous=None,
        signings=[signing(data) for data in api["signing_events"]],
    )


def test_agreement_page_json_ld_is_what_the_presenters_give_the_api(
    client,
    agreement_party_factory,
    signing_event_factory,
    event_factory,
    region_factory,
    focus_area_factory,
):
    """Fails when the JSON-LD of an agreement or of its signings is built otherwise than from
    the presenters' dicts: a value, a fallback or a language that the API would not give."""
    party = agreement_party_factory(
        agreement__title="Example renewal", agreement__title_de="Beispielverlängerung"
    )
    agreement = party.agreement
    agreement.focus_areas.add(focus_area_factory())
    munich = region_factory(name="Munich", latitude="48.137", longitude="11.575")
    occasion = event_factory(venue="ICM Munich", region=munich)
    at_occasion = signing_event_factory(
        agreement=agreement, occasion=occasion, description="Signed at the fair."
    )
    elsewhere = signing_event_factory(agreement=agreement, place=munich, venue="City hall")
    regions = {at_occasion.pk: munich, elsewhere.pk: munich}
    venues = {at_occasion.pk: "ICM Munich"}

    page = client.get(agreement.get_absolute_url())
    (embedded,) = SCRIPT.findall(page.content.decode())

    expected = _from_api(client, agreement, signing_regions=regions, occasion_venues=venues)
    assert json.loads(embedded) == json.loads(dumps(expected))
    assert len(expected["subjectOf"]) == 2
