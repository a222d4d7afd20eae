"""The guided agreement page: what an agreement still lacks before its partners can review it,
and which of its sections are complete (collapsed on the agreement page, with a one-line
summary). Read-only questions about one agreement; the admin shows the answers
(``partnerships/admin/guide.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from partnerships.models import Agreement, Signature, format_duration


def missing_for_review(agreement: Agreement) -> list[str]:
    """What is still missing before the parties review the agreement, in the reader's language;
    empty when it can be submitted as recorded. Three queries (parties, signatures)."""
    missing: list[str] = []
    parties = agreement.parties.count()
    if parties < 2:
        missing.append(_("a second party"))
    if agreement.state != Agreement.State.CONCLUDED:
        missing.append(_("the state “concluded” (signed)"))
    elif agreement.signed_on is None:
        missing.append(_("the date of signing"))
    if not Signature.objects.filter(signing_event__agreement=agreement).exists():
        missing.append(_("a signing with its signatories"))
    languages = dict(settings.LANGUAGES)
    untitled = [
        str(languages[code])
        for code, _name in settings.LANGUAGES
        if code != settings.LANGUAGE_CODE and not getattr(agreement, f"title_{code}", "x")
    ]
    if untitled:
        missing.append(_("the title in %(languages)s") % {"languages": ", ".join(untitled)})
    return missing


def dates_summary(agreement: Agreement) -> str | None:
    """ "signed 2 Nov 2015 · 5 years · notice 6 months" when the dates and term are complete
    (the section can then be closed), else None."""
    from django.utils.formats import date_format

    if agreement.state != Agreement.State.CONCLUDED or agreement.signed_on is None:
        return None
    parts = [_("signed %(date)s") % {"date": date_format(agreement.signed_on, "DATE_FORMAT")}]
    if agreement.term == Agreement.Term.UNSTATED:
        return None
    if agreement.term_length:
        parts.append(format_duration(agreement.term_length, agreement.term_length_unit))
    elif agreement.valid_until:
        parts.append(
            _("until %(date)s") % {"date": date_format(agreement.valid_until, "DATE_FORMAT")}
        )
    else:
        parts.append(str(agreement.get_term_display()))
    if agreement.notice_period:
        parts.append(
            _("notice %(period)s")
            % {"period": format_duration(agreement.notice_period, agreement.notice_period_unit)}
        )
    return " · ".join(parts)


def has_text(agreement: Agreement) -> bool:
    """Whether anything of the agreement's "Text" section is filled in (the terms in any
    language, the authentic languages, the title in the signed language): an empty section is
    closed on the agreement page, as on the add page."""
    return bool(
        any(getattr(agreement, f"terms_{code}", "") for code, _name in settings.LANGUAGES)
        or agreement.authentic_languages
        or agreement.original_title
        or agreement.original_title_language
    )
