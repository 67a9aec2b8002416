"""The marker's queue issues the same number of queries with 100 or 10,000 submissions."""

from datetime import UTC, datetime

from sqlalchemy import insert, select

from lms.assessments.models import Allocation, Assessment, Submission
from lms.auth.models import User
from lms.extensions import db
from tests.conftest import sign_in
from tests.integration.courses.test_query_counts import count_queries


def add_work(app, assessment_id, marker_id, start, count):
    """Bulk-insert trainees with submitted work allocated to the marker."""
    with app.app_context():
        now = datetime(2027, 1, 10, tzinfo=UTC)
        db.session.execute(insert(User), [
            {"email": f"bulk{n}@example.org", "name": f"Bulk {n}", "active": True,
             "session_version": 1, "created_at": now, "updated_at": now}
            for n in range(start, start + count)])
        ids = db.session.scalars(select(User.id).where(User.email.like("bulk%"))
                                 .order_by(User.id).offset(start)).all()
        db.session.execute(insert(Submission), [
            {"assessment_id": assessment_id, "user_id": uid, "attempt": 1,
             "candidate_number": f"C{uid:07d}", "state": "in_marking", "path": [],
             "answers": {}, "days_late": 0, "submitted_at": now, "created_at": now,
             "updated_at": now} for uid in ids])
        subs = db.session.scalars(select(Submission.id).where(Submission.user_id.in_(ids)))
        db.session.execute(insert(Allocation), [
            {"submission_id": sid, "marker_id": marker_id, "role": "first",
             "allocated_at": now} for sid in subs])
        db.session.commit()


def test_marker_queue_queries_do_not_grow(app, setting, create_user):
    aid = setting()
    marker = create_user("marker")
    client = app.test_client()
    sign_in(client, marker)

    def measure():
        client.get("/marking")
        with count_queries(app) as statements:
            response = client.get("/marking?page=2")
        assert response.status_code == 200
        return len(statements), response.get_data(as_text=True)

    add_work(app, aid, marker.id, 0, 100)
    small, page = measure()
    assert "100 pieces of work" in page
    add_work(app, aid, marker.id, 100, 9_900)
    large, page = measure()
    assert "10,000 pieces of work" in page and "Page 2 of 200" in page
    assert large == small
    with app.app_context():
        assert db.session.get(Assessment, aid).anonymous
    assert "Bulk " not in page  # anonymous: candidate numbers only


def test_moderation_pages_issue_the_same_queries_for_20_or_400_pieces(app, setting,
                                                                       create_user):
    aid = setting()
    marker = create_user("marker")
    lead = create_user("moderator")
    client = app.test_client()
    sign_in(client, lead)
    pages = ["/staff/assessments", f"/moderation/{aid}", f"/moderation/{aid}/sample",
             f"/moderation/{aid}/extensions", f"/moderation/{aid}/marks.csv"]

    def measure():
        counts = {}
        for path in pages:
            client.get(path)
            with count_queries(app) as statements:
                assert client.get(path).status_code == 200, path
            counts[path] = len(statements)
        return counts

    add_work(app, aid, marker.id, 0, 20)
    small = measure()
    add_work(app, aid, marker.id, 20, 380)
    assert measure() == small
