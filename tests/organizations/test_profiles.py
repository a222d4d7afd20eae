"""The organisation's partner profile (issue 22): its rules, its logo, and who may edit it
(personas: tests/personas.py)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from organizations.logos import LOGO_SIZES, logo_key, logo_name, validate_logo_file
from organizations.models import Organization, Visibility
from organizations.profiles import language_name
from tests import factories
from tests.admin_post import form_post_data
from tests.personas import PERSONAS, build_cast

pytestmark = pytest.mark.django_db


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (600, 300), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(out, image_format, **save)
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x9286] = "at home"  # UserComment-like: personal data that must not be served
    return image_bytes("JPEG", exif=exif.tobytes())


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# --- the rules -------------------------------------------------------------------------------


def test_more_smes_than_members_is_refused_by_the_database():
    organization = factories.OrganizationFactory(member_count=10)
    organization.sme_count = 11
    with pytest.raises(IntegrityError, match="smes_within_members"), transaction.atomic():
        organization.save()


def test_more_smes_than_members_is_explained_on_the_sme_field():
    organization = factories.OrganizationFactory.build(member_count=10, sme_count=11)
    with pytest.raises(ValidationError) as error:
        organization.clean()
    assert error.value.message_dict["sme_count"] == ["There cannot be more SMEs than members."]


def test_a_negative_member_count_is_explained_on_its_field():
    organization = factories.OrganizationFactory.build(member_count=-1)
    with pytest.raises(ValidationError) as error:
        organization.clean()
    assert "member_count" in error.value.message_dict


def test_a_negative_member_count_is_refused_by_the_database():
    organization = factories.OrganizationFactory()
    organization.member_count = -1
    with pytest.raises(IntegrityError, match="members_not_negative"), transaction.atomic():
        organization.save()


def test_languages_must_be_iso_639_codes():
    organization = factories.OrganizationFactory(languages=["de", "xx"])
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert "xx" in str(error.value.message_dict["languages"])


def test_language_names_follow_the_readers_language():
    assert language_name("ja", "de") == "Japanisch"
    assert language_name("de", "ja") == "ドイツ語"
    assert language_name("sw", "en") == "Swahili (macrolanguage)"


def test_the_international_contact_must_be_one_of_the_organisations_own():
    organization = factories.OrganizationFactory()
    elsewhere = factories.AffiliationFactory()
    organization.international_contact = elsewhere
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert "international_contact" in error.value.message_dict


# --- the logo --------------------------------------------------------------------------------


def test_an_svg_logo_is_refused_whatever_its_name():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(ValidationError) as error:
        validate_logo_file(upload(svg, "logo.png"))
    assert error.value.code == "markup_file"


def test_a_logo_that_is_no_image_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_logo_file(upload(b"%PDF-1.4 not a logo", "logo.png"))
    assert error.value.code == "unsupported_file_type"


def test_a_logo_whose_name_hides_its_type_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_logo_file(upload(image_bytes("PNG"), "logo.jpg"))
    assert error.value.code == "extension_mismatch"


def test_a_logo_of_too_many_pixels_is_refused_before_it_is_decoded():
    with pytest.raises(ValidationError) as error:
        validate_logo_file(upload(png_claiming(6000, 6000), "bomb.png"))
    assert error.value.code == "image_too_large"


def test_png_jpeg_and_webp_logos_are_accepted():
    for image_format, name in (("PNG", "a.png"), ("JPEG", "a.jpeg"), ("WEBP", "a.webp")):
        validate_logo_file(upload(image_bytes(image_format), name))  # raises nothing


# --- who may edit it, and what is stored -----------------------------------------------------


@pytest.fixture
def cast():
    return build_cast()


def profile_post(client, organization: Organization, **changes) -> tuple[int, dict]:
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    page = client.get(url)
    if page.status_code != 200 or "offers_en" not in page.context["adminform"].form.fields:
        return page.status_code, {}
    data = form_post_data(page)
    data.update(changes)
    response = client.post(url, data)
    if response.status_code != 200:
        return response.status_code, {}
    return response.status_code, response.context["adminform"].form.errors


# Who may change BioM's profile: its manager and administrators; the others, if they see the
# organisation at all, see it read-only (no profile field in the form).
CAN_EDIT_BIOM_PROFILE = {"anna_biom_manager", "admin_administrator"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_organisations_managers_and_administrators_edit_its_profile(client, cast, persona):
    biom = cast.records["organizations"]["biom"]
    if cast.users[persona] is not None:
        client.force_login(cast.users[persona])

    status, errors = profile_post(client, biom, offers_en="Matchmaking in Munich", member_count="5")

    biom.refresh_from_db()
    if persona in CAN_EDIT_BIOM_PROFILE:
        assert (status, errors) == (302, {})
        assert (biom.offers_en, biom.member_count) == ("Matchmaking in Munich", 5)
    elif persona == "tomoko_biom_translator":  # the profile's texts, not its figures
        assert (status, errors) == (302, {})
        assert (biom.offers_en, biom.member_count) == ("Matchmaking in Munich", None)
    else:
        assert biom.offers_en == ""
        assert biom.member_count is None


def test_the_manager_picks_the_international_contact_among_biom_contacts_only(client, cast):
    biom = cast.records["organizations"]["biom"]
    elsewhere = factories.AffiliationFactory(visibility=Visibility.PUBLIC)
    client.force_login(cast.users["anna_biom_manager"])
    page = client.get(reverse("admin:organizations_organization_change", args=[biom.pk]))

    choices = page.context["adminform"].form.fields["international_contact"].queryset

    assert list(choices) == [cast.records["organizations.affiliation"]]
    assert elsewhere not in choices


def test_an_uploaded_logo_is_stored_as_bounded_pngs_without_metadata(client, cast):
    biom = cast.records["organizations"]["biom"]
    client.force_login(cast.users["anna_biom_manager"])

    status, errors = profile_post(client, biom, logo=upload(jpeg_with_exif(), "logo.jpg"))

    assert (status, errors) == (302, {})
    biom.refresh_from_db()
    key = logo_key(biom.logo.name)
    assert key is not None
    for size in LOGO_SIZES:
        with default_storage.open(logo_name(key, size)) as stored, Image.open(stored) as image:
            assert image.format == "PNG"
            assert max(image.size) == size  # 600 × 300 fitted: the long side
            assert not image.getexif()
            assert not set(image.info) & {"exif", "icc_profile", "comment"}
        with default_storage.open(logo_name(key, size)) as stored:
            assert b"SecretCam" not in stored.read()


def test_a_replaced_logo_gets_a_new_address_and_its_files_are_deleted(
    client, cast, django_capture_on_commit_callbacks
):
    biom = cast.records["organizations"]["biom"]
    client.force_login(cast.users["anna_biom_manager"])
    profile_post(client, biom, logo=upload(image_bytes(), "first.png"))
    biom.refresh_from_db()
    first = biom.logo.name

    with django_capture_on_commit_callbacks(execute=True):
        profile_post(client, biom, logo=upload(image_bytes(), "second.png"))

    biom.refresh_from_db()
    assert biom.logo.name != first
    assert not default_storage.exists(first)
    assert default_storage.exists(biom.logo.name)


def test_the_logo_is_served_as_an_inert_png_cached_for_a_year(client, cast):
    biom = cast.records["organizations"]["biom"]
    client.force_login(cast.users["anna_biom_manager"])
    profile_post(client, biom, logo=upload(image_bytes(), "logo.png"))
    client.logout()
    biom.refresh_from_db()

    response = client.get(biom.logo_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "immutable" in response["Cache-Control"]
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (128, 64)


def test_a_logo_address_of_an_old_key_or_another_size_is_not_found(client):
    organization = factories.OrganizationFactory(logo=logo_name("a" * 32, 256))
    old = reverse(
        "organizations:organization_logo",
        kwargs={"slug": organization.slug, "key": "b" * 32, "size": 128},
    )
    odd_size = reverse(
        "organizations:organization_logo",
        kwargs={"slug": organization.slug, "key": "a" * 32, "size": 64},
    )

    assert client.get(old).status_code == 404
    assert client.get(odd_size).status_code == 404
