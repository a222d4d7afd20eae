"""The intake pages: paste → review (nothing written) → create draft (only what was confirmed).

Personas: Jane manages Lakeside Robotics Alliance (a cluster manager); Sam manages an unrelated
cluster. The release is synthetic: fictional organisations, people and places.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from core.access import MANAGERS_GROUP
from organizations.models import ClusterManager, Organization, Person
from partnerships.intake.forms import ReviewForm
from partnerships.intake.views import read_release
from partnerships.models import Agreement, Document
from portal.roles import setup_roles

pytestmark = pytest.mark.django_db

URL = reverse("admin:partnerships_agreement_intake")

RELEASE = """Lakeside Robotics Alliance and Hilltop Sensor Cluster sign memorandum
A memorandum of understanding between Lakeside Robotics Alliance and Hilltop Sensor Cluster was \
signed on 8 February 2027 in Exampleton, in the presence of the Fictional Minister Otto Normal. \
The memorandum was signed by Jane Example, CEO of \
Lakeside Robotics Alliance, and John Sample, President of Hilltop Sensor Cluster. The memorandum \
is valid for three years and renews automatically for a further year. Either party may end it \
with six months' notice. The partners will exchange delegations and share market studies on \
service robotics.
“This partnership opens the northern markets to our members,” said Jane Example, CEO of \
Lakeside Robotics Alliance.
Contact: Jane Example, Lakeside Robotics Alliance, jane@example.org, +44 20 7946 0000
"""


def manager(username: str, organization: Organization):
    setup_roles()
    user = get_user_model().objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name=MANAGERS_GROUP))
    ClusterManager.objects.create(user=user, organization=organization)
    return user


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def lakeside(organization_factory):
    return organization_factory(name="Lakeside Robotics Alliance", slug="lakeside-robotics")


@pytest.fixture
def hilltop(organization_factory):
    return organization_factory(name="Hilltop Sensor Cluster", slug="hilltop-sensors")


@pytest.fixture
def jane_person(person_factory, affiliation_factory, lakeside):
    person = person_factory(given_name="Jane", family_name="Example", slug="jane-example")
    affiliation_factory(person=person, organization=lakeside)
    return person


@pytest.fixture
def jane(lakeside, hilltop, jane_person):
    return manager("jane", lakeside)


@pytest.fixture
def sam(organization_factory, hilltop, lakeside, jane_person):
    return manager("sam", organization_factory(name="Unrelated Test Cluster"))


def review_data(text: str = RELEASE, **changes) -> dict:
    """What the review page posts when the manager changes nothing (but ``changes``)."""
    form = ReviewForm(draft=read_release(text))
    data: dict = {"step": "create"}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        elif value is not None:
            data[name] = value
    data.update(changes)
    return data


def test_the_agreement_list_offers_the_intake(jane):
    page = logged_in(jane).get(reverse("admin:partnerships_agreement_changelist"))
    assert URL in page.content.decode()


def test_the_source_page_asks_for_the_text(jane):
    response = logged_in(jane).get(URL)
    assert response.status_code == 200
    assert 'name="text"' in response.content.decode()


def test_anonymous_is_sent_to_the_login(db):
    response = Client().get(URL)
    assert response.status_code == 302


def test_reading_the_release_shows_the_review_and_writes_nothing(jane):
    before = (Agreement.objects.count(), Person.objects.count(), Organization.objects.count())
    response = logged_in(jane).post(URL, {"step": "read", "text": RELEASE})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Create draft" in page
    assert "<mark>Jane Example</mark>" in page
    assert "Create “John Sample” as a new person" in page
    assert (
        Agreement.objects.count(),
        Person.objects.count(),
        Organization.objects.count(),
    ) == before


def test_an_empty_release_is_refused(jane):
    response = logged_in(jane).post(URL, {"step": "read", "text": "  "})
    assert "Paste the text of the press release or upload it." in response.content.decode()


def test_creating_the_draft_writes_what_was_confirmed(jane, lakeside, hilltop, jane_person):
    people = Person.objects.count()
    response = logged_in(jane).post(URL, review_data())
    assert response.status_code == 302, response.content.decode()[:3000]
    agreement = Agreement.objects.get()
    assert response["Location"] == reverse(
        "admin:partnerships_agreement_change", args=[agreement.pk]
    )
    assert agreement.publication == Agreement.Publication.DRAFT
    assert agreement.kind == Agreement.Kind.MOU
    assert agreement.signed_on == datetime.date(2027, 2, 8)
    assert [p.organization for p in agreement.parties.order_by("position")] == [lakeside, hilltop]
    assert (agreement.term_length, agreement.term_length_unit) == (3, "years")
    assert (agreement.notice_period, agreement.notice_period_unit) == (6, "months")
    assert agreement.auto_renewal
    (signing,) = agreement.signing_events.all()
    # John Sample is no record yet and was not confirmed as new: left out, not created.
    assert [s.person for s in signing.signatures.all()] == [jane_person]
    assert Person.objects.count() == people
    (statement,) = agreement.statements.all()
    assert statement.person == jane_person
    assert statement.text_en.startswith("This partnership opens the northern markets")
    assert statement.original_language == "en"
    (contact,) = agreement.contacts.all()
    assert contact.affiliation.person == jane_person
    document = agreement.documents.get()
    assert document.kind == Document.Kind.PRESS_RELEASE
    assert document.text == RELEASE.strip()
    assert agreement.cooperation_areas.count() == 1


def test_the_draft_s_page_names_the_languages_still_missing(jane, lakeside, hilltop, jane_person):
    response = logged_in(jane).post(URL, review_data(), follow=True)

    (message,) = [str(m) for m in response.context["messages"]]
    assert "its texts are in English" in message
    assert "Missing: German, Japanese and French" in message


def test_the_witness_is_recorded_with_the_organisation_of_his_position(
    jane, person_factory, affiliation_factory, organization_factory
):
    ministry = organization_factory(name="Fictional Ministry of Examples")
    otto = person_factory(given_name="Otto", family_name="Normal", slug="otto-normal")
    affiliation_factory(person=otto, organization=ministry)
    logged_in(jane).post(URL, review_data())
    (attendance,) = Agreement.objects.get().signing_events.get().attendances.all()
    assert (attendance.person, attendance.organization) == (otto, ministry)
    assert attendance.capacity_en == "Fictional Minister"


def test_a_new_person_is_created_only_when_chosen(jane):
    data = review_data()
    john = next(k for k, v in data.items() if k.endswith("_person") and v == "")
    data[john] = "new"
    logged_in(jane).post(URL, data)
    person = Person.objects.get(family_name="Sample")
    assert person.given_name == "John"


def test_a_new_organisation_needs_its_region(jane, hilltop):
    hilltop.delete()
    data = review_data(party_1="new", party_1_region="")
    response = logged_in(jane).post(URL, data)
    assert "Name the region of the new organisation" in response.content.decode()
    assert not Agreement.objects.exists()
    assert not Organization.objects.filter(name="Hilltop Sensor Cluster").exists()


def test_a_manager_cannot_record_an_agreement_of_organisations_they_do_not_manage(sam):
    response = logged_in(sam).post(URL, review_data())
    assert response.status_code == 200
    assert "One of the parties must be an organisation you manage." in response.content.decode()
    assert not Agreement.objects.exists()


def test_an_agreement_already_recorded_is_linked_not_offered_again(jane, lakeside, hilltop):
    logged_in(jane).post(URL, review_data())
    agreement = Agreement.objects.get()
    page = logged_in(jane).post(URL, {"step": "read", "text": RELEASE}).content.decode()
    assert "This agreement is already recorded" in page
    assert reverse("admin:partnerships_agreement_change", args=[agreement.pk]) in page
    assert "Create draft" not in page


def test_an_unsure_signing_date_is_asked_not_filled(jane):
    text = RELEASE.replace(
        "The memorandum was signed by",
        "A second copy was signed on 10 February 2027. The memorandum was signed by",
    )
    page = logged_in(jane).post(URL, {"step": "read", "text": text}).content.decode()
    assert "Signed on which date: 2027-02-08 / 2027-02-10?" in page
    assert 'name="signed_on" value=' not in page


def test_a_japanese_release_is_matched_through_the_japanese_names(jane, lakeside, hilltop):
    lakeside.name_ja = "湖畔ロボット連合"
    lakeside.save()
    hilltop.name_ja = "丘陵センサークラスター"
    hilltop.save()
    text = "湖畔ロボット連合と丘陵センサークラスターは、2027年2月8日、覚書に署名した。"
    page = logged_in(jane).post(URL, {"step": "read", "text": text}).content.decode()
    assert f'<option value="{lakeside.pk}" selected>' in page
    assert f'<option value="{hilltop.pk}" selected>' in page


def test_a_new_organisation_is_created_when_chosen_with_its_region(jane, lakeside, hilltop):
    hilltop.delete()
    data = review_data(party_1="new", party_1_region=lakeside.region.slug)
    response = logged_in(jane).post(URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = Organization.objects.get(name="Hilltop Sensor Cluster")
    assert created.region == lakeside.region
    assert list(Agreement.objects.get().parties.values_list("organization", flat=True)) == [
        lakeside.pk,
        created.pk,
    ]


def test_an_uploaded_docx_is_read_like_pasted_text(jane):
    import io

    import docx
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = docx.Document()
    for line in RELEASE.splitlines():
        document.add_paragraph(line)
    content = io.BytesIO()
    document.save(content)
    upload = SimpleUploadedFile("release.docx", content.getvalue())
    page = logged_in(jane).post(URL, {"step": "read", "file": upload}).content.decode()
    assert "<mark>Jane Example</mark>" in page


def test_an_uploaded_html_file_is_refused(jane):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("release.txt", b"<html><script>alert(1)</script></html>")
    page = logged_in(jane).post(URL, {"step": "read", "file": upload}).content.decode()
    assert "Markup (HTML, SVG, XML) is not accepted" in page
    assert "Create draft" not in page


JAPANESE_RELEASE = (
    "湖畔ロボット連合と丘陵センサークラスターは、2027年2月8日、覚書に署名した。\n"
    "湖畔ロボット連合の山田太郎理事長は「両地域の企業の交流がさらに深まることを期待しています」"
    "と述べた。\n"
    "お問い合わせ先：湖畔ロボット連合 広報担当 佐藤花子 info@kohan.example 06-1234-5678\n"  # noqa: RUF001
)


def test_a_japanese_release_creates_the_people_chosen_as_new(jane, lakeside, hilltop):
    lakeside.name_ja = "湖畔ロボット連合"
    lakeside.save()
    hilltop.name_ja = "丘陵センサークラスター"
    hilltop.save()
    data = review_data(JAPANESE_RELEASE, quotes_0_person="new", contacts_0_person="new")
    response = logged_in(jane).post(URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement = Agreement.objects.get()
    assert agreement.title_ja == "湖畔ロボット連合と丘陵センサークラスターの覚書"
    assert agreement.title_en == ""  # the other languages are left for the manager
    (statement,) = agreement.statements.all()
    speaker = statement.person
    assert (speaker.family_name, speaker.given_name, speaker.native_name) == (
        "山田",
        "太郎",
        "山田太郎",
    )
    assert statement.text_ja.startswith("両地域の企業の交流")
    assert (statement.capacity, statement.organization) == ("理事長", lakeside)
    (contact,) = agreement.contacts.all()
    assert contact.affiliation.person.native_name == "佐藤花子"
    assert contact.affiliation.phone.as_e164 == "+81612345678"
    assert contact.affiliation.email == "info@kohan.example"


def test_a_date_not_said_to_be_the_signing_date_is_asked(jane):
    text = RELEASE.replace("was signed on 8 February 2027 in Exampleton", "met in Exampleton")
    text = text.replace("The memorandum was signed by", "On 8 February 2027 it was agreed by")
    page = logged_in(jane).post(URL, {"step": "read", "text": text}).content.decode()
    assert "Signed on 2027-02-08? The release names this date" in page
    assert 'name="signed_on" value=' not in page
