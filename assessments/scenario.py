"""Scenario structure: stages that end in a decision, a written task or an end; graph checks."""

from collections.abc import Iterator
from dataclasses import dataclass

SCORING_MODES = ("none", "sum", "end")
BANDS = ("distinction", "merit", "pass", "marginal", "fail")


@dataclass(frozen=True)
class ScenarioProblem:
    message: str
    anchor: str | None = None  # a stage or criterion id, to find the line in the source


def _next_stages(stage: dict) -> list[str]:
    if "decision" in stage:
        return [o.get("next") for o in stage["decision"].get("options", [])]
    if "task" in stage:
        return [stage["task"].get("next")]
    return []


def validate_scenario(data: dict, *, outcomes: set[str]) -> list[ScenarioProblem]:
    """Return every structural problem of a scenario: fields, rubric, and the stage graph."""
    problems = list(_check_fields(data, outcomes))
    rubric = {c.get("id") for c in data.get("rubric", [])}
    stages = {}
    for stage in data.get("stages", []):
        sid = stage.get("id")
        if not sid:
            problems.append(ScenarioProblem("a stage has no id"))
            continue
        if sid in stages:
            problems.append(ScenarioProblem(f"stage id '{sid}' is used twice", sid))
        stages[sid] = stage
        problems.extend(_check_stage(stage, rubric))
    if not stages:
        return [*problems, ScenarioProblem("the scenario has no stages")]
    problems.extend(_check_graph(data, stages))
    return problems


def _check_fields(data: dict, outcomes: set[str]) -> Iterator[ScenarioProblem]:
    for key in ("slug", "title", "summary", "start", "last_reviewed"):
        if not data.get(key):
            yield ScenarioProblem(f"'{key}' is required")
    if data.get("scoring") not in SCORING_MODES:
        yield ScenarioProblem(f"'scoring' must be one of {', '.join(SCORING_MODES)}")
    weights = data.get("weights", {})
    if set(weights) - {"decisions", "written"} or sum(weights.values()) != 100:
        yield ScenarioProblem("[weights] must give 'decisions' and 'written' adding up to 100")
    unknown = set(data.get("outcomes", [])) - outcomes
    if unknown:
        yield ScenarioProblem(f"outcomes {sorted(unknown)} are not outcomes of the module")
    criteria = data.get("rubric", [])
    if criteria and sum(c.get("weight", 0) for c in criteria) != 100:
        yield ScenarioProblem("rubric criterion weights must add up to 100")
    for criterion in criteria:
        cid = criterion.get("id")
        if not cid or not criterion.get("title"):
            yield ScenarioProblem("every rubric criterion needs an id and a title", cid)
        if criterion.get("outcome") not in outcomes:
            yield ScenarioProblem(f"criterion '{cid}' must name a module outcome", cid)
        missing = [b for b in BANDS if not criterion.get("bands", {}).get(b)]
        if missing:
            yield ScenarioProblem(f"criterion '{cid}' lacks band descriptors: {missing}", cid)


def _check_stage(stage: dict, rubric: set) -> Iterator[ScenarioProblem]:
    sid = stage["id"]
    endings = [k for k in ("decision", "task", "end") if k in stage]
    if len(endings) != 1:
        yield ScenarioProblem(f"stage '{sid}' must end in exactly one of decision, task or end",
                              sid)
        return
    if not stage.get("narrative", "").strip():
        yield ScenarioProblem(f"stage '{sid}' has no narrative", sid)
    if "decision" in stage:
        options = stage["decision"].get("options", [])
        if len(options) < 2:
            yield ScenarioProblem(f"decision in stage '{sid}' needs at least two options", sid)
        ids = [o.get("id") for o in options]
        if len(set(ids)) != len(ids) or None in ids:
            yield ScenarioProblem(f"options in stage '{sid}' need distinct ids", sid)
        justification = stage["decision"].get("justification", False)
        if not isinstance(justification, bool):
            yield ScenarioProblem(f"'justification' at the decision in stage '{sid}' must be "
                                  "true or false", sid)
        for option in options:
            if "justification" in option:
                # Asking only some options for reasons tells the trainee which ones matter.
                yield ScenarioProblem(
                    f"option '{option.get('id')}' in stage '{sid}' asks for a justification: "
                    "ask it of the decision ([stages.decision] justification = true), so every "
                    "option needs one or none does", sid)
            if not option.get("text") or not option.get("feedback"):
                yield ScenarioProblem(f"every option in stage '{sid}' needs text and feedback",
                                      sid)
            if not isinstance(option.get("score", 0), int | float):
                yield ScenarioProblem(f"option scores in stage '{sid}' must be numbers", sid)
    if "task" in stage:
        task = stage["task"]
        if not task.get("prompt"):
            yield ScenarioProblem(f"task in stage '{sid}' has no prompt", sid)
        unknown = set(task.get("criteria", [])) - rubric
        if not task.get("criteria") or unknown:
            yield ScenarioProblem(f"task in stage '{sid}' must name rubric criteria "
                                  f"(unknown: {sorted(unknown)})", sid)


