"""Admin forms and formsets that let one agreement be recorded, validated and saved from one page.

(The public site's forms live in partnerships/forms.py; these are used by the
partnerships/admin/ package only.)

The agreement page holds the parties, and below them signing events whose signatures name the
party each signatory signs for. On the add page those parties do not exist yet, so a signature
cannot point at an ``AgreementParty`` row. Instead it names the party's *organisation*
("on behalf of"), chosen among the parties entered on the same page, and the form resolves it to
the saved ``AgreementParty`` when saving (parties are saved before signing events; a party is
unique per agreement and organisation, so the resolution is exact). Agreement contacts work the
same way.

Cross-formset checks (an attendee who also signs, a signature for an organisation that is not a
party) need to see the other formsets of the page: the agreement and signing-event admins hand
every formset the list of formsets on the page as ``page_formsets``. The rules themselves, and
their messages, are those of ``partnerships/rules.py``, which the services use too.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.formsets import DELETION_FIELD_NAME, BaseFormSet
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from nested_admin.formsets import NestedInlineFormSet

from core.languages import language_codes
from organizations.models import Organization
from partnerships import rules
from partnerships.access import document_publicity, may_act_on
from partnerships.models import (
    Agreement,
    AgreementContact,
    AgreementParty,
    Document,
    Signature,
    Statement,
)
from partnerships.services import fill_capacity_from_position


class PageFormsetsMixin:
    """Formsets that may look at the other formsets of the same admin page."""

    page_formsets: Sequence[BaseInlineFormSet] = ()

    def formsets_for(self, model: type) -> list[BaseInlineFormSet]:
        return [fs for fs in self.page_formsets if fs.model is model and fs is not self]


def is_marked_for_deletion(formset: BaseFormSet, form: forms.BaseForm) -> bool:
    """Whether the person ticked "delete" on ``form`` (read from the raw data, valid or not)."""
    return bool(
        formset.can_delete
        and DELETION_FIELD_NAME in form.fields
        and form[DELETION_FIELD_NAME].value()
    )


class PartyFormSet(PageFormsetsMixin, NestedInlineFormSet):
    """The parties of an agreement, checked with the rules the services use.

    A concluded agreement has at least two parties, and a published one must be publishable
    (:func:`partnerships.rules.check_publishable`, as in ``agreement_publish``). The formset's
    instance carries the values entered in the agreement form above it.
    """

    too_few_parties_hint = _(
        "Add the other party here (use + to create a missing organisation), or keep the "
        "agreement as a draft."
    )
    own_party_missing = _(
        "One of the parties must be an organisation you manage: you record and edit only "
        "the agreements of your own organisations."
    )
    # The user saving the page, set by the admin (LinkedFormsetsAdminMixin); None outside it.
    access_user: Any = None

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        organization_ids = [
            form.cleaned_data["organization"].pk
            for form in self.forms
            if form.cleaned_data.get("organization") and not self._should_delete_form(form)
        ]
        # A cluster manager's agreement keeps one of their organisations as a party: a new one
        # names it, an existing one cannot lose its last one (partnerships/access.py).
        if not may_act_on(self.access_user, organization_ids):
            raise ValidationError(self.own_party_missing, code="own_party_missing")
        concluded = self.instance.state == Agreement.State.CONCLUDED
        try:
            rules.check_parties(concluded=concluded, organization_ids=organization_ids)
            if self.instance.is_public:
                rules.check_publishable(concluded=concluded, party_count=len(organization_ids))
        except ValidationError as error:
            if error.code == "too_few_parties":
                raise ValidationError(
                    [error, ValidationError(self.too_few_parties_hint)], code=error.code
                ) from None
            raise


class SigningEventFormSet(PageFormsetsMixin, NestedInlineFormSet):
    """The signing events of an agreement: recorded once it is concluded."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if any(form.has_changed() and not self._should_delete_form(form) for form in self.forms):
            rules.check_signing_allowed(concluded=self.instance.state == Agreement.State.CONCLUDED)


