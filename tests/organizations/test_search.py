"""organizations/search/: matching in three languages, ranking, regions, people, corrections."""

import pytest
from django.db import connection
from django.utils import translation

from organizations import search
from organizations.models import FocusArea, Organization, Region
from organizations.search import organizations as organization_search


def slugs(query: str, **filters) -> list[str]:
    found = search.search_organizations(q=query, **filters)
    return [organization.slug for organization in found.results[0:25]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Bayern", "biom"),
        ("Bavaria", "biom"),
        ("バイエルン", "biom"),
        ("München", "example-isar"),
        ("Munchen", "example-isar"),
        ("Muenchen", "example-isar"),
        ("Munich", "example-isar"),
        ("MÜNCHEN", "example-isar"),
        ("Monaco di Baviera", "example-isar"),
        ("Osaka", "obhq"),
        ("大阪", "obhq"),
        ("Kansai", "obhq"),
        ("関西", "obhq"),
        ("Kinki", "obhq"),
        ("BioM", "biom"),
        ("biom", "biom"),
        ("ＢｉｏＭ", "biom"),
        ("Martinsried", "biom"),
        ("Oberbayern", "biom"),
        ("Deutschland", "biom"),
        ("日本", "obhq"),
    ],
)
def test_each_query_finds_the_expected_organisation_first(world, query, expected):
    assert slugs(query)[0] == expected


def test_a_misspelt_name_finds_the_organisation_within_the_first_three(world):
    assert "obhq" in slugs("Osaka Bio Headquaters")[:3]


def test_a_corrected_query_remembers_what_the_visitor_typed(world):
    found = search.search_organizations(q="Osaka Bio Headquaters")
    assert found.query.corrected_from == "Osaka Bio Headquaters"
    assert "headquarters" in found.query.phrase


def test_a_query_matching_nothing_similar_is_not_corrected(world):
    found = search.search_organizations(q="Xqzvwpt")
    assert found.query.corrected_from == ""
    assert found.results.count() == 0


def test_an_exact_name_match_ranks_before_a_description_match(world):
    assert slugs("Testland Genomics") == ["testland-genomics", "example-alpha"]


def test_a_name_match_ranks_before_a_region_match(world, organization_factory):
    organization_factory(slug="bavarian-named", name="Example Bavaria Test Lab", region=world.japan)
    assert slugs("Bavaria")[0] == "bavarian-named"


def test_every_word_of_the_query_must_match(world):
    assert slugs("Osaka Bavaria") == []


def test_japanese_substrings_are_found_inside_longer_words(world):
    assert slugs("バイオ") == ["obhq"]
    assert slugs("ヘッドクオーター") == ["obhq"]
    assert slugs("阪") == ["obhq"]


def test_a_japanese_query_is_not_found_as_separate_characters(world):
    # 阪 and 大 both occur in OBHQ's document, but not as "阪大".
    assert slugs("阪大") == []


def test_two_character_japanese_queries_can_use_the_bigram_index(world):
    query = search.parse_query("大阪")
    sql, params = search.organization_text_filter(
        Organization.objects.order_by(), query
    ).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "organizations_org_terms_gin" in plan


def test_short_latin_words_match_whole_words(world, organization_factory):
    organization_factory(slug="ai-lab", name="Example AI Test Lab", region=world.testland)
    assert slugs("AI") == ["ai-lab"]


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("DE-BY", {"biom", "example-isar"}),
        ("de-by", {"biom", "example-isar"}),
        ("bavaria", {"biom", "example-isar"}),
        ("Bavaria (DE-BY)", {"biom", "example-isar"}),
        ("Bayern", {"biom", "example-isar"}),
        ("germany", {"biom", "example-isar"}),
        ("DE", {"biom", "example-isar"}),
        ("upper-bavaria", {"biom", "example-isar"}),
        ("munich", {"example-isar"}),
        ("JP", {"obhq"}),
        ("JP-27", {"obhq"}),
        ("kansai", {"obhq"}),
        ("関西", {"obhq"}),
    ],
)
def test_a_region_includes_everything_below_it(world, region, expected):
    assert set(slugs("", region=region)) == expected


def test_a_region_and_a_text_query_combine(world):
    assert slugs("cluster", region="DE-BY") == ["biom", "example-isar"]
    assert slugs("cluster", region="JP") == []


def test_an_unknown_region_finds_nothing(world):
    found = search.search_organizations(region="Atlantis")
    assert found.region is None
    assert found.results.count() == 0


def test_an_ambiguous_region_name_offers_suggestions(world, region_factory):
    region_factory(
        slug="springfield-a", name="Springfield", kind=Region.Kind.CITY, parent=world.germany
    )
    region_factory(
        slug="springfield-b", name="Springfield", kind=Region.Kind.CITY, parent=world.japan
    )
    found = search.search_organizations(region="Springfield")
    assert found.region is None
    assert {r.slug for r in found.region_suggestions} == {"springfield-a", "springfield-b"}


