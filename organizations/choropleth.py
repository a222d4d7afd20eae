"""The regions index's country choropleth (issue 22): the world's countries shaded by how many
organisations are registered in them, drawn on the server as one SVG image.

The country shapes are those of the map's base (``static/map/world.svg``, Natural Earth via
``tools/build_world_map.py``, each a ``<path id="c<ISO 3166-1 numeric>">``), read once per
process; a country is matched by its ISO 3166-1 code (pycountry gives the numeric one). The image
is self-contained (no script, no stylesheet, no request: fills are attributes) and carries a
``<title>`` per shaded country; the page's text alternative is the list of countries with their
numbers beside it. No model import: the view hands the counts in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

import pycountry
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.formats import number_format

BASE_MAP = Path(settings.BASE_DIR) / "static" / "map" / "world.svg"
_SHAPE = re.compile(r'<path id="c(\d{3})" d="([^"]+)"')
_OCEAN = re.compile(r'<path fill="(#[0-9a-f]{6})" d="([^"]+)"')
_VIEW_BOX = re.compile(r'viewBox="([^"]+)"')

UNSHADED = "#cfd8dc"  # a country without organisations: the map's land colour


@dataclass(frozen=True)
class Shade:
    """Countries with at least ``minimum`` organisations (up to the next shade's minimum)."""

    minimum: int
    fill: str

    def label(self, following: Shade | None) -> str:
        """ "10–99", "≥ 1,000": the numbers grouped as the active language groups them
        (1.000 in German, 1 000 in French)."""
        minimum = number_format(self.minimum, force_grouping=True)
        if following is None:
            return f"≥ {minimum}"
        upper = following.minimum - 1
        if upper == self.minimum:
            return minimum
        return f"{minimum}–{number_format(upper, force_grouping=True)}"


# Four shades by order of magnitude, light to dark (a directory grows by orders of magnitude).
SHADES = (
    Shade(1, "#9ecae1"),
    Shade(10, "#4292c6"),
    Shade(100, "#08519c"),
    Shade(1000, "#08306b"),
)


def legend() -> list[tuple[str, str]]:
    """(fill, label) of each shade, for the page's legend."""
    return [
        (shade.fill, shade.label(SHADES[i + 1] if i + 1 < len(SHADES) else None))
        for i, shade in enumerate(SHADES)
    ]


def shade_of(count: int) -> str:
    fill = UNSHADED
    for shade in SHADES:
        if count >= shade.minimum:
            fill = shade.fill
    return fill


@cache
def base_map() -> tuple[str, tuple[str, str], dict[str, str]]:
    """The base map's viewBox, its ocean (fill, path) and {ISO numeric code: country path}."""
    text = BASE_MAP.read_text(encoding="utf-8")
    view_box = _VIEW_BOX.search(text)
    ocean = _OCEAN.search(text)
    if view_box is None or ocean is None:
        raise ImproperlyConfigured(f"{BASE_MAP} is not the map's base (tools/build_world_map.py)")
    return view_box[1], (ocean[1], ocean[2]), dict(_SHAPE.findall(text))


def numeric_code(alpha_2: str) -> str | None:
    country = pycountry.countries.get(alpha_2=alpha_2.upper()) if alpha_2 else None
    return getattr(country, "numeric", None)


def choropleth_svg(countries: list[tuple[str, str, int]]) -> str:
    """The SVG of the world with ``countries`` — (ISO 3166-1 alpha-2 code, title, number of
    organisations) — shaded by their number; a country the base map has no shape for is left
    out (the page's list still names it)."""
    view_box, (ocean_fill, ocean), shapes = base_map()
    shaded: dict[str, tuple[str, int]] = {}
    for code, title, count in countries:
        numeric = numeric_code(code)
        if numeric in shapes and count > 0:
            shaded[numeric] = (title, count)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{view_box}">',
        f'<path fill="{ocean_fill}" d="{ocean}"/>',
        f'<g fill="{UNSHADED}" stroke="#fff" stroke-width=".5" stroke-linejoin="round">',
    ]
    for numeric, path in shapes.items():
        if numeric in shaded:
            title, count = shaded[numeric]
            parts.append(
                f'<path fill="{shade_of(count)}" d="{path}"><title>{escape(title)}</title></path>'
            )
        else:
            parts.append(f'<path d="{path}"/>')
    parts += ["</g>", "</svg>", ""]
    return "\n".join(parts)
