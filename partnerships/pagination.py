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
    """

    def __init__(
        self, queryset: models.QuerySet[M], count: Callable[[], int] | None = None
    ) -> None:
        self.queryset = queryset
        # The number of rows, when something cheaper than COUNT(*) knows it (a cached summary).
        self._count = count or queryset.count

    def count(self) -> int:
        return self._count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[M]:
        if not isinstance(index, slice):
            raise TypeError("DeferredJoin supports slices only")
        page_ids = self.queryset.values("pk")[index]
        return list(self.queryset.filter(pk__in=page_ids))