def test_focus_area_and_kind_filters_combine_with_text(world, focus_area_factory):
    area = focus_area_factory(slug="test-genomics", name="Test genomics")
    world.alpha.focus_areas.add(area)
    Organization.objects.filter(pk=world.genomics.pk).update(kind=Organization.Kind.RESEARCH)
    assert slugs("testland", focus_area_id=area.pk) == ["example-alpha"]
    assert slugs("testland", kind=Organization.Kind.RESEARCH) == ["testland-genomics"]


def test_an_organisation_is_found_by_a_focus_area_added_later(world, focus_area_factory):
    area = focus_area_factory(slug="test-zymology", name="Test zymology", name_ja="試験発酵学")
    assert slugs("zymology") == []
    world.isar.focus_areas.add(area)
    assert slugs("zymology") == ["example-isar"]
    assert slugs("発酵") == ["example-isar"]


def test_an_organisation_is_not_found_by_a_focus_area_removed(world, focus_area_factory):
    area = focus_area_factory(slug="test-zymology", name="Test zymology")
    world.isar.focus_areas.add(area)
    world.isar.focus_areas.remove(area)
    assert slugs("zymology") == []


def test_renaming_a_focus_area_updates_the_search(world, focus_area_factory):
    area = focus_area_factory(slug="test-zymology", name="Test zymology")
    world.isar.focus_areas.add(area)
    FocusArea.objects.filter(pk=area.pk).update(name_en="Test fermentology")
    assert slugs("fermentology") == ["example-isar"]
    assert slugs("zymology") == []


def test_a_new_region_alias_reaches_organisations_several_levels_below(world):
    Region.objects.filter(pk=world.bavaria.pk).update(aliases="Freistaat")
    assert set(slugs("Freistaat")) == {"biom", "example-isar"}


def test_joining_a_macro_region_makes_organisations_findable_by_its_name(world, region_factory):
    alps = region_factory(slug="test-alps", name="Testalpen", kind=Region.Kind.MACRO_REGION)
    alps.members.add(world.upper_bavaria)
    assert set(slugs("Testalpen")) == {"biom", "example-isar"}
    assert set(slugs("", region="test-alps")) == {"biom", "example-isar"}


def test_moving_an_organisation_updates_its_region_names(world):
    world.isar.region = world.osaka_city
    world.isar.save()
    assert "example-isar" in slugs("Kansai")
    assert "example-isar" not in slugs("Bayern")


def test_names_in_the_visitors_language_sort_the_results(world, organization_factory):
    organization_factory(slug="jp-b", name="Bbb Test", name_ja="あ試験", region=world.testland)
    organization_factory(slug="jp-a", name="Aaa Test", name_ja="い試験", region=world.testland)
    with translation.override("ja"):
        assert slugs("試験") == ["jp-b", "jp-a"]
    with translation.override("en"):
        assert slugs("試験") == ["jp-a", "jp-b"]


@pytest.mark.parametrize("language", ["en", "de", "ja"])
def test_a_broad_term_past_the_cap_lists_exact_matches_then_by_name(
    world, organization_factory, monkeypatch, language
):
    monkeypatch.setattr(organization_search, "RESULT_CAP", 2)
    organization_factory(slug="exact", name="Cluster", region=world.testland)
    with translation.override(language):
        found = search.search_organizations(q="cluster")
        assert found.results.capped
        assert found.results.count() == 2
        page = [o.slug for o in found.results[0:2]]
    assert page[0] == "exact"
    assert page[1] == "biom"  # then by name: "BioM …" before "Example Isar …"


def test_a_broad_term_past_the_cap_lists_name_matches_before_other_matches(
    world, organization_factory, monkeypatch
):
    monkeypatch.setattr(organization_search, "RESULT_CAP", 3)
    organization_factory(slug="exact", name="Cluster", region=world.testland)
    organization_factory(
        slug="aaa", name="Aaa Test", description="About a cluster.", region=world.testland
    )
    found = search.search_organizations(q="cluster")
    assert found.results.capped
    assert [o.slug for o in found.results[0:3]] == ["exact", "biom", "example-isar"]
    assert [o.slug for o in found.results[1:3]] == ["biom", "example-isar"]


def test_a_broad_term_past_the_cap_lists_other_matches_after_name_matches(
    world, organization_factory, monkeypatch
):
    monkeypatch.setattr(organization_search, "RESULT_CAP", 4)
    organization_factory(slug="exact", name="Cluster", region=world.testland)
    for slug in ("aaa", "bbb"):
        organization_factory(
            slug=slug, name=f"{slug} Test", description="About a cluster.", region=world.testland
        )
    found = search.search_organizations(q="cluster")
    assert [o.slug for o in found.results[2:4]] == ["example-isar", "aaa"]


