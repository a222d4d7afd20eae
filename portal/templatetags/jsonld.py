"""``{% jsonld obj %}``: the schema.org description of ``obj`` as a JSON-LD script element.

Needs ``request`` in the context (the ``request`` context processor is on) for absolute URLs.
Renders nothing for an object that is not public, or when there is no request.
"""

from django import template
from django.utils.safestring import SafeString

from portal.jsonld import jsonld_for, render_jsonld

register = template.Library()


@register.simple_tag(takes_context=True)
def jsonld(context: template.Context, obj: object) -> SafeString | str:
    request = context.get("request")
    if request is None or obj is None:
        return ""
    data = jsonld_for(obj, request=request)
    return render_jsonld(data) if data else ""
