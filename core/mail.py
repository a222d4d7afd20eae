"""Automatic e-mails to staff accounts (renewal reminders, partners' steps): one message from
three templates, in the recipient's language, marked as sent by a machine."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.template.loader import render_to_string
from django.utils import translation


def automatic_email(
    *, templates: str, context: dict[str, Any], to: str, language: str, subject_max: int | None
) -> mail.EmailMultiAlternatives:
    """``<templates>_subject.txt`` (as one line, at most ``subject_max`` characters),
    ``<templates>.txt`` and ``<templates>.html`` (which also gets the plain text as ``text``)
    rendered in ``language``, as one message to ``to``."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{templates}_subject.txt", context).split())
        text = render_to_string(f"{templates}.txt", context)
        html = render_to_string(f"{templates}.html", {**context, "text": text})
    message = mail.EmailMultiAlternatives(
        subject=subject[:subject_max],
        body=text,
        to=[to],
        headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message
