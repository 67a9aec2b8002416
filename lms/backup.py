"""Back up and restore the database: SQLite through its online backup API (a consistent snapshot
while the app and worker run), PostgreSQL through pg_dump and pg_restore.

A backup is written beside its final name and renamed into place only when whole, so a failed
backup never leaves a half file under the real name. A restore first checks that the file is a
backup of this app at a schema revision this code knows, so a wrong file leaves the live database
untouched."""

import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import URL

from lms.cli import MIGRATIONS

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
CLIENT_PACKAGE = "postgresql-client"
LOCK_TIMEOUT = "30s"  # a restore waiting on a running app's lock fails rather than hangs


class BackupError(Exception):
    """A backup or restore that must not go ahead, with the reason in an operator's words."""


@dataclass
class Summary:
    """What a backup file holds, or what a restore left in the live database."""

    path: Path
    size: int
    revision: str
    rows: dict[str, int | None]  # table name -> rows (None: a dump's, not counted until restored)
    notes: list[str] = field(default_factory=list)

    @property
    def total_rows(self) -> int:
        return sum(count or 0 for count in self.rows.values())


def backup_database(engine: Engine, target: Path, *, force: bool = False) -> Summary:
    """Write a consistent copy of the live database to target."""
    target = Path(target)
    if target.exists() and not force:
        raise BackupError(f"{target} exists already; use --force to replace it.")
    if not target.parent.is_dir():
        raise BackupError(f"There is no folder {target.parent} to write the backup into.")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    try:
        if engine.dialect.name == "sqlite":
            revision, rows, notes = _sqlite_backup(engine.url, partial)
        elif engine.dialect.name == "postgresql":
            revision, rows, notes = _postgres_backup(engine, partial)
        else:
            raise BackupError(f"Backing up {engine.dialect.name} databases is not supported.")
        _publish(partial, target, force=force)
    finally:
        partial.unlink(missing_ok=True)
    return Summary(target, target.stat().st_size, revision, rows, notes)


def inspect_backup(engine: Engine, source: Path) -> Summary:
    """Check that source is a backup this code can restore into engine's database; say what
    it holds. Raise BackupError, touching nothing, when it is not."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"There is no backup file at {source}.")
    kind = _file_kind(source)
    wanted = {"sqlite": "sqlite", "postgresql": "pg_dump"}.get(engine.dialect.name)
    if wanted is None:
        raise BackupError(f"Restoring {engine.dialect.name} databases is not supported.")
    if kind is None:
        raise BackupError(f"{source} is not a backup: neither an SQLite database nor a "
                          "PostgreSQL dump (pg_dump); nothing was restored.")
    if kind != wanted:
        described = {"sqlite": "an SQLite database", "pg_dump": "a PostgreSQL dump"}[kind]
        raise BackupError(f"{source} is {described}, but the configured database is "
                          f"{database_name(engine)}; nothing was restored.")
    if kind == "sqlite":
        revision, rows = _sqlite_inspect(source)
    else:
        revision, rows = _postgres_inspect(source)
    notes = _revision_notes(source, revision)
    return Summary(source, source.stat().st_size, revision, rows, notes)


def restore_database(engine: Engine, source: Path) -> Summary:
    """Replace the live database's contents with the backup in source; return what is there
    now. The app's pooled connections are closed before and after."""
    checked = inspect_backup(engine, source)
    engine.dispose()
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_restore(engine.url, checked.path)
        else:
            checked.notes += _postgres_restore(engine, checked.path, set(checked.rows))
    finally:
        engine.dispose()
    with engine.connect() as connection:
        rows = _row_counts(connection)
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return Summary(checked.path, checked.size, revision, rows, checked.notes)


def database_name(engine: Engine) -> str:
    """Return the kind of database engine talks to, as people write it."""
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(engine.dialect.name,
                                                                 engine.dialect.name)


def known_revisions() -> list[str]:
    """Return the schema revisions this code knows, newest first."""
    return [script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()]


