"""Template filters for search results: ``{{ organization.name|highlight:query }}``."""

from django import template
from django.utils.safestring import SafeString

from organizations import search

register = template.Library()


@register.filter
def highlight(text, query: search.ParsedQuery) -> SafeString:
    """``text`` escaped, with the parts matching the query in ``<mark>``."""
    if not isinstance(query, search.ParsedQuery):
        return search.highlight(text, search.ParsedQuery(raw=""))
    return search.highlight(text, query)


@register.filter
def snippet(text, query: search.ParsedQuery) -> SafeString:
    """A highlighted window of ``text`` around its first match."""
    if not isinstance(query, search.ParsedQuery):
        query = search.ParsedQuery(raw="")
    return search.snippet(text, query)
