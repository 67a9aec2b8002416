"""Declarative base, naming conventions and shared column types."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, TypeDecorator
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Store aware datetimes as UTC; SQLite returns naive values, so re-attach UTC on load."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def commit_keeping_loaded(session) -> None:
    """Commit without expiring what the request has loaded, so rendering does not reload it.

    For a view that reads, notes something small (a visit) and then renders what it read; a
    view that changes what it shows commits normally.
    """
    session = session() if callable(session) else session  # a scoped session gives its own
    expiring, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expiring


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


def insert_missing(session, model, keys: dict, **values) -> bool:
    """Insert a row of `model` with these unique `keys` (and `values`) unless one exists.

    Two requests that both find no row and both insert one (a double click, two tabs) would
    otherwise make the second fail on the unique constraint with a 500. INSERT ... ON CONFLICT
    DO NOTHING lets the first win quietly, inside the caller's transaction (no savepoint):
    PostgreSQL waits for the other insert to commit or roll back; SQLite writes one at a time.
    Select the row afterwards. Returns whether this call inserted it."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    result = session.execute(insert(model).values(**keys, **values)
                             .on_conflict_do_nothing(index_elements=list(keys)))
    return result.rowcount == 1
