"""The role matrix: every admin URL, for every persona (tests/personas.py).

The admin's URL resolver is walked (``admin.site.get_urls()``, recursively): each URL name must
have an entry in ``MATRIX`` — a URL added later without one fails
``test_every_admin_url_has_an_entry_in_the_matrix``. Each entry names the action, and the
expected answer follows from the persona's permissions (portal/roles.py) and from what the
persona may see and edit of the record (``LEVELS``, the organisation scope of
core/access.py):

anonymous → the login page; no permission → 403; a record outside the scope → 404 (as if it did
not exist); visible but not editable → read-only page (200) and 403 on delete; owner → 200;
administrator → 200 where their permissions allow.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, reverse
from django.views.generic import RedirectView

from partnerships.models import Document
from portal.roles import (
    ADMINISTRATOR_APPS,
    ADMINISTRATOR_EXTRA,
    MANAGER_PERMISSIONS,
    TRANSLATOR_PERMISSIONS,
)
from tests.admin_post import form_post_data
from tests.personas import MANAGERS, PERSONAS, build_cast

pytestmark = pytest.mark.django_db

STANDARD = ("changelist", "add", "change", "delete", "history")
HISTORY = ("history_compare", "history_restore", "deleted", "deleted_restore")
# Spreadsheet import and export (core/admin/imports.py): import needs the add
# permission, export the view permission; process_import is POST only.
SPREADSHEETS = ("import", "process_import", "export")

# label → the admin actions of its ModelAdmin (beyond none): every registered model is listed.
MODELS: dict[str, tuple[str, ...]] = {
    "core.userpreference": STANDARD + HISTORY,
    "organizations.region": STANDARD + HISTORY,
    "organizations.focusarea": STANDARD + HISTORY,
    # invite: a colleague as a manager of the organisation (organizations/invitations.py)
    "organizations.organization": (*STANDARD, *HISTORY, *SPREADSHEETS, "invite"),
    "organizations.person": (*STANDARD, *HISTORY, "export", "erase"),
    "organizations.affiliation": STANDARD + HISTORY + SPREADSHEETS,
    "organizations.clustermanager": STANDARD + HISTORY,
    "partnerships.event": STANDARD + HISTORY,
    "partnerships.agreement": (
        *STANDARD,
        *HISTORY,
        *SPREADSHEETS,
        "publication",
        "calendar",
        "intake",  # record from a press release (partnerships/intake/views.py)
        "comments",  # the thread between the parties (partnerships/admin/comments.py)
    ),
    "partnerships.agreementparty": STANDARD + HISTORY,
    "partnerships.cooperationarea": STANDARD + HISTORY,
    "partnerships.signingevent": STANDARD + HISTORY,
    "partnerships.signature": STANDARD + HISTORY,
    "partnerships.attendance": STANDARD + HISTORY,
    "partnerships.statement": STANDARD + HISTORY,
    "partnerships.agreementcontact": STANDARD + HISTORY,
    "partnerships.document": (*STANDARD, *HISTORY, "file"),
    "partnerships.commitment": STANDARD + HISTORY,
    "partnerships.activity": (*STANDARD, *HISTORY, *SPREADSHEETS, "evidence", "dormant"),
    "partnerships.reminder": STANDARD,  # read-only: no history of its own, nothing to restore
    "auth.user": (*STANDARD, "password_change"),
    "auth.group": STANDARD,
    "axes.accessattempt": STANDARD,
    "axes.accesslog": STANDARD,
    "axes.accessfailurelog": STANDARD,
    "otp_totp.totpdevice": (*STANDARD, "config", "qrcode"),
    # django-tasks-db's task results (the reminder runs): superusers only.
    "django_tasks_database.dbtaskresult": STANDARD,
}
SITE = (
    "index",
    "app_list",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "jsi18n",
    "autocomplete",
    "view_on_site",
    "two_factor",
    "my_emails",  # each account's own e-mail preferences (core/admin/preferences.py)
    # "Needs translation" (issue 23): every staff account, counting what it may edit.
    "translation_queue",
)


def url_name(label: str, action: str) -> str:
    return label.replace(".", "_") + "_" + action


MATRIX: dict[str, tuple[str, str]] = {
    **{
        url_name(label, action): (label, action)
        for label, actions in MODELS.items()
        for action in actions
    },
    **{name: ("site", name) for name in SITE},
}

_PARTNERSHIPS = (
    "partnerships.agreement",
    "partnerships.agreementparty",
    "partnerships.cooperationarea",
    "partnerships.signingevent",
    "partnerships.signature",
    "partnerships.attendance",
    "partnerships.statement",
    "partnerships.agreementcontact",
    "partnerships.document",
    "partnerships.commitment",
    "partnerships.activity",
    "partnerships.reminder",
)
# What each manager may do with the record the matrix opens: "edit", "view" or "hidden".
# Unlisted: visible to every staff member (reference data, or only permissions decide).
LEVELS: dict[str, dict[str, str]] = {
    "organizations.organization": {"kenji_osaka_manager": "view", "stranger_manager": "view"},
    "organizations.person": {"kenji_osaka_manager": "hidden", "stranger_manager": "hidden"},
    "organizations.affiliation": {"kenji_osaka_manager": "hidden", "stranger_manager": "hidden"},
    "partnerships.event": {"kenji_osaka_manager": "view", "stranger_manager": "hidden"},
    **{label: {"stranger_manager": "hidden"} for label in _PARTNERSHIPS},
    # BioM's own rows of the shared agreement (partnerships/access.py ROW_OWNER): Osaka's
    # manager sees them read-only.
    **{
        label: {"kenji_osaka_manager": "view", "stranger_manager": "hidden"}
        for label in (
            "partnerships.agreementparty",
            "partnerships.signature",
            "partnerships.statement",
            "partnerships.agreementcontact",
            # An activity involving BioM only (partnerships/access.py).
            "partnerships.activity",
        )
    },
}


def level(persona: str, label: str) -> str:
    if persona == "admin_administrator" or label not in LEVELS:
        return "edit"
    if persona == "nopermission_staff":
        return "hidden"
    return LEVELS[label].get(persona, "edit")


TRANSLATOR = "tomoko_biom_translator"


def permissions(persona: str) -> set[str]:
    if persona in MANAGERS or persona == TRANSLATOR:
        table = TRANSLATOR_PERMISSIONS if persona == TRANSLATOR else MANAGER_PERMISSIONS
        return {
            f"{app}.{action}_{model}"
            for (app, model), actions in table.items()
            for action in actions
        }
    if persona == "admin_administrator":
        from django.contrib.auth.models import Permission

        own = {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Permission.objects.filter(
                content_type__app_label__in=ADMINISTRATOR_APPS
            ).select_related("content_type")
        }
        return own | {f"{app}.{codename}" for app, codename in ADMINISTRATOR_EXTRA}
    return set()


def expected(persona: str, label: str, action: str) -> str:
    """The answer the matrix expects: "200", "403", "404", "405", "login" or "redirect"."""
    if persona == "anonymous":
        return {"login": "200", "logout": "redirect"}.get(action, "login")
    perms = permissions(persona)
    model = label.split(".")[-1]
    app = label.split(".")[0]

    def has(verb: str) -> bool:
        return f"{app}.{verb}_{model}" in perms

    view = has("view") or has("change")
    scope = level(persona, label)
    if label == "site":
        return {
            "login": "redirect",
            "logout": "405",
            "app_list": "200" if any(p.startswith("partnerships.") for p in perms) else "404",
            "autocomplete": "200" if "partnerships.view_agreement" in perms else "403",
        }.get(action, "200")
    if action in ("history_restore", "deleted_restore", "publication", "process_import"):
        return "405"  # POST only; the POSTs are tested below (imports: tests/*/test_imports*)
    if action in ("import", "intake"):
        return "200" if has("add") else "403"
    if action == "export" and label in (
        "organizations.organization",
        "organizations.affiliation",
        "partnerships.agreement",
        "partnerships.activity",
    ):
        return "200" if view else "403"
    if label.startswith(("axes.", "django_tasks_database.")) and action == "history":
        return "redirect"  # no record: Django's history page says so before asking permissions
    if label.startswith("axes.") and action in ("change", "delete") and view:
        return "redirect"  # no record (administrators unlock addresses): "does not exist"
    if label == "partnerships.agreementparty" and action == "delete" and has("delete"):
        return "403" if scope != "hidden" else "404"  # a signed agreement keeps its parties
    # calendar: the user's own links only; dormant: the report of what the user may see.
    if action in ("changelist", "calendar", "dormant"):
        return "200" if view else "403"
    if action == "add":
        if label == "partnerships.reminder":
            return "403"  # written by the reminder runs only
        return "200" if has("add") else "403"
    if action == "deleted":
        return "200" if view and persona == "admin_administrator" else "403"
    if action == "password_change":
        return "200" if has("change") else "403"
    if action == "invite":  # whoever may change the organisation: its managers, administrators
        return "200" if has("change") and scope == "edit" and persona != TRANSLATOR else "403"
    if action in ("config", "qrcode"):
        return "200" if view else "403"
    needed = {"delete": has("delete"), "export": has("export"), "erase": has("erase")}.get(
        action, view
    )
    if not needed:
        return "403"
    if scope == "hidden":
        return "404"
    if action in ("delete", "export", "erase") and scope != "edit":
        return "403"
    return "200"


def walk(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern


def answer(response) -> str:
    if response.status_code == 302:
        return "login" if "/login/" in response["Location"] else "redirect"
    return str(response.status_code)


def request_for(cast, label: str, action: str) -> list[str]:
    """The URLs one matrix entry opens (an action on the cast's record, and its pop-up)."""
    if label == "site":
        if action == "app_list":
            return [reverse("admin:app_list", args=["partnerships"])]
        if action == "autocomplete":
            return [reverse("admin:autocomplete") + AUTOCOMPLETE]
        if action == "view_on_site":
            return []  # tested per record in test_view_on_site
        return [reverse(f"admin:{action}")]
    name = f"admin:{url_name(label, action)}"
    if action in (
        "changelist",
        "add",
        "deleted",
        "calendar",
        "intake",
        "dormant",
        *SPREADSHEETS,
    ) and not (label == "organizations.person" and action == "export"):
        url = reverse(name)
        return [url, url + "?_popup=1"] if action == "add" else [url]
    record = cast.records.get(label)
    pk = record.pk if record is not None else 0
    if action == "history_restore":
        return [reverse(name, args=[pk, 1])]
    if action == "deleted_restore":
        return [reverse(name, args=[1])]
    if action == "publication":
        return [reverse(name, args=[pk, "submit"])]
    if action in ("config", "qrcode"):
        return [reverse(name, args=[pk])]
    url = reverse(name, args=[pk])
    return [url, url + "?_popup=1"] if action == "change" else [url]


AUTOCOMPLETE = "?app_label=partnerships&model_name=signingevent&field_name=agreement&term="


@pytest.fixture
def cast():
    return build_cast()


def client_for(cast, persona: str) -> Client:
    client = Client()
    if cast.users[persona] is not None:
        client.force_login(cast.users[persona])
    return client


def test_every_admin_url_has_an_entry_in_the_matrix():
    patterns = list(walk(admin.site.get_urls()))
    named = {pattern.name for _, pattern in patterns if pattern.name}
    assert named == set(MATRIX), (
        f"not in the matrix: {sorted(named - set(MATRIX))}; "
        f"in the matrix but gone: {sorted(set(MATRIX) - named)}"
    )
    # Unnamed patterns only redirect <id>/ to the change page, or catch everything else.
    for route, pattern in patterns:
        if not pattern.name:
            view_class = getattr(pattern.callback, "view_class", None)
            assert view_class is RedirectView or "catch_all" in pattern.callback.__name__, route


def test_every_registered_model_is_in_the_matrix():
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(MODELS)


@pytest.mark.parametrize("label", [*MODELS, "site"])
def test_the_matrix(cast, label):
    failures = []
    actions = MODELS.get(label, SITE)
    for persona in PERSONAS:
        client = client_for(cast, persona)
        for action in actions:
            want = expected(persona, label, action)
            for url in request_for(cast, label, action):
                got = answer(client.get(url))
                if got != want:
                    failures.append(f"{persona} {action} {url}: {got}, expected {want}")
    assert not failures, "\n".join(failures)


def test_an_unnamed_change_redirect_leads_to_the_same_answer(cast):
    agreement = cast.records["partnerships.agreement"]
    url = reverse("admin:partnerships_agreement_changelist") + f"{agreement.pk}/"
    client = client_for(cast, "stranger_manager")
    assert client.get(url, follow=True).status_code == 404
    client = client_for(cast, "anna_biom_manager")
    assert client.get(url, follow=True).status_code == 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_view_on_site_redirects_only_to_what_the_persona_may_see(cast, persona):
    client = client_for(cast, persona)
    failures = []
    for label, record in cast.records.items():
        if label not in MODELS or record is None:
            continue
        model = type(record)
        content_type = ContentType.objects.get_for_model(model)
        url = reverse("admin:view_on_site", args=[content_type.pk, record.pk])
        got = answer(client.get(url))
        if persona == "anonymous":
            want = "login"
        else:
            visible = expected(persona, label, "change") == "200"
            want = "redirect" if visible and hasattr(model, "get_absolute_url") else "404"
        if got != want:
            failures.append(f"{label}: {got}, expected {want}")
    assert not failures, "\n".join(failures)


# Who may press "Submit for review" on the BioM–Osaka draft: its parties' managers and the
# administrator; a manager without the change permission is refused; everyone else never learns
# that the draft exists.
PUBLICATION_POSTS = {
    "anonymous": "login",
    "nopermission_staff": "404",
    "stranger_manager": "404",
    "lena_biom_no_group": "403",
    "anna_biom_manager": "redirect",
    "kenji_osaka_manager": "redirect",
    "tomoko_biom_translator": "403",  # texts only: no publication step
    "admin_administrator": "redirect",
}


def test_every_persona_has_a_publication_post_expectation():
    assert set(PUBLICATION_POSTS) == set(PERSONAS)


@pytest.mark.parametrize("persona", sorted(PUBLICATION_POSTS))
def test_publication_buttons_answer_each_persona(cast, persona):
    agreement = cast.records["partnerships.agreement"]
    url = reverse("admin:partnerships_agreement_publication", args=[agreement.pk, "submit"])

    response = client_for(cast, persona).post(url)

    assert answer(response) == PUBLICATION_POSTS[persona]
    agreement.refresh_from_db()
    submitted = PUBLICATION_POSTS[persona] == "redirect"
    assert (agreement.publication == "in_review") is submitted


# --- Holes found by the managers' round two (issue 19): restore is an edit, history shows what
# the viewer may see, and a person belongs to someone. -------------------------------------------


def _later() -> None:
    """Move everything recorded so far an hour back: what follows is a later version (a test
    runs in one transaction, whose events would all share its start time)."""
    from tests.partnerships.test_history_related import age_all_history

    age_all_history()


def _published(cast):
    """The BioM–Osaka agreement with a six-month notice period, approved by both, published."""
    from partnerships import services

    agreement = cast.records["partnerships.agreement"]
    organizations = cast.records["organizations"]
    agreement.notice_period, agreement.notice_period_unit = 6, "months"
    agreement.save()
    services.agreement_submit_for_review(agreement=agreement, user=cast.users["anna_biom_manager"])
    for persona, organization in (
        ("anna_biom_manager", organizations["biom"]),
        ("kenji_osaka_manager", organizations["osaka"]),
    ):
        services.agreement_approve(
            agreement=agreement, organization=organization, user=cast.users[persona]
        )
    services.agreement_publish(agreement=agreement, user=cast.users["anna_biom_manager"])
    _later()
    agreement.refresh_from_db()
    return agreement


def _shorten_notice(agreement) -> None:
    """BioM's manager saves notice 6 → 1 month: the agreement page's save, then its refresh."""
    from partnerships import services

    agreement.notice_period = 1
    agreement.save()
    services.agreement_refresh_terms_version(agreement=agreement)


def _agreement_versions(agreement):
    from core import history

    return history.versions(type(agreement), agreement.pk)


def _restore(cast, persona: str, agreement, event):
    url = reverse("admin:partnerships_agreement_history_restore", args=[agreement.pk, event.pk])
    return client_for(cast, persona).post(url)


def _messages(response) -> str:
    from django.contrib.messages import get_messages

    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def test_restoring_the_save_before_its_review_bookkeeping_does_not_publish_it(cast):
    agreement = _published(cast)
    _shorten_notice(agreement)
    # The version the save wrote before the refresh: notice 1 month, still "published".
    [written] = [
        v.event
        for v in _agreement_versions(agreement)
        if v.event.notice_period == 1 and v.event.publication == "published"
    ]

    _restore(cast, "anna_biom_manager", agreement, written)

    agreement.refresh_from_db()
    assert agreement.publication == "in_review"


def test_restoring_earlier_key_terms_is_an_edit_back_in_review(cast):
    from partnerships import services

    agreement = _published(cast)
    [approved] = [v.event for v in _agreement_versions(agreement) if v.restorable][-1:]
    _later()
    _shorten_notice(agreement)
    assert agreement.terms_version == 2

    _restore(cast, "anna_biom_manager", agreement, approved)

    agreement.refresh_from_db()
    assert agreement.notice_period == 6
    assert (agreement.publication, agreement.terms_version) == ("in_review", 3)
    # The terms both parties approved as version 1: their approvals count again, and a party's
    # manager publishes it again (services._recognise_earlier_approvals).
    assert services.missing_approval_parties(agreement) == []


def test_a_publication_step_is_not_offered_for_restore_and_a_forged_restore_is_refused(cast):
    agreement = _published(cast)
    [publish] = [
        v.event for v in _agreement_versions(agreement) if v.event.publication == "published"
    ]
    history_url = reverse("admin:partnerships_agreement_history", args=[agreement.pk])
    page = client_for(cast, "anna_biom_manager").get(history_url).content.decode()
    assert f'id="restore-{publish.pk}"' not in page
    kenji = cast.users["kenji_osaka_manager"]
    from partnerships.services import agreement_withdraw

    agreement_withdraw(agreement=agreement, user=kenji)

    _restore(cast, "anna_biom_manager", agreement, publish)

    agreement.refresh_from_db()
    assert agreement.publication == "withdrawn"


def test_a_restore_by_one_party_does_not_undo_the_others_withdrawal(cast):
    from partnerships.services import agreement_withdraw

    agreement = _published(cast)
    agreement.summary_en = "Edited while public."
    agreement.save()
    edited = _agreement_versions(agreement)[-1].event
    _later()
    agreement_withdraw(agreement=agreement, user=cast.users["kenji_osaka_manager"])

    _restore(cast, "anna_biom_manager", agreement, edited)

    agreement.refresh_from_db()
    assert agreement.publication == "withdrawn"


def test_a_restore_by_one_party_leaves_the_other_partys_rows_alone(cast):
    from partnerships.models import Statement

    agreement = cast.records["partnerships.agreement"]
    before = _agreement_versions(agreement)[-1].event
    _later()
    osaka_quote = Statement.objects.create(
        agreement=agreement,
        person=cast.records["organizations.person"],
        organization=cast.records["organizations"]["osaka"],
        text_en="Osaka's own words.",
    )

    response = _restore(cast, "anna_biom_manager", agreement, before)

    assert Statement.objects.filter(pk=osaka_quote.pk).exists()
    assert "cannot be restored" in _messages(response)


def test_the_owning_party_restores_its_own_rows(cast):
    from partnerships.models import Statement

    agreement = cast.records["partnerships.agreement"]
    before = _agreement_versions(agreement)[-1].event
    _later()
    osaka_quote = Statement.objects.create(
        agreement=agreement,
        person=cast.records["organizations.person"],
        organization=cast.records["organizations"]["osaka"],
        text_en="Osaka's own words.",
    )

    _restore(cast, "kenji_osaka_manager", agreement, before)

    assert not Statement.objects.filter(pk=osaka_quote.pk).exists()


def _contacts_on_published_agreement(cast):
    """The published BioM–Osaka agreement with a hidden BioM contact point, and a former one."""
    from organizations.models import Visibility
    from tests import factories

    agreement = _published(cast)
    party = cast.records["partnerships.agreementparty"]
    for family_name in ("Hiddencontact", "Formercontact"):
        factories.AgreementContactFactory(
            agreement=agreement,
            party=party,
            affiliation=factories.AffiliationFactory(
                person__family_name=family_name,
                organization=party.organization,
                visibility=Visibility.HIDDEN,
                position="Head of secret plans",
            ),
        )
    agreement.contacts.filter(affiliation__person__family_name="Formercontact").delete()
    return agreement


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("stranger_manager", False), ("anna_biom_manager", True), ("admin_administrator", True)],
)
def test_the_history_timeline_names_hidden_and_former_contacts_only_to_who_may_see_them(
    cast, persona, sees
):
    agreement = _contacts_on_published_agreement(cast)
    url = reverse("admin:partnerships_agreement_history", args=[agreement.pk])

    response = client_for(cast, persona).get(url)

    assert response.status_code == 200
    content = response.content.decode()
    assert ("Hiddencontact" in content) is sees
    assert ("Formercontact" in content) is sees


