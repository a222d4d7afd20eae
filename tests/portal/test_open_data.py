"""The whole-portal open-data export (portal/open_data/, manage.py export_open_data) and the
open-data page that offers it."""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from organizations.privacy import person_erase
from portal import open_data
from tests import test_visibility
from tests.test_visibility import World, content

# The world of public and hidden rows of the visibility test, as a fixture here too.
world = test_visibility.world

PARSERS = {
    "integer": int,
    "number": float,
    "string": str,
    "date": datetime.date.fromisoformat,
    "datetime": lambda value: datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ"),
    "boolean": {"true": True, "false": False}.__getitem__,
}


def latest_directory(media: Path) -> Path:
    run = open_data.latest_run()
    assert run is not None
    return media / run.directory


@pytest.fixture
def exported(world: World, settings) -> Path:
    call_command("export_open_data", "--base-url", "https://portal.example", stdout=io.StringIO())
    return latest_directory(Path(settings.MEDIA_ROOT))


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as source:
        reader = csv.DictReader(source)
        return list(reader.fieldnames or []), list(reader)


def test_the_csv_files_validate_against_their_datapackage(exported):
    package = json.loads((exported / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["created"].endswith("Z")
    tables = {}
    for resource in package["resources"]:
        header, rows = read_csv(exported / resource["path"])
        fields = resource["schema"]["fields"]
        assert header == [f["name"] for f in fields], resource["path"]
        for row in rows:
            for f in fields:
                if row[f["name"]] != "":
                    PARSERS[f["type"]](row[f["name"]])  # raises on a value of another type
        keys = [tuple(row[k] for k in resource["schema"]["primaryKey"]) for row in rows]
        assert len(keys) == len(set(keys)), f"{resource['path']}: primary key not unique"
        tables[resource["name"]] = (resource, rows)
    for name, (resource, rows) in tables.items():
        for key in resource["schema"].get("foreignKeys", []):
            target = key["reference"]["resource"] or name
            known = {row[key["reference"]["fields"]] for row in tables[target][1]}
            missing = {row[key["fields"]] for row in rows if row[key["fields"]]} - known
            assert not missing, f"{name}.{key['fields']} → {target}: {missing} not found"
    assert len(tables["agreements"][1]) == 1
    assert tables["parties"][1] and tables["signings"][1] and tables["documents"][1]


def test_no_exported_file_mentions_a_hidden_row(exported, world):
    files = sorted(exported.iterdir())
    assert {path.name for path in files} >= {"open-data.json", "datapackage.json", "people.csv"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        leaked = [secret for secret in world.secrets if secret in text]
        assert leaked == [], path.name


def test_the_json_document_nests_the_public_agreement(exported, world):
    document = json.loads((exported / "open-data.json").read_text())

    assert document["licenses"][0]["path"] == "https://creativecommons.org/licenses/by/4.0/"
    assert document["dateCreated"]
    [agreement] = document["agreements"]
    assert agreement["name"] == "Visible cooperation"
    assert agreement["url"] == "https://portal.example/en/agreements/visible-coop/"
    assert [p["organization_id"] for p in agreement["parties"]] == [
        world.public["north"].pk,
        world.public["south"].pk,
    ]
    assert agreement["signings"][0]["event_id"] == world.public["fair"].pk
    assert {d["title"]["en"] for d in agreement["documents"]} == {
        "Visible press release",
        "Visible signed text",
    }
    file_urls = [d.get("file_url") for d in agreement["documents"] if d.get("file_url")]
    assert file_urls == [f"https://portal.example{world.public['document'].get_file_url()}"]
    assert len(agreement["contacts"]) == 1
    people = {person["id"]: person for person in document["persons"]}
    assert people[world.public["contact"].person_id]["family_name"] == "Shownperson"
    names = {organization["name"] for organization in document["organizations"]}
    assert {"Visible Cluster North", "Visible Cluster South"} <= names


def test_the_open_data_page_offers_the_newest_run_and_its_links_work(client, exported, world):
    page = client.get(reverse("open_data"))
    html = page.content.decode()

    assert "Creative Commons Attribution 4.0 International" in html
    assert reverse("api:api_docs") in html
    for name in ("open-data.json", "datapackage.json", "agreements.csv", "people.csv"):
        url = reverse("open_data_file", kwargs={"name": name})
        assert f'href="{url}"' in html
        response = client.get(url)
        assert response.status_code == 200, name
        assert content(response) == (exported / name).read_bytes()
    assert (
        client.get(reverse("open_data_file", kwargs={"name": "manifest.json"})).status_code == 404
    )
    assert client.get(reverse("open_data_file", kwargs={"name": "secret.csv"})).status_code == 404


def test_before_the_first_export_the_page_says_so_and_offers_no_file(
    client, db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path

    html = client.get(reverse("open_data")).content.decode()

    assert "have not been generated yet" in html
    assert (
        client.get(reverse("open_data_file", kwargs={"name": "agreements.csv"})).status_code == 404
    )


def test_a_new_run_replaces_the_old_and_only_a_few_runs_are_kept(
    world,
    settings,
    monkeypatch,
):
    minutes = itertools.count()  # every call a minute later: each run its own directory
    real_now = open_data.timezone.now
    monkeypatch.setattr(
        open_data.timezone,
        "now",
        lambda: real_now() + datetime.timedelta(minutes=next(minutes)),
    )
    for _ in range(open_data.RUNS_KEPT + 1):
        result = open_data.export(say=lambda line: None)

    assert open_data.latest_run().directory == result.directory
    assert len(open_data.complete_runs()) == open_data.RUNS_KEPT


def test_the_command_reports_its_progress(world, tmp_path):
    out = io.StringIO()

    call_command("export_open_data", "--output", str(tmp_path), stdout=out)

    assert "agreements.csv: 1 rows" in out.getvalue()
    assert "the run is complete" in out.getvalue()
    assert list(tmp_path.glob("open-data/*/manifest.json"))


def _files_holding(directory: Path, values: list[str]) -> dict[str, list[str]]:
    """Each file below ``directory`` that holds one of ``values``, with the values it holds."""
    found = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            held = [value for value in values if value in text]
            if held:
                found[str(path.relative_to(directory))] = held
    return found


def test_erasing_a_person_replaces_every_published_file_that_held_them(
    world, settings, django_capture_on_commit_callbacks
):
    for _ in range(2):  # two stored runs, both holding the person
        call_command("export_open_data", stdout=io.StringIO())
    contact = world.public["contact"]
    contact.phone = "+49 89 7654321"
    contact.save()
    call_command("export_open_data", stdout=io.StringIO())
    person = contact.person
    values = [person.family_name, person.given_name, person.slug, contact.email, "7654321"]
    published = Path(settings.MEDIA_ROOT) / "open-data"
    runs_before = open_data.complete_runs()
    held = _files_holding(published, values)
    assert {"people.csv", "memberships.csv", "open-data.json"} <= {
        name.rsplit("/", 1)[-1] for name in held
    }

    with django_capture_on_commit_callbacks(execute=True):
        person_erase(person=person)

    runs_after = open_data.complete_runs()
    assert len(runs_after) == 1
    assert runs_after[0] not in runs_before
    assert _files_holding(published, values) == {}
    _header, people = read_csv(published.parent / runs_after[0] / "people.csv")
    assert people  # the other people are still published
    assert str(person.pk) not in {row["id"] for row in people}  # hidden contact point, no name


def test_erasing_a_person_before_any_export_writes_none(
    affiliation_factory, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    person = affiliation_factory().person

    with django_capture_on_commit_callbacks(execute=True):
        person_erase(person=person)

    assert open_data.complete_runs() == []
    assert not (Path(settings.MEDIA_ROOT) / "open-data").exists()


def test_if_the_new_run_fails_the_older_runs_are_withdrawn_all_the_same(
    world, settings, django_capture_on_commit_callbacks, monkeypatch
):
    call_command("export_open_data", stdout=io.StringIO())

    def broken(**kwargs):
        raise OSError("storage full")

    monkeypatch.setattr("portal.open_data.runs.export", broken)
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(person=world.public["contact"].person)

    assert open_data.complete_runs() == []
    assert _files_holding(Path(settings.MEDIA_ROOT) / "open-data", ["Shownperson"]) == {}


def test_the_public_activities_and_commitments_are_exported(exported, world):
    _header, activities = read_csv(exported / "activities.csv")
    _header, commitments = read_csv(exported / "commitments.csv")

    assert [row["description_en"] for row in activities] == ["Visible joint webinar"]
    assert activities[0]["evidence_file_url"].endswith(
        world.public["activity"].get_evidence_file_url().removeprefix("/en")
    )
    assert [row["text_en"] for row in commitments] == ["Visible commitment"]


def test_a_person_s_reading_is_exported_beside_the_name_in_native_script(world, settings):
    person = world.public["contact"].person
    person.native_name, person.native_name_reading = "試山 太郎", "ためしやま たろう"
    person.save()

    call_command("export_open_data", "--base-url", "https://portal.example", stdout=io.StringIO())

    directory = latest_directory(Path(settings.MEDIA_ROOT))
    _, rows = read_csv(directory / "people.csv")
    [row] = [row for row in rows if row["id"] == str(person.pk)]
    assert (row["native_name"], row["native_name_reading"]) == ("試山 太郎", "ためしやま たろう")
    document = json.loads((directory / "open-data.json").read_text())
    [shown] = [p for p in document["persons"] if p["id"] == person.pk]
    assert shown["other_names"] == [
        {"name": "試山 太郎", "note": "native script"},
        {"name": "ためしやま たろう", "note": "reading (furigana)"},
    ]
