"""The form renderer of every form (``FORM_RENDERER``): Django's own, with its most used widget
templates written in Python (a performance shim, ``docs/shims.md``).

The agreement's admin page renders about 400 widgets (each translated field four times, in every
inline row and its empty form); through Django's templates each costs an engine render of
``input.html`` and ``attrs.html`` (or ``select.html`` with one ``select_option.html`` per option),
a third of the page's time. :class:`FormRenderer` writes the same bytes for the templates below
(Django 6.1's, ``django/forms/templates/django/forms/widgets``) and hands every other template
to Django's renderer. A template that a project or app overrides (found by the engine first)
keeps its override: the shim is used only for Django's own files.
``tests/core/test_form_rendering.py`` compares every shimmed template byte for byte with the
engine's output.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # missing from the stubs

WIDGETS = "django/forms/widgets/"


def _value(value: Any) -> str:
    """``{{ value }}`` under autoescape: Django's ``render_value_in_context``."""
    value = localize(template_localtime(value))
    if not issubclass(type(value), str):
        value = str(value)
    return conditional_escape(value)


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: the filter keeps a safe string safe (``is_safe``)."""
    try:
        text = "%s" % (str(value) if isinstance(value, tuple) else value)
    except (ValueError, TypeError):
        text = ""
    if isinstance(value, SafeData):
        return text
    return conditional_escape(text)


def _attrs(attrs: Mapping[str, Any]) -> str:
    """``attrs.html``."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {_value(name)}")
        else:
            out.append(f' {_value(name)}="{_formatted(value)}"')
    return "".join(out)


def _input(context: Mapping[str, Any]) -> str:
    """``input.html`` (and every template that only includes it)."""
    widget = context["widget"]
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711 - the template's "!= None"
    return (
        f'<input type="{_value(widget["type"])}" name="{_value(widget["name"])}"'
        f"{shown}{_attrs(widget['attrs'])}>"
    )


def _option(option: Mapping[str, Any]) -> str:
    """``select_option.html``."""
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_value(option['label'])}</option>"
    )


def _textarea(context: Mapping[str, Any]) -> str:
    """``textarea.html``."""
    widget = context["widget"]
    value = widget["value"]
    return (
        f'<textarea name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_value(value) if value else ''}</textarea>"
    )


def _no_errors(context: Mapping[str, Any]) -> str | None:
    """``errors/list/ul.html`` (and ``default.html``, which includes it) of an empty list: the
    admin asks every field for its errors. A list with errors is left to the template."""
    return None if context["errors"] else ""


def _label(context: Mapping[str, Any]) -> str:
    """``label.html`` (with ``django/forms/attrs.html``)."""
    label = _value(context["label"])
    if not context["use_tag"]:
        return label
    tag = _value(context["tag"])
    return f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>"


Write = Callable[[Mapping[str, Any]], "str | None"]

_INPUTS = (
    "checkbox",
    "color",
    "date",
    "datetime",
    "email",
    "file",
    "hidden",
    "input",
    "number",
    "password",
    "search",
    "tel",
    "text",
    "time",
    "url",
)


class FormRenderer(DjangoTemplates):
    """Django's ``DjangoTemplates`` renderer; its plain inputs, selects and text areas written
    in Python, byte for byte."""

    @cached_property
    def _shims(self) -> dict[str, tuple[set[str], Write]]:
        """Template name: (the context's keys it is written for, the writer)."""
        widget = {"widget"}
        shims: dict[str, tuple[set[str], Write]] = {
            f"{WIDGETS}{name}.html": (widget, _input) for name in _INPUTS
        }
        shims[f"{WIDGETS}textarea.html"] = (widget, _textarea)
        shims[f"{WIDGETS}select.html"] = (widget, self._select)
        errors = {"errors", "error_class"}
        shims["django/forms/errors/list/default.html"] = (errors, _no_errors)
        shims["django/forms/errors/list/ul.html"] = (errors, _no_errors)
        shims["django/forms/label.html"] = ({"field", "label", "attrs", "use_tag", "tag"}, _label)
        needed = [
            *shims,
            f"{WIDGETS}attrs.html",
            f"{WIDGETS}select_option.html",
            "django/forms/attrs.html",
        ]
        if not all(self._is_djangos(name) for name in needed):
            return {}  # something overrides the form templates: Django renders them all
        return shims

    def _is_djangos(self, template_name: str) -> bool:
        origin = self.get_template(template_name).origin.name
        return str(origin).replace("\\", "/").endswith(f"django/forms/templates/{template_name}")

    def _select(self, context: Mapping[str, Any]) -> str:
        """``select.html``; an option of another template is rendered by it."""
        widget = context["widget"]
        out = [f'<select name="{_value(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{_value(group_name)}">')
            for option in group_choices:
                if option["template_name"] == f"{WIDGETS}select_option.html":
                    out.append(f"\n  {_option(option)}\n")  # the included file's last line
                else:
                    template = self.get_template(option["template_name"])
                    out.append(f"\n  {template.render({'widget': option})}")
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return "".join(out)

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        shim = self._shims.get(template_name)
        if shim is not None:
            keys, write = shim
            if set(context) == keys:
                html = write(context)
                if html is not None:
                    return mark_safe(html)  # noqa: S308 - every value in it is escaped
        return super().render(template_name, context, request)
