"""Demo assessments with work at every state, made through the real services."""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from assessments.deadlines import london_deadline
from assessments.scenario import needs_justification, stages_by_id, walk
from lms.assessments.marking import agree, allocate, approve, release, release_plan, save_mark
from lms.assessments.models import Assessment
from lms.assessments.services import decide, save_answer, submission_for, submit
from lms.courses.models import Module, ModuleVersion
from lms.extensions import db

ANSWER = ("I would begin by explaining who I am and that I am independent of the police and "
          "of the support provider, then agree with the person what they want from today. "
          "I would check they are comfortable with the interpreter, note their consent to "
          "each step, and arrange to go with them to the next appointment rather than "
          "simply passing on a phone number.")


def scenario_components(trainee_specialism: str) -> list[tuple[ModuleVersion, dict]]:
    """Scenario components a trainee of this specialism may take, core modules first."""
    versions = db.session.scalars(select(ModuleVersion).join(
        Module, Module.current_version_id == ModuleVersion.id).order_by(ModuleVersion.position))
    return [(v, c) for v in versions for c in v.meta["components"]
            if c["kind"] == "scenario" and c.get("scenario") in v.scenarios
            and (v.kind == "core" or v.specialism == trainee_specialism)]


def _set(cohort, version, component, deadline, actor) -> Assessment:
    assessment = Assessment(cohort_id=cohort.id, module_id=version.module_id,
                            version_id=version.id, component_id=component["id"],
                            title=component["title"], kind="scenario",
                            scenario_slug=component["scenario"], deadline=deadline,
                            scenario_variants=dict(component.get("jurisdictions", {})) or None,
                            anonymous=True, second_marking="sample", created_by_id=actor.id)
    db.session.add(assessment)
    db.session.flush()
    return assessment


def _work(assessment, trainee, *, steps: int | None = None, when: datetime) -> object:
    """Walk the recommended path (stopping after `steps` if given), answering every task."""
    submission = submission_for(assessment, trainee, create=True)
    data = submission.scenario
    stages = stages_by_id(data)
    taken = 0
    while steps is None or taken < steps:
        current, _ = walk(data, submission.path)
        stage = stages[current]
        if "decision" in stage:
            options = stage["decision"]["options"]
            option = next((o for o in options if o.get("recommended")), options[0])
            decide(submission, data, current, option["id"],
                   "It keeps the person informed and in control." if needs_justification(
                       stage) else "")
        elif "task" in stage:
            save_answer(submission, data, current, ANSWER, advance=True)
        else:
            submit(submission, data, now=when)
            break
        taken += 1
    return submission


def _mark(submission, marker, written: int, role: str = "first", complete: bool = True):
    rubric = submission.assessment.scenario["rubric"]
    save_mark(submission, marker, role, {c["id"]: written for c in rubric},
              {c["id"]: "Clear, person-led reasoning; cite the guidance you rely on."
               for c in rubric},
              "A thoughtful response that keeps the person at the centre.", complete=complete)


def load_demo_assessments(cohort, people: dict, today: date) -> None:
    """Two assessments for the demo cohort: one in marking, one released."""
    choices = scenario_components("modern_slavery")
    if not choices:
        return
    lead, marker = people["moderator@example.org"], people["marker@example.org"]
    trainees = [people[e] for e in ("kofi.mensah@example.org", "siobhan.gallagher@example.org",
                                    "priya.natarajan@example.org", "aisha.rahman@example.org",
                                    "owen.price@example.org")]
    now = datetime.combine(today, time(9), tzinfo=UTC)
    if len(choices) > 1:  # released earlier: the demo trainee can read feedback and path
        version, component = choices[1]
        earlier = _set(cohort, version, component,
                       london_deadline(today - timedelta(days=30), time(12)), lead)
        done = _work(earlier, people["trainee@example.org"], when=now - timedelta(days=32))
        allocate(done, marker.id, "first", actor=lead)
        _mark(done, marker, 68)
        agree(done, lead, done_mark(done), "", now=now - timedelta(days=10))
        approve(earlier, lead)
        release(earlier, lead, now=now - timedelta(days=9),
                confirmed={s.id for s in release_plan(earlier)[0]})

    version, component = choices[0]
    current = _set(cohort, version, component, london_deadline(today + timedelta(days=10),
                                                               time(12)), lead)
    _work(current, people["trainee@example.org"], steps=1, when=now)      # draft
    states = []
    for trainee in trainees:
        states.append(_work(current, trainee, when=now - timedelta(days=1)))  # submitted
    _submitted, in_marking, marked, moderated, ready = states
    for work in (in_marking, marked, moderated, ready):
        allocate(work, marker.id, "first", actor=lead)
    _mark(in_marking, marker, 58, complete=False)                          # in marking
    for work, written in ((marked, 62), (moderated, 71), (ready, 55)):
        _mark(work, marker, written)                                        # marked
    allocate(marked, lead.id, "second", actor=lead)  # the examiner reads two markers' views
    _mark(marked, lead, 66, role="second")
    agree(moderated, lead, done_mark(moderated), "", now=now)              # moderated
    agree(ready, lead, done_mark(ready), "", now=now)
    from lms.assessments.marking import _state

    _state(ready, "ready", lead)                                            # ready


def done_mark(submission) -> int:
    from lms.assessments.models import Mark

    return db.session.scalar(select(Mark.mark).where(Mark.submission_id == submission.id,
                                                     Mark.role == "first"))
