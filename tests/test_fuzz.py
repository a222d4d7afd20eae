"""Bad input, everywhere: random path values and query strings to every public URL, random field
values to every admin add and change form, as a superuser and as a cluster manager. Never a
server error, never the input reflected unescaped.

Property-based (Hypothesis) and bounded: every public URL pattern is found by walking the
resolver (a new one is fuzzed without being listed here), its path converters are filled with
values of their type (real slugs and ids of the test data, and junk), its query string with the
parameters the pages read and with anything else; every admin form of the two apps gets random
values for the fields it shows. Each route first gets one fixed request with the worst input we
know (NUL bytes, malformed percent-encodings, a 10,000-character search, markup), then a few
Hypothesis examples.

Time: a request costs 0.1-0.5 s on a loaded machine, so the number of examples, not a deadline,
bounds the file (about 120 requests, under a minute with ``-n 2`` on two busy cores). Examples
are derandomized (the same ones on every run, a failure repeats) and not shrunk (shrinking
replays dozens of requests; the failing example is printed as drawn). Each request runs in a
savepoint that is rolled back, so an admin form that saves cannot change the next example's data.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from core.models import UserPreference
from organizations.models import ClusterManager
from organizations.urls import HexConverter
from tests import factories

pytestmark = pytest.mark.django_db

EXAMPLES_PER_ROUTE = 2
EXAMPLES_PER_ADMIN_FORM = 3

FUZZ_SETTINGS = settings(
    deadline=None,  # a loaded machine is slow, not wrong; the example count bounds the time
    derandomize=True,  # the same examples on every run and every xdist worker: failures repeat
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.generate],  # no shrinking: see the module docstring
)

# Markers that must never come back raw: they would be live markup in the page.
MARKERS = ["<script>fz1()</script>", '"><img src=x onerror=fz2()>', "'><svg onload=fz3()>"]
RAW_MARKERS = ["<script>fz1", "<img src=x onerror=fz2", "<svg onload=fz3"]

# Query parameters the public pages read (filters, sorting, paging, search), and junk names.
PARAMETERS = ["q", "region", "organization", "kind", "status", "focus", "year", "sort", "page"]
# The organisation list's partner-profile filters (organizations/filters.py).
PARAMETERS += ["language", "target", "smes", "cooperates"]

LONG = "Ünïcødé \u043a\u043b\u0430\u0441\u0442\u0435\u0440 東京 " * 500  # 10,000 characters
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "%",
    "\x00",
    "a\x00b",
    "\u202e",
    "１２",
    "\U0001f600",
    "' OR 1=1 --",
    "a:b & c | !d <-> (e",  # search syntax characters
    "*" * 50,
    LONG,
    *MARKERS,
]
# Query strings sent as they are, not encoded: malformed percent-encodings (a lone "%", a
# non-hex escape, an invalid UTF-8 byte, an encoded NUL and surrogate), and a very long search.
RAW_QUERIES = [
    "q=%zz&page=%&region=%e9&organization=%00&kind=%ED%A0%80&sort=%C0%AF",
    "page=99999999999999999999&year=-0&focus=1e309&status=%FF%FE",
    "q=" + quote(LONG) + "&q=" + quote(MARKERS[0]),
    "&&==&q&page=&=x",
]

printable = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30)
with_marker = st.builds(lambda a, m, b: a + m + b, printable, st.sampled_from(MARKERS), printable)
numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70), st.floats(allow_subnormal=False)
).map(str)
junk = st.one_of(printable, with_marker, numbers, st.sampled_from(NASTY))


@dataclass
class Route:
    name: str  # namespaced URL name
    converters: dict  # kwarg → converter


def public_routes() -> list[Route]:
    """Every URL pattern outside the admin and ``i18n/`` (as in tests/test_visibility.py)."""
    found: list[Route] = []

    def walk(patterns: list, namespaces: list[str], converters: dict) -> None:
        for pattern in patterns:
            inner_converters = {**converters, **pattern.pattern.converters}
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern) in ("admin/", "i18n/"):
                    continue
                inner = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
                walk(pattern.url_patterns, inner, inner_converters)
            else:
                assert isinstance(pattern, URLPattern)
                found.append(Route(":".join([*namespaces, pattern.name]), inner_converters))

    walk(get_resolver().url_patterns, [], {})
    return found


ROUTES = {route.name: route for route in public_routes()}


@pytest.fixture
def known(
    organization_factory,
    agreement_party_factory,
    signing_event_factory,
    event_factory,
    signature_factory,
    attendance_factory,
    statement_factory,
    agreement_contact_factory,
    document_factory,
    cooperation_area_factory,
    affiliation_factory,
    focus_area_factory,
    django_user_model,
):
    """One row of every model, so that random paths reach existing pages and every admin change
    form has an object: their slugs and ids."""
    party = agreement_party_factory(agreement__publication="published")
    agreement = party.agreement
    signing = signing_event_factory(agreement=agreement, occasion=event_factory())
    signature_factory(signing_event=signing, party=party)
    attendance_factory(signing_event=signing)
    statement_factory(agreement=agreement)
    agreement_contact_factory(agreement=agreement, party=party)
    document_factory(agreement=agreement)
    cooperation_area_factory(agreement=agreement)
    factories.CommitmentFactory(agreement=agreement)
    factories.ActivityFactory(agreement=agreement)
    affiliation_factory(organization=party.organization)
    focus_area_factory()
    organization = organization_factory()
    manager = django_user_model.objects.create_user("fuzz-manager", is_staff=True)
    ClusterManager.objects.create(user=manager, organization=organization)
    UserPreference.objects.create(user=manager, language="de")
    return {
        "slug": [
            agreement.slug,
            party.organization.slug,
            organization.slug,
            organization.region.slug,
            signing.occasion.slug,
        ],
        "int": [signing.pk, party.pk, agreement.pk],
    }


def value_for(converter, known: dict) -> st.SearchStrategy:
    if isinstance(converter, IntConverter):
        return st.one_of(st.sampled_from(known["int"]), st.integers(min_value=0, max_value=10**30))
    if isinstance(converter, SlugConverter):
        slug = st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=1)
        return st.one_of(st.sampled_from(known["slug"]), slug)
    if isinstance(converter, HexConverter):  # a logo's key (organizations/logos.py)
        return st.text(alphabet="0123456789abcdef", min_size=32, max_size=32)
    if isinstance(converter, (StringConverter, PathConverter)):
        return st.one_of(printable, with_marker).map(lambda text: text.replace("/", "") or "x")
    raise AssertionError(f"no strategy for the path converter {converter!r}: add one")


def query_strategy() -> st.SearchStrategy:
    names = st.one_of(st.sampled_from(PARAMETERS), printable)
    pairs = st.lists(st.tuples(names, junk), max_size=5)
    raw = st.text(alphabet=string.printable.replace("\n", "").replace("\r", ""), max_size=60)
    return st.one_of(pairs, raw, st.sampled_from(RAW_QUERIES))


def assert_handled(response, sent: str) -> None:
    assert response.status_code < 500, (response.status_code, sent[:2000])
    content_type = response.get("Content-Type", "")
    if "html" in content_type or "xml" in content_type:
        body = response.content.decode(errors="replace")
        reflected = [marker for marker in RAW_MARKERS if marker in body]
        assert reflected == [], (sent[:2000], reflected)


def _multi(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value)
    return data


def get(client, url: str, query) -> None:
    with transaction.atomic():
        if isinstance(query, str):
            response = client.get(url, QUERY_STRING=query)
        else:
            response = client.get(url, _multi(query))
        transaction.set_rollback(True)
    assert_handled(response, f"{url} {query!r}")


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_no_public_url_fails_or_reflects_random_input(client, known, name):
    route = ROUTES[name]
    first = {
        key: (
            known["int"][0]
            if isinstance(converter, IntConverter)
            else "0" * 32
            if isinstance(converter, HexConverter)
            else known["slug"][0]
        )
        for key, converter in route.converters.items()
    }
    # The worst we know, at once: malformed encodings, NUL, markup, a 10,000-character search.
    get(
        client,
        reverse(name, kwargs=first or None),
        RAW_QUERIES[0] + "&q=" + quote(LONG + MARKERS[0]),
    )

    @settings(FUZZ_SETTINGS, max_examples=EXAMPLES_PER_ROUTE)
    @given(data=st.data())
    def fuzz(data):
        kwargs = {
            key: data.draw(value_for(converter, known), label=key)
            for key, converter in route.converters.items()
        }
        query = data.draw(query_strategy(), label="query")
        get(client, reverse(name, kwargs=kwargs or None), query)

    fuzz()


# --- the admin ---------------------------------------------------------------------------------

FUZZED_APPS = ("core", "organizations", "partnerships")
READ_ONLY = {"partnerships.reminder"}  # no form: written by the reminder runs only
ADMINS = sorted(
    f"{model._meta.app_label}.{model._meta.model_name}"
    for model in admin.site._registry
    if model._meta.app_label in FUZZED_APPS and model._meta.label_lower not in READ_ONLY
)


def form_fields(page: str) -> list[str]:
    """The names of every input of a form page, inlines' management forms included."""
    names = re.findall(r'<(?:input|select|textarea)\b[^>]*?\bname="([^"]+)"', page)
    return sorted(set(names) - {"csrfmiddlewaretoken"})


