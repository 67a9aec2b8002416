"""The content review cycle: the staff page, recording a review, comparing two versions."""

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms import limits
from lms.audit.models import AuditEvent
from lms.courses.models import ContentReview
from lms.extensions import db
from tests.conftest import csrf_token, sign_in

ITEM = "/staff/content/foundations/review/lesson/lesson-1"
FACTS = ("(1) Check the Victims and Prisoners Act 2024, section 16, for new guidance. "
         "(2) Confirm the NRM statutory guidance date.")


def text(response):
    return html.unescape(response.get_data(as_text=True))


def set_lesson(root, module, number, *, reviewed=None, notes=None, body=None, title=None):
    path = root / module / "lessons" / f"{number:02d}-lesson-{number}.md"
    source = path.read_text()
    if reviewed:
        source = source.replace(f"last_reviewed = {date.today().isoformat()}",
                                f"last_reviewed = {reviewed.isoformat()}")
    if notes:
        source = source.replace("minutes = 20", f'minutes = 20\nreview_notes = "{notes}"')
    if body:
        heading = "## What this lesson covers"
        source = source.replace(heading, f"{heading}\n\n{body}")
    if title:
        source = source.replace(f'title = "Lesson {number} of',
                                f'title = "{title}, lesson {number} of')
    path.write_text(source)


@pytest.fixture
def today_content(content):
    """The small programme, every file last reviewed today (so nothing is due by accident)."""
    for path in content.rglob("*"):
        if path.suffix in (".md", ".toml"):
            path.write_text(path.read_text().replace("last_reviewed = 2026-11-20",
                                                     f"last_reviewed = {date.today()}"))
    return content


def reviews(app):
    with app.app_context():
        return db.session.scalars(select(ContentReview).order_by(ContentReview.id)).all()


def test_the_review_page_lists_everything_by_due_date_with_the_facts_flagged(
        client, today_content, sync, create_user):
    set_lesson(today_content, "shared_core/law", 2, reviewed=date.today() - timedelta(days=400))
    set_lesson(today_content, "stalking", 1, reviewed=date.today() - timedelta(days=170),
               notes=FACTS)
    sync(today_content)
    sign_in(client, create_user("marker"))
    page = text(client.get("/staff/content-review"))
    assert "1 due now or overdue" in page and "1 due within 30 days" in page
    assert "1 flagging facts to check" in page and "Showing 12 of 12" in page
    body = page.split("<tbody>")[1]
    # earliest due first: the 400-day-old lesson, then the flagged one (due at 6 months)
    assert body.index("Lesson 2 of T7002") < body.index("Lesson 1 of T7040") < body.index(
        "A first meeting")
    overdue_row = body.split("Lesson 2 of T7002")[1].split("</tr>")[0]
    assert "None flagged" in overdue_row and "None recorded" in overdue_row
    flagged_row = body.split("<tr>")[2]
    assert "Lesson 1 of T7040" in flagged_row and "Due soon" in flagged_row
    assert "2 facts to check" in flagged_row
    assert "<li>Check the Victims and Prisoners Act 2024, section 16, for new guidance.</li>" \
        in flagged_row
    assert page.count("Scenario</span>") == 4  # every module's scenario is listed

    overdue = text(client.get("/staff/content-review?show=overdue"))
    assert "Showing 1 of 12" in overdue and "Lesson 2 of T7002" in overdue
    found = text(client.get("/staff/content-review?show=all&facts=victims+and+prisoners"))
    assert "Showing 1 of 12" in found and "Lesson 1 of T7040" in found
    assert 'value="victims and prisoners"' in found
    none = text(client.get("/staff/content-review?show=flagged&facts=Illegal+Migration"))
    assert "Nothing matches this filter." in none
    summary = text(client.get("/staff/content"))
    assert "1 of 12 lessons and scenarios is due for review now, and 1 more within 30 days" \
        in summary


