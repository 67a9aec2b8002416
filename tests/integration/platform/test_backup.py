"""flask --app lms backup and restore: every table survives the round trip exactly, on SQLite and
on PostgreSQL, and a wrong file or a missing confirmation leaves the live database alone."""

from datetime import date, timedelta

import pytest
from sqlalchemy import (
    Column,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    inspect,
    select,
    update,
)

from lms.db import utcnow
from lms.extensions import db
from tests.conftest import csrf_token
from tests.coursekit import SMALL, write_programme

ALEMBIC_VERSION = Table("alembic_version", MetaData(),
                        Column("version_num", String(32), primary_key=True))
FILE_BYTES = bytes(range(256)) * 4  # every byte value, NUL included
CLEAN_BYTES = b"%PDF-1.7\n\x00\xff cleaned copy"


def _tables() -> list[Table]:
    return [*db.metadata.sorted_tables, ALEMBIC_VERSION]


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, all columns (binary data included), ordered by primary key."""
    with db.engine.connect() as connection:
        live = set(inspect(connection).get_table_names())
        assert live == {table.name for table in _tables()}, "a table would escape the comparison"
        return {table.name: [tuple(row) for row in connection.execute(
            select(table).order_by(*table.primary_key.columns))] for table in _tables()}


def _first(name: str) -> int:
    table = db.metadata.tables[name]
    return db.session.scalar(select(table.c.id).order_by(table.c.id).limit(1))


def _add(table: str, **values) -> int:
    return db.session.execute(insert(db.metadata.tables[table]).values(**values)) \
        .inserted_primary_key[0]


def _fill_what_the_demo_leaves_empty() -> None:
    """One row in each table the demo data does not reach, through the columns' own defaults."""
    now, today = utcnow(), date.today()
    user, assessment = _first("users"), _first("assessments")
    attachment = _add("attachments", owner_id=user, filename="evidence.pdf",
                      content_type="application/pdf", size=len(FILE_BYTES), sha256="a" * 64,
                      data=FILE_BYTES, clean_data=CLEAN_BYTES)
    for n in range(2, 4):
        _add("attachments", owner_id=user, filename=f"evidence-{n}.pdf",
             content_type="application/pdf", size=n, sha256=f"{n}" * 64, data=bytes([n] * n))
    _add("cpd_evidence", entry_id=_first("cpd_entries"), attachment_id=attachment + 1)
    _add("org_evidence", answer_id=_first("org_criterion_answers"), attachment_id=attachment + 2)
    _add("extensions", assessment_id=assessment, user_id=user, reason="Hospital stay.",
         requested_until=now + timedelta(days=14), evidence_id=attachment)
    _add("examiner_reports", assessment_id=assessment, examiner_id=user, version=1,
         text="The marking is consistent with the rubric.")
    _add("org_appeals", decision_id=_first("org_decisions"), grounds="New evidence.",
         submitted_by_id=user)
    _add("accreditation_reminders", key="renewal-90", organisation_id=_first("host_organisations"))
    _add("bulk_checks", organisation_id=_first("host_organisations"), user_id=user, count=12)
    _add("cpd_reminders", user_id=user, year_end=today, days_before=30)
    _add("cpd_schemes", effective_from=today, yearly_minutes=1800, participatory_minutes=900,
         supervision_minutes=300, required_topics=["safeguarding", "law"], reflections=3)
    _add("password_tokens", user_id=user, token_hash="b" * 64, purpose="reset",
         expires_at=now + timedelta(hours=2))
    _add("user_sessions", user_id=user, token_hash="c" * 64, user_agent="Firefox")
    _add("content_reviews", module_id=_first("modules"), version_id=_first("module_versions"),
         kind="lesson", slug="lesson-1", reviewer_id=user, checked="Law still current.",
         outcome="no_change")
    _add("check_attempts", user_id=user, lesson_id=_first("lessons"), answers=[0, 2], correct=1,
         total=2)


@pytest.fixture
def everything(app, tmp_path):
    """A database with rows in every table: the demo data, a small programme, and the rest."""
    from lms.courses.content import load_programme
    from lms.courses.services import sync_programme
    from lms.demo import load_demo

    with app.app_context():
        sync_programme(load_programme(write_programme(tmp_path / "courses"), SMALL))
        db.session.commit()
        load_demo()
        _fill_what_the_demo_leaves_empty()
        db.session.commit()
        snapshot = _snapshot()
        db.session.remove()
    empty = sorted(name for name, rows in snapshot.items() if not rows)
    assert not empty, f"tables with no rows, which the round trip would not prove: {empty}"
    return snapshot


def _change_everything() -> None:
    """What happens after a backup: rows deleted, rows added, a file's bytes replaced."""
    tables = db.metadata.tables
    db.session.execute(delete(tables["outbox_messages"]))
    db.session.execute(delete(tables["cpd_evidence"]))
    db.session.execute(update(tables["attachments"]).values(data=b"overwritten"))
    db.session.execute(update(tables["users"]).values(name="Renamed"))
    _add("users", email="late@example.org", name="Arrived after the backup", password_hash="x")
    db.session.commit()


def _rows(snapshot) -> int:
    return sum(len(rows) for rows in snapshot.values())


