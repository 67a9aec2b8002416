"""Fault tests: the feature fixtures they reuse, and gunicorn serving the suite's database."""

import pytest

from tests.integration.assessments.conftest import enrolled, setting  # noqa: F401
from tests.integration.cpd.conftest import advocate, create_advocate  # noqa: F401
from tests.serverkit import Gunicorn


@pytest.fixture(scope="module")
def server(app, tmp_path_factory):
    """gunicorn with one sync worker on the suite's database, with the trap of faults_app."""
    folder = tmp_path_factory.mktemp("faults")
    trap = folder / "trap"
    trap.mkdir()
    gunicorn = Gunicorn("tests.faults_app:app", {
        "LMS_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "LMS_SECRET_KEY": app.config["SECRET_KEY"], "LMS_FAULT_TRAP": str(trap),
        "LMS_QUEUE_URL": "memory://", "LMS_MAIL_BACKEND": "outbox",
        "LMS_EXTERNAL_URL": "http://localhost"}, folder / "gunicorn.log")
    gunicorn.trap = trap
    try:
        gunicorn.wait_for_worker()
        yield gunicorn
    finally:
        gunicorn.stop()