def _person_named_on_agreement(cast, *, published: bool, role: str = "signatory"):
    """A person of no organisation yet, named on the BioM–Osaka agreement (issue 19's cases):
    signing for Osaka, witnessing for a city that has no manager, or quoted."""
    from tests import factories

    agreement = _published(cast) if published else cast.records["partnerships.agreement"]
    signing = cast.records["partnerships.signingevent"]
    person = factories.PersonFactory(given_name="Jean", family_name="Sample")
    if role == "signatory":
        osaka_party = agreement.parties.get(organization=cast.records["organizations"]["osaka"])
        factories.SignatureFactory(signing_event=signing, party=osaka_party, person=person)
    elif role == "witness":
        city = factories.OrganizationFactory(name="City of Lyon Test")  # no manager
        factories.AttendanceFactory(signing_event=signing, person=person, organization=city)
    else:
        factories.StatementFactory(agreement=agreement, person=person, text="The draft's words.")
    return person


PERSON_OF_NO_ORGANISATION = {
    "stranger_manager": "404",
    "anna_biom_manager": "200",
    "kenji_osaka_manager": "200",
    "admin_administrator": "200",
}


@pytest.mark.parametrize("role", ["signatory", "witness", "speaker"])
@pytest.mark.parametrize("published", [False, True])
@pytest.mark.parametrize(("persona", "want"), sorted(PERSON_OF_NO_ORGANISATION.items()))
def test_a_person_of_no_organisation_belongs_to_the_parties_of_the_agreements_naming_them(
    cast, persona, want, published, role
):
    person = _person_named_on_agreement(cast, published=published, role=role)
    client = client_for(cast, persona)

    answers = {
        action: answer(
            client.get(reverse(f"admin:organizations_person_{action}", args=[person.pk]))
        )
        for action in ("change", "export", "erase", "history")
    }

    # The privacy tools need their own permission first (administrators'), then the scope.
    privacy = want if persona == "admin_administrator" else "403"
    assert answers == {"change": want, "history": want, "export": privacy, "erase": privacy}


