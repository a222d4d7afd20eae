from modeltranslation.translator import TranslationOptions, register

from core.history import bookkeeping, measure, track, track_related
from partnerships.models import (
    Activity,
    Agreement,
    AgreementApproval,
    AgreementContact,
    AgreementParty,
    Attendance,
    Commitment,
    CooperationArea,
    Document,
    Event,
    Signature,
    SigningEvent,
    Statement,
    format_duration,
)


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("name", "description", "venue")
    # No language required: one, any, is (AnyLanguageModelMixin, core/languages.py).


@register(Agreement)
class AgreementTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "terms")
    # No language is required: a title may exist only in its original language. At least one
    # is (Agreement.clean); the pages fall back to it and mark it (portal_tags.translated).


@register(CooperationArea)
class CooperationAreaTranslationOptions(TranslationOptions):
    fields = ("description",)
    # No language required: one, any, is (AnyLanguageModelMixin, core/languages.py).


@register(AgreementParty)
class AgreementPartyTranslationOptions(TranslationOptions):
    fields = ("role_description",)


@register(SigningEvent)
class SigningEventTranslationOptions(TranslationOptions):
    fields = ("venue", "description")


@register(Signature)
class SignatureTranslationOptions(TranslationOptions):
    fields = ("capacity",)


@register(Attendance)
class AttendanceTranslationOptions(TranslationOptions):
    fields = ("capacity",)


@register(Statement)
class StatementTranslationOptions(TranslationOptions):
    fields = ("text", "capacity")
    # A quote may exist only in the language it was said in: at least one (Statement.clean).


@register(Document)
class DocumentTranslationOptions(TranslationOptions):
    fields = ("title",)
    # No language required: one, any, is (AnyLanguageModelMixin, core/languages.py).


@register(Commitment)
class CommitmentTranslationOptions(TranslationOptions):
    fields = ("text",)
    # No language required: one, any, is (AnyLanguageModelMixin, core/languages.py).


@register(Activity)
class ActivityTranslationOptions(TranslationOptions):
    fields = ("description",)
    # No language required: one, any, is (AnyLanguageModelMixin, core/languages.py).


# History of every change (core/history.py): after the registrations above, so that the
# event tables copy every language's column.
for _model in (
    Event,
    Agreement,
    AgreementApproval,
    CooperationArea,
    AgreementParty,
    SigningEvent,
    Signature,
    Attendance,
    Statement,
    AgreementContact,
    Document,
    Commitment,
    Activity,
):
    track(_model)
track(Agreement.focus_areas.through, model_name="AgreementFocusAreasEvent")
# The link rows the API embeds in a commitment (its responsible parties) and an activity (its
# parties and commitments): a change to them is a change of the row (``modified_since``,
# portal/api/activities.py).
track(Commitment.responsible_parties.through, model_name="CommitmentResponsiblePartiesEvent")
track(Activity.parties.through, model_name="ActivityPartiesEvent")
track(Activity.commitments.through, model_name="ActivityCommitmentsEvent")

# Shown on (and restored with) the agreement's history page. Documents are listed, not restored:
# a document deleted since has lost its file, one added since would lose its file.
track_related(Agreement, Agreement.focus_areas.through, "agreement")
track_related(Agreement, AgreementParty, "agreement")
track_related(Agreement, CooperationArea, "agreement")
track_related(Agreement, SigningEvent, "agreement")
track_related(Agreement, Signature, "signing_event", "agreement")
track_related(Agreement, Attendance, "signing_event", "agreement")
track_related(Agreement, Statement, "agreement")
track_related(Agreement, AgreementContact, "agreement")
track_related(Agreement, Document, "agreement", restored=False)
# Written by the publication services only: a restore keeps their current values.
bookkeeping(Agreement, "publication", "terms_version", "terms_digest")
# On the history pages: "6 months → 3 months", not "6 → 3" beside a unit of its own.
measure(Agreement, "notice_period", "notice_period_unit", format_duration)
measure(Agreement, "term_length", "term_length_unit", format_duration)
