"""The benchmark harness (bench/run.py) works: every public page type it requests answers,
on a tiny generated data set. Its timings are not tested: they are measured by `make bench`."""

from io import StringIO

import pytest
from django.core.management import call_command

from bench import run


def test_percentile_is_a_nearest_rank():
    assert run.percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50) == 3.0
    assert run.percentile(list(map(float, range(1, 21))), 95) == 19.0
    assert run.percentile([7.0], 99) == 7.0


def test_wrk_output_is_read():
    output = """Running 10s test @ http://127.0.0.1:8000/en/
  2 threads and 16 connections
  Latency Distribution
     50%   10.00ms
     75%   12.00ms
     90%   20.00ms
     99%    1.20s
  1234 requests in 10.00s, 1.00MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:    123.40
"""
    assert run.parse_wrk(output) == (123.4, 1200.0, 1234, 7)


@pytest.mark.django_db
def test_every_page_type_answers_on_a_tiny_data_set(settings):
    settings.ROOT_URLCONF = "bench.urls"
    call_command("generate_fake_data", organizations=60, stdout=StringIO())
    pages = run.public_pages()
    names = {page.name for page in pages}
    assert {"bare view", "agreements list, last page", "organisation list, last page"} <= names
    assert {"agreement detail", "organisation detail", "event detail", "region pair"} <= names
    assert {"API organisations", "API agreements, filtered", "API agreements, deep cursor"} <= names
    run.count_queries(pages)
    assert {page.path: page.status for page in pages} == {page.path: 200 for page in pages}
    for page in pages:
        page.times, page.size = [2.0, 4.0], 100
    text = run.report(
        pages,
        [run.Load("bare view", "/bench/bare/", 1000.0, 5.0, 10_000, 0, "wrk")],
        {"organizations": 60, "agreements": 12, "postgres": "18", "workers": 4, "warm_up": 8,
         "repeat": 2, "connections": 16, "load_seconds": 10, "machine_before": run.machine()},
    )  # fmt: skip
    assert "| bare view (`/bench/bare/`) | 3.0 | 4.0 | 1.0× | 0 |" in text
    assert "| bare view (`/bench/bare/`) | 1,000.0 | 5 | 10,000 | 0 |" in text


@pytest.mark.django_db
def test_every_admin_page_of_the_admin_bench_answers_for_both_accounts():
    """bench/admin.py on a tiny data set: its manager, administrator and realistic agreement
    are made, and every page it times answers 200 to both (the administrator past the second
    factor)."""
    from bench import admin as admin_bench

    call_command("generate_fake_data", organizations=60, stdout=StringIO())
    cast = admin_bench.ensure_cast()
    assert admin_bench.ensure_cast()["agreement"] == cast["agreement"]  # made once
    assert cast["agreement"].parties.count() == 3
    assert cast["agreement"].documents.count() == 4
    for who in ("manager", "administrator"):
        client = admin_bench.signed_in(cast[who])
        statuses = {
            name: client.get(path).status_code for name, path in admin_bench.admin_pages(cast)
        }
        assert statuses == dict.fromkeys(statuses, 200), who


@pytest.mark.django_db
def test_the_mixed_bench_chooses_its_urls_and_edits_titles_back_and_forth():
    import random

    from bench import mixed
    from partnerships.models import Agreement

    call_command("generate_fake_data", organizations=60, stdout=StringIO())
    urls, agreement_ids = mixed.choose_urls(40, random.Random(1))  # noqa: S311 - a sample
    title = Agreement.objects.get(pk=agreement_ids[0]).title

    mixed.edit(agreement_ids[0])
    edited = Agreement.objects.get(pk=agreement_ids[0]).title
    mixed.edit(agreement_ids[0])

    assert len(urls) == 40
    assert any("/en/agreements/" in url for url in urls)
    assert any("/en/organizations/" in url for url in urls)
    assert edited == title + mixed.EDIT_MARK
    assert Agreement.objects.get(pk=agreement_ids[0]).title == title
