"""Spreadsheet import and export (CSV, XLSX) of agreements with their parties, for the admin.

The same machinery and rules as ``organizations/imports.py`` (read its docstring first). One row
is one agreement, identified by its slug. ``parties`` lists the organisations' slugs in order,
separated by commas; ``party_roles`` their roles in the same order (``partner`` when left out).

- A new agreement is written by :func:`partnerships.services.agreement_create`, as the demo
  loader writes it: validated, parties checked by ``partnerships/rules.py`` (a concluded
  agreement has two different parties at least), the key terms' version computed.
- A cluster manager's new agreement must name one of their organisations as a party (as on the
  admin's add page); an existing agreement is updated only by a manager of one of its parties.
  Its parties are not changed by an import (signatures and approvals hang on them): a row whose
  parties differ is refused; change them on the agreement's page.
- Imported agreements are drafts for the public: ``publication`` is exported, never imported —
  publishing goes through review and the parties' approvals (``services.agreement_publish``).
  An update that changes the key terms bumps their version, as a save in the admin does.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets
from modeltranslation import settings as mt_settings

from core.languages import language_fields
from organizations.imports import (
    MAY_NOT_ADD,
    NOT_FOUND,
    CheckedResource,
    SlugsWidget,
    SlugWidget,
    TextWidget,
    _has_perm,
    add_error,
    text,
    translated_texts,
)
from organizations.models import FocusArea, Organization
from partnerships import rules, services
from partnerships.access import may_act_on
from partnerships.admin_forms import PartyFormSet
from partnerships.models import Activity, Agreement, AgreementParty

MAY_NOT_CHANGE_AGREEMENT = _(
    "You may not change “%(agreement)s”: you can import only agreements one of your "
    "organisations is a party to."
)
PARTIES_CHANGED = _(
    "The parties of an existing agreement are not changed by an import (signatures and "
    "approvals depend on them): change them on the agreement's page."
)
UNKNOWN_ROLE = _("“%(value)s” is not a party role. Use one of: %(roles)s.")
ROLES_WITHOUT_PARTY = _("There are more roles than parties.")

TRANSLATED = ("title", "summary", "terms")
AGREEMENT_COLUMNS = (
    "slug",
    "code",
    *language_fields("title"),
    "kind",
    "state",
    *language_fields("summary"),
    *language_fields("terms"),
    "signed_on",
    "effective_from",
    "term",
    "valid_until",
    "term_length",
    "term_length_unit",
    "notice_period",
    "notice_period_unit",
    "auto_renewal",
    "terminated_on",
    "authentic_languages",
    "focus_areas",
    "previous",
    "lineage",
    "parties",
    "party_roles",
    "publication",
)


class LanguagesWidget(widgets.SimpleArrayWidget):
    """Language codes separated by commas (``de,ja``); spaces around them are ignored."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> list[str]:
        return [code.strip() for code in str(value or "").split(",") if code.strip()]


def _split(value: Any) -> list[str]:
    return [item.strip() for item in str(value or "").split(",") if item.strip()]


