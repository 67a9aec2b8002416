"""Demo certificates, made through the real services: the demo trainee finishes the second
core module (its written component marked and released, so the release itself issues the
module certificate and a transcript), then everything else due is issued as the bulk command
would (the demo advocate's accreditation certificate, organisations' certificates)."""

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from assessments.deadlines import london_deadline
from lms.assessments.demo import _mark, _work, scenario_components
from lms.assessments.marking import agree, allocate, approve, release, release_plan
from lms.assessments.models import Assessment, Submission
from lms.auth.models import User
from lms.certs.issuing import issue_due
from lms.extensions import db
from lms.organisations.models import HostOrganisation


def _released_scenario(trainee) -> Assessment | None:
    """The trainee's released scenario assessment (set by the assessments demo)."""
    return db.session.scalar(select(Assessment).join(
        Submission, Submission.assessment_id == Assessment.id).where(
        Submission.user_id == trainee.id, Submission.state == "released",
        Assessment.kind == "scenario").limit(1))


def _finish_module(cohort, trainee, lead, marker, today: date) -> None:
    """Set, submit, mark and release the other components of the trainee's released module."""
    done = _released_scenario(trainee)
    if done is None:
        return
    version = done.version
    now = datetime.combine(today, time(9), tzinfo=UTC)
    for component in version.meta["components"]:
        if component["id"] == done.component_id or component["kind"] != "written":
            continue
        assessment = Assessment(
            cohort_id=cohort.id, module_id=version.module_id, version_id=version.id,
            component_id=component["id"], title=component["title"], kind="written",
            deadline=london_deadline(today - timedelta(days=28), time(12)), anonymous=True,
            second_marking="sample", created_by_id=lead.id)
        db.session.add(assessment)
        db.session.flush()
        work = _work(assessment, trainee, when=now - timedelta(days=30))
        allocate(work, marker.id, "first", actor=lead)
        _mark(work, marker, 64)
        agree(work, lead, 64, "", now=now - timedelta(days=8))
        approve(assessment, lead)
        release(assessment, lead, now=now - timedelta(days=7),
                confirmed={s.id for s in release_plan(assessment)[0]})


def load_demo_certificates(cohort, people: dict, today: date) -> None:
    """Certificates for the demo: the trainee's module and transcript, the advocate's
    accreditation, and whatever else is due to demo people and organisations."""
    lead, marker = people["moderator@example.org"], people["marker@example.org"]
    if scenario_components("modern_slavery"):
        _finish_module(cohort, people["trainee@example.org"], lead, marker, today)
    issue_due(db.session.scalars(select(User).order_by(User.id)).all(),
              db.session.scalars(select(HostOrganisation).order_by(HostOrganisation.id)).all(),
              today=today, actor=lead)
