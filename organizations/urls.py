from django.urls import path, register_converter

from organizations import vcard, views


class HexConverter:
    """A logo's key: 32 lower-case hexadecimal digits (organizations/logos.py)."""

    regex = "[0-9a-f]{32}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(HexConverter, "hex")
app_name = "organizations"

# The organisation and region pages (organizations/<slug>/, regions/<slug>/, regions/<a>/<b>/)
# list agreements, so they are partnerships' views (partnerships/urls.py).
urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    # The list as CSV or JSON, with the same filters (core/downloads.py).
    path(
        "organizations.csv",
        views.organization_download,
        {"fmt": "csv"},
        name="organization_download_csv",
    ),
    path(
        "organizations.json",
        views.organization_download,
        {"fmt": "json"},
        name="organization_download_json",
    ),
    path("regions/", views.region_list, name="region_list"),
    # The regions index's map of the countries (organizations/choropleth.py).
    path("regions/map.svg", views.region_choropleth, name="region_choropleth"),
    # Included before partnerships' regions/<slug>/ and organizations/<slug>/, which would
    # otherwise take "suggest".
    path("regions/suggest/", views.region_suggest, name="region_suggest"),
    path("organizations/suggest/", views.organization_suggest, name="organization_suggest"),
    path("contacts/<int:pk>.vcf", vcard.contact_vcard, name="contact_vcard"),
    # An organisation's logo, by its key and size (organizations/logos.py).
    path(
        "organizations/<slug:slug>/logo/<hex:key>-<int:size>.png",
        views.organization_logo,
        name="organization_logo",
    ),
]
