"""Spreadsheet import and export (CSV, XLSX) of organisations and contact points, for the admin.

Built on django-import-export: a *resource* describes the columns; the admin
(``core/admin/imports.py``) reads the file, shows a dry-run preview with every row's
errors, and writes only after "Confirm import", in one transaction: a file with any failing row
writes nothing.

Rows are written through the admin's rules:

- every record is validated with ``full_clean()`` (the constraints' messages, on the field);
- a row is checked against the rights of ``core/access.py``, row by row: a cluster
  manager updates only the organisations they manage, and adds contact points only at them
  (a row for another organisation is refused with a message naming it); like the admin's "+", a
  manager may add a *new* organisation (a missing partner), which they may not edit afterwards;
  administrators may import anything;
- duplicates: a new organisation whose name (English, German, Japanese or legal) is that of an
  existing organisation in the same country, compared through the search normaliser
  (``organizations/search/duplicates.py``: "München" = "Muenchen" = "Munchen"), is refused and
  names the existing one. To update an organisation, give its slug: the slug identifies the row.

Columns: references by slug (organisation, parent, person, focus areas), the region by its ISO
3166 code (``DE-BY``) or slug; translated texts in one column per language (``name_en``,
``name_de``, ``name_ja``). Export writes the same columns, so an exported file imports again.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from core import access
from core.languages import language_fields
from organizations.models import Affiliation, FocusArea, Organization, Person, Region
from organizations.search.duplicates import country_of, same_name_in_country

NOT_FOUND = _("There is no %(model)s with the slug “%(value)s”.")
NOT_FOUND_REGION = _("There is no region with the ISO code or slug “%(value)s”.")
MAY_NOT_CHANGE_ORGANIZATION = _(
    "You may not change “%(organization)s”: you can import only for the organisations you manage."
)
NOT_YOUR_ORGANIZATION = _(
    "“%(organization)s” is not one of your organisations: you can import contact points only "
    "for the organisations you manage."
)
MAY_NOT_ADD = _("You may not add %(model)s.")
DUPLICATE_ORGANIZATION = _(
    "“%(organization)s” (slug %(slug)s) in %(country)s has this name already. To update it, "
    "give its slug."
)
MAY_NOT_CHANGE_PERSON = _(
    "You may not change %(person)s's name: they are not affiliated with an organisation you "
    "manage. Leave the name columns as they are."
)


def _user(kwargs: dict[str, Any]) -> Any:
    """The user the import runs for (the admin passes ``user=request.user``); None runs as an
    administrator (management commands, tests of the resource alone)."""
    return kwargs.get("user")


def _is_unscoped(user: Any) -> bool:
    return user is None or access.is_administrator(user)


def _has_perm(user: Any, perm: str, obj: models.Model | None = None) -> bool:
    return user is None or user.has_perm(perm, obj)


# --- Widgets: references by slug, with an error message a person can act on -------------------


class SlugWidget(widgets.ForeignKeyWidget):
    """A foreign key by slug; an unknown slug is the row's error on this column (not a
    traceback). ``scope`` limits the rows a user may pick (``access.choices`` by default)."""

    def __init__(self, model: type[models.Model], *, scope: str = "choices", **kwargs: Any):
        super().__init__(model, field="slug", **kwargs)
        self.scope = scope

    def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any) -> models.QuerySet:
        qs = self.model._default_manager.all()
        user = kwargs.get("user")
        if user is None:
            return qs
        return getattr(access, self.scope)(user, qs)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        value = str(value).strip() if value is not None else ""
        if not value:
            return None
        try:
            return self.get_queryset(value, row, **kwargs).get(slug=value)
        except self.model.DoesNotExist:
            raise ValueError(
                NOT_FOUND % {"model": self.model._meta.verbose_name, "value": value}
            ) from None


class SlugsWidget(widgets.ManyToManyWidget):
    """Many-to-many by slugs separated by commas; an unknown slug is an error."""

    def __init__(self, model: type[models.Model], **kwargs: Any):
        super().__init__(model, separator=",", field="slug", **kwargs)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> models.QuerySet:
        slugs = [s.strip() for s in str(value or "").split(",") if s.strip()]
        found = self.model._default_manager.filter(slug__in=slugs)
        missing = sorted(set(slugs) - set(found.values_list("slug", flat=True)))
        if missing:
            raise ValueError(
                NOT_FOUND % {"model": self.model._meta.verbose_name, "value": ", ".join(missing)}
            )
        return found

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        return ",".join(sorted(item.slug for item in value.all()))


class RegionWidget(widgets.ForeignKeyWidget):
    """A region by its ISO 3166 code (``DE``, ``DE-BY``; any case) or its slug. Exported as
    the ISO code where there is one."""

    def __init__(self, **kwargs: Any):
        super().__init__(Region, field="slug", **kwargs)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Region | None:
        value = str(value).strip() if value is not None else ""
        if not value:
            return None
        region = (
            Region.objects.filter(iso_code__iexact=value).first()
            or Region.objects.filter(slug=value).first()
        )
        if region is None:
            raise ValueError(NOT_FOUND_REGION % {"value": value})
        return region

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        if value is None:
            return ""
        return value.iso_code or value.slug


class TextWidget(widgets.CharWidget):
    """Text as written; an empty cell is an empty text. Numbers typed into a spreadsheet cell
    (a postal code, a phone number) come back as text, without ``.0``."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value).strip()

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


