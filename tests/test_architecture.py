"""The packages depend one way: portal > partnerships > organizations > core
(``[tool.importlinter]`` in pyproject.toml), and no module imports itself back through others.
A lower package must not use a higher one, not even in the migrations, where a dependency is a
string that the import linter cannot see: organizations not partnerships, core neither app."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")
def test_the_import_contract_is_kept():
    result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "portal > partnerships > organizations > core KEPT" in result.stdout
    assert "no import circles KEPT" in result.stdout


def code_strings_and_imports(path: Path) -> tuple[list[str], list[str]]:
    """The string constants and keyword argument names (``filter(a__b=…)``) of a Python file,
    docstrings and comments left out, and the modules it imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    strings = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]
    strings += [node.arg for node in ast.walk(tree) if isinstance(node, ast.keyword) and node.arg]
    imports = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    imports += [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    return strings, imports


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "organizations" / "migrations").glob("*.py")),
    ids=lambda path: path.name,
)
def test_organizations_migrations_do_not_use_partnerships(path):
    """Dependencies (``("partnerships", "0001_initial")``) and SQL on partnerships' tables."""
    strings, imports = code_strings_and_imports(path)
    assert [s for s in strings if "partnerships" in s] == []
    assert [m for m in imports if m.startswith("partnerships")] == []


def test_organizations_code_does_not_reach_into_partnerships():
    """What the import linter cannot see: lazy imports, ``apps.get_model("partnerships", …)``
    and reverse lookups into agreements (``agreement_parties__agreement__publication``). A URL
    name (``"partnerships:region_detail"``) is allowed: it is not an import."""
    offenders = []
    for path in sorted((ROOT / "organizations").rglob("*.py")):
        strings, imports = code_strings_and_imports(path)
        offenders += [
            f"{path.relative_to(ROOT)}: import {m}" for m in imports if m.startswith("partnerships")
        ]
        offenders += [
            f"{path.relative_to(ROOT)}: {s!r}"
            for s in strings
            if re.search(r"\bpartnerships\b(?!:)", s) or re.search(r"agreements?\w*__", s)
        ]
    assert offenders == []


# The migrations that took core's models over from organizations name it: the dependency on the
# organizations migration that let go of them (whose tables they keep), and the content types
# they renamed from organizations to core.
MOVED_FROM_ORGANIZATIONS = {
    "0001_models_from_organizations.py",
    "0002_content_types_from_organizations.py",
}
APPS = r"\b(organizations|partnerships)\b(?!:)"


@pytest.mark.parametrize(
    "path",
    sorted((ROOT / "core" / "migrations").glob("*.py")),
    ids=lambda path: path.name,
)
def test_core_migrations_do_not_use_the_apps(path):
    strings, imports = code_strings_and_imports(path)
    assert [m for m in imports if m.startswith(("organizations", "partnerships", "portal"))] == []
    assert [s for s in strings if "partnerships" in s] == []
    if path.name not in MOVED_FROM_ORGANIZATIONS:
        assert [s for s in strings if re.search(APPS, s)] == []


def test_core_code_does_not_reach_into_the_apps():
    """What the import linter cannot see in the kernel: ``apps.get_model("organizations", …)``,
    lookups through the apps' models (``organization__``, ``agreement__``). Table names that
    kept the organizations app's prefix (``organizations_userpreference``) are not lookups."""
    offenders = []
    for path in sorted((ROOT / "core").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        strings, imports = code_strings_and_imports(path)
        offenders += [
            f"{path.relative_to(ROOT)}: import {m}"
            for m in imports
            if m.startswith(("organizations", "partnerships", "portal"))
        ]
        offenders += [
            f"{path.relative_to(ROOT)}: {s!r}"
            for s in strings
            if re.search(APPS, s) or re.search(r"(agreements?|organi[sz]ations?|regions?)\w*__", s)
        ]
    assert offenders == []
