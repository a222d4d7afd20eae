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
