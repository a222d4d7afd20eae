"""Translation status per record in the admin (core/admin/translations.py): the column, and the
filter "missing in Japanese" on the organisation and agreement lists."""

import pytest
from django.urls import reverse

from core.admin.translations import missing_languages
from organizations.models import Organization


def test_a_record_misses_the_languages_its_texts_lack(organization_factory):
    organization = organization_factory(name_en="Cluster", name_de="Cluster", name_ja="")
    assert missing_languages(organization, ("name",)) == ["ja", "fr"]


def test_a_description_missing_in_one_language_counts(organization_factory):
    organization = organization_factory(
        name_en="C", name_de="C", name_ja="C", name_fr="C", description_en="Only English."
    )
    assert missing_languages(organization, ("name", "description")) == ["de", "ja", "fr"]


def test_a_record_with_no_text_misses_nothing():
    assert missing_languages(Organization(), ("description",)) == []


@pytest.fixture
def two_organizations(organization_factory):
    complete = organization_factory(
        name_en="Complete Cluster", name_de="Vollständig", name_ja="完全", name_fr="Complet"
    )
    english_only = organization_factory(name_en="English Only Cluster")
    return complete, english_only


def test_the_filter_lists_the_organisations_missing_in_japanese(admin_client, two_organizations):
    url = reverse("admin:organizations_organization_changelist")
    page = admin_client.get(url, {"missing": "ja"}).content.decode()
    assert "English Only Cluster" in page
    assert "Complete Cluster" not in page


def test_the_filter_is_offered_in_every_language(admin_client, two_organizations):
    page = admin_client.get(reverse("admin:organizations_organization_changelist")).content
    text = page.decode()
    for label in ("missing in Japanese", "missing in German", "missing in French"):
        assert label in text


def test_the_column_strikes_out_the_missing_languages(admin_client, two_organizations):
    page = admin_client.get(reverse("admin:organizations_organization_changelist")).content
    assert b'<del title="missing">ja</del>' in page


def test_the_agreement_list_has_the_filter_too(admin_client, agreement_factory):
    agreement_factory(title_en="English title only", title_ja="")
    agreement_factory(title_en="Both", title_ja="両方", title_de="Beide", title_fr="Les deux")
    page = admin_client.get(
        reverse("admin:partnerships_agreement_changelist"), {"missing": "ja"}
    ).content.decode()
    assert "English title only" in page
    assert ">Both<" not in page


# The "Needs translation" page (PortalAdminSite.translation_queue)

QUEUE = "/admin/translations/"


def test_the_queue_counts_per_language_and_links_to_the_filtered_list(
    admin_client, two_organizations
):
    page = admin_client.get(QUEUE).content.decode()
    changelist = reverse("admin:organizations_organization_changelist")
    assert f'<a href="{changelist}?missing=ja">1</a>' in page
    assert "Needs translation" in page


def test_the_queue_runs_a_fixed_number_of_queries(
    admin_client, organization_factory, django_assert_max_num_queries
):
    organization_factory.create_batch(5)
    # session, user, the user's second-factor device, one query per model with a translation
    # status (a count per language each: organisations, focus areas, affiliations, events,
    # agreements, parties, cooperation areas, signing events, signatures, attendance, quotes,
    # documents, commitments, activities: 14), "next to translate" (one query per kind of
    # record missing the language shown: here none), the session saved, and the savepoints
    with django_assert_max_num_queries(21):
        assert admin_client.get(QUEUE).status_code == 200