def human_size(size: int) -> str:
    """Return a file size as people read it: 812 bytes, 14.2 kB, 3.1 MB."""
    if size < 1000:
        return f"{size} bytes"
    for unit in ("kB", "MB", "GB"):
        size /= 1000
        if size < 1000 or unit == "GB":
            return f"{size:.1f} {unit}"
    raise AssertionError("unreachable")


def _revision_notes(source: Path, revision: str | None) -> list[str]:
    known = known_revisions()
    if revision is None:
        raise BackupError(f"{source} has no schema revision (no alembic_version table): it is "
                          "not a backup of this app; nothing was restored.")
    if revision not in known:
        raise BackupError(f"{source} is at schema revision {revision}, which this code does not "
                          f"know (its newest is {known[0]}): it was made by a newer version of "
                          "the app. Restore it with that version; nothing was restored.")
    if revision != known[0]:
        return [f"The backup's schema is at revision {revision}, older than this code's "
                f"{known[0]}: run `flask --app lms db upgrade` before starting the app."]
    return []


def _file_kind(path: Path) -> str | None:
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "pg_dump"
    return None


def _publish(partial: Path, target: Path, *, force: bool) -> None:
    """Give the finished file its real name in one step; without force, never over a file that
    appeared meanwhile."""
    with partial.open("rb") as file:
        os.fsync(file.fileno())
    if force:
        os.replace(partial, target)
    else:
        try:
            os.link(partial, target)  # fails if target exists, unlike a rename
        except FileExistsError as error:
            raise BackupError(f"{target} exists already; use --force to replace it.") from error
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the new name survives a power cut
    finally:
        os.close(directory)


def _row_counts(connection) -> dict[str, int]:
    names = sorted(inspect(connection).get_table_names())
    return {name: connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar()  # noqa: S608 - names from the schema
            for name in names}


# SQLite ---------------------------------------------------------------------------------------

def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("The database is in memory: there is no file to back up or restore.")
    return Path(url.database)


def _sqlite_contents(connection: sqlite3.Connection) -> tuple[str | None, dict[str, int]]:
    names = [name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    rows = {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: S608
            for name in names}
    revision = None
    if "alembic_version" in rows:
        found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = found[0] if found else None
    return revision, rows


def _sqlite_backup(url: URL, partial: Path) -> tuple[str, dict[str, int], list[str]]:
    live_file = _sqlite_file(url)
    if not live_file.is_file():
        raise BackupError(f"There is no database at {live_file}.")
    # mode=rw: never create an empty database where the live one was expected.
    live = sqlite3.connect(f"{live_file.resolve().as_uri()}?mode=rw", uri=True, timeout=30)
    with closing(live), closing(sqlite3.connect(partial)) as copy:
        # One step (pages=-1) copies everything inside one read transaction: a consistent
        # snapshot, while in WAL mode the app and worker go on writing.
        live.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        revision, rows = _sqlite_contents(copy)
    return revision, rows, []


def _sqlite_inspect(source: Path) -> tuple[str | None, dict[str, int]]:
    with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as backup:
        try:
            pages, page_size = (backup.execute(f"PRAGMA {name}").fetchone()[0]
                                for name in ("page_count", "page_size"))
            if source.stat().st_size != pages * page_size:
                raise BackupError(f"{source} is cut short: {source.stat().st_size:,} bytes "
                                  f"where its header says {pages * page_size:,}; nothing was "
                                  "restored.")
            verdict = backup.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise BackupError(f"{source} is damaged ({verdict}); nothing was restored.")
            return _sqlite_contents(backup)
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} cannot be read as an SQLite database ({error}); "
                              "nothing was restored.") from error


def _sqlite_restore(url: URL, source: Path) -> None:
    live_file = _sqlite_file(url)
    live_file.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as backup, \
            closing(sqlite3.connect(live_file, timeout=30)) as live:
        # Copying into the live file through the backup API (rather than renaming over it)
        # replaces its pages under SQLite's own locking: connections already open see the
        # restored data on their next read, and none keeps writing to an unlinked file.
        backup.backup(live)


# PostgreSQL -----------------------------------------------------------------------------------