def worst_post(fields: list[str]) -> dict[str, str]:
    """Every field of the form at once, with the worst value we know for its kind: inline row
    ids that are no numbers, management forms inflated to 2,000 rows, a NUL byte in choice
    lists (``authentic_languages=%00``), a 30-digit number (``term_length``), markup."""
    post = {}
    for number, name in enumerate(fields):
        if name.endswith("-TOTAL_FORMS"):
            post[name] = "2000"
        elif name.endswith(("-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")):
            post[name] = "1"
        elif name.endswith("-id") or name.endswith("-DELETE"):
            post[name] = ["abc", "1e5", "-1", "\x00", " 1"][number % 5]
        else:
            post[name] = ["\x00", "9" * 30, MARKERS[0], "a\x00b", LONG][number % 5]
    post.update({"authentic_languages": "\x00", "term_length": "9" * 30})
    return post


@pytest.fixture
def manager_client(client, known, django_user_model):
    """A cluster manager (the role's group) of a party of the published agreement ``known``
    made: the add forms their role allows, the change forms of their agreement's rows."""
    from django.contrib.auth.models import Group

    from core.access import MANAGERS_GROUP
    from partnerships.models import AgreementParty
    from portal.roles import setup_roles

    setup_roles()
    manager = django_user_model.objects.create_user("fuzz-party-manager", is_staff=True)
    manager.groups.add(Group.objects.get(name=MANAGERS_GROUP))
    party = AgreementParty.objects.order_by("pk").first()
    assert party is not None
    ClusterManager.objects.create(user=manager, organization_id=party.organization_id)
    client.force_login(manager)
    return client


