"""What the hand-written VEVENT of core/ical.py gains over the ``icalendar`` library
(docs/shims.md). No database: the same 200 signing-event VEVENTs (the size of the signing
feed), written both ways, checked equal byte for byte, then timed (median of 9 runs).

    .venv/bin/python bench/ical_shim.py

Not a test: timings depend on the machine and its load. A page cache hit reaches neither.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import icalendar  # noqa: E402

from core import ical  # noqa: E402

EVENTS = 200
STAMP = datetime.datetime(2025, 3, 4, 5, 6, 7, tzinfo=datetime.UTC)
DAY = datetime.date(2015, 11, 2)


def values(number: int) -> dict:
    url = f"https://portal.example/en/agreements/agreement-{number}/"
    return {
        "uid": f"signing-event-{number}@portal.example",
        "summary": f"Signing: Memorandum of understanding between Cluster {number} and Cluster B",
        "start": DAY,
        "end": DAY + datetime.timedelta(days=1),
        "stamp": STAMP,
        "last_modified": STAMP,
        "description": f"Signing of the cooperation agreement, at a trade fair.\n\n{url}",
        "geo": (48.1, 11.5),
        "location": "Trade fair hall 1, Example City",
        "url": url,
    }


def written_by_hand() -> bytes:
    return "".join(ical.vevent(**values(number)) for number in range(EVENTS)).encode()


def written_by_icalendar() -> bytes:
    events = []
    for number in range(EVENTS):
        given = values(number)
        geo = given.pop("geo")
        event = icalendar.Event.new(transparency=icalendar.TRANSP.TRANSPARENT, **given)
        event.add("geo", geo)
        events.append(event.to_ical())
    return b"".join(events)


def main() -> None:
    if written_by_hand() != written_by_icalendar():
        sys.exit("core/ical.py no longer writes what icalendar writes: see tests/core/test_ical.py")
    print(f"{EVENTS} VEVENTs, median of 9 runs (icalendar {icalendar.__version__})")
    for write in (written_by_hand, written_by_icalendar):
        runs = [timeit.timeit(write, number=1) for _ in range(9)]
        print(f"  {write.__name__:22} {statistics.median(runs) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
