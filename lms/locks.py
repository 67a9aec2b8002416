"""One process at a time, across every node: a lock held for us by what all nodes share (the
PostgreSQL server; for SQLite, which lives on one machine, a file beside the database), and
released when the holder finishes or dies, so a killed worker never leaves it stuck."""

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from lms.extensions import db


@contextmanager
def held_alone(name: str) -> Iterator[bool]:
    """Yield True in the one process that holds the lock `name`; False in any other meanwhile."""
    engine = db.engine
    if engine.dialect.name == "postgresql":
        with _advisory_lock(engine, name) as mine:
            yield mine
    elif engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        with _file_lock(Path(f"{engine.url.database}.{name}.lock")) as mine:
            yield mine
    else:  # an in-memory database has one process by nature
        yield True


@contextmanager
def _advisory_lock(engine, name: str) -> Iterator[bool]:
    key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)
    # A session-level lock on a connection of its own, outside any transaction: the work
    # commits as it goes, and the server releases the lock if this process dies.
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT")
        mine = connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key})
        try:
            yield bool(mine)
        finally:
            if mine:
                connection.scalar(text("SELECT pg_advisory_unlock(:key)"), {"key": key})


@contextmanager
def _file_lock(path: Path) -> Iterator[bool]:
    import fcntl

    with path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            mine = True
        except BlockingIOError:
            mine = False
        try:
            yield mine
        finally:
            if mine:
                fcntl.flock(handle, fcntl.LOCK_UN)