def _check_graph(data: dict, stages: dict) -> Iterator[ScenarioProblem]:
    start = data.get("start")
    if start not in stages:
        yield ScenarioProblem(f"start stage '{start}' does not exist")
        return
    for sid, stage in stages.items():
        for target in _next_stages(stage):
            if target not in stages:
                yield ScenarioProblem(f"stage '{sid}' leads to '{target}', which does not exist",
                                      sid)
    reachable = _reachable(start, stages)
    for sid in stages:
        if sid not in reachable:
            yield ScenarioProblem(f"stage '{sid}' cannot be reached from the start", sid)
    if not data.get("allow_loops", False):
        cycle = _find_cycle(start, stages)
        if cycle:
            yield ScenarioProblem("stages loop back: " + " -> ".join(cycle), cycle[0])
    ends = {sid for sid, s in stages.items() if "end" in s}
    can_finish = _can_reach(ends, stages)
    for sid in reachable:
        if sid not in can_finish:
            yield ScenarioProblem(f"from stage '{sid}' no path reaches an end", sid)
    yield from _check_written_cover(data, stages)


def _check_written_cover(data: dict, stages: dict) -> Iterator[ScenarioProblem]:
    """Every way through must meet written tasks covering every rubric criterion: otherwise a
    trainee who takes one early turn loses the written part of the mark without being told."""
    rubric = [c.get("id") for c in data.get("rubric", []) if c.get("id")]
    if not rubric or data.get("allow_loops", False):
        return
    reported: set[tuple[str, ...]] = set()
    for trail in paths(data):
        covered = {c for sid in trail for c in stages[sid].get("task", {}).get("criteria", [])}
        missing = tuple(c for c in rubric if c not in covered)
        end = trail[-1]
        if missing and (end, *missing) not in reported:
            reported.add((end, *missing))
            yield ScenarioProblem(
                f"the path {' -> '.join(trail)} reaches the end '{end}' with no written task "
                f"on criteria {list(missing)}: add a task (a reflection before the ending, say)",
                end)


def uncovered_paths(data: dict) -> list[list[str]]:
    """Paths that do not meet a written task for every rubric criterion (for tests and tools)."""
    stages = stages_by_id(data)
    rubric = {c.get("id") for c in data.get("rubric", [])}
    return [trail for trail in paths(data)
            if not rubric <= {c for sid in trail
                              for c in stages[sid].get("task", {}).get("criteria", [])}]


def _reachable(start: str, stages: dict) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        sid = todo.pop()
        if sid in seen or sid not in stages:
            continue
        seen.add(sid)
        todo.extend(_next_stages(stages[sid]))
    return seen


def _can_reach(targets: set[str], stages: dict) -> set[str]:
    """Return stages from which some path reaches one of the targets."""
    good = set(targets)
    changed = True
    while changed:
        changed = False
        for sid, stage in stages.items():
            if sid not in good and any(t in good for t in _next_stages(stage)):
                good.add(sid)
                changed = True
    return good


def _find_cycle(start: str, stages: dict) -> list[str] | None:
    path: list[str] = []
    on_path: set[str] = set()
    done: set[str] = set()

    def visit(sid: str) -> list[str] | None:
        if sid in on_path:
            return path[path.index(sid):] + [sid]
        if sid in done or sid not in stages:
            return None
        path.append(sid)
        on_path.add(sid)
        for target in _next_stages(stages[sid]):
            found = visit(target)
            if found:
                return found
        path.pop()
        on_path.discard(sid)
        done.add(sid)
        return None

    return visit(start)


def paths(data: dict, limit: int = 10_000) -> list[list[str]]:
    """Return every path of stage ids from the start to an end (loop-free scenarios)."""
    stages = {s["id"]: s for s in data.get("stages", [])}
    found: list[list[str]] = []

    def walk(sid: str, trail: list[str]) -> None:
        if len(found) >= limit or sid not in stages or sid in trail:
            return
        trail = [*trail, sid]
        nexts = _next_stages(stages[sid])
        if not nexts:
            found.append(trail)
        for target in nexts:
            walk(target, trail)

    walk(data.get("start"), [])
    return found


