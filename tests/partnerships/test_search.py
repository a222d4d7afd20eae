"""partnerships/search.py: agreements for the site search."""

from organizations.search import parse_query
from partnerships.search import search_agreements


def test_agreements_are_found_by_title_and_by_party_but_only_when_published(
    world, agreement_factory, agreement_party_factory
):
    published = agreement_factory(title="Test accord on zymology", title_ja="試験協定")
    agreement_factory(title="Unpublished zymology accord", publication="draft")
    agreement_party_factory(agreement=published, organization=world.biom)
    assert search_agreements(parse_query("zymology"))[0] == [published]
    assert search_agreements(parse_query("協定"))[0] == [published]
    assert search_agreements(parse_query("BioM"))[0] == [published]
