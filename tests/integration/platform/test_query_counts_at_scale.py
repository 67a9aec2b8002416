"""Every benchmarked page issues the same number of SQL statements on a small dataset and on one
ten times bigger (issue 13): a count that grows with rows is an N+1 a big cohort would feel.

The two datasets are built by tests.bench.dataset into their own databases (temporary SQLite
files, or throwaway PostgreSQL databases beside LMS_DATABASE_URL), each page is requested as its
account after signing in through the real form, and the statements are counted."""

import os
import re
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from lms import create_app
from lms.extensions import db
from tests.bench.dataset import build
from tests.conftest import CSRF_RE

SMALL = 0.002  # 10 trainees, 100 submissions, 400 CPD entries; BIG is ten times that
BIG = 10 * SMALL
# Pages whose rows belong to the measured account and grow with scale: <tr> rows counted.
GROWING = {"marker_queue", "moderation", "cpd", "org_dashboard"}


@contextmanager
def _database(name: str, tmp_path):
    """A URL for an empty database of our own, dropped afterwards on PostgreSQL."""
    base = os.environ.get("LMS_DATABASE_URL")
    if not base or not base.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        return
    url = make_url(base)
    database = f"{url.database}_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
    try:
        yield url.set(database=database).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def _token(client, page: str) -> str:
    response = client.get(page)
    match = CSRF_RE.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {page} ({response.status_code})"
    return match.group(1)


def _request(client, page):
    if page.method == "POST":
        return client.post(page.path, data={**page.form,
                                            "csrf_token": _token(client, page.form_page)})
    return client.get(page.path)


def _measure(url: str, scale: float) -> dict[str, tuple[int, int, int]]:
    """Build the dataset at `scale`; per page: (status, statements, table rows)."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                      "SECRET_KEY": "query-count-test", "MAIL_BACKEND": "outbox",
                      "EXTERNAL_URL": "http://localhost", "RATELIMIT_ENABLED": False,
                      "RATELIMIT_STORAGE_URI": "memory://", "SERVER_NAME": None})
    dataset = build(app, scale)
    clients = {None: app.test_client()}
    for account, email in dataset.accounts.items():
        client = clients[account] = app.test_client()
        response = client.post("/sign-in", data={"email": email, "password": dataset.password,
                                                 "csrf_token": _token(client, "/sign-in")})
        assert response.status_code == 302, f"{account} could not sign in"
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    results = {}
    try:
        for page in dataset.pages:
            client = clients[page.account]
            _request(client, page)  # warm: first-request work (caches) is not per row
            form = ({**page.form, "csrf_token": _token(client, page.form_page)}
                    if page.method == "POST" else None)
            event.listen(engine, "before_cursor_execute", count)
            statements.clear()
            response = client.open(page.path, method=page.method, data=form)
            event.remove(engine, "before_cursor_execute", count)
            body = "" if page.name == "certificate_pdf" else response.get_data(as_text=True)
            if page.name == "certificate_pdf":
                assert response.data.startswith(b"%PDF"), "the certificate is not a PDF"
            if page.name == "public_check":  # a match, not the same page for no match
                assert page.form["surname"] in body, "the public check found nobody"
            results[page.name] = (response.status_code, len(statements),
                                  len(re.findall(r"<tr[\s>]", body)))
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    return results


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scales")
    with _database("small", tmp) as small_url, _database("big", tmp) as big_url:
        return _measure(small_url, SMALL), _measure(big_url, BIG)


def test_every_page_answers_at_both_scales(measured):
    small, big = measured
    for name in small:
        assert small[name][0] == 200, f"{name} answered {small[name][0]} at scale {SMALL}"
        assert big[name][0] == 200, f"{name} answered {big[name][0]} at scale {BIG}"


def test_pages_with_the_accounts_work_list_more_at_the_bigger_scale(measured):
    small, big = measured
    for name in GROWING:
        assert big[name][2] > small[name][2], (
            f"{name}: {small[name][2]} table rows at scale {SMALL} and {big[name][2]} at "
            f"{BIG}; the bigger dataset should give this account more to see")


def test_every_page_issues_the_same_queries_at_ten_times_the_data(measured):
    small, big = measured
    grown = [f"{name}: {small[name][1]} statements at scale {SMALL}, {big[name][1]} at {BIG}"
             for name in small if small[name][1] != big[name][1]]
    assert not grown, "queries grow with the data (N+1):\n" + "\n".join(grown)
