"""Atom feed of newly recorded agreements, one per language (``/<lang>/agreements/feed.atom``).

Titles and summaries come in the active language (modeltranslation falls back to English), the
links point to the agreement pages of the same language. Only published agreements appear.
The feed takes the agreement list's filters (``?region=DE-BY&kind=mou``), read by the list's
one FilterSet (``partnerships/filters.py``): a subscriber follows exactly the list they filtered.
A value the list would ignore (an unknown region) is ignored here too.
Summaries are plain text (``<summary type="text">``): whatever an editor typed, a feed reader
shows it as text and never renders it as markup.
"""

from __future__ import annotations

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from core.links import Links
from organizations.models import FocusArea
from partnerships.filters import AgreementFilterSet
from partnerships.models import Agreement, AgreementParty

FEED_SIZE = 50


class PlainTextAtom1Feed(Atom1Feed):
    """Atom with ``<summary type="text">``: Django's Atom1Feed declares summaries HTML.

    A summary is text an editor typed; declared as HTML, a ``</script><script>…`` in it would
    reach feed readers as live markup. As text, the XML escaping is all it needs.
    """

    def add_item_elements(self, handler, item) -> None:
        summary = item["description"]
        super().add_item_elements(handler, {**item, "description": None})
        if summary is not None:
            handler.addQuickElement("summary", summary, {"type": "text"})


class AgreementFeed(Feed):
    feed_type = PlainTextAtom1Feed
    title = _("Cluster Partnership Portal: new agreements")
    subtitle = _("Cooperation agreements between cluster organisations, newest first.")

    def link(self, obj: AgreementFilterSet) -> str:
        query = obj.subscription_query()
        return reverse("partnerships:agreement_list") + (f"?{query}" if query else "")

    def get_object(self, request, *args, **kwargs) -> AgreementFilterSet:
        """The list's filters as the request gives them (the feed's "object")."""
        return AgreementFilterSet(request.GET or None)

    def get_feed(self, obj, request):
        self.links = Links()  # one reverse for the feed's links, not one per entry
        return super().get_feed(obj, request)

    def item_link(self, item: Agreement) -> str:
        return self.links.page(item)

    def items(self, obj: AgreementFilterSet):
        # Newest *recorded* first: that is what "new" means to a subscriber (read backwards along
        # partnerships_agr_pub_created). Three queries: the agreements, their parties'
        # organisations, their focus areas — of those, only the names (in every language, for
        # the fallback) are read: organisations and focus areas are wide rows.
        parties = AgreementParty.objects.select_related("organization").only(
            "agreement_id", "organization__name"
        )
        return obj.qs.order_by("-created_at", "-pk").prefetch_related(
            Prefetch("parties", parties),
            Prefetch("focus_areas", FocusArea.objects.only("name")),
        )[:FEED_SIZE]

    def item_title(self, item: Agreement) -> str:
        return item.title

    def item_description(self, item: Agreement) -> str:
        return item.summary

    def item_pubdate(self, item: Agreement) -> datetime.datetime:
        return item.created_at

    def item_updateddate(self, item: Agreement) -> datetime.datetime:
        return item.updated_at

    def item_author_name(self, item: Agreement) -> str:
        return ", ".join(party.organization.name for party in item.parties.all())

    def item_categories(self, item: Agreement) -> list[str]:
        return [area.name for area in item.focus_areas.all()]
