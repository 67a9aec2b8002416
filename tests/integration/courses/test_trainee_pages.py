import re

from sqlalchemy import select

from lms.courses.models import CheckAttempt
from lms.extensions import db
from tests.conftest import csrf_token, post_form, sign_in


def text(response):
    return response.get_data(as_text=True)


def test_programme_shows_the_core_and_own_specialism_only(client, synced, create_trainee):
    sign_in(client, create_trainee(specialism="stalking"))
    page = text(client.get("/programme"))
    assert "Module T7001" in page and "Module T7002" in page and "Module T7040" in page
    assert "Module T7010" not in page
    assert "60 credits" in page
    assert client.get("/modules/modern-slavery").status_code == 403
    assert client.get("/modules/modern-slavery/lesson-1").status_code == 403


def test_content_note_comes_first_with_three_choices(client, synced, create_trainee):
    sign_in(client, create_trainee())
    page = text(client.get("/modules/foundations/lesson-2"))
    assert "Before you start" in page and "Mentions coercion in general terms." in page
    assert "Continue to the lesson" in page and "Come back later" in page
    assert 'href="/support"' in page
    assert "What this lesson covers" not in page
    response = post_form(client, "/modules/foundations/lesson-2/content-note", {},
                         page="/programme")
    assert response.headers["Location"] == "/modules/foundations/lesson-2"
    page = text(client.get("/modules/foundations/lesson-2"))
    assert "What this lesson covers" in page and "Before you start" not in page


def test_lesson_shows_outcomes_sources_review_date_and_own_law_open(client, synced,
                                                                     create_trainee):
    sign_in(client, create_trainee(jurisdiction="scotland"))
    page = text(client.get("/modules/foundations/lesson-1"))
    assert "Critically evaluate the advocate" in page
    assert "Modern Slavery Act 2015, section 45 (England and Wales)" in page
    assert "last reviewed 20 November 2026" in page
    assert 'data-jurisdiction="scotland" open>' in page
    assert 'data-jurisdiction="england_wales">' in page
    assert 'rel="next"' in page and 'rel="prev"' not in page
    page = text(client.get("/modules/foundations/lesson-1?jurisdiction=england_wales"))
    assert 'data-jurisdiction="england_wales" open>' in page


def test_mark_done_moves_on_and_programme_resumes(client, synced, create_trainee):
    sign_in(client, create_trainee())
    client.get("/modules/foundations/lesson-1")
    response = post_form(client, "/modules/foundations/lesson-1/done", {"next": "lesson-2"},
                         page="/programme")
    assert response.headers["Location"] == "/modules/foundations/lesson-2"
    page = text(client.get("/programme"))
    assert "1 of 2 lessons done" in page
    assert re.search(r'href="/modules/foundations/lesson-2">Continue', page)
    assert "Done" in text(client.get("/modules/foundations"))
    post_form(client, "/modules/foundations/lesson-1/done", {"done": "0"}, page="/programme")
    assert "0 of 2 lessons done" in text(client.get("/programme"))


def test_knowledge_check_explains_every_answer_and_can_be_retaken(app, client, synced,
                                                                  create_trainee):
    trainee = create_trainee()
    sign_in(client, trainee)
    form = text(client.get("/modules/foundations/lesson-1/check"))
    assert form.count('type="radio" id="q0-') == 2
    assert '<label for="q0-1">The Single Competent Authority</label>' in form
    token = csrf_token(client, "/programme")
    for answer, verdict in (("0", "Not quite"), ("1", "Correct")):
        page = text(client.post("/modules/foundations/lesson-1/check",
                                data={"csrf_token": token, "q0": answer}))
        assert verdict in page
        assert "No: the first responder refers." in page and "Yes: the SCA decides." in page
        assert "not recorded towards your mark" in page
    with app.app_context():
        attempts = db.session.scalars(select(CheckAttempt).where(
            CheckAttempt.user_id == trainee.id)).all()
        assert [a.correct for a in attempts] == [0, 1]


def test_search_finds_lessons_of_own_programme_only(client, synced, create_trainee):
    sign_in(client, create_trainee(specialism="stalking"))
    page = text(client.get("/search?q=statutory+defence"))
    assert "lessons found" in page
    assert "/modules/stalking/lesson-1" in page and "/modules/modern-slavery/" not in page
    assert "Enter at least three characters" in text(client.get("/search?q=ab"))


def test_pages_for_missing_things_are_404(client, synced, create_trainee):
    sign_in(client, create_trainee())
    assert client.get("/modules/nope").status_code == 404
    assert client.get("/modules/foundations/nope").status_code == 404


def test_knowledge_check_options_are_shown_in_each_persons_own_order(client, synced,
                                                                     create_trainee, app):
    """Authors often write the right answer in the same place; people see their own order."""
    orders = set()
    for _ in range(16):
        person = app.test_client()
        sign_in(person, create_trainee())
        form = text(person.get("/modules/foundations/lesson-1/check"))
        order = tuple(re.findall(r'id="q0-(\d)"', form))
        assert order == tuple(re.findall(r'id="q0-(\d)"', text(
            person.get("/modules/foundations/lesson-1/check"))))  # stable on reload
        orders.add(order)
        # The answer is marked by what it is, not where it was shown.
        page = text(person.post("/modules/foundations/lesson-1/check",
                                data={"csrf_token": csrf_token(person, "/programme"),
                                      "q0": "1"}))
        assert "Correct" in page
        shown = re.findall(r"<strong>(The first responder|The Single Competent Authority)"
                           r"</strong>", page)
        assert tuple(str(["The first responder", "The Single Competent Authority"]
                         .index(option)) for option in shown) == order  # same order as asked
    assert orders == {("0", "1"), ("1", "0")}
