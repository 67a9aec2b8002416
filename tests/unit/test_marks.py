"""Mark rules: examples at the boundaries, and properties over every input hypothesis finds."""

from datetime import UTC, date, datetime, time
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from assessments.deadlines import (
    LatePolicy,
    apply_late_penalty,
    effective_deadline,
    london_deadline,
    working_days_late,
)
from assessments.marks import (
    award,
    band,
    compare_marks,
    component_mark,
    decision_percentage,
    mark_breakdown,
    module_result,
    points,
    resit_mark,
    round_mark,
    rubric_mark,
    weighted_mark,
)
from assessments.moderation import even_allocation, moderation_sample

marks = st.integers(0, 100)
weights = st.integers(1, 100)


@pytest.mark.parametrize(("mark", "expected"), [
    (0, "fail"), (39, "fail"), (40, "marginal"), (49, "marginal"), (50, "pass"), (59, "pass"),
    (60, "merit"), (69, "merit"), (70, "distinction"), (100, "distinction")])
def test_band_boundaries(mark, expected):
    assert band(mark) == expected


@pytest.mark.parametrize("bad", [-1, 101, 55.5, True, "60"])
def test_marks_outside_0_to_100_or_not_whole_are_refused(bad):
    with pytest.raises(ValueError):
        band(bad)


def test_rounding_is_half_up_and_exact():
    assert round_mark(49.5) == 50 and round_mark(0.5) == 1
    assert weighted_mark([(49, 1), (50, 1)]) == 50          # 49.5 -> 50
    assert weighted_mark([(65, 1), (66, 2)]) == 66          # 65.67 -> 66
    assert weighted_mark([(60, 30), (69, 70)]) == 66        # 66.3 -> 66


@given(st.lists(st.tuples(marks, weights), min_size=1, max_size=8))
def test_aggregate_lies_between_the_lowest_and_highest_part(parts):
    result = weighted_mark(parts)
    assert min(m for m, _ in parts) <= result <= max(m for m, _ in parts)


@given(st.lists(st.tuples(marks, weights), min_size=1, max_size=8), st.data())
def test_raising_a_part_never_lowers_the_aggregate(parts, data):
    index = data.draw(st.integers(0, len(parts) - 1))
    mark, weight = parts[index]
    assume(mark < 100)
    raised = [*parts[:index], (mark + 1, weight), *parts[index + 1:]]
    assert weighted_mark(raised) >= weighted_mark(parts)


def test_rubric_needs_every_criterion():
    assert rubric_mark({"C1": 60, "C2": 40}, {"C1": 70, "C2": 55}) == 64
    with pytest.raises(ValueError, match="C2"):
        rubric_mark({"C1": 60, "C2": 40}, {"C1": 70})


@pytest.mark.parametrize(("components", "passed", "failed"), [
    ({"scenario": (55, 40), "essay": (52, 60)}, True, ()),
    ({"scenario": (38, 40), "essay": (70, 60)}, False, ("scenario",)),   # 57 overall, but < 40
    ({"scenario": (45, 40), "essay": (48, 60)}, False, ()),              # 47 overall
])
def test_module_pass_needs_50_overall_and_40_in_each_component(components, passed, failed):
    result = module_result(components)
    assert (result.passed, result.failed_components) == (passed, failed)


def test_module_pass_marks_are_configurable():
    assert module_result({"a": (45, 1)}, pass_mark=40, component_minimum=35).passed


@given(st.dictionaries(st.sampled_from("abcd"), st.tuples(marks, weights), min_size=1))
def test_a_passed_module_always_has_every_component_at_40_and_overall_50(components):
    result = module_result(components)
    if result.passed:
        assert result.mark >= 50 and all(m >= 40 for m, _ in components.values())


def test_award_at_60_credits_with_classification():
    def res(mark):
        return module_result({"x": (mark, 1)})

    assert award([(20, res(72)), (20, res(70)), (20, res(68))]).classification == "distinction"
    assert award([(20, res(65)), (20, res(60)), (20, res(58))]).classification == "merit"
    assert award([(20, res(52)), (20, res(55)), (20, res(50))]).classification == "pass"
    not_yet = award([(20, res(80)), (20, res(80)), (20, res(45))])
    assert not not_yet.awarded and not_yet.credits == 40


@given(marks, st.booleans())
def test_resits_are_capped_at_the_pass_mark_unless_mitigating(mark, mitigating):
    result = resit_mark(mark, mitigating=mitigating)
    assert result <= mark
    assert result == mark if mitigating else result == min(mark, 50)


