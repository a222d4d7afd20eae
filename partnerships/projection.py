"""The world map's projection: Equal Earth (Šavrič, Patterson and Jenny, 2018), scaled into the
SVG viewBox that the committed country shapes (static/map/world.svg) are drawn in.

Pure arithmetic, no Django: ``tools/build_world_map.py`` draws the countries with it at build
time and ``partnerships.maps`` places organisations and agreements on them at request time.
"""

from __future__ import annotations

import itertools
import math

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2

# The projection's extent (radians of the unit sphere): x at longitude ±180°, y at latitude ±90°.
X_MAX = math.pi / (M * A1)
_THETA_MAX = math.asin(M)
Y_MAX = _THETA_MAX * (A1 + A2 * _THETA_MAX**2 + _THETA_MAX**6 * (A3 + A4 * _THETA_MAX**2))

WIDTH = 1000
SCALE = WIDTH / (2 * X_MAX)
HEIGHT = round(2 * Y_MAX * SCALE)
VIEW_BOX = f"0 0 {WIDTH} {HEIGHT}"


def equal_earth(longitude: float, latitude: float) -> tuple[float, float]:
    """(x, y) in viewBox units of a point given in degrees; y grows downwards (SVG)."""
    lam = math.radians(longitude)
    theta = math.asin(M * math.sin(math.radians(latitude)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)))
    y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2))
    return (x + X_MAX) * SCALE, (Y_MAX - y) * SCALE


def great_circle(
    start: tuple[float, float], end: tuple[float, float], steps: int
) -> list[tuple[float, float]]:
    """``steps + 1`` points (longitude, latitude in degrees) along the shorter great circle from
    ``start`` to ``end``, both included (spherical linear interpolation)."""
    lon1, lat1 = (math.radians(v) for v in start)
    lon2, lat2 = (math.radians(v) for v in end)
    a = (math.cos(lat1) * math.cos(lon1), math.cos(lat1) * math.sin(lon1), math.sin(lat1))
    b = (math.cos(lat2) * math.cos(lon2), math.cos(lat2) * math.sin(lon2), math.sin(lat2))
    dot = max(-1.0, min(1.0, sum(p * q for p, q in zip(a, b, strict=True))))
    omega = math.acos(dot)
    if omega < 1e-9:
        return [start, end]
    points = []
    for i in range(steps + 1):
        t = i / steps
        wa = math.sin((1 - t) * omega) / math.sin(omega)
        wb = math.sin(t * omega) / math.sin(omega)
        x, y, z = (wa * p + wb * q for p, q in zip(a, b, strict=True))
        points.append(
            (math.degrees(math.atan2(y, x)), math.degrees(math.atan2(z, math.hypot(x, y))))
        )
    return points


def split_at_antimeridian(
    points: list[tuple[float, float]],
) -> list[list[tuple[float, float]]]:
    """The line cut where it crosses longitude ±180°, each piece ending on its edge of the map
    (the crossing's latitude interpolated), so that no segment spans the whole map."""
    pieces: list[list[tuple[float, float]]] = [[points[0]]]
    for (lon1, lat1), (lon2, lat2) in itertools.pairwise(points):
        if abs(lon2 - lon1) > 180:
            edge = 180.0 if lon1 > 0 else -180.0
            span = (edge - lon1) + (edge - lon2)  # both distances to the edge, same sign
            t = (edge - lon1) / span if span else 0.5
            lat = lat1 + t * (lat2 - lat1)
            pieces[-1].append((edge, lat))
            pieces.append([(-edge, lat)])
        pieces[-1].append((lon2, lat2))
    return pieces


def arc_path(start: tuple[float, float], end: tuple[float, float], steps: int = 16) -> str:
    """SVG path data of the great-circle arc between two (longitude, latitude) points."""
    return " ".join(
        path_data([equal_earth(lon, lat) for lon, lat in piece])
        for piece in split_at_antimeridian(great_circle(start, end, steps))
    )


def path_data(points: list[tuple[float, float]], *, closed: bool = False) -> str:
    """Compact path data: an absolute move, then relative lines at 0.1 unit, repeated points
    dropped."""
    out: list[str] = []
    previous: tuple[int, int] | None = None
    for x, y in points:
        current = (round(x * 10), round(y * 10))
        if previous is None:
            out.append(f"M{_number(current[0])} {_number(current[1])}")
        elif current != previous:
            dx, dy = current[0] - previous[0], current[1] - previous[1]
            out.append(("l" if len(out) == 1 else "") + f"{_signed(dx)}{_signed(dy)}")
        previous = current
    if closed:
        out.append("z")
    return "".join(out).replace("l ", "l")


def _number(tenths: int) -> str:
    text = f"{tenths / 10:.1f}".removesuffix(".0")
    return text.replace("0.", ".", 1) if text.startswith("0.") else text.replace("-0.", "-.", 1)


def _signed(tenths: int) -> str:
    text = _number(tenths)
    return text if text.startswith("-") else f" {text}"
