from modeltranslation.translator import TranslationOptions, register

from core.history import track, track_related
from organizations.models import (
    Affiliation,
    ClusterManager,
    FocusArea,
    Organization,
    Person,
    Region,
)


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name",)
    # No language required: one, any, is (AnyLanguageModelMixin, core/languages.py).


@register(FocusArea)
class FocusAreaTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    # No language required: one, any, is (AnyLanguageModelMixin, core/languages.py).


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name", "description", "offers", "seeks")
    # No language required: one, any, is (AnyLanguageModelMixin, core/languages.py).


@register(Person)
class PersonTranslationOptions(TranslationOptions):
    fields = ("honorific",)


@register(Affiliation)
class AffiliationTranslationOptions(TranslationOptions):
    fields = ("position",)


# History of every change (core/history.py). Here, after the registrations above, so
# that the event tables copy every language's column. Search columns are derived, not history.
track(Region)
track(Region.members.through, model_name="RegionMembersEvent")
track(Region.strengths.through, model_name="RegionStrengthsEvent")
track(FocusArea)
track(Organization, exclude=["search_names", "search_document", "search_terms"])
track(Organization.focus_areas.through, model_name="OrganizationFocusAreasEvent")
track(Organization.target_regions.through, model_name="OrganizationTargetRegionsEvent")
track(Person)
track(Affiliation)
track(ClusterManager)

# Shown on (and restored with) the parent's history page: link rows and child rows.
track_related(Region, Region.members.through, "from_region")
track_related(Region, Region.strengths.through, "region")
track_related(Organization, Organization.focus_areas.through, "organization")
track_related(Organization, Organization.target_regions.through, "organization")
track_related(Person, Affiliation, "person")
