"""Every collected test passed on at least one database server: nothing was run zero times.

Usage: every_test_ran.py COLLECTED RECORD [RECORD...]

COLLECTED is the output of ``pytest --collect-only -q`` with PORTAL_TEST_SCOPE=all (one test id
a line). Each RECORD is what one pass wrote with PORTAL_TEST_RECORD (tests/conftest.py): the ids
it selected, and each run test's outcome ("passed", "skipped" or "failed"). Fails when a pass
did not run a test it selected, or ran one that is not collected, or when a collected test
passed on no pass (a test skipped everywhere counts as not run).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main(collected_path: str, *record_paths: str) -> int:
    lines = Path(collected_path).read_text().splitlines()
    collected = {line.strip() for line in lines if "::" in line}
    problems = []
    passed: set[str] = set()
    for path in record_paths:
        record = json.loads(Path(path).read_text())
        selected, outcomes = set(record["selected"]), record["outcomes"]
        counts = {o: list(outcomes.values()).count(o) for o in ("passed", "skipped", "failed")}
        print(
            f"{path}: {len(selected)} selected, {len(outcomes)} run: {counts['passed']} passed,"
            f" {counts['skipped']} skipped, {counts['failed']} failed"
        )
        problems += [f"{path}: selected, not run: {t}" for t in sorted(selected - set(outcomes))]
        problems += [f"{path}: run, not collected: {t}" for t in sorted(set(outcomes) - collected)]
        passed |= {test for test, outcome in outcomes.items() if outcome == "passed"}
    problems += [f"passed on no server: {test}" for test in sorted(collected - passed)]
    print(f"{len(collected)} collected, {len(collected & passed)} passed on at least one server")
    for problem in problems:
        print(problem)
    return 1 if problems or not collected else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