class SigningEventStandaloneForm(forms.ModelForm):
    """A signing event edited on its own page: its agreement must be concluded."""

    def clean(self) -> dict:
        cleaned_data = super().clean() or self.cleaned_data
        agreement = cleaned_data.get("agreement")
        if agreement is not None:
            try:
                rules.check_signing_allowed(concluded=agreement.state == Agreement.State.CONCLUDED)
            except ValidationError as error:
                self.add_error("agreement", error)
        return cleaned_data


class PartyOrganizationChoiceField(forms.ModelChoiceField):
    default_error_messages = {
        "invalid_choice": _(
            "Choose one of this agreement's parties. If the organisation is missing, "
            "add it as a party first."
        ),
    }


PARTY_CHOICE_FIELD = "on_behalf_of"


def party_organizations(ids: Sequence[int]) -> QuerySet[Organization]:
    return Organization.objects.filter(pk__in=list(ids))


class PartyChoiceFormSet(PageFormsetsMixin, NestedInlineFormSet):
    """A formset whose forms choose one of the agreement's parties by its organisation."""

    _party_organization_ids: list[int]

    def get_agreement(self) -> Agreement | None:
        raise NotImplementedError

    def party_organization_ids(self) -> list[int]:
        """The organisations that are (or, once saved, will be) parties of the agreement.

        On a submitted agreement page: the party rows as entered, without those marked for
        deletion. Elsewhere: the saved parties of the agreement.
        """
        if hasattr(self, "_party_organization_ids"):
            return self._party_organization_ids
        ids: list[int] = []
        party_formsets = self.formsets_for(AgreementParty)
        if self.is_bound and party_formsets:
            for party_formset in party_formsets:
                for form in party_formset.forms:
                    if is_marked_for_deletion(party_formset, form):
                        continue
                    raw = form["organization"].value()
                    if raw and str(raw).isdigit():
                        ids.append(int(raw))
        elif party_formsets:
            # The saved parties, as the page's party rows already read them.
            ids = [
                form.instance.organization_id
                for party_formset in party_formsets
                for form in party_formset.initial_forms
            ]
        else:
            agreement = self.get_agreement()
            if agreement is not None and agreement.pk:
                ids = list(
                    AgreementParty.objects.filter(agreement=agreement).values_list(
                        "organization_id", flat=True
                    )
                )
        self._party_organization_ids = ids
        return ids

    def party_choices(self) -> list[tuple[Any, str]]:
        """The parties' organisations as the choices of every form's select, read once for the
        formset (each form's select read them again: one query per signature and contact)."""
        if not hasattr(self, "_party_choices"):
            ids = self.party_organization_ids()
            # Shared by the page's formsets (every signing's signatures, the contacts).
            party_formsets = self.formsets_for(AgreementParty)
            shared = party_formsets[0].__dict__ if party_formsets else {}
            by_ids = shared.setdefault("_party_choices_by_ids", {})
            key = tuple(sorted(ids))
            if key not in by_ids:
                field = cast(forms.ModelChoiceField, self.form.base_fields[PARTY_CHOICE_FIELD])
                field = copy.deepcopy(field)
                field.queryset = party_organizations(ids)
                by_ids[key] = list(iter(cast(Any, field.choices)))  # no len(): no COUNT
            self._party_choices = by_ids[key]
        return self._party_choices

    def get_form_kwargs(self, index: int | None) -> dict:
        kwargs = super().get_form_kwargs(index)
        kwargs["party_organization_ids"] = self.party_organization_ids()
        kwargs["party_choices"] = self.party_choices
        return kwargs