@pytest.mark.parametrize("value", ["", "   ", "!!!???", "🧬🔬", "<>&\"'", "\x00\x00"])
def test_a_query_without_letters_or_digits_lists_every_organisation(world, value):
    found = search.search_organizations(q=value)
    assert found.query.is_empty
    assert found.results.count() == 5


@pytest.mark.parametrize(
    "value",
    ["x" * 10_000, "'; DROP TABLE organizations_organization; --", "<script>alert(1)</script>"],
)
def test_a_strange_query_is_searched_as_words(world, value):
    found = search.search_organizations(q=value)
    assert found.results[0:25] == []
    assert Organization.objects.count() == 5


@pytest.mark.parametrize("value", ["!!!", "🧬", "x" * 10_000, "' OR 1=1 --"])
def test_a_strange_region_finds_nothing(world, value):
    found = search.search_organizations(region=value)
    assert found.region is None
    assert found.results[0:25] == []


def test_a_query_mixing_scripts_matches_each_part(world):
    assert slugs("Osaka大阪") == ["obhq"]


def test_a_very_long_query_is_cut(world):
    assert len(search.parse_query("biom " * 5_000).raw) <= search.MAX_QUERY_CHARS


def test_nul_bytes_are_removed_from_the_query(world):
    assert slugs("Bio\x00M") == []  # two words, "bio" and "m"; no error either way
    assert "\x00" not in search.parse_query("Bio\x00M").raw


def test_region_suggestions_put_the_best_match_first(world):
    assert [r.slug for r in search.suggest_regions("bay")][:2] == ["bavaria", "upper-bavaria"]
    assert search.suggest_regions("大阪")[0].slug == "osaka"
    assert search.suggest_regions("DE-BY")[0].slug == "bavaria"
    assert search.suggest_regions("Muenchen")[0].slug == "munich"


def test_people_are_found_only_with_a_public_affiliation(db, person_factory, affiliation_factory):
    shown = person_factory(family_name="Testperson", native_name="試験花子")
    hidden = person_factory(family_name="Testperson")
    affiliation_factory(person=shown, visibility="public")
    affiliation_factory(person=hidden, visibility="hidden")
    people, count = search.search_people(search.parse_query("testperson"))
    assert people == [shown]
    assert count == 1
    assert search.search_people(search.parse_query("花子"))[0] == [shown]


def test_nul_bytes_are_ignored_in_a_region_code(world):
    assert search.search_organizations(region="DE-BY\x00").region == world.bavaria


def test_the_legal_name_is_searched(world):
    assert slugs("Development GmbH") == ["biom"]


def test_a_name_in_german_is_searched(world, organization_factory):
    organization_factory(
        slug="de-named", name="Example Test Network", name_de="Beispielnetzwerk Prüfstelle",
        region=world.testland,
    )  # fmt: skip
    assert slugs("Prufstelle") == ["de-named"]
    assert slugs("Pruefstelle") == ["de-named"]


def test_migrations_install_the_search_extensions(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname IN ('pg_trgm', 'unaccent')")
        assert {row[0] for row in cursor.fetchall()} == {"pg_trgm", "unaccent"}


# French, the fourth language: its columns are in every search document ----------------------


def test_a_region_renamed_in_french_reaches_organisations_below_it(world):
    Region.objects.filter(pk=world.bavaria.pk).update(name_fr="Bavière")
    assert set(slugs("Bavière")) == {"biom", "example-isar"}
    assert set(slugs("Baviere")) == {"biom", "example-isar"}


def test_an_organisation_is_found_by_its_french_name_and_description(world, organization_factory):
    organization_factory(
        slug="grappe",
        name="Example Grappe",
        name_fr="Grappe d'exemple lyonnaise",
        description_fr="Médecine régénérative à Lyon.",
        region=world.testland,
    )
    assert slugs("lyonnaise") == ["grappe"]
    assert slugs("regenerative lyon")[0] == "grappe"


def test_a_focus_area_renamed_in_french_reaches_its_organisations(world, focus_area_factory):
    area = focus_area_factory(slug="test-zymology", name="Test zymology")
    world.isar.focus_areas.add(area)
    FocusArea.objects.filter(pk=area.pk).update(name_fr="Zymologie française")
    assert slugs("zymologie") == ["example-isar"]


def test_a_region_is_suggested_by_its_french_name(world):
    Region.objects.filter(pk=world.bavaria.pk).update(name_fr="Bavière")
    assert world.bavaria in search.suggest_regions("Bavière")
