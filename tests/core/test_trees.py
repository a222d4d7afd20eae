"""would_be_own_ancestor: the one cycle walk behind regions, organisations and lineages."""

from core.trees import would_be_own_ancestor
from organizations.models import Region
from partnerships.models import Agreement


def test_an_unsaved_row_is_nobodys_ancestor(subdivision_factory):
    assert not would_be_own_ancestor(Region(parent=subdivision_factory()), "parent")


def test_a_region_moved_below_its_own_child_would_be_its_own_ancestor(subdivision_factory):
    upper = subdivision_factory()
    lower = subdivision_factory(parent=upper)
    upper.parent = lower

    assert would_be_own_ancestor(upper, "parent")


def test_a_region_below_a_cycle_saved_earlier_is_not_its_own_ancestor(subdivision_factory):
    upper = subdivision_factory()
    lower = subdivision_factory(parent=upper)
    Region.objects.filter(pk=upper.pk).update(parent=lower)  # bypassing clean()
    below = subdivision_factory(parent=lower)

    assert not would_be_own_ancestor(below, "parent")


def test_an_agreement_renewing_its_own_renewal_would_be_its_own_ancestor(agreement_factory):
    original = agreement_factory()
    renewal = agreement_factory(previous=original, lineage=Agreement.Lineage.RENEWS)
    original.previous = renewal

    assert would_be_own_ancestor(original, "previous")
