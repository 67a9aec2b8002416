"""Several web nodes and workers on one database and one Redis: production refuses state kept
in one process's memory, and two real nodes share sessions, CSRF, limits, uploads and
content; two workers in separate processes deliver each message once and run the day's jobs
once."""

from collections import Counter

import pytest
from sqlalchemy import func, select

from certificates.keys import generate_private_key, private_key_to_multibase
from lms import create_app
from lms.extensions import db
from lms.mail.models import OutboxMessage
from tests.conftest import outbox
from tests.workerkit import run_together

REDIS = "redis://127.0.0.1:6379/0"
SIGNING_KEY = private_key_to_multibase(generate_private_key())


def shared(app) -> dict:
    """What every node and worker of one site is given: the database and the same keys."""
    return {"LMS_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "LMS_SECRET_KEY": "one-secret-for-every-node", "LMS_SIGNING_KEY": SIGNING_KEY,
            "LMS_QUEUE_URL": "memory://", "LMS_MAIL_BACKEND": "outbox"}


@pytest.fixture
def production(monkeypatch):
    """The environment of a production node with every store shared."""
    monkeypatch.setenv("LMS_ENV", "production")
    monkeypatch.setenv("LMS_SECRET_KEY", "a-real-secret-from-the-environment")
    monkeypatch.setenv("LMS_SIGNING_KEY", private_key_to_multibase(generate_private_key()))
    monkeypatch.setenv("LMS_RATELIMIT_STORAGE_URL", REDIS)
    monkeypatch.setenv("LMS_QUEUE_URL", REDIS)
    monkeypatch.delenv("LMS_SINGLE_MACHINE", raising=False)
    return monkeypatch


def test_production_starts_with_redis_for_limits_and_the_queue(production):
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["RATELIMIT_STORAGE_URI"] == REDIS


@pytest.mark.parametrize(("name", "value", "named"), [
    ("LMS_RATELIMIT_STORAGE_URL", "memory://", "LMS_RATELIMIT_STORAGE_URL"),
    ("LMS_RATELIMIT_STORAGE_URL", None, "LMS_RATELIMIT_STORAGE_URL"),  # memory by default
    ("LMS_QUEUE_URL", "memory://", "LMS_QUEUE_URL"),
    ("LMS_QUEUE_URL", None, "LMS_QUEUE_URL"),  # the SQLite file in this machine's folder
    ("LMS_QUEUE_URL", "sqlite:////srv/lms/queue.sqlite3", "LMS_SINGLE_MACHINE"),
])
def test_production_refuses_state_another_node_cannot_see(production, name, value, named):
    if value is None:
        production.delenv(name)
    else:
        production.setenv(name, value)
    with pytest.raises(RuntimeError, match=named):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_one_machine_may_keep_the_queue_file_when_it_says_so(production):
    production.delenv("LMS_QUEUE_URL")
    production.setenv("LMS_SINGLE_MACHINE", "1")
    create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})  # starts
    production.setenv("LMS_RATELIMIT_STORAGE_URL", "memory://")
    with pytest.raises(RuntimeError, match="LMS_RATELIMIT_STORAGE_URL"):  # per process still
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_two_worker_processes_deliver_each_message_once(app, tmp_path):
    """test_mail_delivery proves the claim within one process; here two processes race on the
    real database, as two nodes' workers do."""
    people = [f"person{n}@example.org" for n in range(20)]
    with app.app_context():
        db.session.add_all(OutboxMessage(recipient=p, subject="Notice", body="Text",
                                         status="pending") for p in people)
        db.session.commit()
    results = run_together("deliver", tmp_path, shared(app))
    sent = [line.split() for line in (tmp_path / "sent.txt").read_text().splitlines()]
    assert sorted(recipient for recipient, _ in sent) == sorted(people)  # each once
    assert sum(r["done"] for r in results) == 20
    assert len({worker for _, worker in sent}) == 2  # both workers sent, at the same time
    assert {m.status for m in outbox(app)} == {"sent"}


def test_two_workers_running_the_daily_jobs_at_once_send_each_reminder_once(
        app, create_user, tmp_path):
    """Every worker's scheduler enqueues the daily jobs: two run them at the same moment."""
    from lms.cpd.models import CpdProfile, CpdReminder
    from tests.integration.cpd.test_reminders import accredited_for_year_ending_in

    people = [create_user("advocate") for _ in range(6)]
    with app.app_context():
        db.session.add_all(CpdProfile(user_id=p.id, accredited_on=accredited_for_year_ending_in(30))
                           for p in people)
        db.session.commit()
    results = run_together("daily", tmp_path, shared(app))
    ran = [r["done"] for r in results if r["done"] is not None]
    assert sum(done["cpd_reminders"] for done in ran) == 6
    assert Counter(m.recipient for m in outbox(app)) == {p.email: 1 for p in people}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CpdReminder)) == 6
