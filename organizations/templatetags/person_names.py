"""``{% person_name person %}``: a person's name as the page's language writes it
(organizations/names.py)."""

from django import template
from django.utils.safestring import SafeString

from organizations import names

register = template.Library()


@register.simple_tag
def person_name(person, about: bool = False, beside: bool = False) -> SafeString:
    """``{% person_name signature.person about=True %}`` in running text about the person
    (岸本忠三氏 on Japanese pages); ``beside=True`` on a contact card (the name in the other
    script beside it)."""
    return names.person_name(person, about_person=about, beside=beside)
