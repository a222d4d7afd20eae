import datetime
import xml.etree.ElementTree as ET

from django.urls import reverse
from django.utils import timezone, translation

from organizations.models import Visibility
from partnerships.models import Agreement

ATOM = {"atom": "http://www.w3.org/2005/Atom"}


def feed_entries(client, lang: str = "en") -> list[ET.Element]:
    response = client.get(f"/{lang}/agreements/feed.atom")
    assert response.status_code == 200
    return ET.fromstring(response.content).findall("atom:entry", ATOM)  # noqa: S314 - parses the portal's own response in a test


def entry_titles(client, lang: str = "en") -> list[str]:
    return [entry.find("atom:title", ATOM).text for entry in feed_entries(client, lang)]


def test_feed_url_is_named_and_language_prefixed():
    with translation.override("de"):
        assert reverse("partnerships:agreement_feed") == "/de/agreements/feed.atom"


def test_feed_is_atom(client, agreement_factory):
    agreement_factory()

    response = client.get("/en/agreements/feed.atom")

    assert response["Content-Type"].startswith("application/atom+xml")
    assert ET.fromstring(response.content).tag == "{http://www.w3.org/2005/Atom}feed"  # noqa: S314 - parses the portal's own response in a test


def test_feed_lists_published_agreements_newest_recorded_first(client, agreement_factory):
    older = agreement_factory(title="Older example agreement")
    newer = agreement_factory(title="Newer example agreement")
    Agreement.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(1))

    assert entry_titles(client) == [newer.title, older.title]


def test_feed_omits_unpublished_agreements(client, agreement_factory):
    agreement_factory(title="Public example agreement")
    agreement_factory(title="Draft example agreement", publication="draft")

    assert entry_titles(client) == ["Public example agreement"]


def test_feed_is_in_the_language_of_its_url(client, agreement_factory):
    agreement_factory(
        slug="example-renewal", title_en="Example renewal", title_de="Beispielverlängerung"
    )

    entry = feed_entries(client, "de")[0]

    assert entry.find("atom:title", ATOM).text == "Beispielverlängerung"
    assert (
        entry.find("atom:link", ATOM).get("href")
        == "http://testserver/de/agreements/example-renewal/"
    )


def test_feed_falls_back_to_english_where_a_translation_is_missing(client, agreement_factory):
    agreement_factory(title_en="Example renewal", title_ja="")

    assert entry_titles(client, "ja") == ["Example renewal"]


def test_feed_declares_its_language(client, agreement_factory):
    agreement_factory()

    response = client.get("/ja/agreements/feed.atom")

    assert ET.fromstring(response.content).get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"  # noqa: S314 - parses the portal's own response in a test


def test_feed_entry_names_the_parties_and_focus_areas(
    client, agreement_factory, agreement_party_factory, focus_area_factory
):
    agreement = agreement_factory()
    agreement_party_factory(agreement=agreement, organization__name="Example Cluster North")
    agreement_party_factory(agreement=agreement, organization__name="Example Cluster South")
    agreement.focus_areas.add(focus_area_factory(name="Test neuroscience"))

    entry = feed_entries(client)[0]

    author = entry.find("atom:author/atom:name", ATOM).text
    assert author == "Example Cluster North, Example Cluster South"
    assert [c.get("term") for c in entry.findall("atom:category", ATOM)] == ["Test neuroscience"]


def test_feed_never_contains_contact_data(
    client, agreement_factory, affiliation_factory, agreement_contact_factory
):
    agreement = agreement_factory()
    affiliation = affiliation_factory(email="hidden@example.org", visibility=Visibility.HIDDEN)
    agreement_contact_factory(agreement=agreement, affiliation=affiliation)

    response = client.get("/en/agreements/feed.atom")

    assert b"hidden@example.org" not in response.content


def test_feed_query_count_does_not_grow_with_the_agreements(
    client, agreement_factory, agreement_party_factory, django_assert_num_queries
):
    for agreement in agreement_factory.create_batch(3):
        agreement_party_factory.create_batch(2, agreement=agreement)

    # 1 agreements, 2 their parties with organisations, 3 their focus areas
    with django_assert_num_queries(3):
        client.get("/en/agreements/feed.atom")


def test_summaries_are_plain_text_so_a_reader_never_renders_markup(client, agreement_factory):
    summary = 'Cooperation </script><script>alert("feed")</script> <b>bold</b> & more'
    agreement_factory(title="Example agreement", summary=summary)

    response = client.get("/en/agreements/feed.atom")
    element = feed_entries(client)[0].find("atom:summary", ATOM)

    assert element.get("type") == "text"
    assert element.text == summary  # the reader shows exactly what the editor typed, as text
    raw = response.content.decode()
    assert "<script>" not in raw and "</script>" not in raw
    assert "&lt;/script&gt;&lt;script&gt;" in raw


def bavarian_and_other_agreement(agreement_factory, agreement_party_factory, subdivision_factory):
    bavaria = subdivision_factory(name="Test Bavaria", slug="test-bavaria", iso_code="DE-BY")
    agreement_party_factory(
        agreement=agreement_factory(title="Bavarian example agreement"),
        organization__region=subdivision_factory(parent=bavaria, kind="city"),
    )
    agreement_party_factory(agreement=agreement_factory(title="Elsewhere example agreement"))


def test_feed_filtered_by_region_lists_only_that_regions_agreements(
    client, agreement_factory, agreement_party_factory, subdivision_factory
):
    bavarian_and_other_agreement(agreement_factory, agreement_party_factory, subdivision_factory)

    response = client.get("/en/agreements/feed.atom", {"region": "DE-BY"})
    entries = ET.fromstring(response.content).findall("atom:entry", ATOM)  # noqa: S314 - parses the portal's own response in a test

    assert [entry.find("atom:title", ATOM).text for entry in entries] == [
        "Bavarian example agreement"
    ]


def test_filtered_feed_links_to_the_list_filtered_the_same_way(client, agreement_factory):
    agreement_factory()

    response = client.get("/en/agreements/feed.atom", {"kind": "mou", "sort": "title"})
    feed = ET.fromstring(response.content)  # noqa: S314 - parses the portal's own response in a test

    links = [link.get("href") for link in feed.findall("atom:link", ATOM)]
    assert "http://testserver/en/agreements/?kind=mou" in links


def test_feed_ignores_an_unknown_region_as_the_list_does(client, agreement_factory):
    agreement_factory(title="Any example agreement")

    response = client.get("/en/agreements/feed.atom", {"region": "no-such-region"})

    assert b"Any example agreement" in response.content


def test_filtered_feed_query_count_does_not_grow_with_the_agreements(
    client,
    agreement_factory,
    agreement_party_factory,
    subdivision_factory,
    django_assert_num_queries,
):
    bavaria = subdivision_factory(iso_code="DE-BY")
    for agreement in agreement_factory.create_batch(3):
        agreement_party_factory.create_batch(2, agreement=agreement, organization__region=bavaria)

    # 1 the region by its code, 2 its subtree's ids, 3 agreements, 4 parties, 5 focus areas
    with django_assert_num_queries(5):
        client.get("/en/agreements/feed.atom", {"region": "DE-BY"})
