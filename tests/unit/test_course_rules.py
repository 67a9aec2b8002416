from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.courses.rules import (
    VISIT_EVERY,
    Progress,
    ReportLesson,
    behind,
    mark_check,
    report_row,
    resume_target,
    review_due,
    visit_due,
)

NOW = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(("completed", "last", "expected"), [
    (set(), None, 1),            # a new trainee starts at the beginning
    ({1}, 1, 2),                 # finished the last one viewed: go on to the next
    ({1}, 3, 3),                 # left lesson 3 half-read: go back to it
    ({1, 2, 3, 4}, 4, None),     # everything done
    ({2, 3, 4}, 4, 1),           # done later ones but skipped the first: wrap round to it
])
def test_resume_target(completed, last, expected):
    assert resume_target([1, 2, 3, 4], completed, last) == expected


@given(st.lists(st.integers(1, 50), unique=True, min_size=1),
       st.sets(st.integers(1, 50)), st.one_of(st.none(), st.integers(1, 50)))
def test_resume_is_never_a_finished_lesson_unless_all_are(ids, completed, last):
    target = resume_target(ids, completed, last)
    if set(ids) <= completed:
        assert target is None
    else:
        assert target in ids and target not in completed


def test_progress_percent():
    assert Progress(3, 8).percent == 38
    assert Progress(0, 0).percent == 0 and not Progress(0, 0).complete
    assert Progress(8, 8).complete


QUESTIONS = [
    {"prompt": "Q1", "options": [{"text": "a", "correct": False, "feedback": "x"},
                                 {"text": "b", "correct": True, "feedback": "y"}]},
    {"prompt": "Q2", "options": [{"text": "c", "correct": True, "feedback": "z"},
                                 {"text": "d", "correct": False, "feedback": "w"}]},
]


def test_knowledge_check_marks_answers_and_treats_tampering_as_unanswered():
    results = mark_check(QUESTIONS, [1, 1])
    assert [r.right for r in results] == [True, False]
    assert [r.correct_index for r in results] == [1, 0]
    results = mark_check(QUESTIONS, [7, None])
    assert [r.chosen for r in results] == [None, None]
    assert mark_check(QUESTIONS, [])[1].chosen is None


@pytest.mark.parametrize(("reviewed", "today", "due"), [
    (date(2025, 11, 20), date(2026, 11, 19), False),
    (date(2025, 11, 20), date(2026, 11, 20), True),
    (date(2025, 1, 31), date(2026, 1, 28), True),   # month ends clamp to a real day
    (date(2026, 11, 20), date(2026, 11, 22), False),
])
def test_review_due_after_twelve_months(reviewed, today, due):
    assert review_due(reviewed, today, 12) is due


def test_behind_compares_with_the_cohort_median():
    assert behind({1: 80, 2: 75, 3: 70, 4: 40, 5: 10}) == {4, 5}
    assert behind({1: 0, 2: 0}) == set()
    assert behind({}) == set()


def test_report_row_counts_and_finds_the_oldest_review():
    lessons = [ReportLesson(900, 4, ("MSA 2015 s.45", "MSA 2015 s.49"), date(2026, 3, 1)),
               ReportLesson(1100, 5, ("MSA 2015 s.45",), date(2026, 6, 1))]
    row = report_row({"code": "X", "title": "T", "credits": 20, "kind": "core",
                      "last_reviewed": date(2026, 11, 20), "outcomes": 5, "scenarios": 1},
                     lessons)
    assert row["lessons"] == 2 and row["words"] == 2000
    assert row["knowledge_check_questions"] == 9 and row["sources_cited"] == 2
    assert row["oldest_last_reviewed"] == "2026-03-01"


@pytest.mark.parametrize(("last_lesson", "since", "due"), [
    (None, None, True),                          # the first visit to the module
    (7, timedelta(0), True),                     # another lesson: resuming must go to this one
    (8, timedelta(0), False),                    # reading the same lesson again at once
    (8, VISIT_EVERY - timedelta(seconds=1), False),
    (8, VISIT_EVERY, True),                      # the same lesson later: the day is noted
])
def test_a_lesson_visit_is_written_only_when_it_says_something_new(last_lesson, since, due):
    last_active = None if since is None else NOW - since
    assert visit_due(last_lesson, last_active, 8, NOW) is due
