"""``manage.py backup`` / ``restore``: a round trip into an empty database gives the same data.

pg_dump runs in its own process and sees only committed rows, hence ``transactional_db``. The
empty database is a second one on the same server (embedded or ``DATABASE_URL``; CI's role has
CREATEDB), named after this worker's test database so that xdist workers never share it.
"""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from partnerships.models import Signature
from portal import backups

DOCUMENT_BYTES = b"%PDF-1.4\n% the signed agreement\n%%EOF\n"
SAMPLE_SIZE = 3  # rows per table compared, from each end of the primary key


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def portal_data(
    transactional_db,
    media_root,
    organization_factory,
    affiliation_factory,
    agreement_party_factory,
    signature_factory,
    statement_factory,
    document_factory,
):
    """Several models' rows and one uploaded file, committed."""
    for _ in range(3):
        signature_factory()
    organization_factory.create_batch(2)
    affiliation_factory()
    agreement_party_factory()
    statement_factory()
    document = document_factory(url="", file=ContentFile(DOCUMENT_BYTES, name="signed.pdf"))
    get_user_model().objects.create_user("editor", password="a long passphrase")  # noqa: S106 - test password
    return document


@pytest.fixture
def empty_database(transactional_db):
    """A new, empty database on the test server: yields its ``backups.Target``."""
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield backups.Target.from_settings({**connection.settings_dict, "NAME": name})
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_backup(directory: Path) -> str:
    out = StringIO()
    call_command("backup", "--output", str(directory), stdout=out)
    return out.getvalue()


def primary_key(cursor, table: str) -> list[str]:
    cursor.execute(
        "SELECT quote_ident(a.attname) FROM pg_index i JOIN pg_attribute a"
        " ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
        " WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
        [table],
    )
    return [column for (column,) in cursor.fetchall()]


def sample_rows(cursor, table: str) -> list[tuple]:
    """The first and last few rows of ``table`` by primary key, every column."""
    key = ", ".join(primary_key(cursor, table))
    assert key, f"{table} has no primary key"
    rows = []
    for direction in ("ASC", "DESC"):
        order = ", ".join(f"{column} {direction}" for column in key.split(", "))
        cursor.execute(f"SELECT * FROM {table} ORDER BY {order} LIMIT {SAMPLE_SIZE}")  # noqa: S608 - catalogue names
        rows += [tuple(map(str, row)) for row in cursor.fetchall()]
    return rows


def snapshot(cursor) -> dict[str, tuple[int, list[tuple]]]:
    counts = backups.row_counts(cursor)
    return {table: (count, sample_rows(cursor, table)) for table, count in counts.items()}


def test_backup_writes_the_dump_the_media_and_a_manifest(portal_data, tmp_path):
    output = make_backup(tmp_path / "backup")

    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert (tmp_path / "backup" / "database.dump").stat().st_size > 0
    assert manifest["row_counts"]["public.partnerships_signature"] == 3
    assert manifest["row_counts"]["public.partnerships_document"] == 1
    assert "0001_initial" in manifest["migrations"]["partnerships"]
    assert manifest["portal_version"] == backups.portal_version()
    assert manifest["media"]["files"] == 1
    assert "Backup complete" in output


def test_restore_into_an_empty_database_gives_every_row_and_file_back(
    portal_data, empty_database, media_root, tmp_path
):
    make_backup(tmp_path / "backup")
    restored_media = tmp_path / "restored-media"
    lines: list[str] = []

    comparison = backups.restore(
        tmp_path / "backup", target=empty_database, media_root=restored_media, say=lines.append
    )

    with connection.cursor() as cursor:
        original = snapshot(cursor)
    with backups._connection(empty_database) as restored, restored.cursor() as cursor:
        copy = snapshot(cursor)
    assert copy.keys() == original.keys()
    for table, (count, rows) in original.items():
        assert copy[table] == (count, rows), table
    assert original["public.partnerships_signature"][0] == 3
    assert all(expected == found for expected, found in comparison.values())
    document_path = Path(portal_data.file.name)
    assert (restored_media / document_path).read_bytes() == DOCUMENT_BYTES
    assert lines[-1].startswith(f"Restore complete: {len(original)} tables")


def test_restore_refuses_a_database_that_is_not_empty(portal_data, tmp_path):
    make_backup(tmp_path / "backup")

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(tmp_path / "backup"), stdout=StringIO())

    assert Signature.objects.count() == 3


def test_restore_refuses_a_directory_that_is_not_a_backup(db, tmp_path):
    with pytest.raises(CommandError, match=r"not a backup: manifest\.json is missing"):
        call_command("restore", str(tmp_path), "--yes", stdout=StringIO())


def test_backup_refuses_a_directory_that_is_not_empty(db, tmp_path):
    (tmp_path / "something").write_text("keep me")

    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", "--output", str(tmp_path), stdout=StringIO())


def test_restore_yes_replaces_a_non_empty_database(portal_data, empty_database, tmp_path):
    make_backup(tmp_path / "backup")
    backups.restore(tmp_path / "backup", target=empty_database, media_root=tmp_path / "m1")
    with backups._connection(empty_database) as restored, restored.cursor() as cursor:
        cursor.execute("DELETE FROM partnerships_signature")

    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore(tmp_path / "backup", target=empty_database, media_root=tmp_path / "m2")
    comparison = backups.restore(
        tmp_path / "backup", target=empty_database, media_root=tmp_path / "m2", overwrite=True
    )

    assert comparison["public.partnerships_signature"] == (3, 3)


def test_a_backup_is_readable_by_its_owner_only(portal_data, tmp_path):
    # It holds password hashes, authenticator secrets and personal data.
    directory = tmp_path / "backup"
    make_backup(directory)

    assert directory.stat().st_mode & 0o777 == 0o700
    files = list(directory.iterdir())
    assert len(files) == 3
    assert {path.name: path.stat().st_mode & 0o777 for path in files} == {
        path.name: 0o600 for path in files
    }