def test_a_marker_records_a_review_who_when_what_and_the_clock_restarts(
        app, client, today_content, sync, create_user):
    set_lesson(today_content, "shared_core/foundations", 1,
               reviewed=date.today() - timedelta(days=400))
    sync(today_content)
    marker = create_user("marker", name="Morag Reviewer")
    sign_in(client, marker)
    page = text(client.get(ITEM))
    assert "Due now" in page and "No review of this lesson has been recorded" in page
    response = client.post(ITEM, data={
        "checked": "Modern Slavery Act 2015 s.45 against legislation.gov.uk: unchanged.",
        "outcome": "no_change", "csrf_token": csrf_token(client, ITEM)})
    assert response.status_code == 302
    [review] = reviews(app)
    assert (review.reviewer_id, review.kind, review.slug, review.outcome) == (
        marker.id, "lesson", "lesson-1", "no_change")
    assert review.checked.startswith("Modern Slavery Act 2015 s.45")
    with app.app_context():
        from lms.courses.models import Module

        module = db.session.scalar(select(Module).where(Module.slug == "foundations"))
        assert review.version_id == module.current_version_id
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "content_reviewed"))
    assert (event.actor_id, event.subject_type, event.subject_id) == (
        marker.id, "ContentReview", review.id)
    assert event.after["outcome"] == "no_change" and event.after["slug"] == "lesson-1"

    page = text(client.get(ITEM))
    assert "Review recorded. The next review is due from today." in page
    history = page.split("Reviews recorded</h2>")[1]
    assert "Morag Reviewer" in history and "No change needed" in history
    assert f"{date.today().day} {date.today():%B %Y}, " in history
    assert "Due now" not in page  # the recorded review restarted the clock
    listing = text(client.get("/staff/content-review"))
    assert "0 due now or overdue" in listing
    assert "Morag Reviewer, " in listing and ": no change needed" in listing


def test_a_review_that_changes_text_waits_for_the_files_and_a_new_version(
        app, client, today_content, sync, create_user):
    sync(today_content)
    sign_in(client, create_user("moderator", name="Lead Person"))
    client.post(ITEM, data={"checked": "First look.", "outcome": "no_change",
                            "csrf_token": csrf_token(client, ITEM)})
    response = client.post(ITEM, data={
        "checked": "Section 45 wording.", "outcome": "text_changed",
        "csrf_token": csrf_token(client, ITEM)}, follow_redirects=True)
    page = text(response)
    assert ("Review recorded against version 1. The new text takes effect when the content "
            "files are edited and synced, which makes a new version.") in page
    assert "Text changed: new text not yet synced" in page
    history = page.split("Reviews recorded</h2>")[1]
    assert history.index("Section 45 wording.") < history.index("First look.")  # latest first
    assert ": text changed" in text(client.get("/staff/content-review")).split(
        "Lesson 1 of T7001")[1].split("</tr>")[0]  # the last review is the one listed
    set_lesson(today_content, "shared_core/foundations", 1, body="New wording on section 45.")
    sync(today_content)
    page = text(client.get(ITEM))
    assert "Text changed: version 2 synced since" in page
    assert "<td>1</td>" in page.split("Reviews recorded</h2>")[1]  # kept against version 1


@pytest.mark.parametrize(("data", "message"), [
    ({"checked": "   ", "outcome": "no_change"}, "Say what you checked"),
    ({"checked": "Checked it all.", "outcome": ""}, "Choose whether the text needs to change"),
    ({"checked": "x" * (limits.CONTENT_REVIEW + 7), "outcome": "text_changed"},
     "shorten it by 7"),
])
def test_bad_input_comes_back_422_with_what_was_typed_and_records_nothing(
        app, client, synced, create_user, data, message):
    sign_in(client, create_user("marker"))
    response = client.post(ITEM, data={**data, "csrf_token": csrf_token(client, ITEM)})
    assert response.status_code == 422
    page = text(response)
    assert "There is a problem" in page and message in page
    assert data["checked"] in page  # kept
    if data["outcome"]:
        assert re.search(rf'<input checked[^>]*value="{data["outcome"]}"', page)
    assert reviews(app) == []