@given(marks, marks)
def test_second_marks_beyond_tolerance_are_flagged_otherwise_the_mean_is_proposed(a, b):
    result = compare_marks(a, b, tolerance=10)
    assert result.flagged == (abs(a - b) > 10)
    if not result.flagged:
        assert min(a, b) <= result.proposed <= max(a, b)


def test_decision_scoring_modes():
    assert decision_percentage("none", [1, 2], None, 3, 10) is None
    assert decision_percentage("sum", [2, 1], None, 4, 10) == 75
    assert decision_percentage("end", [0, 0], 6, 4, 10) == 60
    assert component_mark(75, 60, {"decisions": 40, "written": 60}) == 66
    assert component_mark(None, 60, {"decisions": 40, "written": 60}) == 60


def test_deadlines_are_uk_wall_clock_through_clock_changes():
    summer = london_deadline(date(2026, 6, 1), time(12))
    winter = london_deadline(date(2026, 12, 1), time(12))
    assert summer == datetime(2026, 6, 1, 11, 0, tzinfo=UTC)    # BST is UTC+1
    assert winter == datetime(2026, 12, 1, 12, 0, tzinfo=UTC)   # GMT
    # The clocks go back on Sunday 25 October 2026: a day's lateness still counts by UK days.
    friday = london_deadline(date(2026, 10, 23), time(12))
    assert working_days_late(london_deadline(date(2026, 10, 26), time(11, 59)), friday) == 1
    assert working_days_late(london_deadline(date(2026, 10, 26), time(12, 1)), friday) == 2


@pytest.mark.parametrize(("submitted", "days"), [
    (datetime(2026, 11, 20, 12, 0), 0),      # exactly on time
    (datetime(2026, 11, 20, 12, 1), 1),      # one minute late on the Friday
    (datetime(2026, 11, 23, 9, 0), 1),       # Monday morning: the weekend does not count
    (datetime(2026, 11, 23, 12, 1), 2),
    (datetime(2026, 11, 27, 12, 1), 6),
])
def test_working_days_late(submitted, days):
    deadline = london_deadline(date(2026, 11, 20), time(12))
    submitted = submitted.replace(tzinfo=UTC)  # November: London is on GMT
    assert working_days_late(submitted, deadline) == days


def test_bank_holidays_do_not_count():
    deadline = london_deadline(date(2026, 12, 24), time(12))
    later = london_deadline(date(2026, 12, 29), time(12, 1))
    holidays = frozenset({date(2026, 12, 25), date(2026, 12, 28)})
    assert working_days_late(later, deadline, holidays) == 2   # 24th and 29th only


@given(marks, st.integers(-3, 30))
def test_late_penalty_never_raises_a_mark_and_follows_the_policy(mark, days):
    result = apply_late_penalty(mark, days, LatePolicy())
    assert result.mark <= mark
    if days <= 0:
        assert result.mark == mark and result.reason is None
    elif days <= 5:
        assert result.mark == min(mark, 50)
    else:
        assert result.mark == 0 and "beyond 5" in result.reason


def test_an_extension_only_moves_the_deadline_later():
    deadline = london_deadline(date(2026, 11, 20))
    assert effective_deadline(deadline, london_deadline(date(2026, 11, 27))) > deadline
    assert effective_deadline(deadline, london_deadline(date(2026, 11, 1))) == deadline


