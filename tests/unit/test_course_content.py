"""The content checker: clean content passes; each kind of mistake is named with file and line."""

import re
from pathlib import Path

import pytest

from lms.courses.content import load_programme
from tests.coursekit import SMALL, write_module, write_programme


def problems(root: Path) -> list[str]:
    return [str(p) for p in load_programme(root, SMALL).problems]


@pytest.fixture
def programme(tmp_path):
    return write_programme(tmp_path)


def test_a_valid_programme_has_no_problems_and_loads_in_order(programme):
    loaded = load_programme(programme, SMALL)
    assert loaded.problems == []
    assert [m.code for m in loaded.modules] == ["T7001", "T7002", "T7010", "T7040"]
    lesson = loaded.modules[0].lessons[1]
    assert 'href="../foundations/lesson-1"' in lesson.rendered.html
    assert 'class="callout callout-law" role="note"' in lesson.rendered.html


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def lesson_file(root, module="shared_core/foundations", n=1):
    return root / module / "lessons" / f"{n:02d}-lesson-{n}.md"


def assert_problem(found: list[str], file: Path, line: int | None, text: str):
    pattern = re.escape(f"{file}:") + (str(line) if line else r"\d+") + r": .*" + re.escape(text)
    assert any(re.match(pattern, p) for p in found), "\n".join(found)


def test_a_law_block_without_a_source_is_named_by_line(programme):
    path = lesson_file(programme)
    edit(path, "    Source: Modern Slavery Act 2015, section 45.\n\n!!! jurisdiction england",
         "\n!!! jurisdiction england")
    line = path.read_text().split("\n").index('!!! law "The statutory defence"') + 1
    assert_problem(problems(programme), path, line, "must contain a 'Source:' line")


def test_a_link_to_a_missing_lesson_is_reported(programme):
    path = lesson_file(programme, n=2)
    edit(path, "(lesson:lesson-1)", "(lesson:no-such-lesson)")
    line = next(i for i, t in enumerate(path.read_text().split("\n"), 1) if "no-such" in t)
    assert_problem(problems(programme), path, line, "link to lesson 'no-such-lesson'")


def test_cross_module_links_resolve(programme):
    path = lesson_file(programme, n=2)
    edit(path, "(lesson:lesson-1)", "(lesson:stalking/lesson-2)")
    assert problems(programme) == []


def test_bad_toml_names_the_line(programme):
    path = lesson_file(programme)
    edit(path, 'minutes = 20', 'minutes = = 20')
    assert_problem(problems(programme), path, 5, "not valid TOML")


def test_missing_fields_and_bad_dates_are_reported(programme):
    module = programme / "shared_core/foundations/module.toml"
    edit(module, 'last_reviewed = 2026-11-20', 'last_reviewed = "last week"')
    path = lesson_file(programme)
    edit(path, 'title = "Lesson 1 of T7001"\n', "")
    found = problems(programme)
    assert_problem(found, module, 11, "'last_reviewed' must be a date")
    assert_problem(found, path, 2, "'title' is required")


def test_outcomes_must_be_taught_and_assessed(programme):
    module = programme / "shared_core/foundations/module.toml"
    edit(module, 'outcomes = ["LO2"]\nbrief', 'outcomes = ["LO1"]\nbrief')
    for n in (1, 2):
        text = lesson_file(programme, n=n).read_text().replace('"LO2"', '"LO1"')
        lesson_file(programme, n=n).write_text(text)
    found = problems(programme)
    assert_problem(found, module, 19, "outcome LO2 is not taught by any lesson")
    assert_problem(found, module, 19, "outcome LO2 is not assessed by any component")


def test_raw_html_that_the_sanitiser_would_strip_fails(programme):
    path = lesson_file(programme)
    edit(path, "## What this lesson covers", "## What this lesson covers\n\n<script>x()</script>")
    assert_problem(problems(programme), path, None, "the sanitiser removed something")


def test_headings_must_not_skip_levels_or_use_h1(programme):
    path = lesson_file(programme)
    edit(path, "## What this lesson covers", "# Big title\n\n#### Too deep")
    found = problems(programme)
    assert_problem(found, path, None, "use ## for sections")
    assert_problem(found, path, None, "heading level 4 follows level 2")


