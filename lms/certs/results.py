"""A trainee's module results from released marks: a pure rule over plain data, and one batched
reader that gathers the data for any number of trainees in a fixed number of queries.

A module has a result only when every component of the module version has a released agreed
mark (after any late penalty or resit cap); the result follows assessments.marks.module_result
with the module's own pass mark and component minimum."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from assessments.marks import COMPONENT_MINIMUM, PASS_MARK, band_words, module_result
from lms.assessments.models import Assessment, Mark, Submission
from lms.extensions import db


@dataclass(frozen=True)
class ComponentMark:
    """A released agreed mark for one component of a module."""

    component_id: str
    mark: int  # the final mark: after any late penalty or resit cap
    released_on: date


@dataclass(frozen=True)
class ModuleOutcome:
    """A module's released result for one trainee."""

    module_id: int
    title: str
    kind: str  # "core" or "specialism"
    specialism: str | None
    credits: int
    position: int
    mark: int
    passed: bool
    result: str  # "Distinction", "Merit", "Pass" or "Fail"
    released_on: date  # the day the last component's mark was released


def outcome(module_id: int, version: dict, marks: list[ComponentMark]) -> ModuleOutcome | None:
    """Return the module's result from its components' released marks, or None while any
    component has no released mark. `version` is plain data: title, kind, specialism,
    credits, position and meta (with components, pass_mark, component_minimum)."""
    meta = version["meta"]
    components = {c["id"]: c.get("weight", 0) for c in meta.get("components", [])}
    by_id = {m.component_id: m for m in marks}
    if not components or set(components) - set(by_id):
        return None
    pass_mark, minimum = meta.get("pass_mark"), meta.get("component_minimum")
    result = module_result({cid: (by_id[cid].mark, weight) for cid, weight in components.items()},
                           pass_mark=PASS_MARK if pass_mark is None else pass_mark,
                           component_minimum=COMPONENT_MINIMUM if minimum is None else minimum)
    words = band_words(result.mark) if result.passed else "Fail"
    if result.passed and words not in ("Pass", "Merit", "Distinction"):
        words = "Pass"  # a module pass mark below 50 still passes
    return ModuleOutcome(
        module_id=module_id, title=version["title"], kind=version["kind"],
        specialism=version["specialism"], credits=version["credits"],
        position=version["position"], mark=result.mark, passed=result.passed, result=words,
        released_on=max(by_id[cid].released_on for cid in components))


def released_outcomes(user_ids) -> dict[int, list[ModuleOutcome]]:
    """Return each trainee's module results from released marks, in programme order (three
    queries whatever the number of trainees)."""
    ids = list(set(user_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(Submission.user_id, Submission.assessment_id, Submission.attempt,
               Assessment.module_id, Assessment.version_id, Assessment.component_id,
               Assessment.released_at, Mark.final_mark)
        .join(Assessment, Assessment.id == Submission.assessment_id)
        .join(Mark, Mark.submission_id == Submission.id)
        .where(Submission.user_id.in_(ids), Submission.state == "released",
               Assessment.withdrawn_at.is_(None), Mark.role == "agreed", Mark.current(),
               Mark.final_mark.is_not(None))).all()
    latest: dict[tuple[int, int], tuple] = {}
    for row in rows:  # the latest released attempt of each assessment counts
        key = (row.user_id, row.assessment_id)
        if key not in latest or row.attempt > latest[key].attempt:
            latest[key] = row
    versions = _versions({row.version_id for row in latest.values()})
    marks: dict[tuple[int, int, int], list[ComponentMark]] = defaultdict(list)
    for row in latest.values():
        released = row.released_at.date() if row.released_at else date.today()
        marks[(row.user_id, row.module_id, row.version_id)].append(
            ComponentMark(row.component_id, row.final_mark, released))
    out: dict[int, list[ModuleOutcome]] = {i: [] for i in ids}
    for (user_id, module_id, version_id), component_marks in marks.items():
        found = outcome(module_id, versions[version_id], component_marks)
        if found is None:
            continue
        same = [r for r in out[user_id] if r.module_id == module_id]
        if same and same[0].released_on >= found.released_on:
            continue  # a module taken on two versions: the later result stands
        out[user_id] = [r for r in out[user_id] if r.module_id != module_id] + [found]
    for results in out.values():
        results.sort(key=lambda r: (r.position, r.title))
    return out


def _versions(version_ids) -> dict[int, dict]:
    from lms.courses.models import ModuleVersion

    if not version_ids:
        return {}
    return {v.id: {"title": v.title, "kind": v.kind, "specialism": v.specialism,
                   "credits": v.credits, "position": v.position, "meta": v.meta}
            for v in db.session.scalars(select(ModuleVersion)
                                        .where(ModuleVersion.id.in_(version_ids)))}