def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed. Install the Debian package {CLIENT_PACKAGE} "
                          f"(sudo apt-get install {CLIENT_PACKAGE}), at the server's major "
                          "version or newer.")
    return path


def _major(version_text: str) -> int:
    found = re.search(r"(\d+)(?:\.\d+)*", version_text)
    if found is None:
        raise BackupError(f"Cannot read a version from {version_text!r}.")
    return int(found.group(1))


def _check_client(tool: str, engine: Engine) -> list[str]:
    """Refuse a pg_dump older than the server (it refuses the server too); note a newer one."""
    name = Path(tool).name
    client = _major(_run([tool, "--version"], os.environ.copy()))
    with engine.connect() as connection:
        server = int(connection.execute(text("SHOW server_version_num")).scalar()) // 10000
    if client < server:
        raise BackupError(f"{name} is version {client} but the server runs PostgreSQL {server}: "
                          f"{name} refuses a newer server. Install {CLIENT_PACKAGE}-{server} "
                          "(from apt.postgresql.org if this Debian release lacks it).")
    if client > server:
        return [f"pg_dump {client} dumped a PostgreSQL {server} server: that works, but the file "
                f"needs pg_restore {client} or newer to restore."]
    return []


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """Return a libpq URI without the password, and an environment carrying it (PGPASSWORD),
    so the password never appears on a command line."""
    env = os.environ.copy()
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    uri = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _run(command: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")
    return result.stdout


def _postgres_backup(engine: Engine, partial: Path) -> tuple[str, dict[str, int], list[str]]:
    pg_dump = _tool("pg_dump")
    notes = _check_client(pg_dump, engine)
    uri, env = _libpq(engine.url)
    with engine.connect() as connection:
        # Count rows in the very snapshot pg_dump dumps, so the summary describes the file.
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar()
        rows = _row_counts(connection)
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        _run([pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}",
              f"--file={partial}", f"--dbname={uri}"], env)
        connection.rollback()
    return revision, rows, notes


def _postgres_inspect(source: Path) -> tuple[str | None, dict[str, int]]:
    pg_restore = _tool("pg_restore")
    env = os.environ.copy()
    try:
        return _postgres_contents(pg_restore, source, env)
    except BackupError as error:
        raise BackupError(f"{source} cannot be read as a PostgreSQL dump ({error}); nothing "
                          "was restored.") from error


def _postgres_contents(pg_restore: str, source: Path,
                       env: dict[str, str]) -> tuple[str | None, dict[str, int | None]]:
    listing = _run([pg_restore, "--list", str(source)], env)  # reads the table of contents
    tables = re.findall(r"^\d+; \d+ \d+ TABLE DATA \S+ (\S+) ", listing, flags=re.MULTILINE)
    if "alembic_version" not in tables:
        return None, {}
    # The archive does not store row counts (None); restore_database counts once restored.
    dump = _run([pg_restore, "--data-only", "--table=alembic_version", "--file=-", str(source)],
                env)
    found = re.search(r"^COPY \S*alembic_version \(version_num\) FROM stdin;\n(.*?)\n\\\.$",
                      dump, flags=re.MULTILINE | re.DOTALL)
    revision = found.group(1).strip() if found else None
    return revision or None, dict.fromkeys(sorted(tables))


def _postgres_restore(engine: Engine, source: Path, tables: set[str]) -> list[str]:
    pg_restore = _tool("pg_restore")
    with engine.connect() as connection:
        extra = sorted(set(inspect(connection).get_table_names()) - tables)
    uri, env = _libpq(engine.url)
    env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} -c lock_timeout={LOCK_TIMEOUT}".strip()
    # One transaction: a restore that fails half way (a lock held by a running app, a
    # damaged archive) rolls back and leaves the live database as it was.
    try:
        _run([pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", "--no-password", f"--dbname={uri}", str(source)], env)
    except BackupError as error:
        raise BackupError(f"{error}\nThe restore was rolled back: nothing was restored, the "
                          "live database is as it was. If a lock timed out, stop the web "
                          "server and the worker, then restore again.") from error
    if extra:
        return [f"Tables not in the backup were left as they were: {', '.join(extra)}."]
    return []