class AgreementResource(CheckedResource):
    """One agreement a row, with its parties (module docstring). The agreement it builds on
    (``previous``) must exist already, or come in an earlier row."""

    self_reference = "previous"

    vars().update(translated_texts(*TRANSLATED))
    code = text("code")
    authentic_languages = fields.Field(
        attribute="authentic_languages",
        column_name="authentic_languages",
        widget=LanguagesWidget(),
    )
    focus_areas = fields.Field(
        attribute="focus_areas", column_name="focus_areas", widget=SlugsWidget(FocusArea)
    )
    previous = fields.Field(
        attribute="previous",
        column_name="previous",
        widget=SlugWidget(Agreement, scope="visible"),  # builds on any agreement one may see
    )
    # Exported from the parties; imported by check_row and do_instance_save.
    parties = fields.Field(column_name="parties", widget=TextWidget())
    party_roles = fields.Field(column_name="party_roles", widget=TextWidget())
    publication = fields.Field(
        attribute="publication", column_name="publication", widget=TextWidget(), readonly=True
    )

    class Meta:
        model = Agreement
        fields = AGREEMENT_COLUMNS
        export_order = AGREEMENT_COLUMNS
        import_id_fields = ("slug",)
        clean_model_instances = True
        skip_unchanged = False
        name = _("Agreements and their parties")

    def filter_export(self, queryset: models.QuerySet, **kwargs: Any) -> models.QuerySet:
        return queryset.select_related("previous").prefetch_related(
            "focus_areas", "parties__organization"
        )

    def dehydrate_parties(self, agreement: Agreement) -> str:
        return ",".join(party.organization.slug for party in agreement.parties.all())

    def dehydrate_party_roles(self, agreement: Agreement) -> str:
        return ",".join(party.role for party in agreement.parties.all())

    # --- Import ----------------------------------------------------------------------------

    def _parties(self, row: Any, errors: dict[str, Any]) -> list[tuple[Organization, str]] | None:
        """The row's parties as (organisation, role), or None with the errors added."""
        slugs = _split(row.get("parties"))
        roles = _split(row.get("party_roles"))
        found = {o.slug: o for o in Organization.objects.filter(slug__in=slugs)}
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            add_error(
                errors,
                "parties",
                NOT_FOUND % {"model": Organization._meta.verbose_name, "value": ", ".join(missing)},
            )
        valid_roles = AgreementParty.Role.values
        for role in roles:
            if role not in valid_roles:
                add_error(
                    errors,
                    "party_roles",
                    UNKNOWN_ROLE % {"value": role, "roles": ", ".join(valid_roles)},
                )
        if len(roles) > len(slugs):
            add_error(errors, "party_roles", ROLES_WITHOUT_PARTY)
        if "parties" in errors or "party_roles" in errors:
            return None
        roles += [AgreementParty.Role.PARTNER] * (len(slugs) - len(roles))
        return [(found[slug], role) for slug, role in zip(slugs, roles, strict=True)]

    def check_row(
        self, instance: Agreement, row: Any, errors: dict[str, Any], *, user: Any
    ) -> dict[str, Any]:
        if instance.pk is not None:
            if not _has_perm(user, "partnerships.change_agreement", instance):
                stored = Agreement.objects.get(pk=instance.pk)
                add_error(errors, "slug", MAY_NOT_CHANGE_AGREEMENT % {"agreement": stored})
                return errors
        elif not _has_perm(user, "partnerships.add_agreement"):
            add_error(errors, "slug", MAY_NOT_ADD % {"model": Agreement._meta.verbose_name_plural})
            return errors
        if "parties" not in row and instance.pk is not None:
            return errors  # parties left as they are
        parties = self._parties(row, errors)
        if parties is None:
            return errors
        ids = [organization.pk for organization, _role in parties]
        if instance.pk is not None:
            current = list(
                instance.parties.order_by("position", "pk").values_list("organization", "role")
            )
            if current != [(organization.pk, role) for organization, role in parties]:
                add_error(errors, "parties", PARTIES_CHANGED)
            return errors
        try:
            rules.check_parties(
                concluded=instance.state == Agreement.State.CONCLUDED, organization_ids=ids
            )
        except ValidationError as error:  # the rule's message, on the column
            add_error(errors, "parties", " ".join(error.messages))
            return errors
        if not may_act_on(user, ids):
            add_error(errors, "parties", PartyFormSet.own_party_missing)
            return errors
        instance._import_parties = parties  # for do_instance_save
        instance._import_focus_areas = (
            list(self.fields["focus_areas"].clean(row)) if "focus_areas" in row else []
        )
        return errors

    def do_instance_save(self, instance: Agreement, is_create: bool) -> None:
        if not is_create:
            instance.save()
            return
        created = services.agreement_create(
            **{
                field: {
                    language: getattr(instance, f"{field}_{language}") or ""
                    for language in mt_settings.AVAILABLE_LANGUAGES
                }
                for field in TRANSLATED
            },
            slug=instance.slug,
            kind=instance.kind,
            parties=getattr(instance, "_import_parties", []),
            state=instance.state,
            code=instance.code,
            signed_on=instance.signed_on,
            effective_from=instance.effective_from,
            term=instance.term,
            valid_until=instance.valid_until,
            term_length=instance.term_length,
            term_length_unit=instance.term_length_unit,
            notice_period=instance.notice_period,
            notice_period_unit=instance.notice_period_unit,
            auto_renewal=instance.auto_renewal,
            terminated_on=instance.terminated_on,
            authentic_languages=instance.authentic_languages or [],
            focus_areas=getattr(instance, "_import_focus_areas", []),
            previous=instance.previous,
            lineage=instance.lineage,
        )
        instance.pk = created.pk
        instance._state.adding = False
        instance._state.db = created._state.db
        instance.publication = created.publication
        instance.terms_version = created.terms_version
        instance.terms_digest = created.terms_digest

    def save_m2m(self, instance: Agreement, row: Any, **kwargs: Any) -> None:
        super().save_m2m(instance, row, **kwargs)
        if instance.pk is not None:
            # As after a save in the admin: changed key terms (focus areas among them) need
            # the parties' approval again.
            services.agreement_refresh_terms_version(agreement=instance)


