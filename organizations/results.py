"""What the apps above add to an organisation in a result list, without this app knowing them.

``organizations`` must not know about agreements (the lower app, ``[tool.importlinter]``), yet an
organisation's result should say how it cooperates ("3 agreements in force · partners in Japan,
France"). ``partnerships`` registers an annotator at start-up (``PartnershipsConfig.ready``); the
list pages call :func:`annotate_results` on the rows of their page only, so the number of queries
does not depend on the number of organisations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from organizations.models import Organization

ResultAnnotator = Callable[[list["Organization"]], None]

_ANNOTATORS: list[ResultAnnotator] = []


def register_result_annotator(annotator: ResultAnnotator) -> None:
    if annotator not in _ANNOTATORS:
        _ANNOTATORS.append(annotator)


def annotate_results(organizations: Iterable[Organization]) -> None:
    """Let every registered annotator set its attributes on the page's ``organizations``."""
    rows = list(organizations)
    if rows:
        for annotator in _ANNOTATORS:
            annotator(rows)
