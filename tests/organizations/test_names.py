"""People's names per language (organizations/names.py): the script and its order, the reading
(furigana) as ruby, the honorifics each language writes, and where they are entered and shown."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext, override

from core.presenters import Presentation
from organizations import names, presenters, search
from organizations.models import Person, Visibility
from organizations.privacy import person_erase
from tests.admin_post import form_post_data


@pytest.fixture
def taro(person_factory):
    """A synthetic Japanese name with kanji and a reading, family name first."""
    return person_factory(
        given_name="Taro",
        family_name="Testyama",
        honorific_en="Dr.",
        native_name="試山 太郎",
        native_name_reading="ためしやま たろう",
        native_name_order=Person.NameOrder.FAMILY_FIRST,
    )


@pytest.fixture
def professor(person_factory):
    """A synthetic German name in Latin letters only, with a German title."""
    return person_factory(
        given_name="Testgiven",
        family_name="Testfamily",
        honorific_en="Prof.",
        honorific_de="Prof. Dr.",
    )


# --- Script and order -------------------------------------------------------------------------


def test_japanese_pages_show_the_name_in_japanese_script(taro):
    html = names.person_name(taro, "ja")

    assert "試山" in html and "太郎" in html
    assert "Testyama" not in html


def test_other_languages_show_the_latin_name_given_name_first(taro):
    assert names.person_name(taro, "de") == "Dr. Taro Testyama"


def test_japanese_pages_keep_a_latin_only_name_in_its_own_order(professor):
    assert names.person_name(professor, "ja") == "Testgiven Testfamily"


def test_a_contact_card_on_a_japanese_page_has_the_latin_name_beside(taro):
    html = names.person_name(taro, "ja", beside=True)

    assert html.endswith("（Testyama Taro）")


def test_a_contact_card_elsewhere_has_the_japanese_name_beside_marked_as_japanese(taro):
    html = names.person_name(taro, "en", beside=True)

    assert html == 'Dr. Taro Testyama (<span lang="ja">試山 太郎</span>)'


# --- Reading ----------------------------------------------------------------------------------


def test_the_reading_goes_over_each_part_of_the_name():
    html = names.ruby("試山 太郎", "ためしやま たろう")

    assert html == (
        "<ruby>試山<rp>（</rp><rt>ためしやま</rt><rp>）</rp></ruby> "
        "<ruby>太郎<rp>（</rp><rt>たろう</rt><rp>）</rp></ruby>"
    )


def test_a_reading_split_unlike_the_name_goes_over_the_whole_name():
    html = names.ruby("試山太郎", "ためしやま たろう")

    assert html == "<ruby>試山太郎<rp>（</rp><rt>ためしやま たろう</rt><rp>）</rp></ruby>"


def test_a_name_without_reading_has_no_ruby(person_factory):
    person = person_factory(native_name="テスト・パーソン")

    assert names.person_name(person, "ja") == "テスト・パーソン"


def test_the_name_and_reading_are_escaped():
    html = names.ruby("<b>", "<i>")

    assert "<b>" not in html and "&lt;b&gt;" in html and "&lt;i&gt;" in html


def test_a_reading_needs_a_name_in_native_script(person_factory):
    person = person_factory.build(native_name="", native_name_reading="たろう")

    with pytest.raises(ValidationError) as error:
        person.full_clean()

    assert "native_name_reading" in error.value.message_dict


def test_a_reading_in_latin_letters_is_refused(person_factory):
    person = person_factory.build(native_name="試山", native_name_reading="tameshiyama")

    with pytest.raises(ValidationError) as error:
        person.full_clean()

    assert "native_name_reading" in error.value.message_dict


def test_the_database_refuses_a_reading_without_a_name(person_factory):
    person = person_factory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(native_name_reading="たろう")


def test_the_database_refuses_a_reading_in_latin_letters(taro):
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=taro.pk).update(native_name_reading="taro")


# --- Honorifics -------------------------------------------------------------------------------


def test_japanese_running_text_adds_shi_after_the_name(taro):
    html = names.person_name(taro, "ja", about_person=True)

    assert html.endswith("</ruby>氏")


def test_japanese_running_text_adds_shi_after_a_latin_only_name(professor):
    assert names.person_name(professor, "ja", about_person=True) == "Testgiven Testfamily氏"


def test_japanese_labels_carry_no_honorific(professor):
    assert names.person_name(professor, "ja") == "Testgiven Testfamily"


def test_german_keeps_the_title_before_the_name_in_running_text(professor):
    assert names.person_name(professor, "de", about_person=True) == "Prof. Dr. Testgiven Testfamily"


def test_english_running_text_is_the_name_with_its_title(professor):
    assert names.person_name(professor, "en", about_person=True) == "Prof. Testgiven Testfamily"


def test_japanese_e_mails_address_the_reader_with_sama():
    with override("ja"):
        greeting = gettext("Hello %(name)s,") % {"name": "試山 太郎"}

    assert greeting == "試山 太郎 様"


# --- Admin, search, data ----------------------------------------------------------------------


def test_the_admin_saves_the_name_in_native_script_and_its_reading(admin_client, person_factory):
    person = person_factory(given_name="Taro", family_name="Testyama")
    url = reverse("admin:organizations_person_change", args=[person.pk])
    data = form_post_data(admin_client.get(url))
    data.update(native_name="試山 太郎", native_name_reading="ためしやま たろう")

    response = admin_client.post(url, data)

    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.native_name, person.native_name_reading) == ("試山 太郎", "ためしやま たろう")
    assert 'value="ためしやま たろう"' in admin_client.get(url).content.decode()


def test_the_admin_shows_why_a_reading_is_refused(admin_client, person_factory):
    person = person_factory()
    url = reverse("admin:organizations_person_change", args=[person.pk])
    data = form_post_data(admin_client.get(url))
    data.update(native_name="試山", native_name_reading="tameshiyama")

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "native_name_reading" in response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.native_name == ""


def test_the_admin_finds_a_person_by_the_reading(admin_client, person_factory, taro):
    person_factory()

    response = admin_client.get(reverse("admin:organizations_person_changelist"), {"q": "ためし"})

    assert list(response.context["cl"].result_list) == [taro]


@pytest.mark.parametrize("query", ["Testyama", "試山", "ためしやま"])
def test_site_search_finds_a_person_by_latin_name_native_name_or_reading(
    query, affiliation_factory, taro
):
    affiliation_factory(person=taro, visibility=Visibility.PUBLIC)

    people, _ = search.search_people(search.parse_query(query))

    assert people == [taro]


def test_the_presenter_gives_the_name_in_native_script_and_its_reading(taro):
    data = presenters.person(taro, Presentation(), contact_points=False)

    assert (data["native_name"], data["native_name_reading"]) == ("試山 太郎", "ためしやま たろう")


def test_erasing_a_person_erases_the_reading(taro):
    person_erase(person=taro)

    taro.refresh_from_db()
    assert (taro.native_name, taro.native_name_reading) == ("", "")


# --- Pages ------------------------------------------------------------------------------------


def page(client, language: str, obj) -> str:
    with override(language):
        url = obj.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_japanese_agreement_page_writes_a_signatory_with_reading_and_shi(
    client, signature_factory, taro
):
    signature = signature_factory(person=taro)

    html = page(client, "ja", signature.signing_event.agreement)

    assert (
        "<strong><ruby>試山<rp>（</rp><rt>ためしやま</rt><rp>）</rp></ruby> "
        "<ruby>太郎<rp>（</rp><rt>たろう</rt><rp>）</rp></ruby>氏</strong>" in html
    )


def test_a_japanese_agreement_page_attributes_a_quote_with_shi(client, statement_factory, taro):
    statement = statement_factory(person=taro, capacity="")

    html = page(client, "ja", statement.agreement)

    assert "<figcaption>— <ruby>試山" in html
    assert "</ruby>氏" in html


def test_a_german_agreement_page_keeps_the_title_before_a_signatory(
    client, signature_factory, professor
):
    signature = signature_factory(person=professor)

    html = page(client, "de", signature.signing_event.agreement)

    assert "<strong>Prof. Dr. Testgiven Testfamily</strong>" in html


def test_a_japanese_organisation_page_has_the_latin_name_beside_a_contact(
    client, affiliation_factory, taro
):
    affiliation = affiliation_factory(person=taro, visibility=Visibility.PUBLIC)

    html = page(client, "ja", affiliation.organization)

    assert "</ruby>（Testyama Taro）</strong>" in html


def test_an_english_organisation_page_has_the_japanese_name_beside_a_contact(
    client, affiliation_factory, taro
):
    affiliation = affiliation_factory(person=taro, visibility=Visibility.PUBLIC)

    html = page(client, "en", affiliation.organization)

    assert '<strong>Dr. Taro Testyama (<span lang="ja">試山 太郎</span>)</strong>' in html
