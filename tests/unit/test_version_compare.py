"""What changed between two versions of a module: the report the programme board reads."""

import copy
from datetime import date

from lms.courses.compare import Change, compare_versions, line_diff


def lesson(slug, title, body="Line one.\nLine two.\nLine three.\n", **extra):
    return {"slug": slug, "title": title, "minutes": 20, "outcomes": ["LO1"],
            "sources": [{"cite": "Modern Slavery Act 2015, section 45"}],
            "questions": [{"prompt": "Who decides?", "options": [
                {"text": "The SCA", "correct": True}, {"text": "The police", "correct": False}]}],
            "content_note": None, "last_reviewed": date(2026, 11, 20), "body": body,
            "text": body.replace("\n", " "), **extra}


def scenario(slug, title):
    return {"slug": slug, "title": title, "scoring": "sum", "last_reviewed": "2026-11-20",
            "weights": {"decisions": 40, "written": 60},
            "rubric": [{"id": "C1", "title": "Independence", "outcome": "LO1", "weight": 100,
                        "bands": {"pass": "50-59: sound"}}],
            "stages": [{"id": "meet", "title": "Meeting", "narrative": "You meet Ana.",
                        "narrative_html": "<p>You meet Ana.</p>"},
                       {"id": "end", "title": "End", "narrative": "Done.", "end": {"score": 1}}]}


def version():
    return {"number": 1, "title": "Law and systems", "credits": 20, "level": 7, "kind": "core",
            "last_reviewed": date(2026, 11, 20),
            "meta": {"summary": "A module.", "pass_mark": 50,
                     "outcomes": [{"id": "LO1", "text": "Evaluate the role."}],
                     "components": [{"id": "essay", "title": "Case analysis", "kind": "written",
                                     "weight": 100, "outcomes": ["LO1"]}]},
            "lessons": [lesson("nrm", "The NRM"), lesson("law", "The law")],
            "scenarios": {"ana": scenario("ana", "Ana's first meeting")}}


def test_the_same_version_has_no_changes():
    assert compare_versions(version(), version()).unchanged


def test_module_outcomes_components_and_credits_are_reported():
    old, new = version(), version()
    new["credits"] = 30
    new["last_reviewed"] = date(2027, 5, 1)
    new["meta"]["outcomes"][0]["text"] = "Critically evaluate the role."
    new["meta"]["outcomes"].append({"id": "LO2", "text": "Apply the law."})
    new["meta"]["components"][0]["weight"] = 60
    new["meta"]["components"].append({"id": "scenario", "title": "Scenario", "weight": 40})
    result = compare_versions(old, new)
    assert result.module == [
        Change("Credits", "20", "30"),
        Change("Last reviewed", "20 November 2026", "1 May 2027"),
        Change("Outcome LO2 added", "", "Apply the law."),
        Change("Outcome LO1", "Evaluate the role.", "Critically evaluate the role."),
        Change("Component scenario added", "", "Scenario (40%)"),
        Change("Component essay: weight", "100", "60")]
    assert not result.lessons_changed and not result.scenarios_changed


def test_cpd_hours_and_topics_set_on_a_new_version_are_reported():
    old, new = version(), version()
    new["meta"].update(cpd_hours=6.5, cpd_topics=["safeguarding"])
    assert compare_versions(old, new).module == [
        Change("CPD hours", "", "6.5"), Change("CPD topic areas", "", "safeguarding")]


def test_lessons_added_removed_and_changed_with_a_line_diff_of_the_markdown():
    old, new = version(), version()
    new["lessons"] = [lesson("nrm", "The National Referral Mechanism",
                             body="Line one.\nLine 2, rewritten.\nLine three.\n",
                             sources=[{"cite": "Modern Slavery Act 2015, section 49"}]),
                      lesson("defence", "The statutory defence")]
    new["lessons"][0]["questions"][0]["options"][0]["correct"] = False
    new["lessons"][0]["questions"][0]["options"][1]["correct"] = True
    result = compare_versions(old, new)
    assert result.lessons_added == [("defence", "The statutory defence")]
    assert result.lessons_removed == [("law", "The law")]
    [changed] = result.lessons_changed
    assert changed.title == "The National Referral Mechanism"
    assert changed.changes == [
        Change("Title", "The NRM", "The National Referral Mechanism"),
        Change("Source added", "", "Modern Slavery Act 2015, section 49"),
        Change("Source removed", "Modern Slavery Act 2015, section 45", ""),
        Change("Question changed: Who decides?", "The SCA (correct); The police",
               "The SCA; The police (correct)")]
    assert [(d.kind, d.text) for d in changed.body] == [
        ("same", "Line one."), ("removed", "Line two."), ("added", "Line 2, rewritten."),
        ("same", "Line three.")]
    assert changed.body_as == "Markdown" and changed.body_counts == (1, 1)


def test_a_version_without_markdown_is_compared_as_plain_text_by_sentence():
    old, new = version(), version()
    old["lessons"][0]["body"] = None
    old["lessons"][0]["text"] = "Line one. Line two. Line three."
    assert compare_versions(old, new).lessons_changed == []  # the same sentences: no change
    new["lessons"][0]["text"] = "Line one. Line two has changed. Line three."
    [changed] = compare_versions(old, new).lessons_changed
    assert changed.body_as == "plain text"
    assert [d.kind for d in changed.body] == ["same", "removed", "added", "same"]


def test_scenarios_report_stages_rubric_and_ignore_what_sync_rendered():
    old, new = version(), copy.deepcopy(version())
    ana = new["scenarios"]["ana"]
    ana["stages"][0]["narrative_html"] = "<p>Rendered differently.</p>"  # not a change
    ana["stages"][1]["narrative"] = "Ana stays in touch."
    ana["stages"].append({"id": "plan", "title": "Plan"})
    ana["rubric"][0]["weight"] = 60
    ana["rubric"][0]["bands"]["pass"] = "50-59: sound and clear"
    ana["rubric"].append({"id": "C2", "title": "Law", "weight": 40})
    new["scenarios"]["bo"] = scenario("bo", "Bo's hearing")
    result = compare_versions(old, new)
    assert result.scenarios_added == [("bo", "Bo's hearing")] and not result.scenarios_removed
    [changed] = result.scenarios_changed
    assert changed.changes == [
        Change("Stage added", "", "plan (Plan)"),
        Change("Stage changed: end (End)", "", "narrative"),
        Change("Rubric criterion added", "", "C2 Law (40%)"),
        Change("Rubric C1: weight", "100", "60"),
        Change("Rubric C1: pass band", "50-59: sound", "50-59: sound and clear")]
    rows = result.rows()
    assert ["Scenario", "Bo's hearing", "Added", "", "Bo's hearing"] in rows
    assert ["Scenario", "Ana's first meeting", "Rubric C1: weight", "100", "60"] in rows


def test_line_diff_keeps_two_lines_of_context_and_marks_gaps():
    before = "\n".join(f"line {n}" for n in range(20))
    after = before.replace("line 3", "line three").replace("line 15", "line fifteen")
    kinds = [d.kind for d in line_diff(before, after)]
    assert kinds.count("gap") == 1 and kinds.count("added") == 2 and kinds.count("same") == 8