def test_the_queue_is_for_staff_only(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# Every translatable record with an admin (issue 23): events, quotes, commitments, activities …


def test_a_quote_kept_only_in_its_original_language_misses_every_language(statement_factory):
    from partnerships.admin.rows import StatementAdmin

    quote = statement_factory(
        text_en="", original_language="it", original_text="Una collaborazione preziosa."
    )
    originals = StatementAdmin.translation_status_originals

    assert missing_languages(quote, ("text",), originals) == ["en", "de", "ja", "fr"]
    assert missing_languages(quote, ("text",)) == []  # without its original: nothing to translate


def test_the_event_list_filters_the_events_missing_in_japanese(admin_client, event_factory):
    event_factory(name_en="English Only Fair", name_ja="")
    event_factory(name_en="Full Fair", name_de="Messe", name_ja="見本市", name_fr="Salon")

    page = admin_client.get(
        reverse("admin:partnerships_event_changelist"), {"missing": "ja"}
    ).content.decode()

    assert "English Only Fair" in page
    assert "Full Fair" not in page
    assert 'title="missing">ja</del>' in page


def test_the_quote_list_counts_a_quote_in_italian_as_missing_in_english(
    admin_client, statement_factory
):
    quote = statement_factory(
        text_en="", original_language="it", original_text="Una collaborazione."
    )
    statement_factory(text_en="Said in English.", text_de="Auf Englisch gesagt.")

    response = admin_client.get(
        reverse("admin:partnerships_statement_changelist"), {"missing": "en"}
    )

    assert list(response.context["cl"].result_list) == [quote]


@pytest.mark.parametrize(
    "changelist",
    [
        "partnerships_event",
        "partnerships_statement",
        "partnerships_commitment",
        "partnerships_activity",
        "partnerships_cooperationarea",
        "partnerships_document",
        "partnerships_signingevent",
        "partnerships_signature",
        "partnerships_attendance",
        "partnerships_agreementparty",
        "organizations_focusarea",
        "organizations_affiliation",
    ],
)
def test_every_translatable_list_has_the_column_and_the_filter(admin_client, changelist):
    page = admin_client.get(reverse(f"admin:{changelist}_changelist")).content.decode()

    assert "missing in Japanese" in page
    assert "missing in French" in page


def test_the_queue_counts_events_and_quotes_too(admin_client, event_factory, statement_factory):
    event_factory.create_batch(2, name_en="Fair only in English", name_de="")
    statement_factory(text_en="", original_language="it", original_text="Una collaborazione.")

    page = admin_client.get(QUEUE).content.decode()

    events = reverse("admin:partnerships_event_changelist")
    statements = reverse("admin:partnerships_statement_changelist")
    assert f'<a href="{events}?missing=de">2</a>' in page
    assert f'<a href="{statements}?missing=en">1</a>' in page


def test_a_manager_s_queue_counts_only_what_they_may_edit(client, organization_factory):
    from tests.personas import build_cast

    cast = build_cast()
    organization_factory.create_batch(3, name_en="Someone Else's Cluster", name_ja="")
    client.force_login(cast.users["anna_biom_manager"])

    rows = client.get(QUEUE).context["rows"]

    [organizations_ja] = [
        row
        for row in rows
        if row.language == "ja"
        and row.url.startswith(reverse("admin:organizations_organization_changelist"))
    ]
    assert organizations_ja.count == 1  # BioM only (its factory name has no Japanese)


# "Next to translate into …": the records themselves, the most recently changed first


def test_the_queue_lists_the_next_records_to_translate_into_the_language_asked_for(
    admin_client, organization_factory, event_factory
):
    organization_factory(name_en="Untranslated Cluster", name_fr="")
    event_factory(name_en="Untranslated Fair", name_fr="")
    organization_factory(name_en="Translated Cluster", name_fr="Cluster traduit")

    response = admin_client.get(QUEUE, {"language": "fr"})

    labels = [record.label for record in response.context["next"]]
    assert {"Untranslated Cluster", "Untranslated Fair"} <= set(labels)
    assert "Translated Cluster" not in labels
    assert "Next to translate into French" in response.content.decode()


def test_the_next_records_link_to_their_change_pages(admin_client, event_factory):
    event = event_factory(name_en="Fair in English", name_de="")

    response = admin_client.get(QUEUE, {"language": "de"})

    [record] = [r for r in response.context["next"] if r.label == "Fair in English"]
    assert record.url == reverse("admin:partnerships_event_change", args=[event.pk])


def test_without_a_language_asked_for_the_queue_shows_the_one_missing_most(
    admin_client, organization_factory
):
    organization_factory.create_batch(2, name_en="English only", name_de="Deutsch", name_fr="Fr")

    response = admin_client.get(QUEUE)

    assert response.context["language"] == "ja"


def test_every_admin_page_links_to_the_queue(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()

    assert f'<a href="{QUEUE}">Needs translation</a>' in page


def test_a_translators_start_page_counts_what_to_translate_instead_of_a_managers_dashboard(
    client, db
):
    from tests.personas import build_cast

    cast = build_cast()  # BioM's name exists in English only
    client.force_login(cast.users["tomoko_biom_translator"])

    response = client.get(reverse("admin:index"))

    totals = {code: count for code, _name, count in response.context["translation_totals"]}
    assert totals["ja"] >= 1
    page = response.content.decode()
    assert 'id="dashboard-translations"' in page
    assert "Waiting for my approval" not in page


def test_the_next_records_come_most_viewed_first_then_newest(admin_client, event_factory):
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from core.models import PageViews

    viewed = event_factory(name_en="Viewed Fair", name_ja="")
    event_factory(name_en="Newest Fair", name_ja="")
    PageViews.objects.create(
        content_type=ContentType.objects.get_for_model(viewed),
        object_id=viewed.pk,
        day=timezone.localdate(),
        views=5,
    )

    response = admin_client.get(QUEUE, {"language": "ja"})

    labels = [r.label for r in response.context["next"] if r.label.endswith("Fair")]
    assert labels[:2] == ["Viewed Fair", "Newest Fair"]
    assert "most viewed in the last 90 days first" in response.content.decode()


def test_views_older_than_the_window_do_not_count_in_the_queue(admin_client, event_factory):
    import datetime

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from core.models import PageViews

    old = event_factory(name_en="Once Popular Fair", name_ja="")
    event_factory(name_en="Newest Fair", name_ja="")
    PageViews.objects.create(
        content_type=ContentType.objects.get_for_model(old),
        object_id=old.pk,
        day=timezone.localdate() - datetime.timedelta(days=91),
        views=5,
    )

    response = admin_client.get(QUEUE, {"language": "ja"})

    labels = [r.label for r in response.context["next"] if r.label.endswith("Fair")]
    assert labels[:2] == ["Newest Fair", "Once Popular Fair"]
