"""The lock files pin, with hashes, exactly what pyproject.toml declares, within its bounds.

``requirements/production.txt`` holds the runtime dependencies, ``requirements/development.txt``
the same plus the ``dev`` extra; ``make lock`` writes both with uv.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = ROOT / "requirements" / "production.txt"
DEVELOPMENT = ROOT / "requirements" / "development.txt"
# What uv writes under a requirement that pyproject.toml asks for by name.
DECLARED_HERE = "cluster-partnership-portal (pyproject.toml)"


@dataclass
class Pin:
    requirement: Requirement
    hashes: list[str]
    via: list[str]

    @property
    def version(self) -> str:
        return next(iter(self.requirement.specifier)).version


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _production_declared() -> list[Requirement]:
    return [Requirement(line) for line in _project()["dependencies"]]


def _development_declared() -> list[Requirement]:
    extras = _project().get("optional-dependencies", {})
    return _production_declared() + [Requirement(line) for line in extras.get("dev", [])]


def _pins(path: Path) -> dict[str, Pin]:
    """The lock file as {canonical name: Pin}; a pin's ``# via`` lines say who asked for it."""
    pins: dict[str, Pin] = {}
    current: Pin | None = None
    for line in path.read_text().replace("\\\n", " ").splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            if current is not None and line.startswith(" "):
                via = stripped.lstrip("#").strip().removeprefix("via").strip()
                if via:
                    current.via.append(via)
            continue
        requirement, _, options = stripped.partition(" --")
        current = Pin(
            requirement=Requirement(requirement),
            hashes=re.findall(r"--hash=(sha256:[0-9a-f]{64})", " --" + options),
            via=[],
        )
        pins[canonicalize_name(current.requirement.name)] = current
    return pins


LOCKS = [
    pytest.param(PRODUCTION, _production_declared, id="production"),
    pytest.param(DEVELOPMENT, _development_declared, id="development"),
]


@pytest.mark.parametrize("path", [PRODUCTION, DEVELOPMENT], ids=["production", "development"])
def test_every_lock_file_pin_is_exact_and_has_a_hash(path):
    pins = _pins(path)
    assert pins
    loose = [str(pin.requirement) for pin in pins.values() if len(pin.requirement.specifier) != 1]
    loose += [
        str(pin.requirement)
        for pin in pins.values()
        if next(iter(pin.requirement.specifier)).operator != "=="
    ]
    unhashed = [name for name, pin in pins.items() if not pin.hashes]
    assert (loose, unhashed) == ([], [])


@pytest.mark.parametrize("path", [PRODUCTION, DEVELOPMENT], ids=["production", "development"])
def test_every_lock_file_says_it_is_written_by_make_lock(path):
    assert "#    make lock\n" in path.read_text()


def test_production_is_a_subset_of_development_with_the_same_versions():
    production, development = _pins(PRODUCTION), _pins(DEVELOPMENT)
    differ = {
        name: (pin.version, development[name].version if name in development else None)
        for name, pin in production.items()
        if name not in development or development[name].version != pin.version
    }
    assert differ == {}


@pytest.mark.parametrize(("path", "declared"), LOCKS)
def test_every_declared_dependency_is_pinned_within_its_bounds(path, declared):
    pins = _pins(path)
    missing = [str(r) for r in declared() if canonicalize_name(r.name) not in pins]
    outside = [
        f"{r.name}=={pins[canonicalize_name(r.name)].version} not in {r.specifier}"
        for r in declared()
        if canonicalize_name(r.name) in pins
        and not r.specifier.contains(pins[canonicalize_name(r.name)].version, prereleases=True)
    ]
    assert (missing, outside) == ([], [])


@pytest.mark.parametrize(("path", "declared"), LOCKS)
def test_the_lock_files_are_current_with_pyproject(path, declared):
    # A dependency added to or removed from pyproject.toml without `make lock` shows up here.
    asked_for_by_pyproject = {name for name, pin in _pins(path).items() if DECLARED_HERE in pin.via}
    assert asked_for_by_pyproject == {canonicalize_name(r.name) for r in declared()}, (
        "run `make lock`"
    )


def test_every_declared_dependency_has_an_upper_bound():
    unbounded = [
        str(r)
        for r in _development_declared()
        if not any(spec.operator in ("<", "<=", "==", "~=") for spec in r.specifier)
    ]
    assert unbounded == []