# --- Activities (issue 21) ----------------------------------------------------------------------

ACTIVITY_COLUMNS = (
    "id",
    "agreement",
    "kind",
    "starts_on",
    "ends_on",
    "place",
    *language_fields("description"),
    "parties",
    "companies",
    "meetings",
    "introductions",
    "projects",
    "funding",
    "evidence_url",
    "visibility",
)
NOT_A_PARTY_OF_AGREEMENT = _("Not a party to this agreement: %(value)s.")
NOT_OWN_PARTY = _(
    "Name your own organisation among the parties involved (or none: a joint activity); "
    "otherwise you could not edit the activity afterwards."
)
MAY_NOT_CHANGE_ACTIVITY = _(
    "You may not change this activity: only the managers of the parties it involves can."
)


class ActivityResource(CheckedResource):
    """One activity a row, under an agreement (its slug) the user's organisation is party to;
    ``id`` empty for a new one. ``parties``: the slugs of the organisations involved, parties of
    that agreement (a manager names their own among them, or none: a joint activity). The evidence
    is a link; files are uploaded on the activity's page. Import shows what it would do first
    (the dry run) and writes nothing until confirmed; one invalid row, and nothing is written."""

    agreement = fields.Field(
        attribute="agreement",
        column_name="agreement",
        widget=SlugWidget(Agreement, scope="editable"),  # only one's own agreements
    )
    vars().update(translated_texts("description"))
    place = text("place")
    evidence_url = text("evidence_url")
    parties = fields.Field(column_name="parties", widget=TextWidget())

    class Meta:
        model = Activity
        fields = ACTIVITY_COLUMNS
        export_order = ACTIVITY_COLUMNS
        import_id_fields = ("id",)
        clean_model_instances = True
        skip_unchanged = False
        name = _("Activities")

    def filter_export(self, queryset: models.QuerySet, **kwargs: Any) -> models.QuerySet:
        return queryset.select_related("agreement").prefetch_related("parties__organization")

    def dehydrate_parties(self, activity: Activity) -> str:
        return ",".join(party.organization.slug for party in activity.parties.all())

    def check_row(
        self, instance: Activity, row: Any, errors: dict[str, Any], *, user: Any
    ) -> dict[str, Any]:
        if instance.pk is not None:
            if not _has_perm(user, "partnerships.change_activity", instance):
                add_error(errors, "id", MAY_NOT_CHANGE_ACTIVITY)
                return errors
        elif not _has_perm(user, "partnerships.add_activity"):
            add_error(errors, "id", MAY_NOT_ADD % {"model": Activity._meta.verbose_name_plural})
            return errors
        if "agreement" in errors or instance.agreement_id is None:
            return errors
        slugs = _split(row.get("parties"))
        parties = {
            party.organization.slug: party
            for party in AgreementParty.objects.filter(
                agreement_id=instance.agreement_id, organization__slug__in=slugs
            ).select_related("organization")
        }
        missing = [slug for slug in slugs if slug not in parties]
        if missing:
            add_error(errors, "parties", NOT_A_PARTY_OF_AGREEMENT % {"value": ", ".join(missing)})
            return errors
        chosen = [parties[slug] for slug in slugs]
        if chosen and not may_act_on(user, [party.organization_id for party in chosen]):
            add_error(errors, "parties", NOT_OWN_PARTY)
            return errors
        instance._import_parties = chosen  # type: ignore[attr-defined]  # for save_m2m
        return errors

    def save_m2m(self, instance: Activity, row: Any, **kwargs: Any) -> None:
        super().save_m2m(instance, row, **kwargs)
        chosen = getattr(instance, "_import_parties", None)
        if instance.pk is not None and chosen is not None:
            instance.parties.set(chosen)
