"""The lock file pins exactly what pyproject.toml declares, within its bounds."""

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    return [Requirement(line) for line in requirements]


def _locked() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def test_every_declared_dependency_is_pinned_in_the_lock_file():
    locked = _locked()
    missing = [str(r) for r in _declared() if canonicalize_name(r.name) not in locked]
    assert missing == []


def test_every_pinned_version_satisfies_the_declared_bounds():
    locked = _locked()
    outside = [
        f"{r.name}=={locked[canonicalize_name(r.name)]} not in {r.specifier}"
        for r in _declared()
        if canonicalize_name(r.name) in locked
        and not r.specifier.contains(locked[canonicalize_name(r.name)], prereleases=True)
    ]
    assert outside == []


def test_every_declared_dependency_has_an_upper_bound():
    unbounded = [
        str(r)
        for r in _declared()
        if not any(spec.operator in ("<", "<=", "==", "~=") for spec in r.specifier)
    ]
    assert unbounded == []
