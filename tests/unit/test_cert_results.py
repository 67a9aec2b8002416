"""A module's result from its components' released marks: none until every component is
released; the module's weights, pass mark and component minimum decide it."""

from datetime import date

import pytest

from lms.certs.results import ComponentMark, outcome


def version(pass_mark=None, minimum=None):
    return {"title": "Law", "kind": "core", "specialism": None, "credits": 20, "position": 2,
            "meta": {"components": [{"id": "scenario", "weight": 40},
                                    {"id": "essay", "weight": 60}],
                     "pass_mark": pass_mark, "component_minimum": minimum}}


def marks(scenario, essay):
    return [ComponentMark("scenario", scenario, date(2026, 3, 1)),
            ComponentMark("essay", essay, date(2026, 3, 9))]


def test_no_result_until_every_component_is_released():
    assert outcome(1, version(), marks(70, 70)[:1]) is None


@pytest.mark.parametrize(("scenario", "essay", "mark", "result"), [
    (72, 65, 68, "Merit"),         # 28.8 + 39 = 67.8, rounded once
    (80, 70, 74, "Distinction"),
    (50, 50, 50, "Pass"),
    (55, 45, 49, "Fail"),          # 22 + 27 = 49
    (90, 39, 59, "Fail"),          # a component below the minimum fails the module
])
def test_the_result_follows_the_weights_and_the_minimum(scenario, essay, mark, result):
    found = outcome(7, version(), marks(scenario, essay))
    assert (found.mark, found.result, found.passed) == (mark, result, result != "Fail")
    assert found.released_on == date(2026, 3, 9)  # the day the last mark was released
    assert (found.module_id, found.credits) == (7, 20)


def test_the_modules_own_pass_mark_and_minimum_apply():
    assert outcome(1, version(pass_mark=40, minimum=30), marks(50, 38)).result == "Pass"
    assert outcome(1, version(minimum=0), marks(90, 10)).passed is False  # 42 < 50
