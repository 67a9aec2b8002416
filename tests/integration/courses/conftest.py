from datetime import date

import pytest

from lms.cohorts.models import Enrolment
from lms.courses.content import load_programme
from lms.courses.services import sync_programme
from lms.extensions import db
from tests.coursekit import SMALL, write_programme


@pytest.fixture
def content(tmp_path):
    return write_programme(tmp_path / "courses")


@pytest.fixture
def sync(app):
    def run(root):
        with app.app_context():
            report = sync_programme(load_programme(root, SMALL))
            db.session.commit()
            return report

    return run


@pytest.fixture
def synced(content, sync):
    sync(content)
    return content


@pytest.fixture
def create_trainee(app, create_user, create_cohort):
    cohorts = {}

    def factory(specialism="modern_slavery", jurisdiction="scotland", **kwargs):
        if "cohort" not in cohorts:
            cohorts["cohort"] = create_cohort(starts_on=date(2026, 9, 21))
        user = create_user("trainee", **kwargs)
        with app.app_context():
            db.session.add(Enrolment(cohort_id=cohorts["cohort"].id, user_id=user.id,
                                     specialism=specialism, jurisdiction=jurisdiction))
            db.session.commit()
        user.cohort_id = cohorts["cohort"].id
        return user

    return factory
