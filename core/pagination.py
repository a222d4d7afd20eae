"""Deep pages that stay cheap: a page's ids are chosen first, then only its rows are read."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models


class DeferredJoin[M: models.Model]:
    """A queryset for ``Paginator`` whose slices are "deferred joins".

    ``OFFSET 18000 LIMIT 25`` makes the database step over 18,000 rows before the page. Over the
    full rows — wide columns, annotations such as an agreement's status computed for each — that
    grows with the table (the last page of the agreements list: 56 ms at 4,000 agreements, in
    the hundreds at 20,000). Here the page's ids are chosen by a subquery that needs only the
    filter and sort columns (served by a narrow, covering index, e.g.
    ``partnerships_agr_list_newest``), and the outer query reads, annotates and prefetches the
    25 rows only. One statement, same order, same page numbers.

    ``count``: the number of rows, or a function that gives it, when something cheaper than
    ``COUNT(*)`` knows it (a cached summary), so that the paginator does not count them again.
    """

    def __init__(
        self, queryset: models.QuerySet[M], *, count: int | Callable[[], int] | None = None
    ) -> None:
        self.queryset = queryset
        self.known_count = count

    def count(self) -> int:
        if self.known_count is None:
            return self.queryset.count()
        if callable(self.known_count):
            return self.known_count()
        return self.known_count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[M]:
        if not isinstance(index, slice):
            raise TypeError("DeferredJoin supports slices only")
        page_ids = self.queryset.values("pk")[index]
        return list(self.queryset.filter(pk__in=page_ids))


class KeptIds[M: models.Model]:
    """Pages for ``Paginator`` of a list whose first ids, in its order, were read before (kept in
    a cached summary with its ``count``): a page among them is read from ``rows`` by primary key
    — no filter to evaluate, no sort — and a page past them by a :class:`DeferredJoin` of
    ``past()``, the list's full queryset (built only then)."""

    def __init__(
        self,
        rows: models.QuerySet[M],
        ids: list[int],
        count: int,
        past: Callable[[], models.QuerySet[M]],
    ) -> None:
        self.rows = rows
        self.ids = ids
        self.known_count = count
        self.past = past

    def count(self) -> int:
        return self.known_count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[M]:
        if not isinstance(index, slice):
            raise TypeError("KeptIds supports slices only")
        stop = self.known_count if index.stop is None else index.stop
        if stop > len(self.ids) and len(self.ids) < self.known_count:
            return DeferredJoin(self.past())[index]
        page_ids = self.ids[index]
        by_id = {row.pk: row for row in self.rows.filter(pk__in=page_ids)}
        return [by_id[pk] for pk in page_ids if pk in by_id]
