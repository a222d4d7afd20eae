"""Admin for events and agreements: one agreement is recorded from one page.

The agreement page holds, as inlines: parties, cooperation areas (scope), signing events with
their signatures and attendance nested inside each event, statements, contacts and documents.
Django's admin has no nested inlines; django-nested-admin (4.1.6) adds them. It was checked on
Django 6.1 with modeltranslation's tabbed translation admin, in Chromium too: rendering, adding
rows, validation errors and saving are covered by tests/partnerships/test_admin.py. Two small
scripts complete it: party_choices.js offers the parties typed on the page as "on behalf of"
choices before saving, and nested_translation_tabs.js gives rows added by nested-admin their
language tabs (modeltranslation's script misses them).

Validation that spans formsets (two parties for a concluded agreement, the publish rule, a
signature on behalf of a party entered on the same page, an attendee who also signs) lives in
partnerships/admin_forms.py, which applies the rules of partnerships/rules.py — the same functions
and messages as the services.
The admin wraps the whole save in one transaction, and validates every formset before saving
anything, so a rejected page writes nothing.

What is where in this package:

- ``agreements``: the agreement page (``AgreementAdmin``), its publication panel and
  calendar-token view;
- ``inlines``: the rows of the agreement page; ``filters``: the list filters; ``widgets``: the
  document file input and the autocomplete that leaves the edited agreement out;
- ``events``: events and signing events; ``rows``: each part of an agreement on its own page;
- ``activities``: commitments and activities (issue 21), "Add activity";
- ``base``: what the agreement page and the signing-event page share.

Importing the package registers every admin (Django's autodiscover imports ``partnerships.admin``).
"""

from partnerships.admin import activities, agreements, events, rows  # noqa: F401  (registers the admins)
from partnerships.admin.agreements import AgreementAdmin
from partnerships.admin.filters import PartyRegionListFilter

__all__ = ["AgreementAdmin", "PartyRegionListFilter"]
