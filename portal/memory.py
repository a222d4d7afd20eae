"""The garbage collector in a long-lived server process (issue 24).

A worker holds about 200,000 objects from its start (Django, every app, the admin's registry,
the URL patterns), which the cyclic garbage collector walks again at each full collection. A
page that makes many objects (the agreement's admin page: 1.3 million calls) sets one or two
off per request: 0.1–0.4 s of that page, measured with ``gc.callbacks``. Frozen once the
application is loaded (``portal/wsgi.py``), those objects are left out of every collection;
what requests make is collected as before.
"""

from __future__ import annotations

import gc


def freeze_long_lived_objects() -> None:
    """Collect what start-up left behind, then leave everything alive now out of later
    collections (``gc.freeze``)."""
    gc.collect()
    gc.freeze()