@pytest.mark.parametrize("persona", ["superuser", "manager"])
@pytest.mark.parametrize("model", ADMINS)
def test_no_admin_form_fails_or_reflects_random_values(
    admin_client, known, model, persona, request
):
    """The add form's fields (the change form has the same), posted to the add form or to the
    change form of the one row ``known`` made, as a superuser and as a cluster manager: first
    the worst post (:func:`worst_post`), then random values."""
    model_class = next(m for m in admin.site._registry if m._meta.label_lower == model)
    obj = model_class._default_manager.first()
    assert obj is not None, f"the fixture ``known`` makes no {model}: add one"
    app_label, model_name = model.split(".")
    urls = [
        reverse(f"admin:{app_label}_{model_name}_add"),
        reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk]),
    ]
    page = admin_client.get(urls[0])
    assert page.status_code == 200, urls[0]
    fields = form_fields(page.content.decode())
    assert fields, f"{urls[0]} shows no form"
    ids = st.sampled_from([str(pk) for pk in known["int"]])
    poster = admin_client if persona == "superuser" else request.getfixturevalue("manager_client")

    def post_and_check(url: str, post: dict) -> None:
        with transaction.atomic():
            response = poster.post(url, post)
            transaction.set_rollback(True)
        assert_handled(response, f"{persona} {url} {post!r}")

    for url in urls:
        post_and_check(url, worst_post(fields))

    @settings(FUZZ_SETTINGS, max_examples=EXAMPLES_PER_ADMIN_FORM)
    @given(data=st.data())
    def fuzz(data):
        url = data.draw(st.sampled_from(urls), label="url")
        chosen = data.draw(st.lists(st.sampled_from(fields), unique=True), label="fields")
        post = {name: data.draw(st.one_of(junk, ids), label=name) for name in chosen}
        post_and_check(url, post)

    fuzz()
