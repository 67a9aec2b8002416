from datetime import date

from sqlalchemy import func, select

from lms.assessments.models import STATES, Submission
from lms.courses.content import load_programme
from lms.courses.services import sync_programme
from lms.demo import DEMO_PASSWORD, load_demo
from lms.extensions import db
from tests.conftest import csrf_token
from tests.coursekit import SMALL, write_programme


def test_demo_data_has_work_at_every_state_and_released_feedback(app, tmp_path):
    with app.app_context():
        sync_programme(load_programme(write_programme(tmp_path / "c"), SMALL))
        db.session.commit()
        load_demo(today=date(2026, 11, 22))
        states = dict(db.session.execute(select(Submission.state, func.count(Submission.id))
                                         .group_by(Submission.state)).all())
    assert set(states) == set(STATES)
    client = app.test_client()
    client.post("/sign-in", data={"email": "trainee@example.org", "password": DEMO_PASSWORD,
                                  "csrf_token": csrf_token(client)})
    page = client.get("/assessments").get_data(as_text=True)
    assert "In progress (draft saved)" in page and "Marked: feedback released" in page
    marker = app.test_client()
    marker.post("/sign-in", data={"email": "marker@example.org", "password": DEMO_PASSWORD,
                                  "csrf_token": csrf_token(marker)})
    assert "Provisional marks saved" in marker.get("/marking").get_data(as_text=True)
