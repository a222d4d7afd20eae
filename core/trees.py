"""Walking a self-referencing foreign key (a region's parent, an agreement's predecessor)."""

from __future__ import annotations

from typing import cast

from django.db import models


def would_be_own_ancestor(obj: models.Model, parent_field: str) -> bool:
    """Whether ``obj``, with the ``parent_field`` it has now, would be its own ancestor.

    Used by the ``clean()`` of every model whose rows form a tree or a chain (regions,
    organisations, agreement lineages) to refuse a cycle with a clear message. Walks up one query
    per level; a cycle saved earlier that ``obj`` is not part of ends the walk instead of looping.
    An unsaved ``obj`` cannot be anyone's ancestor yet.
    """
    if obj.pk is None:
        return False
    model = type(obj)
    attname = cast(models.ForeignKey, model._meta.get_field(parent_field)).attname
    seen: set[object] = set()
    node_id = getattr(obj, attname)
    while node_id is not None and node_id not in seen:
        if node_id == obj.pk:
            return True
        seen.add(node_id)
        node_id = model._default_manager.filter(pk=node_id).values_list(attname, flat=True).first()
    return False
