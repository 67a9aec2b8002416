import copy

import pytest
from sqlalchemy import select

from lms.assessments.models import Assessment
from lms.cohorts.models import Enrolment
from lms.courses.content import load_programme
from lms.courses.models import Module
from lms.courses.services import sync_programme
from lms.extensions import db
from tests.clock import noon_in
from tests.coursekit import SMALL, write_programme


@pytest.fixture
def setting(app, tmp_path, create_cohort):
    """Synced kit content, a cohort, and a scenario assessment set for it."""
    with app.app_context():
        sync_programme(load_programme(write_programme(tmp_path / "courses"), SMALL))
        db.session.commit()
    cohort = create_cohort()

    def make(deadline=None, module="foundations", allow_back=False, justify=False):
        """justify: the first decision asks every option for a justification."""
        deadline = deadline or noon_in(60)  # on time, whatever day the tests run
        with app.app_context():
            mod = db.session.scalar(select(Module).where(Module.slug == module))
            if allow_back or justify:
                version = mod.current_version
                scenarios = copy.deepcopy(version.scenarios)
                scenarios["first-meeting"]["allow_back"] = allow_back
                scenarios["first-meeting"]["stages"][0]["decision"]["justification"] = justify
                version.scenarios = scenarios
            assessment = Assessment(cohort_id=cohort.id, module_id=mod.id,
                                    version_id=mod.current_version_id, component_id="scenario",
                                    title=f"Scenario assessment ({module})", kind="scenario",
                                    scenario_slug="first-meeting", deadline=deadline)
            db.session.add(assessment)
            db.session.commit()
            return assessment.id

    make.cohort = cohort
    return make


@pytest.fixture
def enrolled(app, create_user):
    def factory(cohort, specialism="modern_slavery", jurisdiction="england_wales", **kwargs):
        user = create_user("trainee", **kwargs)
        with app.app_context():
            db.session.add(Enrolment(cohort_id=cohort.id, user_id=user.id,
                                     specialism=specialism, jurisdiction=jurisdiction))
            db.session.commit()
        return user

    return factory
