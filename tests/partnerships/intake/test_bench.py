"""The extractor's corpus: the releases its rules were written against stay fully extracted.

The held-out releases are measured by ``make bench-intake`` and reported, not asserted: they were
written after the rules and never used to change them.
"""

from __future__ import annotations

import pytest

from partnerships.intake.bench import main, run


@pytest.mark.parametrize("language", ["de", "en", "ja"])
def test_the_training_corpus_is_extracted_at_full_precision_and_recall(language):
    totals, misses = run(["train"])
    tp, fp, fn = totals[("train", language, "*")]
    assert (fp, fn) == (0, 0), misses
    assert tp > 0


def test_the_bench_prints_a_table_per_language_and_field(capsys):
    main(["heldout"])
    out = capsys.readouterr().out
    assert "heldout  de   ALL FIELDS" in out
    assert "heldout  ja   signed_on" in out
