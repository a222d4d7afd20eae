"""Static files in production: WhiteNoise's compressed, hashed copies, without the brittleness.

Django's manifest storage raises for a file missing from ``staticfiles.json`` — which, with
``collectstatic`` forgotten or out of date, turns every page into a 500, and the 500 page too
(it links the stylesheet). Here a missing entry is logged as an error, once per file, and the
page links the file's unhashed name instead: the page renders (perhaps unstyled) and the log
says what to run.
"""

from __future__ import annotations

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False  # a missing entry is looked up on disk, not an error at once

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.manifest_strict = False  # also over WHITENOISE_MANIFEST_STRICT
        self._reported: set[str] = set()

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:  # not in the manifest, and not in STATIC_ROOT either
            if name not in self._reported:
                self._reported.add(name)
                logger.error(
                    "Static file %r is missing from %s: run `manage.py collectstatic`. "
                    "Pages link its unhashed name meanwhile.",
                    name,
                    self.location,
                )
            return name
