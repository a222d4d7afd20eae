"""Widgets of the public list filters rendered once per distinct context (issue 24).

The profile of an uncached public list (bench/README.md, "Uncached public pages: where the time
goes") spent a sixth of the organisation list in Django's widget templates: the "language
spoken" select has 185 options (184 languages and "Any language"), and Django renders two
templates per option (its ``select_option.html`` and ``attrs.html``). The same few forms are
drawn again on every request with the same options, so ``MemoRenderer`` keeps each widget's
HTML under a digest of everything the template reads: the template's name, the whole context
the widget gives it (name, value, attributes, every option's value, label, attributes and
selection) and the page's language.
A change of any of them (a new focus area, a renamed one, another selected value) is another
key, so nothing stale is ever drawn; a context holding anything but plain values (a bound field,
a model instance) is rendered as before, without the memo. The HTML is Django's own output, made
by Django's own templates the first time (tests/core/test_rendering.py compares every filter
form with and without the memo).

Only the public lists' filter forms use it (``MemoRenderedForm``): the admin's forms keep
Django's renderer.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import threading
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIteratorValue
from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.safestring import SafeData
from django.utils.translation import get_language

MEMO_ENTRIES = 512  # distinct widget contexts kept per process; then the memo starts again

_PLAIN = (int, float, decimal.Decimal, datetime.date, datetime.time, datetime.timedelta)


class _NotPlain(Exception):
    """The context holds a value whose rendering a digest of plain values cannot stand for."""


def _plain(value: Any) -> Any:
    """A representation of ``value`` whose ``repr`` differs whenever the template's output
    could: types are kept apart (``True`` and ``1``, ``"1"`` and ``1``, safe and unsafe text)."""
    if type(value) is str:
        return value
    if value is None:
        return None
    if isinstance(value, Promise):  # a lazy translation: as the template would show it now
        return _plain(str(value))
    if isinstance(value, SafeData):
        return ("safe", str(value))
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, _PLAIN):
        return (type(value).__name__, value)
    if isinstance(value, dict):
        return ("dict", tuple((_plain(key), _plain(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_plain(item) for item in value))
    if isinstance(value, ModelChoiceIteratorValue):
        # Django's option template reads it as text only (``stringformat:'s'``).
        return ("choice", _plain(str(value)))
    raise _NotPlain(type(value).__name__)


def context_key(template_name: str, context: dict[str, Any]) -> str | None:
    """The memo's key of one rendering, or None when the context is not plain values."""
    try:
        plain = _plain(context)
    except _NotPlain:
        return None
    text = repr((template_name, get_language(), plain))
    return hashlib.sha256(text.encode()).hexdigest()


class MemoRenderer(DjangoTemplates):
    """Django's default form renderer, with each plain-valued rendering kept in memory."""

    def __init__(self) -> None:
        self._memo: dict[str, str] = {}
        self._lock = threading.Lock()

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        key = None if request is not None else context_key(template_name, context)
        if key is None:
            return super().render(template_name, context, request)
        html = self._memo.get(key)
        if html is None:
            html = super().render(template_name, context, request)
            with self._lock:
                if len(self._memo) >= MEMO_ENTRIES:
                    self._memo.clear()
                self._memo[key] = html
        return html

    def clear(self) -> None:
        with self._lock:
            self._memo.clear()


memo_renderer = MemoRenderer()


class MemoRenderedForm(forms.Form):
    """The base of the public lists' filter forms: widgets drawn through ``memo_renderer``."""

    default_renderer = memo_renderer
