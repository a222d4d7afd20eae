"""The admin's kernel: what every app's ModelAdmins and inlines mix in, and the site they use.

- ``access``: the organisation scope of ``core/access.py`` on every admin page;
- ``history``: the history pages (versions, compare, restore, deleted records);
- ``concurrency``: a stale save is refused with what changed meanwhile;
- ``imports``: spreadsheet import and export on the portal's rules;
- ``widgets``: the date widget without a time-zone warning, and autocomplete widgets that refuse
  a value that is no key and label their choices like the search results;
- ``autocomplete``: the autocomplete view's results, labelled (``autocomplete_label()``);
- ``sites``: ``PortalAdminSite``, the site every app's admin registers with (``admin.site``, made
  of it by the portal, which adds the second factor);
- ``preferences``: the admin of core's own model, the staff accounts' preferences.

Nothing is registered on import of this package: ``sites`` is imported by ``admin.site`` itself
the first time it is used, so a registration here would run while the site is being made.
"""
