"""The CPD time a completed module counts for, and the check of a module's `cpd_hours`."""

import pytest

from lms.cpd.rules import module_hours_problem, module_minutes


@pytest.mark.parametrize(("cpd_hours", "lessons", "minutes"), [
    (None, [20, 20], 45),        # 40 minutes of lessons, rounded up to the quarter hour
    (None, [30, 30, 30, 30], 120),
    (None, [1], 15),
    (6.5, [20, 20], 390),        # the module's metadata wins over its lessons' minutes
    (6, [], 360),
    (0.25, [600], 15),
])
def test_module_minutes(cpd_hours, lessons, minutes):
    assert module_minutes(cpd_hours, lessons) == minutes


@pytest.mark.parametrize("value", [0.25, 1, 6.5, 7.75, 40])
def test_quarter_hours_are_accepted(value):
    assert module_hours_problem(value) is None


@pytest.mark.parametrize("value", [0, -1, 0.3, 1.1, "6", True, None, float("inf"),
                                   float("nan"), [6]])
def test_anything_else_is_refused(value):
    assert module_hours_problem(value)
