"""Shared fixtures: one app and database per session, a clean database per test, factories."""

import os
import re
import socket
from pathlib import Path

import pytest

# The background queue lives in memory under test: no worker, no file; tests deliver mail by
# calling lms.mail.delivery themselves. Set before anything imports lms.tasks.
os.environ.setdefault("LMS_QUEUE_URL", "memory://")

from alembic import command  # noqa: E402
from hypothesis import HealthCheck, settings
from sqlalchemy import delete

from lms import create_app
from lms.extensions import db, limiter

# Property tests judge behaviour, not speed: on a busy two-core machine a single example can
# take longer than Hypothesis's default 200 ms deadline, and drawing examples can trip its
# too-slow health check, which failed runs for no fault.
settings.register_profile("lms", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("lms")

PASSWORD = "correct-horse-battery-staple-9"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _database_url(tmp: Path) -> str:
    return os.environ.get("LMS_DATABASE_URL") or f"sqlite:///{tmp / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("db")
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": _database_url(tmp),
        "SECRET_KEY": "test-secret-key-not-for-production",
        "MAIL_BACKEND": "outbox",
        "EXTERNAL_URL": "http://localhost",
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": None,
    })
    from lms.cli import alembic_config

    with app.app_context():
        command.upgrade(alembic_config(), "head")  # the schema the migrations build
    # The limiter is one object: a test that creates a production app points it at Redis.
    app.extensions["session_limiter"] = dict(vars(limiter))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # close pooled connections before the interpreter exits


@pytest.fixture(scope="session")
def password_hash(app):
    from lms.auth.passwords import hash_password

    return hash_password(PASSWORD)


@pytest.fixture(autouse=True)
def _clean(app):
    """Give every test an empty database and fresh rate limits."""
    yield
    _clean_database(app)
    # Back to this session's in-memory limits (never reset a Redis another run may share).
    vars(limiter).update(app.extensions["session_limiter"])
    limiter.reset()


def _clean_database(app):
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            # modules and their versions point at each other: break the cycle first.
            connection.execute(db.metadata.tables["modules"].update().values(
                current_version_id=None))
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(delete(table))
    from lms.cpd.services import forget_kept_figures

    forget_kept_figures(app)  # the next test's rows will have the same ids and versions


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Fail any test that sends real mail or opens a connection off this machine."""
    import smtplib

    def refuse_smtp(*args, **kwargs):
        raise AssertionError("a test tried to send real mail")

    monkeypatch.setattr(smtplib, "SMTP", refuse_smtp)
    real_connect = socket.socket.connect

    def guarded_connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in {"localhost", "::1"}
                                          or host.startswith("/")):
            raise AssertionError(f"a test tried to open the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def create_user(app, password_hash):
    """Return a factory that creates (and commits) a person with roles."""
    from lms.auth.models import RoleGrant, User

    counter = iter(range(1, 100_000))

    def factory(*roles, email=None, name=None, active=True, password=True):
        n = next(counter)
        with app.app_context():
            user = User(email=email or f"person{n}@example.org", name=name or f"Person {n}",
                        password_hash=password_hash if password else None, active=active)
            user.role_grants = [RoleGrant(role=r) for r in roles]
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return factory


@pytest.fixture
def create_organisation(app):
    from lms.organisations.models import HostOrganisation

    def factory(name="Northbridge Survivor Support", **fields):
        with app.app_context():
            status = fields.get("status", "accredited")
            org = HostOrganisation(name=name, kind=fields.get("kind", "ngo"),
                                   nation=fields.get("nation", "england"),
                                   region=fields.get("region", ""))
            db.session.add(org)
            db.session.flush()
            _accreditation_history(org, status)
            db.session.commit()
            db.session.refresh(org)
            db.session.expunge(org)
            return org

    return factory


def _accreditation_history(org, status: str) -> None:
    """Decisions that give an organisation `status` today: accredited a year ago (the
    default), with conditions, suspended, expired ("lapsed"), applying, or none."""
    from datetime import date, timedelta

    from lms.accreditation.models import OrgApplication
    from lms.accreditation.services import record_org_decision
    from lms.db import utcnow

    year_ago = date.today() - timedelta(days=365)
    if status in {"accredited", "conditions", "suspended"}:
        kind = "accredited_conditions" if status == "conditions" else "accredited"
        record_org_decision(org, kind, year_ago, actor=None, reasons="Criteria met.",
                            conditions="Adopt a complaints procedure." if kind != "accredited"
                            else "")
    if status == "suspended":
        record_org_decision(org, "suspended", date.today() - timedelta(days=7), actor=None,
                            reasons="A safeguarding concern is being looked into.")
    if status == "lapsed":
        record_org_decision(org, "accredited", year_ago - timedelta(days=3 * 365),
                            actor=None, reasons="Criteria met.")
    if status == "applying":
        db.session.add(OrgApplication(organisation_id=org.id, status="submitted",
                                      submitted_at=utcnow()))


@pytest.fixture
def create_cohort(app):
    from datetime import date

    from lms.cohorts.models import Cohort

    def factory(name="2026/27 September intake", starts_on=date(2026, 9, 21)):
        with app.app_context():
            cohort = Cohort(name=name, starts_on=starts_on)
            db.session.add(cohort)
            db.session.commit()
            db.session.refresh(cohort)
            db.session.expunge(cohort)
            return cohort

    return factory


def csrf_token(client, page: str = "/sign-in") -> str:
    response = client.get(page)
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {page} ({response.status_code})"
    return match.group(1)


def sign_in(client, user, password: str = PASSWORD):
    token = csrf_token(client, "/sign-in")
    response = client.post("/sign-in", data={"email": user.email, "password": password,
                                             "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def post_form(client, url: str, data: dict, *, page: str = "/account/password", **kwargs):
    """Post a form as a signed-in person, with a CSRF token taken from a page of theirs."""
    return client.post(url, data={**data, "csrf_token": csrf_token(client, page)}, **kwargs)


def outbox(app):
    from sqlalchemy import select

    from lms.mail.models import OutboxMessage

    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
