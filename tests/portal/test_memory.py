"""The server's workers leave what they loaded at start out of the garbage collector's
collections (portal/memory.py, issue 24)."""

from __future__ import annotations

import gc
import importlib
import sys


def test_the_wsgi_application_freezes_what_start_up_loaded():
    gc.unfreeze()
    sys.modules.pop("portal.wsgi", None)
    try:
        importlib.import_module("portal.wsgi")

        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
