"""The organisation admin's partner-profile part (issue 22): its fieldset, its form and the logo's
widget. Kept out of ``admin.py`` so that the organisation admin only names them.

Who may edit a profile is who may edit the organisation (``organizations/access.py``): its
managers and administrators; everyone else with access sees it read-only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.admin.widgets import AdminFileWidget, FilteredSelectMultiple
from django.utils.translation import gettext_lazy as _

from organizations.logos import FORMATS
from organizations.models import Affiliation, Organization
from organizations.profiles import TARGET_REGIONS_MAX, spoken_language_choices

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldOpts

PROFILE_FIELDSET: tuple[Any, _FieldOpts] = (
    _("Partner profile"),
    {
        "fields": (
            "offers",
            "seeks",
            ("member_count", "sme_count"),
            "languages",
            "target_regions",
            "international_contact",
            "logo",
        ),
        "description": _(
            "What partner-seekers read on the organisation's page and filter the organisation "
            "list by. The international-affairs contact is one of the contact points below "
            "(save a new organisation first)."
        ),
    },
)


class LogoInput(AdminFileWidget):
    """The logo's file input: the current logo links to the address the public sees (the
    storage's own URL is served by nothing), and the picker offers images only."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        mime_types = ",".join(f"image/{name.lower()}" for name in FORMATS)
        super().__init__({"accept": mime_types, **(attrs or {})})

    def format_value(self, value: Any) -> Any:
        organization = getattr(value, "instance", None)
        if not value or not isinstance(organization, Organization) or not organization.logo_url():
            return super().format_value(value)
        return _ShownLogo(organization.logo_url(), str(_("current logo")))


class _ShownLogo:
    def __init__(self, url: str, label: str) -> None:
        self.url, self.label = url, label

    def __str__(self) -> str:
        return self.label


class OrganizationProfileForm(forms.ModelForm):
    """The organisation's admin form: the languages as a list of ISO 639 names to pick from,
    the international contact among the organisation's own contact points."""

    languages = forms.TypedMultipleChoiceField(
        label=_("Languages spoken"),
        required=False,
        choices=spoken_language_choices,  # called when shown: names in the editor's language
        widget=FilteredSelectMultiple(_("languages"), is_stacked=False),
    )

    class Meta:
        model = Organization
        # The admin names the fields it shows (the fieldsets); these are the ones set up here.
        fields = ("languages", "international_contact", "logo")
        widgets = {"logo": LogoInput}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        contact = self.fields.get("international_contact")
        if contact is not None:
            own = Affiliation.objects.filter(organization_id=self.instance.pk or 0)
            contact.queryset = own.select_related("person")  # type: ignore[attr-defined]

    def clean_target_regions(self) -> Any:
        regions = self.cleaned_data["target_regions"]
        if len(regions) > TARGET_REGIONS_MAX:
            raise forms.ValidationError(
                _("At most %(count)d target regions: choose the most important ones."),
                params={"count": TARGET_REGIONS_MAX},
            )
        return regions
