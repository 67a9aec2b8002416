"""Tell a database that cannot be reached just now from a mistake in the code."""

from sqlalchemy.exc import DBAPIError, OperationalError

# SQLite reports a missing table or bad SQL as an OperationalError too; these result codes are
# the ones that mean the file cannot be opened, read or written just now.
SQLITE_UNAVAILABLE = ("SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_BUSY", "SQLITE_LOCKED",
                      "SQLITE_FULL", "SQLITE_READONLY")
# PostgreSQL's classes of the same: connection exception, insufficient resources (too many
# connections), operator intervention (shutting down, starting up) and system error.
POSTGRES_UNAVAILABLE = ("08", "53", "57P", "58")


def database_unavailable(error: BaseException | None) -> bool:
    """Whether an error means the database is unreachable (answer 503), not a bug (500)."""
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:  # the driver saw the connection die
        return True
    if not isinstance(error, OperationalError):
        return False  # integrity, programming and data errors are mistakes, not outages
    original = error.orig
    if hasattr(original, "sqlite_errorname"):
        return original.sqlite_errorname.startswith(SQLITE_UNAVAILABLE)
    if hasattr(original, "sqlstate"):  # psycopg: no state when no server answered at all
        return original.sqlstate is None or original.sqlstate.startswith(POSTGRES_UNAVAILABLE)
    return True  # the DB-API's meaning of OperationalError for any other driver