class PathError(ValueError):
    """A step does not follow from where the learner is in the scenario."""


def stages_by_id(data: dict) -> dict[str, dict]:
    return {s["id"]: s for s in data.get("stages", [])}


def walk(data: dict, path: list[dict]) -> tuple[str | None, list[dict]]:
    """Follow a learner's recorded steps from the start; return the current stage and the steps.

    A step is {"stage": id, "option": id, "justification": text} at a decision, or
    {"stage": id, "answer": True} at a written task. At an end, the current stage is that end."""
    stages = stages_by_id(data)
    current = data.get("start")
    for step in path:
        stage = stages.get(current)
        if stage is None or step.get("stage") != current:
            raise PathError(f"step at '{step.get('stage')}' does not follow '{current}'")
        if "decision" in stage:
            option = next((o for o in stage["decision"]["options"]
                           if o["id"] == step.get("option")), None)
            if option is None:
                raise PathError(f"'{step.get('option')}' is not an option at '{current}'")
            current = option["next"]
        elif "task" in stage:
            current = stage["task"]["next"]
        else:
            raise PathError(f"'{current}' is an end; nothing follows it")
    return current, path


def finished(data: dict, path: list[dict]) -> bool:
    """Return whether the steps have reached one of the scenario's ends."""
    current, _ = walk(data, path)
    return "end" in stages_by_id(data).get(current, {})


def needs_justification(stage: dict) -> bool:
    """Whether the decision at this stage asks every option for a written justification."""
    return bool(stage.get("decision", {}).get("justification", False))


def option_of(data: dict, step: dict) -> dict | None:
    stage = stages_by_id(data).get(step.get("stage"), {})
    return next((o for o in stage.get("decision", {}).get("options", [])
                 if o["id"] == step.get("option")), None)


def best_scores(data: dict) -> tuple[float, float]:
    """Return the best achievable sum of option scores and the best end score (loop-free)."""
    stages = stages_by_id(data)
    memo: dict[str, float] = {}

    def best_sum(sid: str, seen: frozenset) -> float:
        if sid in memo:
            return memo[sid]
        stage = stages.get(sid)
        if stage is None or sid in seen:
            return 0
        seen = seen | {sid}
        if "decision" in stage:
            value = max(o.get("score", 0) + best_sum(o["next"], seen)
                        for o in stage["decision"]["options"])
        elif "task" in stage:
            value = best_sum(stage["task"]["next"], seen)
        else:
            value = 0
        memo[sid] = value
        return value

    ends = [s["end"].get("score", 0) for s in stages.values() if "end" in s]
    return best_sum(data.get("start"), frozenset()), max(ends, default=0)


def recommended_path(data: dict, limit: int = 100) -> list[str]:
    """Return the stage ids an experienced advocate would pass through (recommended options)."""
    stages = stages_by_id(data)
    current, trail = data.get("start"), []
    while current in stages and current not in trail and len(trail) < limit:
        trail.append(current)
        stage = stages[current]
        if "decision" in stage:
            options = stage["decision"]["options"]
            chosen = next((o for o in options if o.get("recommended")), None)
            chosen = chosen or max(options, key=lambda o: o.get("score", 0))
            current = chosen["next"]
        elif "task" in stage:
            current = stage["task"]["next"]
        else:
            break
    return trail


JURISDICTIONS = ("england_wales", "scotland", "northern_ireland")


def variant_problem(default: dict, variant: dict) -> str | None:
    """Why `variant` cannot stand in for `default` in one assessment, or None if it can.

    One component is marked once for a cohort, so the scenarios given to trainees of different
    nations must be marked alike: the same rubric (criteria and weights), the same weighting of
    decisions and written work, and the same kind of decision scoring."""
    if variant.get("weights") != default.get("weights"):
        return "its [weights] differ"
    if variant.get("scoring") != default.get("scoring"):
        return "its scoring differs"
    rubric = [(c.get("id"), c.get("weight")) for c in default.get("rubric", [])]
    if [(c.get("id"), c.get("weight")) for c in variant.get("rubric", [])] != rubric:
        return "its rubric criteria or their weights differ"
    return None


def stages_visited(data: dict, path: list[dict]) -> list[str]:
    """Return the stage ids a learner passed through, ending where they are (an end, when
    finished). A path the scenario no longer follows is shown as recorded."""
    try:
        current, _ = walk(data, path)
    except PathError:
        current = None
    visited = [step.get("stage") for step in path]
    return [*visited, current] if current in stages_by_id(data) else visited