class DecimalWidget(widgets.DecimalWidget):
    """A decimal written with a point whatever the user's language (``48.137154``); a comma
    is read as the decimal point too."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Decimal | None:
        if value is None or str(value).strip() == "":
            return None
        try:
            return Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("Enter a number.")) from None

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return "" if value is None else str(value)


def text(column: str) -> fields.Field:
    return fields.Field(attribute=column, column_name=column, widget=TextWidget())


def translated_texts(*names: str) -> dict[str, fields.Field]:
    """A :func:`text` column for each language of each translated field (``name`` → ``name_en``,
    ``name_de``, …): declared in a resource's class body with ``vars().update(…)``."""
    return {column: text(column) for name in names for column in language_fields(name)}


# --- Shared row checks -------------------------------------------------------------------------


class CheckedResource(resources.ModelResource):
    """A ModelResource whose rows are also checked by :meth:`check_row` (rights, duplicates,
    rules across rows). Unknown references in many-to-many columns are the row's errors too.

    ``self_reference`` names a foreign key to the same model (an organisation's parent, the
    agreement an agreement builds on): export lists a referenced row before the rows that
    reference it, so that the exported file imports again row by row."""

    self_reference: str | None = None

    def iter_queryset(self, queryset: Any) -> Any:
        rows = list(super().iter_queryset(queryset))
        if self.self_reference is None:
            return rows
        attname = f"{self.self_reference}_id"
        pending = {row.pk for row in rows}
        ordered: list[Any] = []
        while rows:
            ready = [row for row in rows if getattr(row, attname) not in pending - {row.pk}]
            if not ready:  # a cycle (the constraints forbid one): keep the rest as they are
                ready = rows
            for row in ready:
                pending.discard(row.pk)
            ordered += ready
            rows = [row for row in rows if row.pk in pending]
        return ordered

    def import_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
        errors: dict[str, Any] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValueError as error:
                    errors[field.attribute] = [str(error)]
        errors = self.check_row(instance, row, errors, user=_user(kwargs))
        if errors:
            raise ValidationError(errors)

    def check_row(
        self, instance: Any, row: Any, errors: dict[str, Any], *, user: Any
    ) -> dict[str, Any]:
        return errors


def add_error(errors: dict[str, Any], field: str, message: Any) -> None:
    errors.setdefault(field or NON_FIELD_ERRORS, []).append(str(message))


# --- Organisations -----------------------------------------------------------------------------

ORGANIZATION_COLUMNS = (
    "slug",
    *language_fields("name"),
    "short_name",
    "legal_name",
    "kind",
    "region",
    "parent",
    "street_address",
    "postal_code",
    "locality",
    "website",
    "email",
    "phone",
    *language_fields("description"),
    "focus_areas",
    "latitude",
    "longitude",
    "location_source",
    "is_archived",
)


class OrganizationResource(CheckedResource):
    """One organisation a row, identified by its slug (new slug: a new organisation). A parent
    is named by its slug and must exist already, or come in an earlier row."""

    self_reference = "parent"

    vars().update(translated_texts("name", "description"))
    postal_code = text("postal_code")
    phone = text("phone")
    region = fields.Field(attribute="region", column_name="region", widget=RegionWidget())
    parent = fields.Field(attribute="parent", column_name="parent", widget=SlugWidget(Organization))
    focus_areas = fields.Field(
        attribute="focus_areas", column_name="focus_areas", widget=SlugsWidget(FocusArea)
    )
    latitude = fields.Field(attribute="latitude", column_name="latitude", widget=DecimalWidget())
    longitude = fields.Field(attribute="longitude", column_name="longitude", widget=DecimalWidget())

    class Meta:
        model = Organization
        fields = ORGANIZATION_COLUMNS
        export_order = ORGANIZATION_COLUMNS
        import_id_fields = ("slug",)
        clean_model_instances = True
        skip_unchanged = False
        name = _("Organisations")

    def filter_export(self, queryset: models.QuerySet, **kwargs: Any) -> models.QuerySet:
        return queryset.select_related("region", "parent").prefetch_related("focus_areas")

    def check_row(
        self, instance: Organization, row: Any, errors: dict[str, Any], *, user: Any
    ) -> dict[str, Any]:
        if instance.pk is not None:
            if not _has_perm(user, "organizations.change_organization", instance):
                add_error(
                    errors,
                    "slug",
                    MAY_NOT_CHANGE_ORGANIZATION
                    % {"organization": Organization.objects.get(pk=instance.pk)},
                )
                return errors
        elif not _has_perm(user, "organizations.add_organization"):
            add_error(
                errors, "slug", MAY_NOT_ADD % {"model": Organization._meta.verbose_name_plural}
            )
            return errors
        if instance.region_id is not None and "region" not in errors:
            names = [getattr(instance, f) or "" for f in language_fields("name")]
            duplicate = same_name_in_country(
                [*names, instance.legal_name], instance.region, exclude_pk=instance.pk
            )
            if duplicate is not None:
                add_error(
                    errors,
                    "name_en",
                    DUPLICATE_ORGANIZATION
                    % {
                        "organization": duplicate,
                        "slug": duplicate.slug,
                        "country": country_of(instance.region),
                    },
                )
        return errors


