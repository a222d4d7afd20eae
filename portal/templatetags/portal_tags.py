"""Template tags for the public pages: language links and marking texts shown in another
language (fallbacks)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.defaultfilters import linebreaks_filter
from django.templatetags.static import static
from django.urls import translate_url
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, get_language_info

from core import dates, languages, typography
from core.rendering import row_memo
from core.typography import aside_parts

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    """One entry per language: the same page in that language (``translate_url``).

    A path that does not resolve (a 404 page) links to that language's home page instead.
    """
    request = context.get("request")
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    path = request.get_full_path() if request is not None else "/"
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        if url == path and code != current:
            url = f"/{code}/"
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name_local": info["name_local"],
                "url": url,
                "absolute_url": request.build_absolute_uri(url) if request is not None else url,
                "is_current": code == current,
            }
        )
    return links


@register.filter
def fallback_language(obj, field: str) -> str:
    """The language ``obj.field`` is shown in when the active language has no text ("" when it
    has one, or none has): ``core.languages.fallback_language``."""
    return languages.fallback_language(obj, field)


@register.filter
def is_fallback(obj, field: str) -> bool:
    """Whether ``obj.field`` is shown in another language because the active one has no text."""
    return bool(fallback_language(obj, field))


@register.simple_tag
def fallback_note(obj, field: str) -> SafeString | str:
    """The small "(in Japanese)" note after a text shown in another language; "" otherwise."""
    language = fallback_language(obj, field)
    if not language:
        return ""
    # An aside: " (in Japanese)" after the text; "（英語）" with no space on Japanese pages.
    opening, note = aside_parts(str(settings.LANGUAGE_NOTES[language]))
    return format_html('{}<small class="fallback-note">{}</small>', opening, note)


@register.simple_tag
def fallback_attrs(obj, field: str) -> SafeString | str:
    """The attributes of the element that holds ``obj.field`` when it is shown in another
    language than the page's: `` lang="en" data-fallback`` (the discreet marker of
    ``portal.css``: the language's code after the text); "" when it is in the page's language.

    For a text inside a link or heading of its own:
    ``<a href="…"{% fallback_attrs organization "name" %}>{{ organization.name }}</a>``.
    """
    language = fallback_language(obj, field)
    if not language:
        return ""
    return format_html(' lang="{}" data-fallback', language)


@register.simple_tag
def translated(obj, field: str, linebreaks: bool = False, note: bool = True) -> SafeString:
    """``obj.field`` in the active language; a text shown in another language (the active one
    has none) is marked ``lang="…"`` and, unless ``note=False``, followed by a small
    "(in Japanese)" note."""
    value = getattr(obj, field, "") or ""
    html = linebreaks_filter(value, autoescape=True) if linebreaks else conditional_escape(value)
    language = fallback_language(obj, field)
    if not language:
        return html
    tag = "div" if linebreaks else "span"
    marked = format_html("<{}{}>{}</{}>", tag, fallback_attrs(obj, field), html, tag)
    if not note:
        return marked
    return format_html("{}{}", marked, fallback_note(obj, field))


@register.filter
def language_label(code: str) -> str:
    """The name of a language code of ``partnerships.models.LANGUAGE_CHOICES`` (``de`` → German)."""
    from partnerships.models import LANGUAGE_CHOICES

    return str(dict(LANGUAGE_CHOICES).get(code, code))


@register.simple_tag
def static_or_plain(path: str) -> str:
    """``{% static path %}``, or ``STATIC_URL + path`` should the static storage fail: for the
    500 page, which must render whatever broke (a missing manifest, a storage error)."""
    try:
        return static(path)
    except Exception:  # the error page of last resort must not raise
        return f"{settings.STATIC_URL}{path}"


@register.simple_tag(takes_context=True)
def view_name(context) -> str:
    """``app:url_name`` of the current page ("" on error pages), for the navigation state."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else ""


# Query parameters that choose a page or an order, not a filter: left out of "Filter (n)".
NOT_FILTERS = frozenset({"page", "sort", "regions_page"})


@register.simple_tag
def date_range(start, end) -> SafeString:
    """``{% date_range event.starts_on event.ends_on %}``: "2–4 November 2015" (core/dates.py)."""
    return dates.date_range(start, end)


@register.simple_tag(takes_context=True)
def filter_count(context) -> int:
    """How many filters the page's URL sets (non-empty query parameters other than the page and
    the order): the n of the "Filter (n)" control that opens a list's filter form on a phone."""
    request = context.get("request")
    if request is None:
        return 0
    return sum(
        1
        for name, values in request.GET.lists()
        if name not in NOT_FILTERS and any(value.strip() for value in values)
    )


# Typography per language (core/typography.py) ---------------------------------------------------


@register.filter(needs_autoescape=True)
def join_list(items, autoescape: bool = True) -> str:
    """``parties|join_list``: "A, B and C" / "A, B und C" / "A, B et C" / "A、B、C"."""
    return typography.join_list_html(items) if autoescape else typography.join_list(items)


@register.simple_tag
def list_separator(forloop: dict) -> str:
    """Inside ``{% for %}``: what follows this item as the active language joins a list
    (``{% for x in xs %}{{ x }}{% list_separator forloop %}{% endfor %}``)."""
    return typography.list_separator(
        forloop["counter"], forloop["counter"] + forloop["revcounter"] - 1
    )


@register.filter
def quoted(text) -> SafeString:
    """``value|quoted``: “value” / „value“ / « value » / 「value」 (escaped)."""
    opening, closing = typography.typography().quotes
    return format_html("{}{}{}", opening, text, closing)


@register.filter
def aside(text) -> SafeString:
    """``name|aside``: an aside after a word, " (value)" / "（value）" (escaped)."""
    space, bracketed = typography.aside_parts(conditional_escape(text))
    return mark_safe(space + bracketed)  # noqa: S308  # the text is escaped, the rest is ours


@register.simple_tag
def comma() -> str:
    """The comma between the parts of a caption: ", " / "、"."""
    return typography.typography().comma


@register.filter
def language_labels(codes) -> list[str]:
    """``["de", "ja"]`` → the languages' names (``language_label`` of each)."""
    return [language_label(code) for code in codes or ()]


# Texts in their original language, any ISO 639 language (core.languages.original_text) -------


@register.simple_tag
def original(obj, field: str, original_field: str, language_field: str) -> languages.OriginalText:
    """``{% original statement "text" "original_text" "original_language" as quote %}``: the text
    in its original language (``quote.text``, ``quote.lang``, ``quote.note``) and its
    translation into the page's language (``quote.translation``)."""
    return languages.original_text(
        obj, field, original_field=original_field, language_field=language_field
    )


@register.filter
def aside_note(note: str) -> SafeString | str:
    """A note after a text in another language: `` <small class="fallback-note">(in
    French)</small>`` ("（フランス語）" with no space on Japanese pages); "" for no note."""
    if not note:
        return ""
    opening, bracketed = aside_parts(note)
    return format_html('{}<small class="fallback-note">{}</small>', opening, bracketed)


@register.simple_tag(takes_context=True)
def row(context, template_name: str, **values) -> SafeString:
    """One row of a list (a card) drawn from ``values`` only, kept per distinct row
    (core/rendering.py ``row_memo``): ``{% row "includes/agreement_card.html" agreement=agreement
    heading="h3" %}``."""
    return row_memo.render(context, template_name, values)
