"""A scenario must not give answers away, nor let a path skip the written part of the mark."""

import copy
import tomllib

from assessments.scenario import needs_justification, uncovered_paths, validate_scenario
from assessments.written import before_submitting, word_count
from tests.coursekit import SCENARIO

DATA = tomllib.loads(SCENARIO)


def problems(data):
    return [p.message for p in validate_scenario(data, outcomes={"LO1", "LO2"})]


def test_the_kit_scenario_is_fair():
    assert problems(DATA) == []
    assert uncovered_paths(DATA) == []


def test_justification_asked_of_one_option_is_refused():
    data = copy.deepcopy(DATA)
    data["stages"][0]["decision"]["options"][0]["justification"] = True
    [message] = problems(data)
    assert "option 'a' in stage 'meet' asks for a justification" in message
    assert "[stages.decision] justification = true" in message


def test_justification_asked_of_the_decision_is_accepted_and_applies_to_every_option():
    data = copy.deepcopy(DATA)
    data["stages"][0]["decision"]["justification"] = True
    assert problems(data) == []
    assert needs_justification(data["stages"][0])
    assert not needs_justification(data["stages"][1])


def test_a_path_that_reaches_an_end_without_its_written_tasks_is_refused():
    data = copy.deepcopy(DATA)
    data["stages"][0]["decision"]["options"][1]["next"] = "end-bad"  # skips the reflection
    data["stages"] = [s for s in data["stages"] if s["id"] != "reflect"]
    [message] = problems(data)
    assert "meet -> end-bad" in message and "['C1']" in message
    assert uncovered_paths(data) == [["meet", "end-bad"]]


def test_each_criterion_must_be_met_on_every_path():
    data = copy.deepcopy(DATA)
    data["rubric"][0]["weight"] = 60
    data["rubric"].append({**data["rubric"][0], "id": "C2", "title": "Law", "weight": 40})
    for stage in data["stages"]:
        if stage["id"] == "plan":
            stage["task"]["criteria"] = ["C1", "C2"]
    # The good path is covered for C1 and C2; the reflective task covers only C1.
    found = problems(data)
    assert len(found) == 1 and "meet -> reflect -> end-bad" in found[0] and "['C2']" in found[0]


STAGES = {s["id"]: s for s in DATA["stages"]}


def test_before_submitting_names_empty_and_short_answers_and_an_unfinished_scenario():
    assert word_count("  one two\nthree  ") == 3
    short = " ".join(["word"] * 100)
    notes = before_submitting(STAGES, ["meet", "plan", "end-good"], {"plan": short}, True)
    assert notes == ["Your answer to “Plan” is 100 words; the suggested length is about 400."]
    notes = before_submitting(STAGES, ["meet", "plan"], {}, False)
    assert notes[0].startswith("You have not reached an ending yet")
    assert notes[1] == "Your answer to “Plan” is empty."
    long = " ".join(["word"] * 380)  # within a tenth of the suggestion: nothing to say
    assert before_submitting(STAGES, ["meet", "plan", "end-good"], {"plan": long}, True) == []


def test_a_scenario_for_another_jurisdiction_must_be_marked_alike():
    from assessments.scenario import variant_problem

    scotland = copy.deepcopy(DATA)
    scotland["slug"] = "first-meeting-scotland"
    scotland["stages"][0]["narrative"] = "You meet Ana in Glasgow."
    assert variant_problem(DATA, scotland) is None  # a different story, marked alike
    scotland["rubric"][0]["weight"] = 90
    assert variant_problem(DATA, scotland) == "its rubric criteria or their weights differ"
    scotland = {**copy.deepcopy(DATA), "weights": {"decisions": 20, "written": 80}}
    assert variant_problem(DATA, scotland) == "its [weights] differ"
