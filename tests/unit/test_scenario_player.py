import tomllib

import pytest

from assessments.scenario import PathError, best_scores, recommended_path, walk
from tests.coursekit import SCENARIO

DATA = tomllib.loads(SCENARIO)


def test_walk_follows_decisions_and_tasks_to_an_end():
    assert walk(DATA, [])[0] == "meet"
    assert walk(DATA, [{"stage": "meet", "option": "a"}])[0] == "plan"
    assert walk(DATA, [{"stage": "meet", "option": "a"},
                       {"stage": "plan", "answer": "My plan"}])[0] == "end-good"
    # The weaker choice still meets a written task before its ending.
    assert walk(DATA, [{"stage": "meet", "option": "b"}])[0] == "reflect"
    assert walk(DATA, [{"stage": "meet", "option": "b"},
                       {"stage": "reflect", "answer": True}])[0] == "end-bad"


@pytest.mark.parametrize("path", [
    [{"stage": "plan", "answer": "skipping ahead"}],
    [{"stage": "meet", "option": "z"}],
    [{"stage": "meet", "option": "b"}, {"stage": "reflect", "answer": True},
     {"stage": "end-bad", "option": "a"}],
])
def test_steps_that_do_not_follow_are_refused(path):
    with pytest.raises(PathError):
        walk(DATA, path)


def test_best_scores_and_recommended_path():
    assert best_scores(DATA) == (2, 10)
    assert recommended_path(DATA) == ["meet", "plan", "end-good"]


def test_a_written_component_is_a_valid_one_task_scenario():
    from assessments.scenario import validate_scenario
    from assessments.written import written_scenario

    outcomes = [{"id": f"LO{n}", "text": f"Outcome {n}"} for n in range(1, 5)]
    component = {"id": "essay", "title": "Reflective case analysis (3,000 words)",
                 "kind": "written", "weight": 60, "outcomes": ["LO1", "LO2", "LO4"],
                 "brief": "Analyse a case."}
    data = written_scenario(component, outcomes, reviewed="2026-11-20")
    assert validate_scenario(data, outcomes={"LO1", "LO2", "LO3", "LO4"}) == []
    assert [c["weight"] for c in data["rubric"]] == [34, 33, 33]
    assert data["stages"][0]["task"]["words"] == 3000
    assert walk(data, [{"stage": "write", "answer": True}])[0] == "done"


def test_stages_visited_end_where_the_learner_ended():
    from assessments.scenario import stages_visited

    finished = [{"stage": "meet", "option": "a"}, {"stage": "plan", "answer": True}]
    assert stages_visited(DATA, finished) == ["meet", "plan", "end-good"]
    assert stages_visited(DATA, [{"stage": "meet", "option": "b"}]) == ["meet", "reflect"]
    assert stages_visited(DATA, [{"stage": "meet", "option": "b"},
                                 {"stage": "reflect", "answer": True}]) == [
        "meet", "reflect", "end-bad"]
    assert stages_visited(DATA, []) == ["meet"]
    broken = [{"stage": "meet", "option": "gone"}]  # the scenario changed under the record
    assert stages_visited(DATA, broken) == ["meet"]
