"""Start pressed twice at once (a double click, two tabs): both requests find no draft, the
first starts one and commits, then the second inserts too. That was a unique constraint failure
and a 500 (found by the load run, tests/bench/load.py); now both show the one draft, started
once. The other request is played by a second connection committing its draft just before
this request's insert (see tests/integration/courses/test_same_moment.py)."""

from sqlalchemy import func, insert, select

from lms.assessments.models import Submission
from lms.audit.models import AuditEvent
from lms.db import utcnow
from lms.extensions import db
from tests.conftest import csrf_token, sign_in
from tests.integration.courses.test_same_moment import other_tab_commits


def test_an_assessment_started_in_two_tabs_at_once_is_started_once(app, client, setting,
                                                                  enrolled):
    aid = setting()
    trainee = enrolled(setting.cohort)
    sign_in(client, trainee)
    token = csrf_token(client, "/programme")
    row = lambda: insert(Submission).values(  # noqa: E731
        assessment_id=aid, user_id=trainee.id, attempt=1, candidate_number="CTABTWO",
        path=[], answers={}, created_at=utcnow(), updated_at=utcnow())
    with other_tab_commits(app, "submissions", row) as fired:
        response = client.post(f"/assessments/{aid}/scenario", data={"csrf_token": token})
    assert fired, "the other tab never got between the read and the write"
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/assessments/{aid}/scenario/step/1")
    with app.app_context():
        work = db.session.scalars(select(Submission)).all()
        assert [(w.user_id, w.candidate_number) for w in work] == [(trainee.id, "CTABTWO")]
        # Only the request that started it says so in the audit log (here, the other tab,
        # which this test plays without the app).
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "submission_started")) == 0
