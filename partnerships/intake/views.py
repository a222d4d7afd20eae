"""The intake pages of the agreement admin: the release (paste or upload), then its review.

One URL, three steps, nothing stored in between: GET shows the release form; POST ``read``
extracts and matches and shows the review; POST ``create`` writes the confirmed draft
(``drafts.intake_create_draft``) and lands on the agreement's page. Reading the release writes
nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from core.languages import language_codes
from core.typography import join_list
from partnerships.intake.drafts import intake_create_draft
from partnerships.intake.extract import extract
from partnerships.intake.forms import ReviewForm, SourceForm, default_title, signed_on_question
from partnerships.intake.matching import match_draft

TEMPLATES = "admin/partnerships/intake/"


def created_message(language: str) -> str:
    """What the manager reads on the new draft's page: which language its texts are in, and
    which of the portal's languages are still missing."""
    names = [
        get_language_info(code)["name_translated"] for code in language_codes() if code != language
    ]
    return _(
        "The draft was created from the press release; its texts are in %(language)s. "
        "Missing: %(missing)s. Check the draft, then add the missing languages."
    ) % {
        "language": get_language_info(language)["name_translated"],
        "missing": join_list(names),
    }


def read_release(text: str, language: str | None = None) -> dict[str, Any]:
    """Extract and match: the draft the review page shows."""
    draft = match_draft(extract(text, language or None), text)
    draft["text"] = text
    draft["title"] = default_title(draft)
    return draft


def marked(sentence: str, needle: str) -> SafeString:
    """The sentence with the extracted words marked (escaped; the first occurrence)."""
    if needle and needle in sentence:
        start = sentence.index(needle)
        return format_html(
            "{}<mark>{}</mark>{}",
            sentence[:start],
            needle,
            sentence[start + len(needle) :],
        )
    return format_html("{}", sentence)


def _needle(item: dict[str, Any] | None) -> str:
    if not item:
        return ""
    for key in ("name", "speaker", "email"):
        if item.get(key):
            return str(item[key])
    value = item.get("value")
    return value if isinstance(value, str) else ""


def _row(form: ReviewForm, label: str, item: dict[str, Any] | None, *names: str) -> dict:
    return {
        "label": label,
        "item": item,
        "source": marked(item["source"], _needle(item)) if item and item.get("source") else "",
        "confidence": round(item["confidence"] * 100) if item else None,
        "fields": [form[name] for name in names],
        # A name with no record yet: it is created only if the manager chooses so.
        "new": item is not None and "candidates" in item and not item.get("match"),
    }


def review_rows(form: ReviewForm) -> list[dict[str, Any]]:
    """The review table: each fact beside its sentence, confidence and field(s)."""
    draft = form.draft
    rows = [
        _row(form, _("Title"), None, "title"),
        _row(form, _("Kind"), draft["kind"], "kind"),
    ]
    for party, name in form.party_rows:
        names = [name] if party.get("match") else [name, f"{name}_region"]
        rows.append(_row(form, _("Party"), party, *names))
    rows.append(_row(form, _("Signed on"), draft["signed_on"], "signed_on"))
    rows.append(_row(form, _("Place"), draft["place"], "place"))
    rows.append(_row(form, _("Occasion"), draft["occasion"], "occasion"))
    labels = {
        "signatories": _("Signatory"),
        "witnesses": _("Witness"),
        "quotes": _("Quote"),
        "contacts": _("Contact"),
    }
    for key, rows_of_kind in form.person_rows.items():
        for item, prefix in rows_of_kind:
            names = [f"{prefix}_person", f"{prefix}_capacity", f"{prefix}_organisation"]
            if key == "quotes":
                names.append(f"{prefix}_text")
            if key == "contacts":
                names += [f"{prefix}_email", f"{prefix}_phone"]
            rows.append(_row(form, labels[key], item, *names))
    rows.append(_row(form, _("Term"), draft["term"], "term_value", "term_unit"))
    rows.append(_row(form, _("Notice"), draft["notice"], "notice_value", "notice_unit"))
    rows.append(
        _row(form, _("Renews automatically"), draft["automatic_renewal"], "automatic_renewal")
    )
    rows.append(_row(form, _("Valid until"), draft["valid_until"], "valid_until"))
    rows.append(_row(form, _("Builds on"), draft["renews"], "previous", "lineage"))
    for item, name in form.scope_rows:
        rows.append(_row(form, _("Scope"), item, name))
    if draft["focus_areas"]:
        rows.append(_row(form, _("Focus areas"), None, "focus_areas"))
    # A row without anything extracted is shown only if it is a field the manager may fill.
    return rows


def intake_view(request: HttpRequest, model_admin: Any) -> HttpResponse:
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    context: dict[str, Any] = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Record from a press release"),
    }
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "read":
        source = SourceForm(request.POST, request.FILES)
        if source.is_valid():
            draft = read_release(source.cleaned_data["release"], source.cleaned_data["language"])
            return _review(request, context, ReviewForm(draft=draft))
        return TemplateResponse(request, TEMPLATES + "source.html", {**context, "form": source})
    if step == "create":
        text = request.POST.get("text", "")
        draft = read_release(text, request.POST.get("language"))
        form = ReviewForm(request.POST, draft=draft)
        if form.is_valid():
            try:
                agreement = intake_create_draft(user=request.user, draft=form.reviewed())
            except (ValidationError, PermissionDenied) as error:
                messages_ = error.messages if isinstance(error, ValidationError) else [str(error)]
                for message in messages_:
                    form.add_error(None, message)
            else:
                messages.success(request, created_message(draft["language"]))
                return HttpResponseRedirect(
                    reverse("admin:partnerships_agreement_change", args=[agreement.pk])
                )
        return _review(request, context, form)
    return TemplateResponse(request, TEMPLATES + "source.html", {**context, "form": SourceForm()})


def _review(request: HttpRequest, context: dict[str, Any], form: ReviewForm) -> HttpResponse:
    draft = form.draft
    existing = draft.get("existing")
    return TemplateResponse(
        request,
        TEMPLATES + "review.html",
        {
            **context,
            "title": _("Review the facts of the press release"),
            "form": form,
            "rows": review_rows(form),
            "draft": draft,
            "existing": existing,
            "existing_url": reverse("admin:partnerships_agreement_change", args=[existing["id"]])
            if existing
            else "",
            "signed_on_question": signed_on_question(draft),
        },
    )
