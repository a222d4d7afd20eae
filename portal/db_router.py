"""Read replicas: public pages read from a replica, everything else from the primary.

With ``DATABASE_REPLICA_URLS`` set, the settings define ``replica_1``, ``replica_2``… and list them
in ``PORTAL_READ_REPLICAS``. :class:`ReplicaMiddleware` (first in the chain, before the page
cache) decides per request:

- an anonymous public GET or HEAD (``portal.caching.is_anonymous_public_request``) reads from one
  replica, chosen at random *once per request*: the content generation that keys the page cache
  and the page's data then come from the same copy, so a page is never stored under a
  generation newer than what it shows;
- everything else (the admin, signed-in visitors, POSTs, management commands, the shell) reads
  from the primary;
- and once a request has written anything (:meth:`ReplicaRouter.db_for_write` notes it), its
  later reads go to the primary too: it must see its own write, which a replica may not have yet.

Without replicas the router answers ``None`` (Django's default database) and costs nothing.
"""

from __future__ import annotations

import contextvars
import random
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.http import HttpRequest, HttpResponseBase

# The replica this request reads from; None: the primary.
_read_alias: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "portal_read_alias", default=None
)
# Whether this request has written (then it reads from the primary from then on).
_wrote: contextvars.ContextVar[bool] = contextvars.ContextVar("portal_wrote", default=False)


class ReplicaRouter:
    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _wrote.get():
            return DEFAULT_DB_ALIAS
        return _read_alias.get()

    def db_for_write(self, model: type, **hints: Any) -> str:
        _wrote.set(True)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # every alias holds the same data

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # replicas follow the primary's schema by replication


def read_replicas() -> list[str]:
    return list(getattr(settings, "PORTAL_READ_REPLICAS", []))


class ReplicaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        from portal.caching import is_anonymous_public_request

        replicas = read_replicas()
        alias = None
        if replicas and is_anonymous_public_request(request):
            alias = random.choice(replicas)  # noqa: S311 - load spreading, not security
        alias_token = _read_alias.set(alias)
        wrote_token = _wrote.set(False)
        try:
            return self.get_response(request)
        finally:
            _read_alias.reset(alias_token)
            _wrote.reset(wrote_token)
