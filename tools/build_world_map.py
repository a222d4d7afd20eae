"""Build static/map/world.svg, the world map's country shapes, from Natural Earth's 1:110m
countries as TopoJSON in the ``world-atlas`` npm package (2.0.2, ``countries-110m.json``).

Run by ``make map-data`` (which fetches the package with ``npm pack``) or by hand::

    python tools/build_world_map.py path/to/countries-110m.json static/map/world.svg

The TopoJSON is decoded here (quantised, delta-encoded arcs; a few lines, no dependency),
projected with Equal Earth (``partnerships/projection.py``, the projection the pages place
organisations with) and written as one compact SVG path per country at 0.1 viewBox unit. The
output is committed: neither the build nor the pages ever request anything from a third party.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from partnerships.projection import HEIGHT, VIEW_BOX, WIDTH, equal_earth, path_data

Ring = list[tuple[float, float]]


def decode_arcs(topology: dict) -> list[Ring]:
    """Every arc as (longitude, latitude) points: undo the delta encoding and the quantisation."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(indexes: list[int], arcs: list[Ring]) -> Ring:
    """A closed ring from arc indexes (``~i``: arc ``i`` reversed), shared ends counted once."""
    points: Ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def unwrap(points: Ring) -> Ring:
    """The ring with longitudes made continuous (170, -175 → 170, 185): a ring that crosses the
    antimeridian then lies beyond ±180 in part instead of jumping across the map."""
    out = [points[0]]
    for lon, lat in points[1:]:
        previous = out[-1][0]
        while lon - previous > 180:
            lon -= 360
        while lon - previous < -180:
            lon += 360
        out.append((lon, lat))
    return out


def clip(points: Ring, edge: float, keep_below: bool) -> Ring:
    """The part of the ring on one side of the meridian ``edge`` (Sutherland–Hodgman, one edge;
    crossings interpolated in latitude)."""

    def inside(lon: float) -> bool:
        return lon <= edge if keep_below else lon >= edge

    out: Ring = []
    for i, current in enumerate(points):
        previous = points[i - 1]
        if inside(current[0]) != inside(previous[0]):
            t = (edge - previous[0]) / (current[0] - previous[0])
            out.append((edge, previous[1] + t * (current[1] - previous[1])))
        if inside(current[0]):
            out.append(current)
    return out


def on_the_map(points: Ring) -> list[Ring]:
    """The ring cut at the antimeridian into the pieces that lie within -180..180 (Russia's
    Chukotka and Fiji cross it)."""
    points = unwrap(points)
    pieces = []
    for shift in (0, -360, 360):
        shifted = [(lon + shift, lat) for lon, lat in points]
        piece = clip(clip(shifted, 180, keep_below=True), -180, keep_below=False)
        if len(piece) >= 3:
            pieces.append(piece)
    return pieces


def country_paths(topology: dict) -> list[tuple[str, str, str]]:
    """(ISO 3166-1 numeric id, name, path data) of each country, sorted by name. Antarctica
    ("010"), which has no organisations and would need clipping around the pole, is left out."""
    arcs = decode_arcs(topology)
    out = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        if geometry.get("id") == "010":
            continue
        data = "".join(
            path_data([equal_earth(lon, lat) for lon, lat in piece], closed=True)
            for polygon in polygons
            for indexes in polygon
            for piece in on_the_map(ring(indexes, arcs))
        )
        out.append((geometry.get("id", ""), geometry["properties"]["name"], data))
    return sorted(out, key=lambda row: row[1])


def world_svg(topology: dict) -> str:
    paths = "\n".join(
        f'<path id="c{code}" d="{data}"><title>{name}</title></path>'
        if code
        else f'<path d="{data}"><title>{name}</title></path>'
        for code, name, data in (
            (code, name.replace("&", "&amp;").replace("<", "&lt;"), data)
            for code, name, data in country_paths(topology)
        )
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{VIEW_BOX}" '
        f'width="{WIDTH}" height="{HEIGHT}">\n'
        "<!-- Made with Natural Earth (public domain), 1:110m countries, via the world-atlas "
        "package 2.0.2 (ISC licence, Michael Bostock); Equal Earth projection. Built by "
        "tools/build_world_map.py: do not edit. -->\n"
        '<path fill="#eef3f7" d="'
        + path_data(
            [equal_earth(-180, lat) for lat in range(-90, 91, 5)]
            + [equal_earth(180, lat) for lat in range(90, -91, -5)],
            closed=True,
        )
        + '"/>\n<g fill="#cfd8dc" stroke="#fff" stroke-width=".5" stroke-linejoin="round">\n'
        + paths
        + "\n</g>\n</svg>\n"
    )


def main(argv: list[str]) -> None:
    source, target = Path(argv[1]), Path(argv[2])
    svg = world_svg(json.loads(source.read_text(encoding="utf-8")))
    target.write_text(svg, encoding="utf-8")
    print(f"{target}: {len(svg.encode()):,} bytes")


if __name__ == "__main__":
    main(sys.argv)
