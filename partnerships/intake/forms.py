"""The two forms of the intake: the release (paste or upload), and the review of its facts.

The review form is built from the matched draft: one field per fact, filled with what was
extracted and matched, so that a release read right needs no typing at all. Names offer the
matched record, the other candidates, "create as new" (explicit: nothing is created unless
chosen) and "leave out". The release text travels in a hidden field: nothing is stored between
the two pages.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organizations.models import FocusArea, Organization, Person, Region
from organizations.search import resolve_region
from partnerships.intake import sources
from partnerships.intake.drafts import (
    Duration,
    NewOrganization,
    NewPerson,
    OrganizationChoice,
    PersonRow,
    ReviewedDraft,
)
from partnerships.models import Agreement, DurationUnit, Event

LANGUAGE_CHOICES = [("", _("Recognise it")), ("de", "Deutsch"), ("en", "English"), ("ja", "日本語")]
NEW = "new"
# Below this confidence a fact is asked, not filled in.
SURE = 0.6
PERSON_ROWS = ("signatories", "witnesses", "quotes", "contacts")


class SourceForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the press release"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14, "cols": 90}),
        max_length=sources.MAX_TEXT_CHARS,
    )
    file = forms.FileField(
        label=_("or upload it"),
        required=False,
        help_text=_(".txt, .pdf or .docx"),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.pdf,.docx"}),
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, required=False)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        text, upload = (data.get("text") or "").strip(), data.get("file")
        if upload:
            try:
                text = sources.text_of_upload(upload)
            except ValidationError as error:
                self.add_error("file", error)
                return data
        if not text:
            raise ValidationError(_("Paste the text of the press release or upload it."))
        data["release"] = text
        return data


def _label(item: dict[str, Any]) -> str:
    return item["label"]


def _name_choices(item: dict[str, Any], name: str, new_label: str) -> tuple[list, str]:
    """Choices for a name: its match and candidates, new, leave out; and the initial one."""
    choices: list[tuple[str, str]] = []
    seen = set()
    for ref in ([item["match"]] if item.get("match") else []) + item.get("candidates", []):
        if ref["id"] not in seen:
            seen.add(ref["id"])
            choices.append((str(ref["id"]), _label(ref)))
    choices.append((NEW, new_label % {"name": name}))
    choices.append(("", gettext("Leave out")))
    initial = str(item["match"]["id"]) if item.get("match") else ""
    return choices, initial


class ReviewForm(forms.Form):
    """Built from a matched draft (``partnerships.intake.matching.match_draft``)."""

    text = forms.CharField(widget=forms.HiddenInput, max_length=sources.MAX_TEXT_CHARS)
    language = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(
        label=_("Title"), max_length=300, widget=forms.TextInput(attrs={"size": 70})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Agreement.Kind.choices)
    signed_on = forms.DateField(label=_("Signed on"), required=False)
    place = forms.ChoiceField(label=_("Place"), required=False)
    occasion = forms.ChoiceField(label=_("Occasion"), required=False)
    term_value = forms.IntegerField(label=_("Term"), required=False, min_value=1)
    term_unit = forms.ChoiceField(label=_("unit"), choices=DurationUnit.choices, required=False)
    notice_value = forms.IntegerField(label=_("Notice"), required=False, min_value=1)
    notice_unit = forms.ChoiceField(label=_("unit"), choices=DurationUnit.choices, required=False)
    automatic_renewal = forms.BooleanField(label=_("Renews automatically"), required=False)
    valid_until = forms.DateField(label=_("Valid until"), required=False)
    previous = forms.ChoiceField(label=_("Builds on"), required=False)
    lineage = forms.ChoiceField(
        label=_("Relation"), required=False, choices=[("", "—"), *Agreement.Lineage.choices]
    )
    focus_areas = forms.MultipleChoiceField(
        label=_("Focus areas"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, draft: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.draft = draft
        fields = self.fields
        initial = self.initial
        initial.update(text=draft["text"], language=draft["language"], title=draft["title"])
        if draft["kind"]:
            initial["kind"] = draft["kind"]["value"]
        signed = draft["signed_on"]
        # An unsure date is asked (signed_on_question), not filled.
        if signed and signed["value"] and signed["confidence"] >= SURE:
            initial["signed_on"] = signed["value"]
        for key in ("place", "occasion"):
            item = draft[key]
            choices: list[tuple[str, str]] = [("", "—")]
            if item:
                refs = ([item["match"]] if item.get("match") else []) + item.get("candidates", [])
                choices += [(str(r["id"]), r["label"]) for r in refs]
                if item.get("match"):
                    initial[key] = str(item["match"]["id"])
            cast(forms.ChoiceField, fields[key]).choices = list(dict.fromkeys(choices))
        for key in ("term", "notice"):
            item = draft[key]
            if item and item["value"]:
                initial[f"{key}_value"] = item["value"]["value"]
                initial[f"{key}_unit"] = item["value"]["unit"]
        initial["automatic_renewal"] = bool(draft["automatic_renewal"])
        if draft["valid_until"]:
            initial["valid_until"] = draft["valid_until"]["value"]
        renews = draft["renews"]
        previous: list[tuple[str, str]] = [("", "—")]
        if renews:
            refs = ([renews["match"]] if renews.get("match") else []) + renews.get("candidates", [])
            previous += list(dict.fromkeys((str(r["id"]), r["label"]) for r in refs))
            if renews.get("match"):
                initial["previous"] = str(renews["match"]["id"])
                initial["lineage"] = renews["value"]
        cast(forms.ChoiceField, fields["previous"]).choices = previous
        cast(forms.ChoiceField, fields["focus_areas"]).choices = [
            (str(a["match"]["id"]), a["value"]) for a in draft["focus_areas"]
        ]
        initial["focus_areas"] = [str(a["match"]["id"]) for a in draft["focus_areas"]]

        # Parties: a record, new (with its region), or left out.
        self.party_rows = []
        for index, party in enumerate(draft["parties"]):
            choices, chosen = _name_choices(
                party, party["value"], gettext("Create “%(name)s” as a new organisation")
            )
            name = f"party_{index}"
            fields[name] = forms.ChoiceField(label=party["value"], choices=choices, required=False)
            fields[f"{name}_region"] = forms.CharField(
                label=_("Region of the new organisation"),
                required=False,
                max_length=200,
                widget=forms.TextInput(
                    attrs={"placeholder": gettext("Region of the new organisation")}
                ),
            )
            initial[name] = chosen
            self.party_rows.append((party, name))

        # Organisations a person may belong to: the parties, and any matched organisation.
        organization_choices: list[tuple[str, str]] = [("", "—")]
        for index, party in enumerate(draft["parties"]):
            organization_choices.append((f"party-{index}", party["value"]))
        self.person_rows: dict[str, list[tuple[dict[str, Any], str]]] = {}
        for key in PERSON_ROWS:
            rows = []
            for index, item in enumerate(draft[key]):
                person_name = item.get("name") or item.get("speaker") or ""
                prefix = f"{key}_{index}"
                choices, chosen = _name_choices(
                    item, person_name, gettext("Create “%(name)s” as a new person")
                )
                fields[f"{prefix}_person"] = forms.ChoiceField(
                    label=person_name or gettext("(no speaker found)"),
                    choices=choices,
                    required=False,
                )
                initial[f"{prefix}_person"] = chosen
                fields[f"{prefix}_capacity"] = forms.CharField(
                    label=_("Capacity"), required=False, max_length=300
                )
                initial[f"{prefix}_capacity"] = item.get("capacity") or item.get("position") or ""
                organisation_choices = list(organization_choices)
                org_match = item.get("organisation_match")
                party_index = self._party_index(item, org_match)
                if org_match and party_index is None:
                    organisation_choices.append((str(org_match["id"]), org_match["label"]))
                fields[f"{prefix}_organisation"] = forms.ChoiceField(
                    label=_("Organisation"), choices=organisation_choices, required=False
                )
                if party_index is not None:
                    initial[f"{prefix}_organisation"] = f"party-{party_index}"
                elif org_match:
                    initial[f"{prefix}_organisation"] = str(org_match["id"])
                if key == "quotes":
                    fields[f"{prefix}_text"] = forms.CharField(
                        label=_("Quote"), widget=forms.Textarea(attrs={"rows": 3}), required=False
                    )
                    initial[f"{prefix}_text"] = item.get("text", "")
                if key == "contacts":
                    fields[f"{prefix}_email"] = forms.EmailField(label=_("E-mail"), required=False)
                    fields[f"{prefix}_phone"] = forms.CharField(
                        label=_("Phone"), required=False, max_length=50
                    )
                    initial[f"{prefix}_email"] = item.get("email", "")
                    initial[f"{prefix}_phone"] = item.get("phone", "")
                rows.append((item, prefix))
            self.person_rows[key] = rows

        self.scope_rows = []
        for index, item in enumerate(draft["scope"]):
            name = f"scope_{index}"
            fields[name] = forms.CharField(
                label=_("Scope"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            initial[name] = item["value"]
            self.scope_rows.append((item, name))

    def _party_index(self, item: dict[str, Any], org_match: dict[str, Any] | None) -> int | None:
        from partnerships.intake.extract import same_name

        organisation = item.get("organisation") or item.get("party") or ""
        for index, party in enumerate(self.draft["parties"]):
            if org_match and party.get("match") and party["match"]["id"] == org_match["id"]:
                return index
            if organisation and same_name(organisation, party["value"]):
                return index
        return None

    # --- Cleaning into a ReviewedDraft --------------------------------------------------------

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        self.parties: dict[int, OrganizationChoice] = {}
        for index, (party, name) in enumerate(self.party_rows):
            choice = data.get(name)
            if choice == NEW:
                region, _candidates = resolve_region(data.get(f"{name}_region") or "")
                if region is None:
                    self.add_error(
                        f"{name}_region",
                        _("Name the region of the new organisation (a city, state or country)."),
                    )
                    continue
                self.parties[index] = NewOrganization(name=party["value"], region=region)
            elif choice:
                organization = Organization.objects.filter(pk=choice).first()
                if organization is not None:
                    self.parties[index] = organization
        if len(self.parties) < 1:
            raise ValidationError(_("Keep at least one party."))
        return data

    def _organization(self, value: str) -> OrganizationChoice | None:
        if value.startswith("party-"):
            return self.parties.get(int(value.removeprefix("party-")))
        if value:
            return Organization.objects.filter(pk=value).first()
        return None

    def _rows(self, key: str) -> list[PersonRow]:
        data = self.cleaned_data
        rows = []
        for item, prefix in self.person_rows[key]:
            choice = data.get(f"{prefix}_person")
            person: Person | NewPerson | None
            if choice == NEW:
                name = item.get("name") or item.get("speaker") or ""
                if not name:
                    continue
                person = NewPerson(name=name, honorific=item.get("honorific", ""))
            elif choice:
                person = Person.objects.filter(pk=choice).first()
            else:
                person = None
            if person is None:
                continue
            rows.append(
                PersonRow(
                    person=person,
                    capacity=data.get(f"{prefix}_capacity") or "",
                    organization=self._organization(data.get(f"{prefix}_organisation") or ""),
                    text=data.get(f"{prefix}_text") or "",
                    email=data.get(f"{prefix}_email") or "",
                    phone=data.get(f"{prefix}_phone") or "",
                )
            )
        return rows

    def reviewed(self) -> ReviewedDraft:
        data = self.cleaned_data

        def duration(key: str) -> Duration | None:
            value = data.get(f"{key}_value")
            return Duration(value, data.get(f"{key}_unit") or "years") if value else None

        previous = (
            Agreement.objects.filter(pk=data["previous"]).first() if data.get("previous") else None
        )
        return ReviewedDraft(
            language=data["language"],
            text=data["text"],
            title=data["title"],
            kind=data["kind"],
            parties=[self.parties[index] for index in sorted(self.parties)],
            signed_on=data.get("signed_on"),
            place=Region.objects.filter(pk=data["place"]).first() if data.get("place") else None,
            occasion=Event.objects.filter(pk=data["occasion"]).first()
            if data.get("occasion")
            else None,
            signatories=self._rows("signatories"),
            witnesses=self._rows("witnesses"),
            quotes=[row for row in self._rows("quotes") if row.text],
            contacts=self._rows("contacts"),
            term=duration("term"),
            notice=duration("notice"),
            automatic_renewal=bool(data.get("automatic_renewal")),
            valid_until=data.get("valid_until"),
            previous=previous,
            lineage=(data.get("lineage") or Agreement.Lineage.RENEWS) if previous else "",
            scope=[
                (data.get(name) or "").strip()
                for _item, name in self.scope_rows
                if (data.get(name) or "").strip()
            ],
            focus_areas=list(FocusArea.objects.filter(pk__in=data.get("focus_areas") or [])),
        )


def default_title(draft: dict[str, Any]) -> str:
    """ "Kooperationsvereinbarung zwischen A und B", in the release's language."""
    kind = draft["kind"]["value"] if draft["kind"] else Agreement.Kind.COOPERATION
    names = [p["value"] for p in draft["parties"]]  # as the release writes them
    names = [n.split(" (")[0] for n in names]
    language = draft["language"]
    kinds = {
        "de": {
            "mou": "Absichtserklärung (MoU)",
            "cooperation": "Kooperationsvereinbarung",
            "letter_of_intent": "Absichtserklärung",
            "framework": "Rahmenvereinbarung",
            "renewal": "Erneuerung",
        },
        "en": {
            "mou": "Memorandum of understanding",
            "cooperation": "Cooperation agreement",
            "letter_of_intent": "Letter of intent",
            "framework": "Framework agreement",
            "renewal": "Renewal",
        },
        "ja": {
            "mou": "覚書",
            "cooperation": "協力協定",
            "letter_of_intent": "趣意書",
            "framework": "包括連携協定",
            "renewal": "更新",
        },
    }[language]
    label = kinds.get(kind, kinds["cooperation"])
    if draft.get("renews") and draft["renews"]["value"] == "renews" and language != "ja":
        label = {"de": "Erneuerung der %s", "en": "Renewal of the %s"}[language] % (
            label if language == "de" else label.lower()
        )
    if len(names) < 2:
        return label
    if language == "ja":
        return "と".join(names) + "の" + label
    joined = ", ".join(names[:-1]) + {"de": " und ", "en": " and "}[language] + names[-1]
    return f"{label} {'zwischen' if language == 'de' else 'between'} {joined}"


def signed_on_question(draft: dict[str, Any]) -> str:
    signed = draft.get("signed_on")
    if not signed:
        return ""
    if signed["value"] is not None:
        if signed["confidence"] >= SURE:
            return ""
        return gettext(
            "Signed on %(date)s? The release names this date, but not in a sentence about the "
            "signing."
        ) % {"date": signed["value"].isoformat()}
    dates = " / ".join(d.isoformat() for d in signed.get("alternatives", []))
    return gettext("Signed on which date: %(dates)s?") % {"dates": dates}
