"""The agreement's thread between its parties in the admin (``partnerships/comments.py``): a page
of its own under the agreement (``<id>/comments/``), and a line in the agreement page's
publication panel ("Comments between the parties: 2 on this version — read and answer").

``AgreementCommentsMixin`` is added to ``AgreementAdmin``; it adds the URL and the panel's
context and nothing else.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _

from partnerships import access, comments
from partnerships.models import Agreement, AgreementComment


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("The managers of the other parties get it by e-mail."),
    )


def _party_ids(agreement: Agreement) -> list[int]:
    return [party.organization_id for party in agreement.parties.all()]


class AgreementCommentsMixin:
    """The thread's page and the panel's line; for a ModelAdmin of ``Agreement``."""

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<path:object_id>/comments/",
                self.admin_site.admin_view(self.comments_view),  # type: ignore[attr-defined]
                name="partnerships_agreement_comments",
            ),
            *super().get_urls(),  # type: ignore[misc]
        ]

    def render_change_form(
        self, request: HttpRequest, context, add=False, change=False, form_url="", obj=None
    ):
        if obj is not None and obj.pk and access.may_comment(request.user, _party_ids(obj)):
            context["comments"] = {
                "count": AgreementComment.objects.filter(
                    agreement=obj, terms_version=obj.terms_version
                ).count(),
                "url": reverse("admin:partnerships_agreement_comments", args=[obj.pk]),
            }
        return super().render_change_form(  # type: ignore[misc]
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )

    def comments_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if not self.has_view_or_change_permission(request):  # type: ignore[attr-defined]
            raise PermissionDenied
        agreement = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if agreement is None:
            raise Http404
        if not (
            self.has_view_or_change_permission(request, agreement)  # type: ignore[attr-defined]
            and access.may_comment(request.user, _party_ids(agreement))
        ):
            raise PermissionDenied
        form = CommentForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                comments.comment_add(
                    agreement=agreement, user=request.user, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Your comment was added; the other parties' managers are told.")
                )
                return HttpResponseRedirect(request.path)
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),  # type: ignore[attr-defined]
            "opts": Agreement._meta,
            "original": agreement,
            "title": _("Comments between the parties"),
            "subtitle": str(agreement),
            "versions": comments.thread(agreement),
            "form": form,
        }
        return TemplateResponse(request, "admin/partnerships/agreement/comments.html", context)
