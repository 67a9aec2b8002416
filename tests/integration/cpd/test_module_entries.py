"""A module completed on the platform becomes a CPD entry by itself (issue 9)."""

from datetime import date

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.cohorts.models import Enrolment
from lms.courses.content import load_programme
from lms.courses.models import Lesson, LessonProgress, Module
from lms.courses.services import sync_programme
from lms.db import utcnow
from lms.extensions import db
from tests.conftest import csrf_token, post_form, sign_in
from tests.coursekit import SMALL, write_programme
from tests.integration.cpd.conftest import days_ago, entries_of

KIT_MINUTES = 45  # two kit lessons of 20 minutes, rounded up to the quarter hour


def text(response):
    return response.get_data(as_text=True)


def set_cpd(root, folder: str, lines: str) -> None:
    """Add CPD metadata to a kit module's module.toml, above its first table."""
    path = root / folder / "module.toml"
    body = path.read_text()
    path.write_text(body.replace("[[outcomes]]", f"{lines}\n\n[[outcomes]]", 1))


@pytest.fixture
def content(tmp_path):
    root = write_programme(tmp_path / "courses")
    set_cpd(root, "shared_core/law", 'cpd_hours = 6.5\ncpd_topics = ["safeguarding", '
                                     '"law_and_policy"]')
    return root


@pytest.fixture
def synced(app, content):
    with app.app_context():
        sync_programme(load_programme(content, SMALL))
        db.session.commit()
    return content


@pytest.fixture
def trainee(app, create_user, create_cohort):
    """A trainee in the kit programme, on a cohort that began 60 days ago."""
    cohort = create_cohort(starts_on=days_ago(60))
    user = create_user("trainee")
    with app.app_context():
        db.session.add(Enrolment(cohort_id=cohort.id, user_id=user.id,
                                 specialism="modern_slavery", jurisdiction="scotland"))
        db.session.commit()
    return user


@pytest.fixture
def trainee_client(app, synced, trainee):
    client = app.test_client()
    sign_in(client, trainee)
    return client


def mark(client, module: str, lesson: str, done: bool = True):
    client.get(f"/modules/{module}/{lesson}")  # opening a lesson pins the version studied
    return post_form(client, f"/modules/{module}/{lesson}/done", {} if done else {"done": "0"},
                     page="/programme")


def module_entries(app, user):
    return [e for e in entries_of(app, user) if e.source == "module"]


def test_last_lesson_done_makes_one_entry_with_lesson_minutes(app, trainee_client, trainee):
    mark(trainee_client, "foundations", "lesson-1")
    assert module_entries(app, trainee) == []  # one lesson of two: not complete yet
    response = mark(trainee_client, "foundations", "lesson-2")
    [entry] = module_entries(app, trainee)
    assert entry.title == "Completed the module: Module T7001"
    assert entry.minutes == KIT_MINUTES and entry.status == "logged"
    assert entry.start == entry.end == date.today()
    assert entry.activity == "self_directed_study" and entry.participatory is False
    assert entry.topics == [] and entry.what_happened == ""
    with app.app_context():
        assert entry.module_id == db.session.scalar(select(Module.id).where(
            Module.slug == "foundations"))
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "cpd.entry.module"))
        assert event.actor_id == trainee.id and event.subject_id == entry.id
    page = text(trainee_client.get(response.headers["Location"]))
    assert "It is in your CPD as 0.75 hours of self-directed study." in page
    # Marking the lesson done again, or un-doing and re-doing it, makes no second entry.
    mark(trainee_client, "foundations", "lesson-2")
    mark(trainee_client, "foundations", "lesson-2", done=False)
    assert len(module_entries(app, trainee)) == 1  # un-done: the entry stays
    mark(trainee_client, "foundations", "lesson-2")
    assert len(module_entries(app, trainee)) == 1


def test_cpd_hours_and_topics_from_the_module_metadata(app, trainee_client, trainee):
    for lesson in ("lesson-1", "lesson-2"):
        mark(trainee_client, "law", lesson)
    [entry] = module_entries(app, trainee)
    assert entry.minutes == 390  # cpd_hours = 6.5, not the lessons' 40 minutes
    assert entry.topics == ["law_and_policy", "safeguarding"]


def test_dates_run_from_the_first_lesson_done_to_the_last(app, trainee_client, trainee):
    mark(trainee_client, "foundations", "lesson-1")
    with app.app_context():  # the first lesson was done a week ago
        row = db.session.scalar(select(LessonProgress).where(
            LessonProgress.user_id == trainee.id, LessonProgress.completed_at.is_not(None)))
        row.completed_at = utcnow().replace(hour=12) - (date.today() - days_ago(7))
        db.session.commit()
    mark(trainee_client, "foundations", "lesson-2")
    [entry] = module_entries(app, trainee)
    assert (entry.start, entry.end) == (days_ago(7), date.today())


def test_the_entry_counts_in_the_year_and_is_labelled(app, trainee_client, trainee):
    from lms.cpd.services import year_view

    for lesson in ("lesson-1", "lesson-2"):
        mark(trainee_client, "law", lesson)
    with app.app_context():
        from lms.auth.models import User

        progress = year_view(db.session.get(User, trainee.id), date.today()).progress
        assert progress.minutes == 390 and progress.entries == 1
        assert progress.participatory_minutes == 0
    page = text(trainee_client.get("/cpd"))
    assert "Completed the module: Module T7002" in page
    assert "From a module on this platform." in page
    assert "6.5 hours of 20 hours" in page


