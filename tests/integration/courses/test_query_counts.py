"""Pages issue the same number of queries whatever the number of lessons, trainees or versions."""

from contextlib import contextmanager

from sqlalchemy import event

from lms.extensions import db
from tests.conftest import post_form, sign_in
from tests.coursekit import write_module


@contextmanager
def count_queries(app):
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


PAGES = ["/programme", "/modules/foundations", "/modules/foundations/lesson-1",
         "/modules/foundations/lesson-1/check", "/search?q=advocate"]


def measure(app, client, pages):
    counts = {}
    for page in pages:
        client.get(page)  # warm: pins the version, first visit writes
        with count_queries(app) as statements:
            response = client.get(page)
        assert response.status_code == 200, page
        counts[page] = len(statements)
    return counts


def add_trainees(app, create_trainee, count):
    people = [create_trainee(name=f"Trainee {n}") for n in range(count)]
    for n, person in enumerate(people):
        c = app.test_client()
        sign_in(c, person)
        c.get("/modules/foundations/lesson-1")
        post_form(c, "/modules/foundations/lesson-1/done", {}, page="/programme")
        if n % 2:
            post_form(c, "/modules/foundations/lesson-2/done", {}, page="/programme")
    return people


def grow(root, sync, extra_lessons, versions):
    """Add lessons to every module and sync, making new versions each time."""
    for version in range(versions):
        for module in ("core", "ms"):
            lessons = root / module / "lessons"
            template = (lessons / "01-lesson-1.md").read_text()
            start = len(list(lessons.glob("*.md"))) + 1
            for n in range(start, start + extra_lessons):
                (lessons / f"{n:02d}-lesson-{n}.md").write_text(
                    template.replace('slug = "lesson-1"', f'slug = "lesson-{n}"')
                    + f"\nVersion {version}.\n")
        sync(root)


def test_study_pages_do_not_issue_more_queries_as_data_grows(app, tmp_path, sync,
                                                             create_trainee, create_user):
    root = tmp_path / "courses"
    write_module(root, folder="core", code="T7001", slug="foundations", content_note_on=None)
    write_module(root, folder="ms", code="T7010", slug="modern-slavery", kind="specialism",
                 specialism="modern_slavery", order=3)
    sync(root)
    first = add_trainees(app, create_trainee, 1)[0]
    staff = app.test_client()
    sign_in(staff, create_user("moderator"))
    staff_pages = ["/staff/content", "/staff/content/foundations",
                   f"/staff/content/foundations/progress?cohort={first.cohort_id}"]
    client = app.test_client()
    sign_in(client, first)
    before = measure(app, client, PAGES) | measure(app, staff, staff_pages)

    grow(root, sync, extra_lessons=6, versions=2)   # 14 lessons a module, 3 versions
    later = add_trainees(app, create_trainee, 25)    # 26 trainees with progress
    client = app.test_client()
    sign_in(client, later[-1])
    after = measure(app, client, PAGES) | measure(app, staff, staff_pages)
    assert after == before


def test_reading_a_lesson_again_writes_nothing(app, synced, create_trainee):
    client = app.test_client()
    sign_in(client, create_trainee())
    client.get("/modules/foundations/lesson-1")  # the first visit pins the version and notes it
    with count_queries(app) as statements:
        page = client.get("/modules/foundations/lesson-1")
    assert page.status_code == 200
    writes = [s for s in statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert writes == []
    assert 'href="/modules/foundations/lesson-1">Continue' in client.get("/programme").text
