"""Several web nodes and workers on one database and one Redis: production refuses state kept
in one process's memory, and two real nodes share sessions, CSRF, limits, uploads and
content; two workers in separate processes deliver each message once and run the day's jobs
once."""

import pytest

from certificates.keys import generate_private_key, private_key_to_multibase
from lms import create_app

REDIS = "redis://127.0.0.1:6379/0"


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