def test_dates_and_hours_are_read_only_in_the_form(app, trainee_client, trainee):
    for lesson in ("lesson-1", "lesson-2"):
        mark(trainee_client, "foundations", lesson)
    [entry] = module_entries(app, trainee)
    url = f"/cpd/entries/{entry.id}"
    form = text(trainee_client.get(url))
    assert "From a module on this platform" in form and "0.75 hours" in form
    assert 'name="hours"' not in form and 'name="start"' not in form
    assert 'name="end"' not in form and 'name="what_i_learned"' in form
    # A crafted post cannot change them; the reflection the person adds is kept.
    response = trainee_client.post(url, data={
        "csrf_token": csrf_token(trainee_client, "/cpd"), "version": str(entry.version),
        "action": "log", "title": entry.title, "activity": "self_directed_study",
        "hours": "20", "start": days_ago(300).isoformat(), "end": "",
        "what_happened": "Studied the module.", "what_i_learned": "The NRM's stages.",
        "how_practice_changes": "I explain the wait."})
    assert response.status_code == 302, text(response)[:2000]
    [saved] = module_entries(app, trainee)
    assert (saved.minutes, saved.start, saved.end) == (KIT_MINUTES, entry.start, entry.end)
    assert saved.what_i_learned == "The NRM's stages." and saved.source == "module"


def test_only_people_who_log_cpd_get_entries(app, synced, create_user):
    from lms.cpd.module_entries import log_module_completion

    marker, advocate = create_user("marker"), create_user("advocate")
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.slug == "foundations"))
        lessons = db.session.scalars(select(Lesson).where(
            Lesson.version_id == module.current_version_id)).all()
        for person in (marker, advocate):
            for lesson in lessons:
                db.session.add(LessonProgress(user_id=person.id, lesson_id=lesson.id,
                                              completed_at=utcnow()))
        from lms.auth.models import User

        assert log_module_completion(db.session.get(User, marker.id), module) is None
        made = log_module_completion(db.session.get(User, advocate.id), module)
        assert made is not None and made.minutes == KIT_MINUTES
        assert log_module_completion(db.session.get(User, advocate.id), module) is None
        db.session.commit()


def test_a_withdrawn_module_entry_is_not_made_again(app, trainee_client, trainee):
    for lesson in ("lesson-1", "lesson-2"):
        mark(trainee_client, "foundations", lesson)
    [entry] = module_entries(app, trainee)
    post_form(trainee_client, f"/cpd/entries/{entry.id}/withdraw",
              {"reason": "Counted on my employer's record instead."}, page="/cpd")
    mark(trainee_client, "foundations", "lesson-2", done=False)
    mark(trainee_client, "foundations", "lesson-2")
    assert [e.status for e in module_entries(app, trainee)] == ["withdrawn"]


def test_backfill_makes_entries_for_earlier_completions_once(app, synced, trainee,
                                                            create_user):
    unfinished, marker = create_user("trainee"), create_user("marker")
    with app.app_context():
        lessons = db.session.scalars(select(Lesson).join(
            Module, Module.current_version_id == Lesson.version_id)
            .where(Module.slug.in_(("foundations", "law")))).all()
        for lesson in lessons:  # done before the platform made entries
            for person in (trainee, marker):
                db.session.add(LessonProgress(user_id=person.id, lesson_id=lesson.id,
                                              completed_at=utcnow()))
        db.session.add(LessonProgress(user_id=unfinished.id, lesson_id=lessons[0].id,
                                      completed_at=utcnow()))
        db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["cpd", "backfill-modules"])
    assert first.exit_code == 0, first.output
    assert "Made 2 CPD entries" in first.output
    assert sorted(e.minutes for e in module_entries(app, trainee)) == [KIT_MINUTES, 390]
    assert module_entries(app, unfinished) == [] and module_entries(app, marker) == []
    again = runner.invoke(args=["cpd", "backfill-modules"])
    assert "Made 0 CPD entries" in again.output
    assert len(module_entries(app, trainee)) == 2


@pytest.mark.parametrize(("line", "message"), [
    ("cpd_hours = 0.3", "'cpd_hours' must be more than 0, in quarter-hour steps"),
    ("cpd_hours = 0", "'cpd_hours' must be more than 0, in quarter-hour steps"),
    ('cpd_hours = "six"', "'cpd_hours' must be a number of hours"),
    ('cpd_topics = ["astrology"]', "'cpd_topics' is a list of CPD topic areas"),
])
def test_content_check_refuses_bad_cpd_metadata(tmp_path, line, message):
    root = write_programme(tmp_path / "courses")
    set_cpd(root, "stalking", line)
    problems = [str(p) for p in load_programme(root, SMALL).problems]
    path = root / "stalking" / "module.toml"
    number = path.read_text().split("\n").index(line) + 1
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:{number}: ") and message in problems[0]


def test_content_check_accepts_quarter_hours(tmp_path):
    root = write_programme(tmp_path / "courses")
    set_cpd(root, "stalking", 'cpd_hours = 7.75\ncpd_topics = ["wellbeing"]')
    assert load_programme(root, SMALL).problems == []
