"""The draft as one JSON-ready object (``manage.py intake --json``, the bench).

Every scalar is ``{"value", "source", "confidence", "match"}`` (``match`` ``{"id", "slug"}`` or
null) plus the sentence's ``start``/``end``; list items carry the same keys around their own
fields; an unsure fact has ``value`` null, a ``question`` and its ``alternatives``. Dates are ISO.
"""

from __future__ import annotations

import datetime
from typing import Any

KEYS = (
    "kind",
    "title",
    "signed_on",
    "place",
    "occasion",
    "parties",
    "signatories",
    "witnesses",
    "quotes",
    "contacts",
    "term",
    "notice",
    "automatic_renewal",
    "valid_until",
    "renews",
    "scope",
    "focus_areas",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        if set(value) >= {"id", "slug"} and "label" in value:
            return {"id": value["id"], "slug": value["slug"]}
        return {key: _plain(item) for key, item in value.items() if key != "candidates"}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def draft_as_json(draft: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"language": draft["language"]}
    for key in KEYS:
        value = draft.get(key)
        if key == "title" and isinstance(value, str):
            value = {"value": value, "source": "", "confidence": 0.5, "match": None}
        out[key] = _plain(value)
    if "existing" in draft:
        out["existing"] = _plain(draft["existing"])
    return out
