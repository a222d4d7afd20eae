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

import contextlib
import dataclasses
import datetime
import decimal
import hashlib
import threading
import uuid
from typing import Any

from django import forms
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.fields.files import FieldFile
from django.forms.models import ModelChoiceIteratorValue
from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import get_language

MEMO_ENTRIES = 512  # distinct widget contexts kept per process; then the memo starts again

_PLAIN = (int, float, decimal.Decimal, datetime.date, datetime.time, datetime.timedelta)
# Exactly these types stand for themselves: their ``repr`` already tells them apart (``True``,
# ``1``, ``'1'``, ``1.0``, ``Decimal('1')``, ``datetime.date(...)``). Subclasses (safe text,
# enumerations) go the long way.
_SELF = frozenset(
    {str, int, float, bool, type(None), decimal.Decimal, uuid.UUID}
    | {datetime.date, datetime.datetime, datetime.time, datetime.timedelta}
)


class _NotPlain(Exception):
    """The context holds a value whose rendering a digest of plain values cannot stand for."""


def _plain(value: Any) -> Any:
    """A representation of ``value`` whose ``repr`` differs whenever the template's output
    could: types are kept apart (``True`` and ``1``, ``"1"`` and ``1``, safe and unsafe text)."""
    if type(value) in _SELF:
        return value
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


class BoundedMemo[V](dict[str, V]):
    """HTML kept in process memory under its key, at most ``entries`` of them: when full, it
    starts again (the rows and widgets in use come back within a request or two)."""

    def __init__(self, entries: int) -> None:
        super().__init__()
        self.entries = entries
        self._lock = threading.Lock()

    def put(self, key: str, value: V) -> None:
        with self._lock:
            if len(self) >= self.entries:
                super().clear()
            self[key] = value

    def clear(self) -> None:
        with self._lock:
            super().clear()


class MemoRenderer(DjangoTemplates):
    """Django's default form renderer, with each plain-valued rendering kept in memory."""

    def __init__(self) -> None:
        self._memo: BoundedMemo[str] = BoundedMemo(MEMO_ENTRIES)

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        key = None if request is not None else context_key(template_name, context)
        if key is None:
            return super().render(template_name, context, request)
        html = self._memo.get(key)
        if html is None:
            html = super().render(template_name, context, request)
            self._memo.put(key, html)
        return html

    def clear(self) -> None:
        self._memo.clear()


memo_renderer = MemoRenderer()


class MemoRenderedForm(forms.Form):
    """The base of the public lists' filter forms: widgets drawn through ``memo_renderer``."""

    default_renderer = memo_renderer


# --- The rows of a list, drawn once per distinct row ---------------------------------------------
#
# A list page's rows (an agreement card, an organisation card) were a fifth to a quarter of the
# uncached page. ``render_row`` keeps each row's HTML in process memory under a digest of
# everything the row's template could show: the row itself as the page loaded it (every
# attribute of the instance, the instances it holds — ``select_related`` rows and prefetched
# lists — and any annotation or attached value, such as the status of the day or the
# cooperation signal), the other values the template is given, the template, the language and
# the time zone. An edit to an agreement, a party's new name or a status that changed with the
# date is another key: the row is drawn anew on the next request, and the others are looked up.
# A row the page did not load whole (a related row or list read lazily while drawing: any SQL
# while the template renders) is drawn every time and never kept, since its key cannot stand for
# what the query read. Process memory, never the shared cache: a deployment (new templates, new
# translations) starts empty.

ROW_MEMO_ENTRIES = 4000


def _row_plain(value: Any, seen: set[int]) -> Any:
    if type(value) in _SELF:
        return value
    if isinstance(value, Model):
        label = value._meta.label
        if id(value) in seen:  # a row met again (a party's agreement): named, not walked
            return ("seen", label, value.pk)
        seen.add(id(value))
        items = []
        for name, item in value.__dict__.items():
            if name == "_state":
                item = item.fields_cache  # the rows select_related joined in
            items.append((name, _row_plain(item, seen)))
        return ("model", label, tuple(items))
    if isinstance(value, QuerySet):
        if value._result_cache is None:  # not read: the template would query
            raise _NotPlain("QuerySet")
        return ("rows", tuple(_row_plain(item, seen) for item in value._result_cache))
    if isinstance(value, dict):
        return ("dict", tuple((_row_plain(k, seen), _row_plain(v, seen)) for k, v in value.items()))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_row_plain(item, seen) for item in value))
    if isinstance(value, FieldFile):
        return ("file", value.name)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = tuple(
            (field.name, _row_plain(getattr(value, field.name), seen))
            for field in dataclasses.fields(value)
        )
        return ("dataclass", type(value).__qualname__, fields)
    return _plain(value)  # a plain value, or _NotPlain


def row_key(template_name: str, values: dict[str, Any]) -> str | None:
    """The key of one row's HTML, or None when a value is not one the digest can stand for."""
    try:
        plain = _row_plain(values, set())
    except _NotPlain:
        return None
    text = repr((template_name, get_language(), timezone.get_current_timezone_name(), plain))
    return hashlib.sha256(text.encode()).hexdigest()


class _Queries:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


class RowMemo:
    def __init__(self) -> None:
        self._memo: BoundedMemo[SafeString] = BoundedMemo(ROW_MEMO_ENTRIES)
        self.enabled = True

    def render(self, context: Context, template_name: str, values: dict[str, Any]) -> SafeString:
        """``template_name`` drawn with ``values`` only (as ``{% include ... only %}``)."""
        key = row_key(template_name, values) if self.enabled else None
        if key is not None and (html := self._memo.get(key)) is not None:
            return html
        template = context.template.engine.get_template(template_name)  # type: ignore[union-attr]
        queries = _Queries()
        with contextlib.ExitStack() as stack:
            for alias in connections:
                stack.enter_context(connections[alias].execute_wrapper(queries))
            html = mark_safe(template.render(context.new(values)))  # noqa: S308 - a template's output
        if key is not None and not queries.count:
            self._memo.put(key, html)
        return html

    def clear(self) -> None:
        self._memo.clear()


row_memo = RowMemo()
