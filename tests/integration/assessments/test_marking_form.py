"""The marking form: bad input keeps every mark and word, a stale form overwrites nothing,
the queue is in the order it states, and moderators see each marker's distribution."""

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from lms.assessments.models import Mark, Submission
from lms.audit.models import AuditEvent
from lms.extensions import db
from tests.integration.assessments.test_marking import staff, submit_work, work_of
from tests.integration.assessments.test_taking import post, text

CRITERIA = [("C1", "Independence"), ("C2", "Weighing risk"), ("C3", "Person-led planning"),
            ("C4", "Law and rights")]
FEEDBACK = {
    "feedback-C1": "Explains independence from the police and the support provider clearly.",
    "feedback-C2": "Weighs the risk of going home against Ana's own wishes; cites the guidance.",
    "feedback-C3": "The plan follows what Ana asked for, in her words, with dates.",
    "feedback-C4": "Names the NRM, legal aid and the CICA route; misses the time limit.",
    "overall": "A careful, person-led piece of work.\n\nSecond paragraph: keep this too.",
}


def four_criteria(app, aid):
    """Give the kit's scenario a four-criterion rubric, as real scenarios have."""
    from lms.assessments.models import Assessment

    with app.app_context():
        version = db.session.get(Assessment, aid).version
        scenarios = dict(version.scenarios)
        bands = scenarios["first-meeting"]["rubric"][0]["bands"]
        scenarios["first-meeting"] = {**scenarios["first-meeting"], "rubric": [
            {"id": cid, "title": title, "outcome": "LO1", "weight": 25, "bands": bands}
            for cid, title in CRITERIA]}
        version.scenarios = scenarios
        db.session.commit()