@pytest.mark.parametrize("role", ["signatory", "witness"])
def test_a_manager_of_no_party_cannot_rename_a_person_of_no_organisation(cast, role):
    """Issue 19: Stockholm's manager renamed Lyon's signatory, and the witness of a published
    agreement stayed editable by anyone. A forged POST of the person's page changes nothing."""
    person = _person_named_on_agreement(cast, published=True, role=role)
    url = reverse("admin:organizations_person_change", args=[person.pk])
    data = form_post_data(client_for(cast, "admin_administrator").get(url))
    data["honorific_en"] = "Prof. Dr. (edited by Stockholm)"

    response = client_for(cast, "stranger_manager").post(url, data)

    person.refresh_from_db()
    assert answer(response) in ("403", "404")
    assert not person.honorific_en


@pytest.mark.parametrize(
    ("persona", "want"), [("stranger_manager", "404"), ("admin_administrator", "200")]
)
def test_a_person_of_no_organisation_named_nowhere_is_the_administrators(cast, persona, want):
    from tests import factories

    person = factories.PersonFactory(family_name="Nobodys")
    url = reverse("admin:organizations_person_change", args=[person.pk])

    assert answer(client_for(cast, persona).get(url)) == want


# Documents on a published agreement (partnerships.access.document_publicity): what one party
# adds or changes is partners-only until another party's manager or an administrator marks it
# public.

