"""Shared stores: sign-in limits in Redis (as deployed with several workers), SQLite pragmas."""

from sqlalchemy import text

from lms import create_app
from lms.extensions import db
from tests.conftest import csrf_token


def test_sign_in_limits_are_kept_in_redis_when_configured(app, create_user):
    """Two app processes (two workers) share one count when the limit store is Redis."""
    user = create_user("trainee")
    settings = {"TESTING": True, "SECRET_KEY": "x",
                "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15"}
    worker_a, worker_b = create_app(settings), create_app(settings)
    from lms.extensions import limiter

    with worker_a.app_context():
        limiter.reset()
    try:
        for worker in (worker_a, worker_b, worker_a, worker_b, worker_a):
            client = worker.test_client()
            response = client.post("/sign-in", data={"email": user.email, "password": "wrong-0000",
                                                     "csrf_token": csrf_token(client)})
            assert response.status_code == 401
        client = worker_b.test_client()
        response = client.post("/sign-in", data={"email": user.email, "password": "wrong-0000",
                                                 "csrf_token": csrf_token(client)})
        assert response.status_code == 429
        import redis

        keys = redis.Redis(host="127.0.0.1", port=6379, db=15).keys("*sign-in*")
        assert keys, "the sign-in counts are not in Redis"
    finally:
        with worker_a.app_context():
            limiter.reset()
            db.engine.dispose()
        with worker_b.app_context():
            db.engine.dispose()
        limiter.init_app(app)  # the session app goes back to its in-memory store


def test_sqlite_runs_with_foreign_keys_and_wal(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "x",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    with app.app_context():
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        db.session.remove()
        db.engine.dispose()