def test_a_backup_restores_every_table_exactly(app, everything, tmp_path):
    runner = app.test_cli_runner()
    backup = tmp_path / "lms.backup"
    result = runner.invoke(args=["backup", str(backup)])
    assert result.exit_code == 0, result.output
    assert f"{len(everything)} tables, {_rows(everything):,} rows" in result.output
    assert backup.is_file() and not [p for p in tmp_path.iterdir() if ".partial" in p.name]

    with app.app_context():
        _change_everything()
        assert _snapshot() != everything

    result = runner.invoke(args=["restore", "--yes", str(backup)])
    assert result.exit_code == 0, result.output
    assert f"{len(everything)} tables, {_rows(everything):,} rows" in result.output
    with app.app_context():
        restored = _snapshot()
        attachments = db.metadata.tables["attachments"]
        attachment = db.session.scalar(select(attachments.c.data).order_by(attachments.c.id))
    for name, rows in everything.items():
        assert restored[name] == rows, f"{name} differs after the restore"
    assert attachment == FILE_BYTES

    # The running app (its pool included) works on the restored data: a demo trainee signs in.
    from lms.demo import DEMO_PASSWORD

    client = app.test_client()
    response = client.post("/sign-in", data={"email": "trainee@example.org",
                                             "password": DEMO_PASSWORD,
                                             "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    with app.app_context():  # and new rows get fresh ids (sequences came back too)
        _add("users", email="after-restore@example.org", name="After", password_hash="x")
        db.session.commit()


def test_a_backup_taken_while_the_app_writes_is_a_consistent_snapshot(app, create_user,
                                                                      tmp_path):
    create_user("trainee", email="before@example.org")
    runner = app.test_cli_runner()
    backup = tmp_path / "lms.backup"
    users = db.metadata.tables["users"]
    with app.app_context(), db.engine.connect() as app_request:
        # A request half way through its transaction: the backup neither waits for it nor
        # takes its uncommitted row.
        app_request.execute(insert(users).values(email="during@example.org", name="During"))
        result = runner.invoke(args=["backup", str(backup)])
        app_request.commit()
    assert result.exit_code == 0, result.output

    assert runner.invoke(args=["restore", "--yes", str(backup)]).exit_code == 0
    with app.app_context():
        assert set(db.session.scalars(select(users.c.email))) == {"before@example.org"}


def test_backup_refuses_to_overwrite_a_file_unless_forced(app, create_user, tmp_path):
    create_user("trainee")
    runner = app.test_cli_runner()
    existing = tmp_path / "lms.backup"
    existing.write_bytes(b"last night's backup")

    result = runner.invoke(args=["backup", str(existing)])
    assert result.exit_code != 0 and "--force" in result.output
    assert existing.read_bytes() == b"last night's backup"

    result = runner.invoke(args=["backup", "--force", str(existing)])
    assert result.exit_code == 0, result.output
    assert existing.read_bytes()[:5] in {b"SQLit", b"PGDMP"}  # a backup, not the old bytes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lms.backup"]


def test_restore_asks_first_and_no_answer_changes_nothing(app, create_user, tmp_path):
    create_user("trainee")
    runner = app.test_cli_runner()
    backup = tmp_path / "lms.backup"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    create_user("marker")
    with app.app_context():
        before = _snapshot()

    result = runner.invoke(args=["restore", str(backup)], input="n\n")
    assert result.exit_code != 0 and "Go ahead?" in result.output
    with app.app_context():
        assert _snapshot() == before


def _not_a_backup(app, path):
    path.write_text("name,email\nJordan,trainee@example.org\n")


def _cut_short(app, path):
    """A backup whose last table's data was lost (a full disk, a copy cut off): on PostgreSQL
    its table of contents and schema revision still read, so this reaches pg_restore, which
    fails half way and must roll back."""
    path.write_bytes(path.read_bytes()[:-300])


def _postgres(app) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "postgresql"


def _from_a_newer_version(app, path):
    """A real backup whose schema revision this code does not know."""
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(update(ALEMBIC_VERSION).values(version_num="0999_from_the_future"))
    try:
        assert app.test_cli_runner().invoke(args=["backup", "--force", str(path)]).exit_code == 0
    finally:
        with app.app_context(), db.engine.begin() as connection:
            connection.execute(update(ALEMBIC_VERSION).values(version_num=_head()))


def _head() -> str:
    from lms.backup import known_revisions

    return known_revisions()[0]


@pytest.mark.parametrize(("make", "says"), [
    pytest.param(_not_a_backup, "is not a backup", id="not-a-backup"),
    pytest.param(_cut_short, "nothing was restored", id="cut-short"),
    pytest.param(_from_a_newer_version, "newer version of the app", id="newer-version"),
])
def test_restore_refuses_a_file_that_is_not_a_backup_of_this_app(app, create_user, tmp_path,
                                                                  make, says):
    create_user("trainee")
    runner = app.test_cli_runner()
    path = tmp_path / "file.backup"
    assert runner.invoke(args=["backup", str(path)]).exit_code == 0
    make(app, path)
    create_user("marker")
    with app.app_context():
        before = _snapshot()
        assert db.session.scalar(select(func.count()).select_from(ALEMBIC_VERSION)) == 1

    result = runner.invoke(args=["restore", "--yes", str(path)])
    assert result.exit_code != 0
    assert says in result.output, result.output
    if make is _cut_short and _postgres(app):
        assert "rolled back" in result.output  # pg_restore began, and its transaction undid it
    with app.app_context():
        assert _snapshot() == before


def test_without_the_postgresql_tools_the_error_names_the_package(app, tmp_path, monkeypatch):
    if not _postgres(app):
        pytest.skip("SQLite needs no tools: the backup API is in Python's sqlite3")
    import lms.backup

    monkeypatch.setattr(lms.backup.shutil, "which", lambda name: None)
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "lms.backup")])
    assert result.exit_code != 0
    assert "pg_dump is not installed" in result.output and "postgresql-client" in result.output
    assert list(tmp_path.iterdir()) == []