def test_images_need_alt_text_and_must_exist(programme):
    path = lesson_file(programme)
    edit(path, "## What this lesson covers", "## What this lesson covers\n\n![](images/map.png)")
    found = problems(programme)
    assert_problem(found, path, None, "image images/map.png has no alt text")
    assert_problem(found, path, None, "image images/map.png does not exist")


def test_codes_and_lesson_slugs_must_be_unique(programme):
    edit(programme / "stalking/module.toml", 'code = "T7040"', 'code = "T7001"')
    edit(lesson_file(programme, n=2), 'slug = "lesson-2"', 'slug = "lesson-1"')
    found = problems(programme)
    assert any("code 'T7001' is also used by" in p for p in found)
    assert any("slug 'lesson-1' is also used by 01-lesson-1.md" in p for p in found)


def test_questions_need_exactly_one_correct_option(programme):
    path = lesson_file(programme)
    edit(path, "correct = false", "correct = true")
    assert_problem(problems(programme), path, None, "needs exactly one correct option")


def test_programme_standards_apply_by_default(tmp_path):
    write_module(tmp_path, folder="m", code="T1", slug="m")
    found = [str(p) for p in load_programme(tmp_path).problems]
    assert any("at least 8 lessons; this has 2" in p for p in found)
    assert any("at least 4 questions; this has 1" in p for p in found)
    assert any("at least 800 words" in p for p in found)


@pytest.mark.parametrize(("old", "new", "message"), [
    ('next = "end-bad"', 'next = "nowhere"', "leads to 'nowhere', which does not exist"),
    ('next = "end-good"', 'next = "meet"', "stages loop back: meet -> plan -> meet"),
    ('next = "end-bad"', 'next = "plan"', "stage 'end-bad' cannot be reached"),
    ('criteria = ["C1"]', 'criteria = ["C9"]', "must name rubric criteria"),
    ('weight = 100', 'weight = 90', "rubric criterion weights must add up to 100"),
    # A label on one option gives the answer away; a path may not skip the written work.
    ('recommended = true', 'recommended = true\njustification = true',
     "option 'a' in stage 'meet' asks for a justification"),
    ('next = "reflect"', 'next = "end-bad"', "reaches the end 'end-bad' with no written task"),
])
def test_scenario_graph_and_rubric_problems(programme, old, new, message):
    path = programme / "shared_core/foundations/scenarios/first-meeting.toml"
    edit(path, old, new)
    assert any(str(path) in p and message in p for p in problems(programme)), problems(
        programme)


def test_table_header_cells_need_text(programme):
    path = lesson_file(programme)
    edit(path, "## What this lesson covers", "## What this lesson covers\n\n|  | Scotland |\n"
         "| --- | --- |\n| Offence | s.39 |")
    line = next(i for i, t in enumerate(path.read_text().split("\n"), 1) if t.startswith("|  |"))
    assert_problem(problems(programme), path, line, "every table header cell needs text")


def test_a_component_may_name_a_scenario_per_jurisdiction_marked_alike(programme):
    folder = programme / "shared_core/foundations"
    module = folder / "module.toml"
    text = module.read_text()
    start = text.index('scenario = "first-meeting"')
    end = start + len('scenario = "first-meeting"')
    module.write_text(text[:end] + '\n[components.jurisdictions]\nscotland = "glasgow"\n'
                      + text[end:])
    assert any("scotland: scenario 'glasgow' is not in scenarios/" in p
               for p in problems(programme))
    source = (folder / "scenarios/first-meeting.toml").read_text()
    (folder / "scenarios/glasgow.toml").write_text(source.replace(
        'slug = "first-meeting"', 'slug = "glasgow"'))
    assert problems(programme) == []
    (folder / "scenarios/glasgow.toml").write_text(source.replace(
        'slug = "first-meeting"', 'slug = "glasgow"').replace("decisions = 40", "decisions = 30")
        .replace("written = 60", "written = 70"))
    assert any("cannot replace 'first-meeting': its [weights] differ" in p
               for p in problems(programme))
