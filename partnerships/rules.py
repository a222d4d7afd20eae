"""The rules about an agreement that span several rows, each written once.

A database constraint or a model's ``clean()`` sees one row; "a concluded agreement has at least
two distinct parties" or "nobody both signs and attends a signing" needs the other rows too. These
functions hold those rules and their messages. Everything that writes agreements goes through
them: the services in ``partnerships/services.py`` (and so the demo loader), the admin formsets
in ``partnerships/admin_forms.py`` (which see the rows as entered on the page, before anything is
saved) and the fake-data generator. They take plain values (ids, flags), not forms or querysets,
so that each caller can hand over what it has without a query.

Rules about rows only: who may act on an agreement (submit, approve, publish, withdraw) is the
access module's question, ``partnerships/access.py``.

This module imports no models, so that ``partnerships/models.py`` can use its messages too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.typography import join_list

MINIMUM_PARTIES = 2

TOO_FEW_PARTIES = _("A concluded agreement needs at least two parties.")
PARTY_TWICE = _("An organisation can be a party only once.")
ONLY_CONCLUDED_PUBLISHED = _("Only a concluded agreement can be published.")
SIGNING_NEEDS_CONCLUDED = _("Mark the agreement as concluded before recording its signing.")
SIGNATORY_ATTENDING = _(
    "This person signed the agreement at this signing: record them as a signatory only."
)
APPROVALS_MISSING = _("Every party must approve the current key terms first. Missing: %(parties)s.")
WRONG_PUBLICATION = _("This is not possible while the agreement is %(publication)s.")
DOCUMENT_AWAITS_ANOTHER_PARTY = _(
    "This document was added or changed by one party of the published agreement: another "
    "party's manager or an administrator marks it public."
)

# The publication workflow: which publication states each transition starts from.
SUBMIT_FROM = ("draft", "withdrawn")
APPROVE_FROM = ("in_review",)
PUBLISH_FROM = ("in_review",)
WITHDRAW_FROM = ("published",)


def check_parties(*, concluded: bool, organization_ids: Iterable[int]) -> None:
    """Each organisation is a party once; a concluded agreement has at least two parties.

    A draft may still lack parties.
    """
    counts = Counter(organization_ids)
    if any(count > 1 for count in counts.values()):
        raise ValidationError(PARTY_TWICE, code="party_twice")
    if concluded and len(counts) < MINIMUM_PARTIES:
        raise ValidationError(TOO_FEW_PARTIES, code="too_few_parties")


def check_publishable(*, concluded: bool, party_count: int) -> None:
    """Only a concluded agreement with at least two parties is shown to the public."""
    if not concluded:
        raise ValidationError(ONLY_CONCLUDED_PUBLISHED, code="publish_not_concluded")
    if party_count < MINIMUM_PARTIES:
        raise ValidationError(TOO_FEW_PARTIES, code="too_few_parties")


def check_signing_allowed(*, concluded: bool) -> None:
    """A signing is recorded for a concluded agreement only."""
    if not concluded:
        raise ValidationError(SIGNING_NEEDS_CONCLUDED, code="signing_not_concluded")


def signatories_attending(*, signatory_ids: Iterable[int], attendee_ids: Iterable[int]) -> set[int]:
    """The people listed both as signatories and as attendees of one signing event.

    A person who signs is a signatory, not an attendee; the caller reports each of these with
    :data:`SIGNATORY_ATTENDING` where it fits (on the attendee's form, or in one error).
    """
    return set(signatory_ids) & set(attendee_ids)


def check_transition(*, publication: str, allowed_from: Iterable[str], label: str) -> None:
    """The transition starts from one of ``allowed_from``; ``label`` names the current state."""
    if publication not in allowed_from:
        raise ValidationError(WRONG_PUBLICATION % {"publication": label}, code="wrong_publication")


def missing_approvals(*, party_ids: Iterable[int], approved_ids: Iterable[int]) -> list[int]:
    """The parties (in order) without an approval of the current key terms."""
    approved = set(approved_ids)
    return [party_id for party_id in party_ids if party_id not in approved]


def check_approved(*, missing_names: Iterable[str]) -> None:
    """Published only when every party approved the current key terms (an administrator may
    publish without: ``partnerships.access.may_publish_unapproved``)."""
    missing = list(missing_names)
    if missing:
        raise ValidationError(
            APPROVALS_MISSING % {"parties": join_list(missing)}, code="approvals_missing"
        )