DOCUMENT_ADD = reverse("admin:partnerships_document_add")


def _marked_published(cast):
    from partnerships.models import Agreement

    agreement = cast.records["partnerships.agreement"]
    Agreement.objects.filter(pk=agreement.pk).update(publication="published")
    agreement.refresh_from_db()
    return agreement


def _add_document(client, agreement, title: str, *, public: bool = True):
    data = form_post_data(client.get(DOCUMENT_ADD))
    data.update(
        agreement=str(agreement.pk),
        kind="press_release",
        title_en=title,
        url="https://example.org/press/" + title.lower().replace(" ", "-"),
    )
    if public:
        data["is_public"] = "on"
    else:
        data.pop("is_public", None)
    response = client.post(DOCUMENT_ADD, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Document.objects.get(title_en=title)


def _mark_public(client, document):
    url = reverse("admin:partnerships_document_change", args=[document.pk])
    data = form_post_data(client.get(url))
    data["is_public"] = "on"
    return client.post(url, data)


def test_a_document_one_party_adds_to_a_published_agreement_waits_for_another_party(cast):
    agreement = _marked_published(cast)

    document = _add_document(client_for(cast, "anna_biom_manager"), agreement, "BioM news")

    assert not document.is_public
    assert document.proposed_by == cast.records["organizations.organization"]
    assert not Document.objects.public().filter(pk=document.pk).exists()
    page = Client().get(agreement.get_absolute_url()).content.decode()
    assert "BioM news" not in page


def test_the_party_that_added_a_document_cannot_mark_it_public(cast):
    agreement = _marked_published(cast)
    anna = client_for(cast, "anna_biom_manager")
    document = _add_document(anna, agreement, "BioM news")

    response = _mark_public(anna, document)

    assert response.status_code == 200
    assert "another party&#x27;s manager or an administrator marks it public" in (
        response.content.decode()
    )
    document.refresh_from_db()
    assert not document.is_public


@pytest.mark.parametrize("persona", ["kenji_osaka_manager", "admin_administrator"])
def test_another_party_or_an_administrator_marks_the_document_public(cast, persona):
    agreement = _marked_published(cast)
    document = _add_document(client_for(cast, "anna_biom_manager"), agreement, "BioM news")

    response = _mark_public(client_for(cast, persona), document)

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.is_public
    assert document.proposed_by is None
    assert Document.objects.public().filter(pk=document.pk).exists()
    assert "BioM news" in Client().get(agreement.get_absolute_url()).content.decode()


def test_a_manager_of_no_party_cannot_add_or_release_a_document(cast):
    agreement = _marked_published(cast)
    document = _add_document(client_for(cast, "anna_biom_manager"), agreement, "BioM news")
    stranger = client_for(cast, "stranger_manager")
    url = reverse("admin:partnerships_document_change", args=[document.pk])

    assert answer(stranger.get(url)) == "404"


def test_an_administrators_document_on_a_published_agreement_is_public_at_once(cast):
    agreement = _marked_published(cast)

    document = _add_document(client_for(cast, "admin_administrator"), agreement, "Joint news")

    assert document.is_public
    assert document.proposed_by is None


def test_changing_the_link_of_a_public_document_takes_it_back_to_the_partners(cast):
    agreement = _marked_published(cast)
    document = _add_document(client_for(cast, "admin_administrator"), agreement, "Joint news")
    anna = client_for(cast, "anna_biom_manager")
    url = reverse("admin:partnerships_document_change", args=[document.pk])
    data = form_post_data(anna.get(url))
    data["url"] = "https://example.org/elsewhere"

    assert anna.post(url, data).status_code == 302

    document.refresh_from_db()
    assert not document.is_public
    assert document.proposed_by == cast.records["organizations.organization"]


def test_on_an_unpublished_agreement_a_partys_document_is_public_as_chosen(cast):
    agreement = cast.records["partnerships.agreement"]  # a draft: the publication steps decide

    document = _add_document(client_for(cast, "anna_biom_manager"), agreement, "Draft news")

    assert document.is_public
    assert document.proposed_by is None


def test_a_document_added_on_the_agreement_page_waits_for_another_party_too(cast):
    agreement = _marked_published(cast)
    anna = client_for(cast, "anna_biom_manager")
    url = reverse("admin:partnerships_agreement_change", args=[agreement.pk])
    data = form_post_data(anna.get(url))
    index = int(data["documents-TOTAL_FORMS"])
    data["documents-TOTAL_FORMS"] = str(index + 1)
    data.update(
        {
            f"documents-{index}-kind": "press_release",
            f"documents-{index}-title_en": "Inline news",
            f"documents-{index}-url": "https://example.org/inline",
            f"documents-{index}-is_public": "on",
        }
    )

    response = anna.post(url, data)

    assert response.status_code == 302
    document = Document.objects.get(title_en="Inline news")
    assert not document.is_public
    assert document.proposed_by == cast.records["organizations.organization"]


# --- Activities (issue 21): partners-only ones stay with the parties; nobody records activities
# under an agreement they are no party to; each party edits its own, a shared one either. -------


def _activity_post(agreement, party, **extra) -> dict:
    return {
        "agreement": str(agreement.pk),
        "kind": "webinar",
        "starts_on": "2026-03-14",
        "parties": [str(party.pk)],
        "description_en": "Joint webinar on market entry",
        "visibility": "public",
        "_save": "Save",
        **extra,
    }


def test_a_stranger_does_not_see_a_partners_only_activity_of_a_published_agreement(cast):
    agreement = _published(cast)
    activity = cast.records["partnerships.activity"]
    public = factories_activity(agreement, visibility="public")
    client = client_for(cast, "stranger_manager")

    hidden = client.get(reverse("admin:partnerships_activity_change", args=[activity.pk]))
    shown = client.get(reverse("admin:partnerships_activity_change", args=[public.pk]))

    assert (hidden.status_code, shown.status_code) == (404, 200)


def test_the_partner_sees_a_partners_only_activity_read_only(cast):
    activity = cast.records["partnerships.activity"]
    client = client_for(cast, "kenji_osaka_manager")

    response = client.get(reverse("admin:partnerships_activity_change", args=[activity.pk]))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False


def test_a_shared_activity_is_edited_by_either_party(cast):
    activity = cast.records["partnerships.activity"]
    activity.parties.set(activity.agreement.parties.all())
    client = client_for(cast, "kenji_osaka_manager")

    response = client.get(reverse("admin:partnerships_activity_change", args=[activity.pk]))

    assert response.context["has_change_permission"] is True


def test_a_stranger_cannot_add_an_activity_to_an_agreement_he_is_no_party_to(cast):
    from partnerships.models import Activity

    agreement = _published(cast)
    party = agreement.parties.get(organization=cast.records["organizations"]["biom"])
    client = client_for(cast, "stranger_manager")

    response = client.post(
        reverse("admin:partnerships_activity_add"), _activity_post(agreement, party)
    )

    assert response.status_code == 200
    assert "agreement" in response.context["adminform"].form.errors
    assert Activity.objects.filter(agreement=agreement).count() == 1  # the cast's own


def test_a_party_adds_an_activity_from_the_prefilled_link(cast):
    from partnerships.models import Activity

    agreement = cast.records["partnerships.agreement"]
    party = agreement.parties.get(organization=cast.records["organizations"]["osaka"])
    client = client_for(cast, "kenji_osaka_manager")

    response = client.post(
        reverse("admin:partnerships_activity_add"), _activity_post(agreement, party)
    )

    assert answer(response) == "redirect"
    added = Activity.objects.get(description_en="Joint webinar on market entry")
    assert list(added.parties.all()) == [party]


def test_a_party_cannot_record_an_activity_of_the_partner_alone(cast):
    from partnerships.models import Activity

    agreement = cast.records["partnerships.agreement"]
    biom_party = agreement.parties.get(organization=cast.records["organizations"]["biom"])
    client = client_for(cast, "kenji_osaka_manager")

    response = client.post(
        reverse("admin:partnerships_activity_add"), _activity_post(agreement, biom_party)
    )

    assert "parties" in response.context["adminform"].form.errors
    assert not Activity.objects.filter(description_en="Joint webinar on market entry").exists()


def factories_activity(agreement, **kwargs):
    from tests import factories

    return factories.ActivityFactory(agreement=agreement, **kwargs)


# --- The translator (issue 23): BioM's texts in every language, no fact, no step ---------------


def _change_page(cast, persona: str, record):
    opts = record._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    client = client_for(cast, persona)
    return client, url, client.get(url)


def test_the_translator_meets_the_agreement_with_only_its_texts_open(cast):
    from core.access import translated_text_columns
    from partnerships.models import Agreement

    _, _, page = _change_page(cast, TRANSLATOR, cast.records["partnerships.agreement"])

    fields = page.context["adminform"].form.fields
    open_fields = {name for name, field in fields.items() if not field.disabled}
    assert open_fields == {"loaded_version", *translated_text_columns(Agreement)} & set(fields)
    assert {"title_ja", "summary_fr"} <= open_fields
    assert fields["signed_on"].disabled and fields["original_title"].disabled


def test_a_forged_post_of_a_fact_keeps_the_fact_and_saves_the_translation(cast):
    agreement = cast.records["partnerships.agreement"]
    signed_on = agreement.signed_on
    client, url, page = _change_page(cast, TRANSLATOR, agreement)
    data = form_post_data(page)
    data.update(summary_ja="大阪との協力", signed_on="1999-01-01", original_title="Forgé")

    response = client.post(url, data)

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.summary_ja == "大阪との協力"
    assert (agreement.signed_on, agreement.original_title) == (signed_on, "")


def test_a_forged_post_of_a_key_term_keeps_the_notice_period_and_the_publication(cast):
    agreement = _published(cast)
    client, url, page = _change_page(cast, TRANSLATOR, agreement)
    data = form_post_data(page)
    data.update(summary_de="Zusammenarbeit mit Osaka", notice_period="1")

    client.post(url, data)

    agreement.refresh_from_db()
    assert agreement.notice_period == 6
    assert agreement.summary_de == "Zusammenarbeit mit Osaka"
    assert agreement.publication == "published"  # a summary is not a key term


def test_a_translated_title_sends_the_published_agreement_back_to_review(cast):
    agreement = _published(cast)
    client, url, page = _change_page(cast, TRANSLATOR, agreement)
    data = form_post_data(page)
    data["title_ja"] = "BioM・大阪協定"

    client.post(url, data)

    agreement.refresh_from_db()
    assert agreement.title_ja == "BioM・大阪協定"
    assert agreement.publication == "in_review"  # the title is a key term in every language


def test_a_forged_person_on_a_signature_row_is_ignored_and_its_capacity_translated(cast):
    from tests import factories

    signature = cast.records["partnerships.signature"]
    person = signature.person_id
    forged = factories.PersonFactory(given_name="Forged", family_name="Signatory")
    client, url, page = _change_page(cast, TRANSLATOR, cast.records["partnerships.agreement"])
    data = form_post_data(page)
    row = "signing_events-0-signatures-0"
    assert data[f"{row}-id"] == str(signature.pk)
    data.update({f"{row}-capacity_ja": "会長", f"{row}-person": str(forged.pk)})

    client.post(url, data)

    signature.refresh_from_db()
    assert (signature.capacity_ja, signature.person_id) == ("会長", person)


def test_the_translator_restores_no_version(cast):
    agreement = cast.records["partnerships.agreement"]
    [first, *_rest] = _agreement_versions(agreement)
    _later()
    agreement.summary_en = "Changed by the manager."
    agreement.save()

    response = _restore(cast, TRANSLATOR, agreement, first.event)

    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.summary_en == "Changed by the manager."


def test_the_translator_translates_the_organisation_but_not_its_website(cast):
    biom = cast.records["organizations"]["biom"]
    website = biom.website
    client, url, page = _change_page(cast, TRANSLATOR, biom)
    data = form_post_data(page)
    data.update(name_ja="ビオエム", website="https://forged.example")

    response = client.post(url, data)

    assert response.status_code == 302
    biom.refresh_from_db()
    assert (biom.name_ja, biom.website) == ("ビオエム", website)


def test_a_manager_who_also_translates_keeps_every_right(cast):
    from django.contrib.auth.models import Group

    from core import access

    anna = cast.users["anna_biom_manager"]
    anna.groups.add(Group.objects.get(name=access.TRANSLATORS_GROUP))
    anna = type(anna).objects.get(pk=anna.pk)

    assert not access.translates_only(anna)
    assert access.may_change_field(anna, type(cast.records["partnerships.agreement"]), "signed_on")
