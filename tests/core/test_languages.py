"""The portal's languages are written out once, in settings (core/languages.py reads them).

A module that spells out a list of languages — ``("en", "de", "ja")``, or the columns
``("name_en", "name_de", "name_ja")``, or ``F("title_en"), F("title_de")`` — would have to be
found and edited when a language is added. Adding one must be a settings line, a generated
migration and a catalogue, so the application code asks ``core.languages`` instead.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from core.languages import language_codes, language_fields, supported_language

ROOT = Path(__file__).resolve().parents[2]
APPLICATION_PACKAGES = ("core", "organizations", "partnerships", "portal")

# Where the list is meant to be written: the settings.
SETTINGS = ("portal/settings/",)
# Migrations record the schema of their day, languages included.
MIGRATIONS = "/migrations/"
# Language data, not a list of the portal's languages: demo and fake texts written in each
# language, and the press-release reader's grammar (month names, number words, cues and phrases
# per language: it reads the languages it has a grammar for, whatever settings.LANGUAGES holds).
DATA = (
    "partnerships/demo.py",
    "partnerships/management/commands/generate_fake_data.py",
    "partnerships/intake/extract.py",
    "partnerships/intake/forms.py",
    # Typography per language: rules for the languages that have their own (any other language
    # writes as English does), not the list of the portal's languages.
    "core/typography.py",
)


def _languages_named(node: ast.AST) -> set[str]:
    """The languages a literal names: ``"de"``, ``"name_de"``, ``F("name_de")``."""
    if isinstance(node, ast.Call) and node.args:
        node = node.args[0]
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return set()
    return {
        code for code in language_codes() if node.value == code or node.value.endswith(f"_{code}")
    }


def _written_out_lists(source: str) -> list[int]:
    """Lines of the tuples, lists, sets, dicts and calls whose items name two or more of the
    portal's languages."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            items: list[ast.AST] = list(node.elts)
        elif isinstance(node, ast.Dict):
            items = [key for key in node.keys if key is not None]
        elif isinstance(node, ast.Call):
            items = list(node.args)
        else:
            continue
        named = set().union(*(_languages_named(item) for item in items)) if items else set()
        if len(named) >= 2:
            lines.append(node.lineno)
    return lines


def _application_modules() -> list[Path]:
    paths = []
    for package in APPLICATION_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if MIGRATIONS in name or name.startswith(SETTINGS) or name in DATA:
                continue
            paths.append(path)
    return paths


def test_no_application_module_writes_out_the_list_of_languages():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in _application_modules()
        for line in _written_out_lists(path.read_text(encoding="utf-8"))
    ]
    assert found == [], (
        "Ask core.languages (language_codes, language_fields) instead: " + ", ".join(found)
    )


def test_the_scan_finds_a_written_out_list():
    source = 'A = ("en", "de", "ja")\nB = [F("title_en"), F("title_ja")]\nC = {"de": 1, "ja": 2}\n'
    assert _written_out_lists(source) == [1, 2, 3]


def test_the_scan_leaves_one_language_and_other_strings_alone():
    source = 'A = ("en", "title")\nB = get("name_en")\nC = [("de", "German"), ("fr", "French")]\n'
    assert _written_out_lists(source) == []


def test_the_languages_are_the_settings_languages_in_their_order():
    assert language_codes() == tuple(code for code, _name in settings.LANGUAGES)
    assert language_fields("name") == tuple(f"name_{code}" for code in language_codes())


@override_settings(MODELTRANSLATION_LANGUAGES=(*language_codes(), "it"))
def test_a_language_added_in_settings_is_every_modules_language():
    assert language_codes()[-1] == "it"
    assert language_fields("title")[-1] == "title_it"
    assert supported_language("it-ch") == "it"


@pytest.mark.parametrize(
    ("given", "expected"),
    [("de", "de"), ("ja-jp", "ja"), ("fr-ca", "fr"), ("pt-br", "en"), ("it", "en")],
)
def test_supported_language_falls_back_to_the_default(given, expected):
    assert supported_language(given) == expected
