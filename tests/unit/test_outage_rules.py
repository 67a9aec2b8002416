"""Which database errors mean an outage (503) and which a mistake in the code (500)."""

import sqlite3

import psycopg
import pytest
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from lms.health.outage import database_unavailable


def sqlite_error(name: str) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError("message")
    error.sqlite_errorname = name
    return error


def wrapped(kind, original, invalidated: bool = False):
    return kind("SELECT 1", {}, original, connection_invalidated=invalidated)


@pytest.mark.parametrize("original, outage", [
    (sqlite_error("SQLITE_CANTOPEN"), True),        # the file or its folder cannot be opened
    (sqlite_error("SQLITE_IOERR_SHORT_READ"), True),
    (sqlite_error("SQLITE_BUSY"), True),            # locked longer than the busy timeout
    (sqlite_error("SQLITE_READONLY_DBMOVED"), True),
    (sqlite_error("SQLITE_ERROR"), False),          # no such table, bad SQL: a mistake
    (psycopg.OperationalError("connection refused"), True),  # no server answered
    (psycopg.errors.AdminShutdown(), True),         # 57P01: the server is stopping
    (psycopg.errors.TooManyConnections(), True),    # 53300
    (psycopg.errors.QueryCanceled(), False),        # 57014: a statement ran too long
])
def test_operational_errors(original, outage):
    assert database_unavailable(wrapped(OperationalError, original)) is outage


def test_a_connection_seen_to_die_is_an_outage_and_mistakes_never_are():
    died = psycopg.OperationalError("server closed the connection unexpectedly")
    assert database_unavailable(wrapped(OperationalError, died, invalidated=True))
    assert not database_unavailable(wrapped(ProgrammingError, psycopg.errors.UndefinedTable()))
    assert not database_unavailable(wrapped(IntegrityError, psycopg.errors.UniqueViolation()))
    assert not database_unavailable(ValueError("not a database error"))
    assert not database_unavailable(None)
