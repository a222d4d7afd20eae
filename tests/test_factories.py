import pytest

from tests import factories

ALL_FACTORIES = [
    getattr(factories, name)
    for name in dir(factories)
    if name.endswith("Factory") and name not in ("DjangoModelFactory",)
]


@pytest.mark.parametrize("factory_class", ALL_FACTORIES, ids=lambda f: f.__name__)
def test_factory_builds_a_valid_saved_object(db, factory_class):
    obj = factory_class()
    obj.full_clean()
    assert obj.pk is not None
