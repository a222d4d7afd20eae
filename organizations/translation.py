from modeltranslation.translator import TranslationOptions, register

from organizations.models import Affiliation, FocusArea, Organization, Person, Region


@register(Region)
class RegionTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(FocusArea)
class FocusAreaTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("en",)


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("en",)


@register(Person)
class PersonTranslationOptions(TranslationOptions):
    fields = ("honorific",)


@register(Affiliation)
class AffiliationTranslationOptions(TranslationOptions):
    fields = ("position",)
