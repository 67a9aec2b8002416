"""Several web nodes and workers on one database and one Redis: production refuses state kept
in one process's memory, and two real nodes share sessions, CSRF, limits, uploads and
content; two workers in separate processes deliver each message once and run the day's jobs
once."""

import re
import uuid
from collections import Counter
from datetime import date

import pytest
import redis
from sqlalchemy import func, select

from certificates.keys import generate_private_key, private_key_to_multibase
from lms import create_app
from lms.extensions import db
from lms.mail.models import OutboxMessage
from tests import filekit
from tests.conftest import PASSWORD, outbox
from tests.nodekit import Browser, Node
from tests.workerkit import run_together

REDIS = "redis://127.0.0.1:6379/0"
POSTGRESQL = "postgresql://postgres@127.0.0.1:5432/never-opened"  # not connected to here
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
    app = create_app({"SQLALCHEMY_DATABASE_URI": POSTGRESQL})
    assert app.config["RATELIMIT_STORAGE_URI"] == REDIS


@pytest.mark.parametrize(("name", "value", "named"), [
    ("LMS_RATELIMIT_STORAGE_URL", "memory://", "LMS_RATELIMIT_STORAGE_URL"),
    ("LMS_RATELIMIT_STORAGE_URL", None, "LMS_RATELIMIT_STORAGE_URL"),  # memory by default
    ("LMS_QUEUE_URL", "memory://", "LMS_QUEUE_URL"),
    ("LMS_QUEUE_URL", None, "LMS_QUEUE_URL"),  # the SQLite file in this machine's folder
    ("LMS_QUEUE_URL", "sqlite:////srv/lms/queue.sqlite3", "LMS_SINGLE_MACHINE"),
    ("LMS_DATABASE_URL", "sqlite:////srv/lms/lms.sqlite3", "LMS_SINGLE_MACHINE"),
])
def test_production_refuses_state_another_node_cannot_see(production, name, value, named):
    if value is None:
        production.delenv(name)
    else:
        production.setenv(name, value)
    database = {} if name == "LMS_DATABASE_URL" else {"SQLALCHEMY_DATABASE_URI": POSTGRESQL}
    with pytest.raises(RuntimeError, match=named):
        create_app(database)


def test_one_machine_may_keep_its_files_when_it_says_so(production, tmp_path):
    production.delenv("LMS_QUEUE_URL")
    production.setenv("LMS_SINGLE_MACHINE", "1")
    create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'lms.sqlite3'}"})  # starts
    production.setenv("LMS_RATELIMIT_STORAGE_URL", "memory://")
    with pytest.raises(RuntimeError, match="LMS_RATELIMIT_STORAGE_URL"):  # per process still
        create_app({"SQLALCHEMY_DATABASE_URI": POSTGRESQL})


def test_limits_turned_off_need_no_shared_store(production):
    """The benchmark serves production with limits off: nothing is counted, so no store."""
    production.setenv("LMS_RATELIMIT_STORAGE_URL", "memory://")
    production.setenv("LMS_RATELIMIT_ENABLED", "0")
    create_app({"SQLALCHEMY_DATABASE_URI": POSTGRESQL})  # starts


def test_with_redis_unreachable_limits_still_hold_in_each_process(production, tmp_path):
    """Sign-in and the public check keep working, still limited, while Redis is down."""
    production.setenv("LMS_RATELIMIT_STORAGE_URL", "redis://127.0.0.1:1/0")  # nothing there
    production.setenv("LMS_PUBLIC_CHECK_LIMITS", "2 per minute")
    production.setenv("LMS_SINGLE_MACHINE", "1")  # for the SQLite database
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'down.sqlite3'}",
                      "WTF_CSRF_ENABLED": False})
    try:
        with app.app_context():
            db.create_all()
        client = app.test_client()
        check = {"number": "MSA-2026-0001", "surname": "Nobody"}
        assert [client.post("/check", data=check).status_code for _ in range(3)] == [
            200, 200, 429]
        assert client.post("/sign-in", data={"email": "a@example.org",
                                             "password": "wrong"}).status_code == 401
    finally:
        with app.app_context():
            db.engine.dispose()


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


# ---------------------------------------------------------------------------- two web nodes


@pytest.fixture(scope="module")
def nodes(app, tmp_path_factory):
    """Two production web nodes (real gunicorn) on the test database and one Redis."""
    prefix = f"lms-test-{uuid.uuid4().hex[:12]}"
    env = {**shared(app), "LMS_ENV": "production", "LMS_SECURE_COOKIES": "0",
           "LMS_RATELIMIT_STORAGE_URL": REDIS, "LMS_RATELIMIT_KEY_PREFIX": prefix,
           "LMS_QUEUE_URL": REDIS, "LMS_PUBLIC_CHECK_LIMITS": "3 per minute"}
    if env["LMS_DATABASE_URL"].startswith("sqlite"):  # two nodes on this machine's one file
        env["LMS_SINGLE_MACHINE"] = "1"
    folder = tmp_path_factory.mktemp("nodes")
    started = []
    try:
        for name in ("a", "b"):
            started.append(Node(env, folder, name))
        yield [node.url for node in started]
    finally:
        for node in started:
            node.stop()
        store = redis.Redis.from_url(REDIS)
        for key in store.scan_iter(f"*{prefix}*"):
            store.delete(key)


