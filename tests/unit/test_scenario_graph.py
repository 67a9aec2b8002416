"""Property tests of the scenario graph check against a brute-force walk of every path."""

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.scenario import paths, validate_scenario


def scenario(edges: dict[str, list[str]]) -> dict:
    stages = []
    for sid, targets in edges.items():
        stage = {"id": sid, "title": sid, "narrative": "n"}
        if not targets:
            stage["end"] = {"score": 1, "summary": "s"}
        elif len(targets) == 1:
            stage["task"] = {"prompt": "p", "criteria": ["C1"], "next": targets[0]}
        else:
            stage["decision"] = {"prompt": "p", "options": [
                {"id": f"o{i}", "text": "t", "feedback": "f", "score": 1, "next": t}
                for i, t in enumerate(targets)]}
        stages.append(stage)
    return {"slug": "s", "title": "t", "summary": "s", "start": "s0", "scoring": "sum",
            "last_reviewed": "2026-11-20", "weights": {"decisions": 50, "written": 50},
            "outcomes": [], "stages": stages,
            "rubric": [{"id": "C1", "title": "c", "outcome": "LO1", "weight": 100,
                        "bands": dict.fromkeys(("distinction", "merit", "pass", "marginal",
                                                "fail"), "d")}]}


@st.composite
def forward_graphs(draw):
    """Loop-free graphs: each stage may lead only to later stages (or nowhere: an end)."""
    n = draw(st.integers(2, 8))
    edges = {}
    for i in range(n):
        later = [f"s{j}" for j in range(i + 1, n)]
        edges[f"s{i}"] = draw(st.lists(st.sampled_from(later), unique=True, max_size=3)) \
            if later else []
    return edges


@settings(max_examples=200)
@given(forward_graphs())
def test_loop_free_graphs_always_finish_and_unreachable_stages_are_found(edges):
    data = scenario(edges)
    messages = [p.message for p in validate_scenario(data, outcomes={"LO1"})]
    reachable = {sid for path in paths(data) for sid in path}
    for sid in edges:
        flagged = any(f"stage '{sid}' cannot be reached" in m for m in messages)
        assert flagged == (sid not in reachable)
    assert not any("loop" in m or "no path reaches" in m for m in messages)
    assert all(edges[path[-1]] == [] for path in paths(data))  # every path ends at an end


@given(forward_graphs(), st.data())
def test_a_back_edge_is_reported_as_a_loop(edges, data):
    chain = paths(scenario(edges))[0]
    if len(chain) < 2:
        return
    last = chain[-1]
    back = data.draw(st.sampled_from(chain[:-1]))
    edges = {**edges, last: [back]}  # the end now leads back: a loop and no way out
    messages = [p.message for p in validate_scenario(scenario(edges), outcomes={"LO1"})]
    assert any("stages loop back" in m for m in messages)
