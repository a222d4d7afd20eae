"""Lookups the ORM lacks."""

from __future__ import annotations

from typing import Any

from django.db.models import Lookup


class AnyOf(Lookup):
    """``column = ANY(%s)``: one of a list of ids, given as one array parameter.

    ``pk__in=ids`` writes one placeholder per id, again in every subquery that repeats the
    condition: for a region's few thousand agreements, tens of thousands of parameters that
    Django binds and PostgreSQL plans one by one. Used as an expression:
    ``Agreement.objects.filter(AnyOf(F("pk"), ids))``.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self) -> list[int]:
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", (*params, self.rhs)