class Form(HTMLParser):
    """What a browser would show in a page's form fields, and which elements have ids."""

    def __init__(self, html: str):
        super().__init__()
        self.values: dict[str, str] = {}
        self.attrs: dict[str, dict] = {}
        self.ids: dict[str, str] = {}
        self._open: list[tuple[str | None, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name"):
            self.values[attrs["name"]] = attrs.get("value") or ""
            self.attrs[attrs["name"]] = attrs
        if tag == "textarea":
            self.values[attrs["name"]] = ""
            self.attrs[attrs["name"]] = attrs
        if tag not in ("input", "br", "meta", "link", "img"):
            self._open.append((attrs.get("id"), tag))
            if attrs.get("id"):
                self.ids[attrs["id"]] = ""
        if tag == "textarea":
            self._textarea = attrs["name"]

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.values[self._textarea] = self.values[self._textarea].removeprefix("\n")
            self._textarea = None
        while self._open:
            if self._open.pop()[1] == tag:
                break

    def handle_data(self, data):
        if getattr(self, "_textarea", None):
            self.values[self._textarea] += data
        for element_id, _tag in self._open:
            if element_id:
                self.ids[element_id] += data


def summary_links(html: str) -> dict[str, str]:
    box = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    return {href: re.sub(r"\s+", " ", words).strip()
            for href, words in re.findall(r'<a href="#([^"]+)">(.*?)</a>', box, re.S)}


@pytest.fixture
def marking(app, setting, enrolled, create_user):
    """One submitted piece of work on a four-criterion rubric, allocated to a signed-in marker."""
    aid = setting()
    four_criteria(app, aid)
    trainee, _ = submit_work(app, setting, enrolled, aid, "Ana Pereira")
    marker, client = staff(app, create_user, "marker", name="Marker Alpha")
    _, moderator = staff(app, create_user, "moderator", name="Programme Lead")
    post(moderator, f"/moderation/{aid}/allocate", {"markers": [marker.id], "role": "first"})
    work = work_of(app, trainee)
    client.url = f"/marking/{work.id}/first"
    client.work_id, client.aid, client.moderator = work.id, aid, moderator
    return client


def typed(marks, action="complete", **extra):
    return {**{f"mark-{cid}": m for (cid, _), m in zip(CRITERIA, marks, strict=True)},
            **FEEDBACK, "action": action, **extra}


def saved(app, work_id):
    with app.app_context():
        return (db.session.scalar(select(func.count(Mark.id)).where(Mark.submission_id == work_id)),
                db.session.scalar(select(func.count(AuditEvent.id)).where(
                    AuditEvent.subject_type == "Submission", AuditEvent.subject_id == work_id,
                    AuditEvent.action.like("mark%"))))


@pytest.mark.parametrize("bad", ["101", "-1", "12.5", "sixty", " 1 0 ", "٣"])
@pytest.mark.parametrize("action", ["save", "complete"])
def test_a_bad_mark_keeps_every_mark_and_word_and_says_why_at_the_field(app, marking, bad,
                                                                        action):
    version = Form(text(marking.get(marking.url))).values["version"]
    response = post(marking, marking.url, typed(["64", bad, "58", "70"], action, version=version))
    assert response.status_code == 422
    html = text(response)
    form = Form(html)
    assert [form.values[f"mark-{cid}"] for cid, _ in CRITERIA] == ["64", bad, "58", "70"]
    assert {name: form.values[name] for name in FEEDBACK} == FEEDBACK
    message = "The mark for Weighing risk must be a whole number from 0 to 100."
    assert form.ids["mark-C2-error"].strip() == "Error: " + message
    assert form.attrs["mark-C2"]["aria-describedby"] == "mark-C2-error"
    assert form.attrs["mark-C2"]["aria-invalid"] == "true"
    assert "aria-invalid" not in form.attrs["mark-C1"]
    assert summary_links(html) == {"mark-C2": message}
    assert form.values["version"] == version
    assert saved(app, marking.work_id) == (0, 0)


def test_a_good_save_keeps_the_marks_and_the_next_form_carries_them(app, marking):
    response = post(marking, marking.url, typed(["64", "", "58", "70"], "save",
                                                version=""))
    assert response.status_code == 302
    form = Form(text(marking.get(marking.url)))
    assert [form.values[f"mark-{cid}"] for cid, _ in CRITERIA] == ["64", "", "58", "70"]
    assert form.values["overall"] == FEEDBACK["overall"]
    assert form.values["version"] != ""
    assert saved(app, marking.work_id) == (1, 1)


def test_every_problem_at_once_in_page_order_and_nothing_lost(app, marking):
    long = "x" * 5001
    response = post(marking, marking.url, {**typed(["", "101", "", "70"]),
                                           "feedback-C3": long, "overall": "  "})
    assert response.status_code == 422
    html = text(response)
    assert list(summary_links(html)) == ["mark-C1", "mark-C2", "mark-C3", "feedback-C3",
                                         "overall"]
    assert summary_links(html)["mark-C1"] == ("Give a mark for Independence to mark this as "
                                              "complete.")
    assert summary_links(html)["overall"] == "Write overall feedback to mark this as complete."
    form = Form(html)
    assert form.values["feedback-C3"] == long and form.values["mark-C2"] == "101"
    assert saved(app, marking.work_id) == (0, 0)


def current_mark(app, work_id):
    with app.app_context():
        mark = db.session.scalar(select(Mark).where(Mark.submission_id == work_id,
                                                    Mark.current()))
        return mark.criterion_marks, mark.criterion_feedback, mark.overall_feedback


@pytest.mark.parametrize("first_saved", [False, True])
def test_two_tabs_the_second_save_shows_both_and_overwrites_nothing(app, marking,
                                                                    first_saved):
    if first_saved:  # both tabs opened on an earlier provisional save
        post(marking, marking.url, typed(["50", "50", "50", "50"], "save",
                                         version=""))
    tab_a = Form(text(marking.get(marking.url))).values["version"]
    tab_b = Form(text(marking.get(marking.url))).values["version"]
    assert post(marking, marking.url, typed(["64", "62", "58", "70"], "save",
                                            version=tab_a)).status_code == 302
    kept = current_mark(app, marking.work_id)

    mine = {**typed(["40", "41", "42", "43"], "save", version=tab_b),
            "feedback-C1": "Tab B's feedback: the second thoughts."}
    response = post(marking, marking.url, mine)
    assert response.status_code == 409
    assert current_mark(app, marking.work_id) == kept  # nothing overwritten
    html = text(response)
    assert "conflict" in summary_links(html)
    conflict = Form(html).ids["conflict"]
    assert "Nothing you typed has been saved and nothing has been overwritten" in conflict
    assert "Explains independence from the police" in conflict  # the saved version
    assert "Tab B's feedback: the second thoughts." in conflict  # and theirs
    form = Form(html)
    assert [form.values[f"mark-{cid}"] for cid, _ in CRITERIA] == ["40", "41", "42", "43"]
    assert form.values["feedback-C1"] == "Tab B's feedback: the second thoughts."

    # Having seen both, the marker may keep theirs: the form now carries the saved version.
    again = post(marking, marking.url, {**mine, "version": form.values["version"]})
    assert again.status_code == 302
    assert current_mark(app, marking.work_id)[0] == {"C1": 40, "C2": 41, "C3": 42, "C4": 43}


def test_the_queue_puts_unmarked_work_first_then_provisional_then_complete(
        app, setting, enrolled, create_user):
    aid = setting()
    works = [work_of(app, submit_work(app, setting, enrolled, aid, f"Trainee {n}")[0])
             for n in range(3)]
    marker, client = staff(app, create_user, "marker", name="Marker Alpha")
    _, moderator = staff(app, create_user, "moderator", name="Programme Lead")
    post(moderator, f"/moderation/{aid}/allocate", {"markers": [marker.id], "role": "first"})
    lowest, middle, highest = sorted(works, key=lambda w: w.candidate_number)
    mark = {"mark-C1": "60", "feedback-C1": "Fine.", "overall": "Sound work."}
    post(client, f"/marking/{lowest.id}/first", {**mark, "action": "complete"})
    post(client, f"/marking/{middle.id}/first", {**mark, "action": "save"})
    page = text(client.get("/marking"))
    order = sorted((page.index(w.candidate_number), w.candidate_number) for w in works)
    assert [number for _, number in order] == [highest.candidate_number,
                                               middle.candidate_number,
                                               lowest.candidate_number]
    assert "3 pieces of work allocated to you: unmarked work first" in page
    rows = page.split("<tbody>")[1]
    assert rows.index("Not started") < rows.index("Provisional") < rows.index("Complete")


def test_moderators_see_each_markers_distribution_as_a_chart_and_a_table(app, marking):
    post(marking, marking.url, typed(["64", "64", "64", "64"], version=""))  # component 78
    with app.app_context():
        work = db.session.get(Submission, marking.work_id)
        assert work.state == "marked"
    moderator = marking.moderator
    page = text(moderator.get(f"/moderation/{marking.aid}"))
    section = page.split('id="by-marker-heading"')[1].split("</section>")[0]
    assert "<h3>Marker Alpha</h3>" in section
    assert 'role="img" aria-labelledby="marker-1-title marker-1-desc"' in section
    assert '<title id="marker-1-title">Marks given by Marker Alpha</title>' in section
    assert "<figcaption>1 mark; mean 78; median 78; range 78 to 78.</figcaption>" in section
    assert re.search(r"<td>70 to 79</td><td class=\"numeric\">1</td>", section)
    assert "No marks agreed yet." in page
    post(moderator, f"/moderation/{marking.aid}/agree/{marking.work_id}",
         {"mark": "78", "reason": ""})
    page = text(moderator.get(f"/moderation/{marking.aid}"))
    cohort = page.split('id="cohort-marks-heading"')[1].split("</section>")[0]
    assert "The cohort&#x27;s agreed marks</title>" in cohort
    assert "1 mark; mean 78;" in cohort and "Agreed marks: marks in bands of ten" in cohort


def test_chart_text_is_escaped_on_the_page(app, marking, create_user):
    post(marking, marking.url, typed(["64", "64", "64", "64"], version=""))
    with app.app_context():
        from lms.auth.models import User

        user = db.session.scalar(select(User).where(User.name == "Marker Alpha"))
        user.name = '<script>alert("x")</script>'
        db.session.commit()
    page = text(marking.moderator.get(f"/moderation/{marking.aid}"))
    assert "<script>alert" not in page
    assert "Marks given by &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
