"""Certificate fixtures: the kit programme, a trainee with released marks, an accredited
advocate, all made from the same rows the real services write."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from lms.extensions import db
from tests.certkit import create_certificate  # noqa: F401

TODAY = date.today()


@pytest.fixture
def kit(app, tmp_path):
    from lms.courses.content import load_programme
    from lms.courses.services import sync_programme
    from tests.coursekit import SMALL, write_programme

    with app.app_context():
        sync_programme(load_programme(write_programme(tmp_path / "courses"), SMALL))
        db.session.commit()


@pytest.fixture
def cohort(create_cohort):
    return create_cohort(name="2026/27 September intake")


@pytest.fixture
def enrol(app, cohort):
    def factory(user, specialism="modern_slavery"):
        from lms.cohorts.models import Enrolment

        with app.app_context():
            db.session.add(Enrolment(cohort_id=cohort.id, user_id=user.id,
                                     specialism=specialism, jurisdiction="scotland"))
            db.session.commit()
        return user

    return factory


@pytest.fixture
def trainee(create_user, enrol, kit):
    return enrol(create_user("trainee", name="Jordan Ellis"))


def release_mark(app, user, cohort, slug: str, component: str, final: int, *,
                 state: str = "released", days_ago: int = 3):
    """Give `user` an agreed mark on one component of a kit module, released `days_ago`
    (or left at `state`, such as "ready", for a release still to come)."""
    from lms.assessments.models import Assessment, Mark, Submission
    from lms.courses.models import Module

    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.slug == slug))
        at = datetime.now(UTC) - timedelta(days=days_ago)
        assessment = db.session.scalar(select(Assessment).where(
            Assessment.module_id == module.id, Assessment.component_id == component,
            Assessment.cohort_id == cohort.id))
        if assessment is None:
            assessment = Assessment(
                cohort_id=cohort.id, module_id=module.id, version_id=module.current_version_id,
                component_id=component, title=f"{slug} {component}",
                kind="scenario" if component == "scenario" else "written",
                scenario_slug="first-meeting" if component == "scenario" else None,
                deadline=at - timedelta(days=20),
                released_at=at if state == "released" else None)
            db.session.add(assessment)
            db.session.flush()
        submission = Submission(assessment_id=assessment.id, user_id=user.id, path=[],
                                answers={}, candidate_number=f"C{user.id:03d}{component[:3]}",
                                state=state, submitted_at=at - timedelta(days=21),
                                reference="R", content_hash="0" * 64)
        db.session.add(submission)
        db.session.flush()
        db.session.add(Mark(submission_id=submission.id, marker_id=user.id, role="agreed",
                            status="complete", mark=final, final_mark=final))
        db.session.commit()
        return assessment.id


@pytest.fixture
def advocate(app, create_user, create_organisation):
    """Return a factory: an IMSA awarded, employed by an accredited organisation and (unless
    accredit=False) accredited `accredited_days` ago by a staff decision."""

    def factory(*, accredit=True, accredited_days=100, name="Amira Haddad", org=None):
        from lms.accreditation import services
        from lms.auth.models import User
        from lms.organisations.models import Employment

        org = org or create_organisation()
        person = create_user("advocate", name=name)
        with app.app_context():
            user = db.session.get(User, person.id)
            services.record_award(user, "modern_slavery",
                                  TODAY - timedelta(days=accredited_days + 100), actor=None)
            db.session.add(Employment(user_id=user.id, organisation_id=org.id,
                                      start_date=TODAY - timedelta(days=accredited_days + 200)))
            db.session.flush()
            if accredit:
                services.decide_for_advocate(user, "accredit",
                                             TODAY - timedelta(days=accredited_days),
                                             actor=None, reason="Initial conditions met.")
            db.session.commit()
        return person

    return factory


def certificates(app, **where):
    from lms.certs.models import Certificate

    with app.app_context():
        rows = db.session.scalars(select(Certificate).filter_by(**where)
                                  .order_by(Certificate.id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows
