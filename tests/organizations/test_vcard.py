import pytest
from django.urls import reverse
from django.utils import translation

from organizations.models import Visibility
from organizations.vcard import escape_text, fold, structured


def unfold(text: str) -> list[str]:
    """Physical lines → logical content lines (RFC 6350 §3.2)."""
    assert text.endswith("\r\n")
    return text[:-2].replace("\r\n ", "").split("\r\n")


def properties(text: str) -> dict[str, str]:
    """{NAME;PARAMS: value} of a card with one instance of each property."""
    return dict(line.split(":", 1) for line in unfold(text))


def get_card(client, affiliation, lang: str = "en") -> str:
    response = client.get(f"/{lang}/contacts/{affiliation.pk}.vcf")
    assert response.status_code == 200
    return response.content.decode("utf-8")


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("Munich, Bavaria", "Munich\\, Bavaria"),
        ("CEO; President", "CEO\\; President"),
        ("C:\\path", "C:\\\\path"),
        ("one\ntwo", "one\\ntwo"),
        ("one\r\ntwo", "one\\ntwo"),
        ("one\rtwo", "one\\ntwo"),
        ("\\,", "\\\\\\,"),
        ("大阪", "大阪"),
    ],
)
def test_escape_text_escapes_backslash_comma_semicolon_and_line_breaks(raw, escaped):
    assert escape_text(raw) == escaped


def test_structured_value_separates_escaped_components_with_semicolons():
    assert (
        structured("Teststraße 1; Hof", "", None, "Test City") == "Teststraße 1\\; Hof;;;Test City"
    )


def test_fold_keeps_every_physical_line_within_75_octets():
    line = "NOTE:" + "x" * 300

    physical = fold(line).split("\r\n")

    assert all(len(part.encode("utf-8")) <= 75 for part in physical)
    assert [part[0] for part in physical[1:]] == [" "] * (len(physical) - 1)


def test_fold_never_splits_a_utf8_sequence_and_unfolds_to_the_original():
    line = "FN:" + "大阪バイオ" * 30

    folded = fold(line)

    for part in folded.split("\r\n"):
        assert len(part.encode("utf-8")) <= 75
        part.encode("utf-8").decode("utf-8")  # each line is valid UTF-8 on its own
    assert folded.replace("\r\n ", "") == line


def test_fold_leaves_a_short_line_alone():
    assert fold("FN:Test") == "FN:Test"


def test_contact_vcard_url_is_named_and_language_prefixed(affiliation_factory):
    affiliation = affiliation_factory()

    with translation.override("de"):
        url = reverse("organizations:contact_vcard", kwargs={"pk": affiliation.pk})

    assert url == f"/de/contacts/{affiliation.pk}.vcf"


def test_public_contact_has_a_vcard_4_with_name_organisation_and_position(
    client, affiliation_factory
):
    affiliation = affiliation_factory(
        person__honorific="Prof. Dr.",
        person__given_name="Testgiven",
        person__family_name="Testfamily",
        organization__name="Example Cluster",
        position="Head of Tests, Europe",
        email="testgiven@example.org",
    )

    response = client.get(f"/en/contacts/{affiliation.pk}.vcf")
    card = properties(response.content.decode())

    assert response["Content-Type"] == "text/vcard; charset=utf-8"
    assert card["VERSION"] == "4.0"
    assert card["FN"] == "Prof. Dr. Testgiven Testfamily"
    assert card["N"] == "Testfamily;Testgiven;;Prof. Dr.;"
    assert card["ORG"] == "Example Cluster"
    assert card["TITLE"] == "Head of Tests\\, Europe"
    assert card["EMAIL;TYPE=work"] == "testgiven@example.org"


def test_vcard_lines_end_with_crlf(client, affiliation_factory):
    card = get_card(client, affiliation_factory())

    assert card.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert card.endswith("END:VCARD\r\n")
    assert "\n" not in card.replace("\r\n", "")


def test_vcard_phone_is_a_tel_uri(client, affiliation_factory):
    affiliation = affiliation_factory(phone="+49 89 1234567")

    card = properties(get_card(client, affiliation))

    assert card["TEL;VALUE=uri;TYPE=work,voice"] == "tel:+49891234567"


def test_vcard_address_is_the_organisations_with_escaped_components(client, affiliation_factory):
    affiliation = affiliation_factory(
        organization__street_address="Teststraße 1; Hof",
        organization__locality="Test City",
        organization__postal_code="12345",
        organization__region__name="Test State",
        organization__region__parent__name="Testland",
    )

    card = properties(get_card(client, affiliation))

    assert card["ADR;TYPE=work"] == ";;Teststraße 1\\; Hof;Test City;Test State;12345;Testland"


def test_vcard_in_japanese_gives_the_name_in_native_script_as_utf8(client, affiliation_factory):
    affiliation = affiliation_factory(person__native_name="試験 太郎")

    response = client.get(f"/ja/contacts/{affiliation.pk}.vcf")

    assert "FN:試験 太郎\r\n" in response.content.decode("utf-8")


def test_vcard_uid_is_the_same_in_every_language(client, affiliation_factory):
    affiliation = affiliation_factory()

    uids = {properties(get_card(client, affiliation, lang))["UID"] for lang in ("en", "de", "ja")}

    assert len(uids) == 1
    assert uids.pop().startswith("urn:uuid:")


@pytest.mark.parametrize("visibility", [Visibility.HIDDEN])
def test_contact_that_is_not_public_has_no_vcard(client, affiliation_factory, visibility):
    affiliation = affiliation_factory(visibility=visibility)

    response = client.get(f"/en/contacts/{affiliation.pk}.vcf")

    assert response.status_code == 404
    assert affiliation.email.encode() not in response.content


def test_former_contact_has_no_vcard(client, affiliation_factory):
    affiliation = affiliation_factory(is_current=False)

    assert client.get(f"/en/contacts/{affiliation.pk}.vcf").status_code == 404


def test_unknown_contact_has_no_vcard(client, db):
    assert client.get("/en/contacts/999999.vcf").status_code == 404


def test_vcard_is_served_in_two_queries(client, affiliation_factory, django_assert_num_queries):
    affiliation = affiliation_factory(organization__locality="Test City")

    # 1 the affiliation with person, organisation and region; 2 the region's parent (the country)
    with django_assert_num_queries(2):
        client.get(f"/en/contacts/{affiliation.pk}.vcf")