def sign_in(browser: Browser, node: str, person) -> None:
    token = browser.csrf_token(node + "/sign-in")
    answer = browser.post(node + "/sign-in", {"email": person.email, "password": PASSWORD,
                                              "csrf_token": token})
    assert answer.status == 302, answer.text[:500]


def test_a_sign_in_on_one_node_holds_on_the_other_and_a_sign_out_ends_it_on_both(
        nodes, create_user):
    a, b = nodes
    person = create_user("advocate", name="Rowan Node")
    browser = Browser()
    assert browser.get(b + "/account/password").status == 302  # not signed in yet
    sign_in(browser, a, person)
    page = browser.get(b + "/account/password")
    assert page.status == 200 and "Rowan Node" in page.text
    stolen = browser.copy()
    token = browser.csrf_token(b + "/account/password")
    assert browser.post(a + "/sign-out", {"csrf_token": token}).status == 302
    assert browser.get(b + "/account/password").status == 302
    # A copy of the cookie from before the sign-out is refused by the other node too: the
    # session ended in the database that both read.
    refused = stolen.get(b + "/account/password")
    assert refused.status == 302 and "/sign-in" in refused.headers["Location"]


def test_a_form_from_one_node_is_accepted_by_the_other_and_its_file_served_by_either(
        app, nodes, create_user):
    from lms.cpd.models import CpdEvidence

    a, b = nodes
    person = create_user("advocate")
    browser = Browser()
    sign_in(browser, a, person)
    pdf = filekit.pdf(text="Certificate of attendance")
    form = {"title": "Multi-agency training", "start": date.today().isoformat(), "end": "",
            "hours": "3.5", "activity": "multi_agency_training", "participatory": "1",
            "topics": ["law_and_policy", "safeguarding"], "what_happened": "A day.",
            "what_i_learned": "Much.", "how_practice_changes": "Some.", "action": "log",
            "version": ""}
    forged = browser.post(b + "/cpd/entries/new", {**form, "csrf_token": "forged"})
    assert forged.status == 400  # the other node checks the token, it does not skip it
    token = browser.csrf_token(a + "/cpd/entries/new")
    saved = browser.post(b + "/cpd/entries/new", {**form, "csrf_token": token},
                         files={"attachment": ("cert.pdf", pdf, "application/pdf")})
    assert saved.status == 302, saved.text[:500]
    with app.app_context():
        evidence = db.session.scalars(select(CpdEvidence)).one()
    path = f"/cpd/entries/{evidence.entry_id}/evidence/{evidence.attachment_id}"
    for node in (a, b):
        download = browser.get(node + path)
        assert download.status == 200 and download.body == pdf


def test_the_public_checks_limit_counts_attempts_on_both_nodes(nodes):
    a, b = nodes
    browser = Browser()
    token = browser.csrf_token(a + "/check")
    attempt = {"number": "MSA-2026-0001", "surname": "Nobody", "csrf_token": token}
    answers = [browser.post(node + "/check", attempt).status for node in (a, b, a, b, a)]
    assert answers == [200, 200, 200, 429, 429]  # 3 per minute for the address, in all


def test_a_lesson_reads_the_same_from_either_node(app, nodes, create_user, create_cohort,
                                                   tmp_path):
    from lms.cohorts.models import Enrolment
    from lms.courses.content import load_programme
    from lms.courses.services import sync_programme
    from tests.coursekit import SMALL, write_programme

    a, b = nodes
    with app.app_context():
        sync_programme(load_programme(write_programme(tmp_path / "courses"), SMALL))
        db.session.commit()
    trainee = create_user("trainee")
    cohort = create_cohort()
    with app.app_context():
        db.session.add(Enrolment(cohort_id=cohort.id, user_id=trainee.id,
                                 specialism="modern_slavery", jurisdiction="scotland"))
        db.session.commit()
    browser = Browser()
    sign_in(browser, a, trainee)
    pages = [browser.get(node + "/modules/foundations/lesson-1") for node in (a, b, a)]
    assert [p.status for p in pages] == [200, 200, 200]
    assert "Critically evaluate the advocate" in pages[0].text
    # The same page, byte for byte, but for the CSRF token each response signs afresh.
    bodies = [re.sub(r'(name="csrf_token"[^>]*value=)"[^"]+"', r"\1", p.text) for p in pages]
    assert bodies[0] == bodies[1] == bodies[2]
