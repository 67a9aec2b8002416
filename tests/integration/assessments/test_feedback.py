"""Feedback a trainee understands: how the mark is made, moderation, and their own work."""

import io
import re
from datetime import date, timedelta
from fractions import Fraction
from html import unescape

from assessments.deadlines import london_deadline
from assessments.marks import round_mark
from tests import filekit
from tests.clock import freeze_submission_clock
from tests.conftest import sign_in
from tests.integration.assessments.test_marking import (
    mark_as,
    release_all,
    staff,
    submit_work,
    work_of,
)
from tests.integration.assessments.test_taking import post, text

NAMES = ("Marker Alpha", "Marker Beta", "Programme Lead")


def table(page: str, caption: str) -> list[list[str]]:
    """The rows of the table whose caption starts with `caption`, as the cells' text."""
    found = re.search(r"<table[^>]*>\s*<caption[^>]*>" + re.escape(caption) + r".*?</table>",
                      page, re.S)
    assert found, f"no table captioned {caption!r}"
    return [[unescape(re.sub(r"<[^>]+>", "", cell)).strip()
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", found.group(0), re.S)]


def mark_and_make_up(page: str) -> str:
    """The feedback panel from the mark down to the trainee's path."""
    return page.split('id="feedback-heading"')[1].split("Your path through the case")[0]


def cycle(app, setting, enrolled, create_user, *, first="64", second=None, agreed=None,
          reason="", aid=None):
    """A trainee submits; it is marked (and second marked), agreed, approved and released."""
    aid = aid or setting()
    trainee, client = submit_work(app, setting, enrolled, aid, "Tamsin Reade")
    marker_a, a = staff(app, create_user, "marker", name=NAMES[0])
    marker_b, b = staff(app, create_user, "marker", name=NAMES[1])
    _lead, moderator = staff(app, create_user, "moderator", name=NAMES[2])
    work = work_of(app, trainee)
    post(moderator, f"/moderation/{aid}/allocate", {"markers": [marker_a.id], "role": "first"})
    mark_as(a, work.id, "first", first, overall="A careful, person-led first meeting.")
    if second:
        post(moderator, f"/moderation/{aid}/allocate/{work.id}",
             {"marker": marker_b.id, "role": "second"})
        mark_as(b, work.id, "second", second, overall="Second marker: stronger than that.")
    before = text(client.get(f"/assessments/{aid}"))
    assert "How your mark is made" not in before and "A careful, person-led" not in before
    post(moderator, f"/moderation/{aid}/agree/{work.id}", {"mark": agreed, "reason": reason})
    post(moderator, f"/moderation/{aid}/approve")
    release_all(moderator, aid)
    return aid, work, client


def test_a_released_mark_shows_how_it_is_made_and_the_numbers_add_up(
        app, setting, enrolled, create_user):
    # Decisions: the recommended path, 100. Written work: 64 on the one criterion.
    aid, work, client = cycle(app, setting, enrolled, create_user, agreed="78")
    page = text(client.get(f"/assessments/{aid}"))
    assert "Mark: <strong>78</strong> (Distinction)" in page and "Moderated" not in page
    rows = table(page, "How your mark is made")
    assert rows[1:] == [
        ["Your decisions in the scenario", "40%", "100", "40"],
        ["Your written work", "60%", "64", "38.4"],
        ["Total, rounded to a whole mark", "", "78", "78.4"],
        ["Your mark", "", "78", ""]]
    parts = [Fraction(row[3]) for row in rows[1:3]]
    assert sum(parts) == Fraction(rows[3][3]) and round_mark(sum(parts)) == 78
    assert all(Fraction(r[1][:-1]) * int(r[2]) / 100 == Fraction(r[3]) for r in rows[1:3])
    assert table(page, "Your written work mark")[1:] == [
        ["Independence", "100%", "64", "64"],
        ["Written work, rounded to a whole mark", "", "64", "64"]]
    # Each criterion stacked: title, weight and mark, then its feedback at full width.
    stacked = page.split('class="criterion-feedback"')[1].split("</ul>")[0]
    assert re.search(r"<h4>Independence</h4>\s*<p class=\"muted\">Weight 100% · mark 64</p>"
                     r"\s*<div class=\"answer\"><p>Independence explained well.</p>", stacked)
    assert "A careful, person-led first meeting." in page
    assert not any(name in page for name in NAMES)
    # The ending reached is a stage visited.
    assert "Stages visited: Meeting → Plan → Good end." in page


def test_a_moderated_mark_says_so_with_the_agreed_feedback_not_the_first_markers_criteria(
        app, setting, enrolled, create_user):
    # First marker: 64 (component 78); second: 90 (component 94); the moderator agrees 85.
    aid, work, client = cycle(app, setting, enrolled, create_user, second="90", agreed="85",
                              reason="Discussed: the plan is stronger than its first marks.")
    page = text(client.get(f"/assessments/{aid}"))
    assert "Mark: <strong>85</strong> (Distinction) <span class=\"tag\">Moderated</span>" in page
    assert "Reason given at moderation: Discussed: the plan is stronger than its first marks." \
        in page
    rows = table(page, "How your mark is made")
    assert rows[1:] == [
        ["Your decisions in the scenario", "40%", "100", ""],
        ["Your written work", "60%", "agreed as a whole", ""],
        ["Mark agreed at moderation", "", "85", ""],
        ["Your mark", "", "85", ""]]
    assert "Your written work mark" not in page  # the first marker's criteria are not the 85
    stacked = page.split('class="criterion-feedback"')[1].split("</ul>")[0]
    assert "Weight 100%" in stacked and "64" not in stacked
    assert not re.search(r"\b(64|78|90|94)\b", mark_and_make_up(page))
    assert "Second marker: stronger than that." not in page
    assert not any(name in page for name in NAMES)


def test_a_mark_agreed_as_the_first_marker_gave_it_after_a_second_marking_is_not_moderated(
        app, setting, enrolled, create_user):
    aid, _work, client = cycle(app, setting, enrolled, create_user, second="66", agreed="78",
                               reason="The first mark stands.")
    page = text(client.get(f"/assessments/{aid}"))
    assert "Mark: <strong>78</strong> (Distinction)</p>" in page
    assert "Moderated" not in page and "Total, rounded to a whole mark" in page


def test_late_work_shows_the_cap_as_a_line_of_the_make_up(app, setting, enrolled,
                                                          create_user, monkeypatch):
    day = date.today() + timedelta(days=60)
    while day.weekday() != 1:  # a Tuesday: one hour late is one working day late
        day += timedelta(days=1)
    deadline = london_deadline(day)
    freeze_submission_clock(monkeypatch, deadline + timedelta(hours=1))
    aid, _work, client = cycle(app, setting, enrolled, create_user, agreed="78",
                               aid=setting(deadline=deadline))
    rows = table(text(client.get(f"/assessments/{aid}")), "How your mark is made")
    assert rows[3:] == [["Total, rounded to a whole mark", "", "78", "78.4"],
                        ["1 working day late: capped at 50", "", "50", ""],
                        ["Your mark", "", "50", ""]]


def test_a_trainee_reads_their_own_submitted_work_and_no_one_else_can(
        app, setting, enrolled, create_user, client):
    aid = setting()
    trainee = enrolled(setting.cohort, name="Tamsin Reade")
    sign_in(client, trainee)
    post(client, f"/assessments/{aid}/scenario")
    post(client, f"/assessments/{aid}/scenario/decide",
         {"stage": "meet", "option": "a", "justification": "Trust first:\nthen the plan."})
    post(client, f"/assessments/{aid}/scenario/answer",
         {"stage": "plan", "answer": "## My plan\n\nMeet **weekly**.", "action": "save",
          "attachment": (io.BytesIO(filekit.pdf()), "plan.pdf")},
         content_type="multipart/form-data")
    post(client, f"/assessments/{aid}/scenario/answer",
         {"stage": "plan", "answer": "## My plan\n\nMeet **weekly**.", "action": "continue"})
    receipt = post(client, f"/assessments/{aid}/submit", {"declaration": "y"})
    work = work_of(app, trainee)
    overview = text(client.get(f"/assessments/{aid}"))
    assert "See your receipt and the work you submitted" in overview
    page = text(client.get(receipt.headers["Location"]))
    mine = page.split('id="submitted-heading"')[1]
    assert "Explain your independence" in mine and "Trust first:\nthen the plan." in mine
    assert "<h4>My plan</h4>" in mine and "<strong>weekly</strong>" in mine
    assert "Stages visited: Meeting → Plan → Good end." in mine
    assert re.search(r'href="/attachments/\d+">plan.pdf</a>', mine)
    # Nothing of the marking yet: no score, no recommended route.
    assert "Recommended" not in page and "Decision score" not in page
    assert "Good." in mine  # decisions were final, so the player showed this feedback already

    other = app.test_client()
    sign_in(other, enrolled(setting.cohort, name="Someone Else"))
    assert other.get(f"/submissions/{work.id}/receipt").status_code == 404
    marker, marker_client = staff(app, create_user, "marker", name="Marker Alpha")
    assert marker_client.get(f"/submissions/{work.id}/receipt").status_code in (403, 404)


def test_choice_feedback_waits_for_release_where_the_trainee_could_go_back(
        app, setting, enrolled):
    aid = setting(allow_back=True)
    trainee, client = submit_work(app, setting, enrolled, aid, "Tamsin Reade")
    work_page = text(client.get(f"/assessments/{aid}"))
    receipt = text(client.get(f"/submissions/{work_of(app, trainee).id}/receipt"))
    mine = receipt.split('id="submitted-heading"')[1]
    assert "Explain your independence" in mine and "Good." not in mine
    assert "Feedback on each choice is shown with your marks" in mine
    for page in (work_page, receipt):
        assert "Recommended" not in page and "Not without consent." not in page


def test_the_ending_reached_is_among_the_stages_visited_on_a_short_path(app, setting, enrolled,
                                                                       client):
    aid = setting()
    sign_in(client, enrolled(setting.cohort, name="Tamsin Reade"))
    post(client, f"/assessments/{aid}/scenario")
    post(client, f"/assessments/{aid}/scenario/decide", {"stage": "meet", "option": "b"})
    post(client, f"/assessments/{aid}/scenario/answer",
         {"stage": "reflect", "answer": "I moved too fast.", "action": "continue"})
    receipt = post(client, f"/assessments/{aid}/submit", {"declaration": "y"})
    page = text(client.get(receipt.headers["Location"]))
    assert "Stages visited: Meeting → Looking back → Poor end." in page
    assert "I moved too fast." in page
