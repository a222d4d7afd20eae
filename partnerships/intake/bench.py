"""Field-level precision and recall of the extractor on the corpus (``make bench-intake``).

``corpus/train`` holds the releases the rules were written against (four per language);
``corpus/heldout`` releases written afterwards and never used to change a rule. Each
``NAME.txt`` has its expected facts in ``NAME.json``. All are fictional.

Scored per language and field, on what the text states: a scalar is a hit when the value is
right, a false positive when a wrong value is given (an unsure fact, given as a question with no
value, counts as missed, not as wrong); a list is scored item by item (a party by its name without
legal form, a person by name and capacity (and party), a contact by name, e-mail and phone). The
generated title, the scope sentences and the focus areas (matched against the database) are not
scored here.

Run: ``python -m partnerships.intake.bench [train|heldout|all]`` — no database needed.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from partnerships.intake.extract import extract, name_key

CORPUS = Path(__file__).with_name("corpus")
SCALARS = (
    "kind",
    "signed_on",
    "place",
    "occasion",
    "term",
    "notice",
    "automatic_renewal",
    "valid_until",
    "renews",
)
LISTS = ("parties", "signatories", "witnesses", "quotes", "contacts")
FIELDS = SCALARS + LISTS


def _scalar(item: dict[str, Any] | None) -> str | None:
    if not item or item.get("value") is None:
        return None
    value = item["value"]
    if isinstance(value, dict):
        return f"{value['value']} {value['unit']}"
    return str(value)


def _keys(field: str, items: list[dict[str, Any]]) -> set[str]:
    keys = set()
    for item in items:
        if field == "parties":
            keys.add(name_key(item if isinstance(item, str) else item["value"]))
        elif field == "signatories":
            keys.add(f"{item['name']}|{item['capacity']}|{name_key(item['party'])}")
        elif field == "witnesses":
            keys.add(f"{item['name']}|{item['capacity']}")
        elif field == "quotes":
            keys.add(f"{item['speaker']}|{item['capacity']}")
        elif field == "contacts":
            keys.add(f"{item['name']}|{item['email']}|{item['phone']}")
    return keys


def score(draft: dict[str, Any], expected: dict[str, Any]) -> dict[str, list[int]]:
    """{field: [true positives, false positives, false negatives]}."""
    counts: dict[str, list[int]] = {}
    for field in SCALARS:
        got, want = _scalar(draft[field]), expected[field]
        tp = int(got is not None and got == want)
        counts[field] = [
            tp,
            int(got is not None and got != want),
            int(want is not None and not tp),
        ]
    for field in LISTS:
        got_keys, want_keys = _keys(field, draft[field]), _keys(field, expected[field])
        counts[field] = [
            len(got_keys & want_keys),
            len(got_keys - want_keys),
            len(want_keys - got_keys),
        ]
    return counts


def run(sets: list[str]) -> tuple[dict, list[str]]:
    totals: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    misses = []
    for name in sets:
        for path in sorted((CORPUS / name).glob("*.txt")):
            language = path.name[:2]
            expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
            draft = extract(path.read_text(encoding="utf-8"), language)
            for field, (tp, fp, fn) in score(draft, expected).items():
                for key in ((name, language, field), (name, language, "*")):
                    totals[key][0] += tp
                    totals[key][1] += fp
                    totals[key][2] += fn
                if fp or fn:
                    misses.append(f"{name}/{path.stem}: {field}")
    return totals, misses


def _ratio(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}" if b else "    –"


def table(totals: dict) -> str:
    lines = [f"{'set':8} {'lang':4} {'field':18} {'prec.':>6} {'recall':>6}  tp/fp/fn"]
    for (name, language, field), (tp, fp, fn) in sorted(totals.items()):
        label = "ALL FIELDS" if field == "*" else field
        lines.append(
            f"{name:8} {language:4} {label:18} {_ratio(tp, tp + fp):>6} {_ratio(tp, tp + fn):>6}"
            f"  {tp}/{fp}/{fn}"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    choice = argv[0] if argv else "all"
    sets = ["train", "heldout"] if choice == "all" else [choice]
    totals, misses = run(sets)
    print(table(totals))
    if misses:
        print("\nMissed or wrong:\n  " + "\n  ".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