# --- People and their contact points -----------------------------------------------------------

PERSON_COLUMNS = (
    *language_fields("honorific"),
    "given_name",
    "family_name",
    "native_name",
    "native_name_reading",
    "native_name_order",
)
AFFILIATION_COLUMNS = (
    "person",
    *PERSON_COLUMNS,
    "organization",
    *language_fields("position"),
    "email",
    "phone",
    "visibility",
    "is_current",
    "stated_on",
)


def _person_field(column: str) -> fields.Field:
    # Exported from the person; imported by AffiliationResource.before_import_row.
    return fields.Field(
        attribute=f"person__{column}", column_name=column, widget=TextWidget(), readonly=True
    )


class AffiliationResource(CheckedResource):
    """People and their contact points: one row a person's position at an organisation.

    ``person`` is the person's slug: an unknown slug adds the person from the name columns
    (``given_name`` and ``family_name`` required), a known one reuses them (their name columns,
    when they differ, update the person: only where the user may edit the person). The contact
    point is identified by person and organisation: one per person and organisation, as in the
    admin."""

    person = fields.Field(attribute="person", column_name="person", widget=SlugWidget(Person))
    organization = fields.Field(
        attribute="organization",
        column_name="organization",
        # Any organisation is found; check_row says when it is not one the user manages.
        widget=SlugWidget(Organization),
    )
    vars().update({column: _person_field(column) for column in language_fields("honorific")})
    given_name = _person_field("given_name")
    family_name = _person_field("family_name")
    native_name = _person_field("native_name")
    native_name_reading = _person_field("native_name_reading")
    native_name_order = _person_field("native_name_order")
    vars().update(translated_texts("position"))
    phone = text("phone")

    class Meta:
        model = Affiliation
        fields = AFFILIATION_COLUMNS
        export_order = AFFILIATION_COLUMNS
        import_id_fields = ("person", "organization")
        clean_model_instances = True
        skip_unchanged = False
        name = _("People and contact points")

    def filter_export(self, queryset: models.QuerySet, **kwargs: Any) -> models.QuerySet:
        return queryset.select_related("person", "organization")

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        """The row's person, added or updated first, so that the contact point can name it."""
        slug = str(row.get("person") or "").strip()
        if not slug:
            return  # "person: this field is required", from the contact point's full_clean
        user = _user(kwargs)
        values = {
            column: TextWidget().clean(row[column]) for column in PERSON_COLUMNS if column in row
        }
        if not values.get("native_name_order", True):
            values.pop("native_name_order")
        person = Person.objects.filter(slug=slug).first()
        if person is None:
            if not _has_perm(user, "organizations.add_person"):
                raise ValidationError(
                    {"person": [MAY_NOT_ADD % {"model": Person._meta.verbose_name_plural}]}
                )
            person = Person(slug=slug)
        elif (
            not _is_unscoped(user)
            and not access.choices(user, Person.objects.filter(pk=person.pk)).exists()
        ):
            raise ValidationError(
                {"person": [NOT_FOUND % {"model": Person._meta.verbose_name, "value": slug}]}
            )
        changed = {k: v for k, v in values.items() if (getattr(person, k) or "") != v}
        if not changed:
            return
        if person.pk is not None and not _has_perm(user, "organizations.change_person", person):
            raise ValidationError({"given_name": [MAY_NOT_CHANGE_PERSON % {"person": person}]})
        for column, value in changed.items():
            setattr(person, column, value)
        try:
            person.full_clean()  # errors on given_name, family_name … name the row's columns
        except ValidationError as error:
            found = error.update_error_dict({})
            if "slug" in found:  # the person's slug is the "person" column
                found["person"] = found.pop("slug")
            raise ValidationError(found) from None
        person.save()

    def check_row(
        self, instance: Affiliation, row: Any, errors: dict[str, Any], *, user: Any
    ) -> dict[str, Any]:
        if _is_unscoped(user) or "organization" in errors:
            return errors
        organization = instance.organization if instance.organization_id else None
        if organization is not None and not access.can_edit(user, organization):
            add_error(
                errors, "organization", NOT_YOUR_ORGANIZATION % {"organization": organization}
            )
        perm = "change_affiliation" if instance.pk else "add_affiliation"
        if not _has_perm(user, f"organizations.{perm}", instance if instance.pk else None):
            add_error(
                errors,
                NON_FIELD_ERRORS,
                MAY_NOT_ADD % {"model": Affiliation._meta.verbose_name_plural},
            )
        return errors
