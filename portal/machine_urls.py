"""URLs of the machine-readable outputs: sitemap, robots.txt, Atom feed, iCalendar, vCard.

``urlpatterns`` are served at the root (not language-prefixed). The two other lists belong to the
``partnerships`` and ``organizations`` namespaces, inside ``i18n_patterns``: ``portal/urls.py``
includes each app's own patterns together with these under the app's namespace, because Django
does not merge two includes that share a namespace (the first one would hide the second).
"""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from organizations import vcard
from partnerships import calendar
from partnerships.feeds import AgreementFeed
from portal.sitemaps import SITEMAPS, robots_txt

urlpatterns = [
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
]

partnerships_urlpatterns = [
    path("agreements/feed.atom", AgreementFeed(), name="agreement_feed"),
    path("signing-events.ics", calendar.signing_events_ics, name="signing_events_ics"),
    path("signing-events/<int:pk>.ics", calendar.signing_event_ics, name="signing_event_ics"),
]

organizations_urlpatterns = [
    path("contacts/<int:pk>.vcf", vcard.contact_vcard, name="contact_vcard"),
]
