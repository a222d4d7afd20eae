"""Deep pages of the biggest lists choose their rows' ids first (a "deferred join" over a narrow
index) and show exactly what plain OFFSET paging showed: same order, same page numbers."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.pagination import DeferredJoin
from organizations.models import Organization
from partnerships.models import Agreement


@pytest.mark.django_db
def test_every_organisation_appears_once_across_the_pages_in_name_order(
    client, organization_factory
):
    region = organization_factory().region
    for n in range(60):
        organization_factory(name=f"Org {n % 7} Deep {n:02d}", region=region)
    organization_factory(name="Org 0 Archived", region=region, is_archived=True)
    expected = list(
        Organization.objects.active().order_by("name_en", "pk").values_list("slug", flat=True)
    )
    seen: list[str] = []
    for page in (1, 2, 3):
        html = client.get(f"/en/organizations/?page={page}").content.decode()
        seen += re.findall(r'href="/en/organizations/([\w-]+)/"', html)
    assert list(dict.fromkeys(seen)) == expected


@pytest.mark.django_db
def test_the_last_organisation_page_selects_its_ids_in_a_subquery(client, organization_factory):
    for _ in range(30):
        organization_factory()
    with CaptureQueriesContext(connection) as captured:
        client.get("/en/organizations/?page=2")
    page_query = next(q["sql"] for q in captured if "ORDER BY" in q["sql"] and "OFFSET" in q["sql"])
    assert "IN (SELECT" in page_query


@pytest.mark.django_db
def test_agreement_pages_keep_the_list_order_with_ties(agreement_factory):
    day = datetime.date(2020, 5, 1)
    for title in ["Bravo", "Alpha", "Charlie", "Alpha"]:
        agreement_factory(title=title, signed_on=day)
    agreement_factory(title="Zulu", signed_on=day + datetime.timedelta(days=1))
    ordered = Agreement.objects.published().order_by(*Agreement._meta.ordering, "pk")
    expected = list(ordered.values_list("pk", flat=True))
    pages = DeferredJoin(
        Agreement.objects.published().with_status().order_by(*Agreement._meta.ordering, "pk")
    )
    assert pages.count() == 5
    got = [a.pk for a in pages[0:2]] + [a.pk for a in pages[2:4]] + [a.pk for a in pages[4:6]]
    assert got == expected
    assert all(hasattr(a, "current_status") for a in pages[0:5])
