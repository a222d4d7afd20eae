"""The thread between an agreement's parties: questions and answers on one version of its key
terms, before the partners approve (``AgreementComment``; the admin page is
``partnerships/admin/comments.py``).

A comment belongs to the version of the key terms current when it was written: after a key-term
change, the new version's thread starts empty and the earlier ones stay readable below it. Who
may read and write: :func:`partnerships.access.may_comment`. Writing one tells the managers of the
other parties by e-mail (``partnerships/notifications.py``, event "commented"), after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core import access as core_access
from partnerships import access, services
from partnerships.models import Agreement, AgreementComment
from partnerships.notifications import Notice

MAY_NOT_COMMENT = _("Only the managers of the agreement's parties may comment on it.")


@dataclass
class Version:
    terms_version: int
    current: bool
    comments: list[AgreementComment]


def thread(agreement: Agreement) -> list[Version]:
    """The agreement's comments grouped by version of the key terms, the current version first
    (even without comments), each in the order written. One query."""
    comments = list(
        AgreementComment.objects.filter(agreement=agreement)
        .select_related("author", "organization")
        .order_by("created_at", "pk")
    )
    versions: dict[int, list[AgreementComment]] = {agreement.terms_version: []}
    for comment in comments:
        versions.setdefault(comment.terms_version, []).append(comment)
    return [
        Version(number, number == agreement.terms_version, versions[number])
        for number in sorted(versions, reverse=True)
    ]


@transaction.atomic
def comment_add(*, agreement: Agreement, user: Any, body: str) -> AgreementComment:
    """Write ``body`` into the thread of the agreement's current key terms, for the first party
    ``user`` manages (none for an administrator who manages none); the other parties' managers
    are told once the transaction commits."""
    party_ids = list(
        agreement.parties.order_by("position", "pk").values_list("organization_id", flat=True)
    )
    if not access.may_comment(user, party_ids):
        raise ValidationError(MAY_NOT_COMMENT, code="may_not_comment")
    managed = core_access.managed_organization_ids(user)
    services.agreement_refresh_terms_version(agreement=agreement, user=user)
    comment = AgreementComment(
        agreement=agreement,
        terms_version=agreement.terms_version,
        author=user,
        organization_id=next((pk for pk in party_ids if pk in managed), None),
        body=body.strip(),
    )
    comment.full_clean()
    comment.save()
    services._notify(agreement=agreement, event=Notice.COMMENTED, actor=user, comment_id=comment.pk)
    return comment