class PartyChoiceForm(forms.ModelForm):
    """A form with a ``party`` foreign key, edited as "on behalf of <one of the parties>".

    Left empty, the party is the one the row's person or contact point belongs to, when that is
    exactly one of the parties (:meth:`implied_party`): the recording manager need not choose
    Lyon for Lyon's director. Otherwise it must be chosen ("This field is required.").
    """

    party_choice_field = PARTY_CHOICE_FIELD

    def __init__(
        self,
        *args,
        party_organization_ids: Sequence[int] = (),
        party_choices: Callable[[], list[tuple[Any, str]]] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.party_organization_ids = list(party_organization_ids)
        field = cast(forms.ModelChoiceField, self.fields[self.party_choice_field])
        field.queryset = party_organizations(party_organization_ids)
        if party_choices is not None:
            # The formset's choices, read once; validation still uses the queryset.
            field.widget.choices = party_choices()
        # Progressive enhancement: partnerships/admin/party_choices.js refreshes the options
        # from the party rows on the page, so parties added on the same page can be chosen.
        field.widget.attrs["class"] = "js-party-choice"
        if self.instance.party_id:
            self.initial.setdefault(self.party_choice_field, self.instance.party.organization_id)

    def get_agreement(self) -> Agreement:
        raise NotImplementedError

    def implied_organization_ids(self, cleaned_data: dict[str, Any]) -> set[int]:
        """The organisations the row's person or contact point belongs to (subclasses)."""
        return set()

    def implied_party(self, cleaned_data: dict[str, Any]) -> Organization | None:
        """The party of a row whose choice was left empty: the one party among the organisations
        its person or contact point belongs to, if there is exactly one."""
        ids = self.implied_organization_ids(cleaned_data) & set(self.party_organization_ids)
        if len(ids) != 1:
            return None
        return party_organizations(list(ids)).first()

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or self.cleaned_data
        name = self.party_choice_field
        if cleaned_data.get(name) is None and name not in self.errors:
            organization = self.implied_party(cleaned_data)
            if organization is None:
                self.add_error(
                    name,
                    ValidationError(self.fields[name].error_messages["required"], code="required"),
                )
            else:
                cleaned_data[name] = organization
        return cleaned_data

    def save(self, commit: bool = True):
        organization = self.cleaned_data.get(self.party_choice_field)
        if organization is not None:
            # The parties formset is saved before this one (see the inline order in the admin).
            self.instance.party = AgreementParty.objects.get(
                agreement=self.get_agreement(), organization=organization
            )
        return super().save(commit)


class SignatureFormSet(PartyChoiceFormSet):
    def get_agreement(self) -> Agreement | None:
        signing_event = self.instance
        return signing_event.agreement if signing_event.agreement_id else None


class SignatureForm(PartyChoiceForm):
    on_behalf_of = PartyOrganizationChoiceField(
        queryset=Organization.objects.none(),
        required=False,  # implied by the signatory's position (PartyChoiceForm.clean)
        label=_("on behalf of"),
        help_text=_(
            "One of the parties of this agreement. Left empty: the party at which the signatory "
            "has a position."
        ),
    )

    class Meta:
        model = Signature
        fields = ("person", "capacity")

    def get_agreement(self) -> Agreement:
        return self.instance.signing_event.agreement

    def implied_organization_ids(self, cleaned_data: dict[str, Any]) -> set[int]:
        person = cleaned_data.get("person")
        if person is None:
            return set()
        return set(
            person.affiliations.filter(is_current=True).values_list("organization_id", flat=True)
        )

    def save(self, commit: bool = True):
        fill_capacity_from_position(
            self.instance, organization=self.cleaned_data.get(self.party_choice_field)
        )
        return super().save(commit)


class StatementForm(forms.ModelForm):
    """A quote: the speaker's capacity, left empty, is their position at the organisation.

    A new quote's organisation, left empty, is the speaker's when they have a current position
    at exactly one; its original language, left at the default, is the one language the quote is
    given in when that is another (a quote typed only in Japanese was said in Japanese).
    """

    class Meta:
        model = Statement
        fields = (
            "person",
            "capacity",
            "organization",
            "text",
            "original_language",
            "original_text",
            "position",
        )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "organization" in self.fields:
            self.fields["organization"].help_text = _(
                "Left empty: the speaker's organisation, when they have a position at exactly one."
            )
        if "original_language" in self.fields:
            self.fields["original_language"].help_text = _(
                "ISO 639 code of the language the quote was said in, e.g. en, fr, it, zh. Left at "
                "en with the quote given in one other language only: that language."
            )

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or self.cleaned_data
        if self.instance.pk is not None:
            return cleaned_data
        person = cleaned_data.get("person")
        if "organization" in self.fields and not cleaned_data.get("organization") and person:
            organizations = {
                affiliation.organization
                for affiliation in person.affiliations.filter(is_current=True).select_related(
                    "organization"
                )
            }
            if len(organizations) == 1:
                cleaned_data["organization"] = organizations.pop()
        default = Statement._meta.get_field("original_language").default
        if (
            cleaned_data.get("original_language") == default
            and not (cleaned_data.get("original_text") or "").strip()
            and not (cleaned_data.get(f"text_{default}") or "").strip()
        ):
            given = [
                code
                for code in language_codes()
                if (cleaned_data.get(f"text_{code}") or "").strip()
            ]
            if len(given) == 1:
                cleaned_data["original_language"] = given[0]
        return cleaned_data

    def save(self, commit: bool = True):
        fill_capacity_from_position(self.instance, organization=self.instance.organization)
        return super().save(commit)


class AgreementContactFormSet(PartyChoiceFormSet):
    def get_agreement(self) -> Agreement | None:
        return self.instance


class AgreementContactForm(PartyChoiceForm):
    on_behalf_of = PartyOrganizationChoiceField(
        queryset=Organization.objects.none(),
        required=False,  # implied by the contact point's organisation (PartyChoiceForm.clean)
        label=_("for party"),
        help_text=_(
            "One of the parties of this agreement. Left empty: the contact point's organisation."
        ),
    )

    class Meta:
        model = AgreementContact
        fields = ("affiliation",)

    def get_agreement(self) -> Agreement:
        return self.instance.agreement

    def implied_organization_ids(self, cleaned_data: dict[str, Any]) -> set[int]:
        affiliation = cleaned_data.get("affiliation")
        return {affiliation.organization_id} if affiliation is not None else set()


class AttendanceFormSet(PageFormsetsMixin, NestedInlineFormSet):
    """Guests at a signing event; a person who signs there is a signatory, not an attendee."""

    def clean(self) -> None:
        super().clean()
        signatory_ids: list[int] = []
        for signature_formset in self.formsets_for(Signature):
            if signature_formset.instance is not self.instance:
                continue  # another signing event
            signature_formset.is_valid()
            for form in signature_formset.forms:
                person = getattr(form, "cleaned_data", {}).get("person")
                if person is not None and not signature_formset._should_delete_form(form):  # type: ignore[attr-defined]  # Django API missing from the stubs
                    signatory_ids.append(person.pk)
        attendees = {
            form.cleaned_data["person"].pk: form
            for form in self.forms
            if getattr(form, "cleaned_data", {}).get("person") is not None
            and not self._should_delete_form(form)
        }
        for person_id in rules.signatories_attending(
            signatory_ids=signatory_ids, attendee_ids=attendees
        ):
            attendees[person_id].add_error("person", rules.SIGNATORY_ATTENDING)


DOCUMENT_CONTENT_FIELDS = ("url", "file", "text")


class DocumentForm(forms.ModelForm):
    """A document on the agreement page or its own: on a published agreement, what one party adds
    or changes waits, partners-only, for another party or an administrator to mark it public
    (``partnerships.access.document_publicity``). The admin sets ``user`` on a subclass."""

    user: Any = None

    class Meta:
        model = Document
        fields = (
            "agreement",
            "kind",
            "title",
            "language",
            "url",
            "file",
            "text",
            "published_on",
            "is_public",
        )

    def _agreement(self) -> Agreement | None:
        agreement = self.cleaned_data.get("agreement") if "agreement" in self.fields else None
        if agreement is None and self.instance.agreement_id:
            agreement = self.instance.agreement
        return agreement

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean() or self.cleaned_data
        if "is_public" not in cleaned_data:
            return cleaned_data
        agreement = self._agreement()
        is_new = self.instance.pk is None
        try:
            is_public, proposed_by_id = document_publicity(
                self.user,
                agreement=agreement,
                party_ids=(
                    list(agreement.parties.values_list("organization_id", flat=True))
                    if agreement is not None and agreement.pk
                    else []
                ),
                proposed_by_id=self.instance.proposed_by_id,
                is_new=is_new,
                was_public=bool(self.initial.get("is_public")) and not is_new,
                wants_public=bool(cleaned_data["is_public"]),
                content_changed=any(name in self.changed_data for name in DOCUMENT_CONTENT_FIELDS),
            )
        except ValidationError as refused:
            self.add_error("is_public", refused)
            return cleaned_data
        cleaned_data["is_public"] = is_public
        self.instance.proposed_by_id = proposed_by_id
        return cleaned_data