@given(st.dictionaries(st.integers(1, 10_000), marks, max_size=200), st.text(max_size=5))
def test_moderation_sample_has_every_fail_every_70_plus_and_enough_of_the_rest(marks_, seed):
    sample = moderation_sample(marks_, seed=seed)
    assert {s for s, m in marks_.items() if m < 50 or m >= 70} <= sample
    rest = [s for s, m in marks_.items() if 50 <= m < 70]
    in_rest = len(sample & set(rest))
    assert in_rest >= min(len(rest), -(-len(rest) // 10))
    assert len(sample) >= min(5, len(marks_))
    assert sample == moderation_sample(marks_, seed=seed)   # reproducible


@given(st.lists(st.integers(1, 500), unique=True, max_size=60), st.integers(1, 6))
def test_even_allocation_balances_loads_within_one(ids, markers):
    allocation = even_allocation(ids, list(range(markers)))
    loads = [list(allocation.values()).count(m) for m in range(markers)]
    assert set(allocation) == set(ids) and max(loads) - min(loads) <= 1


# How a released mark is made: the lines a trainee reads must add up to the mark they get.
RUBRIC = [("needs", 40), ("law", 30), ("plan", 30)]
SPLIT = {"decisions": 40, "written": 60}


def explain(**given):
    return mark_breakdown(**{"decisions": 100, "weights": SPLIT, "criteria": RUBRIC,
                             "criterion_marks": {"needs": 68, "law": 68, "plan": 68},
                             "agreed": 81, "final": 81, **given})


def test_the_breakdown_shows_each_part_with_its_weight_and_what_it_adds():
    result = explain()
    assert [(p.key, p.weight, p.mark, points(p.contribution)) for p in result.parts] == [
        ("decisions", 40, 100, "40"), ("written", 60, 68, "40.8")]
    assert [(c.key, c.weight, c.mark, points(c.contribution)) for c in result.criteria] == [
        ("needs", 40, 68, "27.2"), ("law", 30, 68, "20.4"), ("plan", 30, 68, "20.4")]
    assert result.written == 68 and points(result.written_total) == "68"
    assert points(result.total) == "80.8" and result.calculated == 81 == result.final
    assert not result.moderated and result.adjustments == () and result.note is None


@given(st.integers(0, 100) | st.none(), st.lists(st.tuples(marks, weights), min_size=1,
                                                  max_size=5), st.integers(0, 100))
def test_the_lines_always_add_up_to_the_mark(decisions, rubric, decision_weight):
    criteria = [(f"c{i}", w) for i, (_, w) in enumerate(rubric)]
    given_marks = {f"c{i}": m for i, (m, _) in enumerate(rubric)}
    split = {"decisions": decision_weight, "written": 100 - decision_weight}
    assume(split["written"] or (decisions is not None and decision_weight))
    written = rubric_mark(dict(criteria), given_marks)
    agreed = component_mark(decisions, written, split)
    result = mark_breakdown(decisions=decisions, weights=split, criteria=criteria,
                            criterion_marks=given_marks, agreed=agreed, final=agreed)
    assert sum(p.weight for p in result.parts) == 100
    assert round_mark(result.total) == agreed and not result.moderated
    assert all(p.contribution == p.mark * p.weight / 100 for p in result.parts)
    assert round_mark(result.written_total * 100 / sum(w for _, w in criteria)) == written


def test_a_written_assignment_is_all_written_work():
    result = explain(decisions=None, weights={"decisions": 0, "written": 100}, agreed=68,
                     final=68)
    assert [(p.key, p.weight, p.mark) for p in result.parts] == [("written", 100, 68)]
    assert points(result.total) == "68"


def test_a_mark_set_at_moderation_replaces_the_criteria_it_did_not_come_from():
    result = explain(agreed=77, final=77, first=81,
                     reason="Discussed: a stronger plan than the criteria marks show.")
    assert result.moderated and not result.from_parts and result.criteria == ()
    assert result.written is None and result.total is None
    assert [(p.key, p.mark, p.contribution) for p in result.parts] == [
        ("decisions", 100, None), ("written", None, None)]
    assert result.note == "Discussed: a stronger plan than the criteria marks show."


def test_an_agreed_mark_unlike_the_first_markers_is_moderated_even_when_it_adds_up():
    result = explain(first=75)  # the moderator re-marked the criteria: they give the 81
    assert result.moderated and result.from_parts and len(result.criteria) == 3


def test_late_work_and_a_resit_show_the_rules_and_the_moderators_own_reason():
    late = explain(days_late=2, final=50,
                   reason="Checked with the team; 2 working days late: capped at 50")
    assert [(a.kind, a.text, a.mark) for a in late.adjustments] == [
        ("late", "2 working days late: capped at 50", 50)]
    assert late.note == "Checked with the team"
    resit = explain(resit=True, final=50, reason="resit: capped at 50")
    assert [(a.kind, a.mark) for a in resit.adjustments] == [("resit", 50)]
    assert resit.note is None
    assert explain(resit=True, mitigating=True).adjustments == ()
    beyond = explain(days_late=9, final=0)
    assert [(a.kind, a.mark) for a in beyond.adjustments] == [("late", 0)]


def test_a_final_mark_the_rules_do_not_explain_is_shown_as_it_stands():
    result = explain(final=70)
    assert [(a.kind, a.mark) for a in result.adjustments] == [("other", 70)]


@pytest.mark.parametrize(("value", "text"), [
    (Fraction(408, 10), "40.8"), (Fraction(2244, 100), "22.44"), (40, "40"),
    (Fraction(1, 3), "0.33"), (Fraction(2, 3), "0.67"), (Fraction(101, 10), "10.1")])
def test_points_are_written_to_two_places_at_most(value, text):
    assert points(value) == text
