"""The read-only JSON API under ``/api/v1/`` (Django REST framework, schema by drf-spectacular).

Every resource is read through the same public querysets as the pages
(``Agreement.objects.published()``, ``Affiliation.objects.publishable()``,
``Document.objects.public()``, ``Event.objects.public()``, ``Person.objects.public()``) and filtered
through the same search code (``organizations.search``, ``partnerships.search``). Modules:

* ``filters``: the query parameters of each list, validated (400 on a bad value) and applied;
* ``serializers``: the declared shape of each resource (what the schema documents); the JSON
  itself comes from the presenters (``organizations/presenters.py``,
  ``partnerships/presenters.py``), in the requested language or all of them, byte for byte what
  the serializers would give;
* ``sync``: what changed since a time, from the history event tables (``modified_since`` and the
  changes endpoint, which lists what was deleted or is no longer public);
* ``views``/``urls``: the endpoints, the schema and its documentation page;
* ``middleware``: CORS for reading, ETag/Last-Modified with 304, JSON errors for ``/api/``.
"""
