"""Two requests of one trainee at the same moment (a double click, two tabs): both find no row,
the first inserts it and commits, then the second inserts too. That was a unique constraint
failure and a 500 (found by the load run, tests/bench/load.py); now the first wins quietly.
The other request is played by a second connection committing its row just before this
request's insert."""

from contextlib import contextmanager

from sqlalchemy import event, func, insert, select

from lms.courses.models import Lesson, LessonProgress, Module, ModuleStudy
from lms.db import utcnow
from lms.extensions import db
from tests.conftest import csrf_token, sign_in


@contextmanager
def other_tab_commits(app, table: str, row):
    """Just before this request inserts into `table`, another connection commits a row in it
    (`row()` gives the INSERT)."""
    fired = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if fired or not statement.lstrip().startswith(f"INSERT INTO {table} "):
            return
        fired.append(statement)
        with db.engine.begin() as other:
            other.execute(row())

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)
    try:
        yield fired
    finally:
        event.remove(engine, "before_cursor_execute", before)


def _ids(app, user):
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.slug == "foundations"))
        return user.id, module.id, module.current_version_id


def test_a_lesson_marked_done_in_two_tabs_at_once_is_done_once(app, client, synced,
                                                              create_trainee):
    trainee = create_trainee()
    sign_in(client, trainee)
    client.get("/modules/foundations/lesson-1")
    lesson_id = _lesson_id(app)
    row = lambda: insert(LessonProgress).values(  # noqa: E731
        user_id=trainee.id, lesson_id=lesson_id, completed_at=utcnow())
    token = csrf_token(client, "/programme")
    with other_tab_commits(app, "lesson_progress", row) as fired:
        response = client.post("/modules/foundations/lesson-1/done",
                               data={"csrf_token": token})
    assert fired, "the other tab never got between the read and the write"
    assert response.status_code == 302
    assert "1 of 2 lessons done" in client.get("/programme").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LessonProgress)) == 1


def test_a_module_opened_in_two_tabs_at_once_is_pinned_once(app, client, synced,
                                                           create_trainee):
    trainee = create_trainee()
    sign_in(client, trainee)
    user_id, module_id, version_id = _ids(app, trainee)
    row = lambda: insert(ModuleStudy).values(  # noqa: E731
        user_id=user_id, module_id=module_id, version_id=version_id, started_at=utcnow(),
        last_active_at=utcnow())
    with other_tab_commits(app, "module_studies", row) as fired:
        response = client.get("/modules/foundations/lesson-1")
    assert fired, "the other tab never got between the read and the write"
    assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ModuleStudy)) == 1


def _lesson_id(app):
    with app.app_context():
        return db.session.scalar(select(Lesson.id).where(Lesson.slug == "lesson-1")
                                 .join(Module, Module.current_version_id == Lesson.version_id)
                                 .where(Module.slug == "foundations"))