def test_examiners_read_reviews_but_do_not_record_them_and_trainees_see_nothing(
        app, client, synced, create_user, create_trainee):
    sign_in(client, create_user("examiner"))
    page = text(client.get(ITEM))
    assert "Record a review" not in page and "Course staff (markers and moderators)" in page
    token = csrf_token(client, ITEM)
    assert client.post(ITEM, data={"checked": "x", "outcome": "no_change",
                                   "csrf_token": token}).status_code == 403
    assert reviews(app) == []
    trainee = app.test_client()
    sign_in(trainee, create_trainee())
    for url in ("/staff/content-review", ITEM, "/staff/content/foundations/compare",
                "/staff/content/foundations/compare.csv"):
        assert trainee.get(url).status_code == 403, url


def test_unknown_items_are_not_found(client, synced, create_user):
    sign_in(client, create_user("marker"))
    assert client.get("/staff/content/foundations/review/lesson/no-such").status_code == 404
    assert client.get("/staff/content/foundations/review/module/lesson-1").status_code == 404
    assert client.get("/staff/content/nowhere/review/lesson/lesson-1").status_code == 404
    assert client.get("/staff/content/foundations/review/scenario/first-meeting").status_code \
        == 200


def test_the_comparison_reports_lessons_scenarios_and_an_escaped_line_diff(
        client, content, sync, create_user):
    sync(content)
    sign_in(client, create_user("moderator"))
    page = text(client.get("/staff/content/foundations/compare"))
    assert "This module has one version, so there is nothing to compare yet." in page
    set_lesson(content, "shared_core/foundations", 1, title="Independence",
               body="Never write `<script>` in a lesson.")
    lesson_3 = content / "shared_core/foundations/lessons/03-lesson-3.md"
    lesson_3.write_text((content / "shared_core/foundations/lessons/02-lesson-2.md").read_text()
                        .replace('slug = "lesson-2"', 'slug = "lesson-3"')
                        .replace("Lesson 2 of", "Lesson 3 of"))
    scenario = content / "shared_core/foundations/scenarios/first-meeting.toml"
    scenario.write_text(scenario.read_text().replace('pass = "50-59: sound"',
                                                     'pass = "50-59: sound and clear"'))
    (content / "shared_core/foundations/module.toml").write_text(
        (content / "shared_core/foundations/module.toml").read_text().replace(
            "Critically evaluate the advocate's role.", "Critically evaluate advocacy."))
    sync(content)
    response = client.get("/staff/content/foundations/compare")
    assert response.status_code == 200
    raw = response.get_data(as_text=True)
    assert "&lt;code&gt;" not in raw and "`&lt;script&gt;`" in raw and "<script>" not in raw
    page = text(response)
    assert "what changed from version 1 to version 2" in page
    assert "Lessons: 1 added, 0 removed, 1 changed" in page
    assert "Scenarios: 0 added, 0 removed, 1 changed" in page
    assert "<li>Lesson 3 of T7001</li>" in page
    assert "Lesson changed: Independence, lesson 1 of T7001" in page
    assert "<td>Title</td><td>Lesson 1 of T7001</td><td>Independence, lesson 1 of T7001</td>" \
        in page
    assert "2 lines added and 0 lines removed" in page
    assert "Added: </span><span aria-hidden=\"true\">+ </span>Never write `<script>`" in page
    assert "<td>Rubric C1: pass band</td><td>50-59: sound</td><td>50-59: sound and clear</td>" \
        in page
    assert "<td>Outcome LO1</td><td>Critically evaluate the advocate's role.</td>" in page
    same = text(client.get("/staff/content/foundations/compare?from=2&to=2"))
    assert "Choose two different versions to compare." in same
    assert client.get("/staff/content/foundations/compare?from=1&to=9").status_code == 404
    csv = client.get("/staff/content/foundations/compare.csv?from=1&to=2")
    assert csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).splitlines()
    assert lines[0] == "Area,Item,Change,Version 1,Version 2"
    assert "Lesson,Lesson 3 of T7001,Added,,Lesson 3 of T7001" in lines
    assert "Lesson,\"Independence, lesson 1 of T7001\",Text (Markdown),0 lines removed,2 lines " \
        "added" in lines
