"""URLs of rows: "reverse once, splice the slug".

A list of 50 to 5,000 rows needs one URL each; ``reverse`` per row is the slow part of building
them. :class:`Links` reverses the first row of each kind (per language), keeps what comes before
its slug, and builds every further row's URL by putting the slug in. A slug that ``reverse``
would quote (anything but ASCII letters, digits, ``-`` and ``_``) takes the slow path, so the
answer is always what ``reverse`` and ``get_absolute_url`` give.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language

PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_MARKER = "__slug__"  # a plain slug that no URL pattern quotes
_PK_MARKER = "00000"  # an id for the ``int`` converter


def affixes(url_name: str, key: str = "slug") -> tuple[str, str]:
    """What comes before and after the row's ``key`` (``slug`` or ``pk``) in the path of
    ``url_name``, in the active language: one ``reverse`` for any number of rows (the open-data
    export splices the key in SQL)."""
    marker = _PK_MARKER if key == "pk" else _MARKER
    before, after = reverse(url_name, kwargs={key: marker}).split(marker)
    return before, after


class Links:
    """The public pages of rows, absolute when given the request (or a function that makes a
    path absolute, e.g. ``lambda path: base_url + path``). One per request or export: it keeps
    what it learnt about each kind of row and language."""

    def __init__(
        self, request: HttpRequest | None = None, *, absolute: Callable[[str], str] | None = None
    ) -> None:
        if absolute is None and request is not None:
            absolute = request.build_absolute_uri
        self.absolute = absolute
        self._prefixes: dict[tuple[type, str | None], str] = {}
        self._paths: dict[tuple[str, str | None], tuple[str, str]] = {}

    def page(self, row: Any) -> str:
        """``row.get_absolute_url()``, absolute, in the active language."""
        slug = getattr(row, "slug", None)
        if not isinstance(slug, str) or PLAIN_SLUG.fullmatch(slug) is None:
            return self.url(row.get_absolute_url())
        key = (type(row), get_language())
        prefix = self._prefixes.get(key)
        if prefix is not None:
            return f"{prefix}{slug}/"
        url = self.url(row.get_absolute_url())
        if url.endswith(f"/{slug}/"):
            self._prefixes[key] = url[: -len(slug) - 1]
        return url

    def path(self, url_name: str, slug: str, language: str | None = None) -> str:
        """``reverse(url_name, kwargs={"slug": slug})`` in ``language`` (default: the active
        one), reversed once per URL name and language (for rows read as ``values()``)."""
        language = language or get_language()
        if PLAIN_SLUG.fullmatch(slug) is None:
            with translation.override(language):
                return reverse(url_name, kwargs={"slug": slug})
        key = (url_name, language)
        around = self._paths.get(key)
        if around is None:
            with translation.override(language):
                around = self._paths[key] = affixes(url_name)
        return f"{around[0]}{slug}{around[1]}"

    def url(self, path: str) -> str:
        """``path`` made absolute (or as it is, without a request)."""
        return path if self.absolute is None else self.absolute(path)
