"""Benchmark: time and count queries for the main pages on a seeded database (make bench).

Prints a table; asserts nothing about time (timings depend on the machine).
"""

import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from alembic import command
from sqlalchemy import event

from lms import create_app
from lms.auth.models import RoleGrant, User
from lms.auth.passwords import hash_password
from lms.cli import alembic_config
from lms.cohorts.models import Cohort, Enrolment
from lms.courses.content import load_programme
from lms.courses.services import sync_programme
from lms.extensions import db
from tests.coursekit import SMALL, write_module

PASSWORD = "benchmark-password-1234"
REPEATS = 30


def seed(app, root: Path, trainees: int) -> None:
    write_module(root, folder="core", code="B7001", slug="foundations", lessons=12)
    write_module(root, folder="ms", code="B7010", slug="modern-slavery", kind="specialism",
                 specialism="modern_slavery", order=3, lessons=12)
    with app.app_context():
        command.upgrade(alembic_config(), "head")
        sync_programme(load_programme(root, SMALL))
        hashed = hash_password(PASSWORD)
        cohort = Cohort(name="Bench cohort", starts_on=date(2026, 9, 1))
        db.session.add(cohort)
        staff = User(email="staff@example.org", name="Staff", password_hash=hashed)
        staff.role_grants = [RoleGrant(role="moderator")]
        db.session.add(staff)
        for n in range(trainees):
            user = User(email=f"t{n}@example.org", name=f"Trainee {n}", password_hash=hashed)
            user.role_grants = [RoleGrant(role="trainee")]
            db.session.add(user)
            db.session.add(Enrolment(cohort=cohort, user=user, specialism="modern_slavery",
                                     jurisdiction="england_wales"))
        db.session.commit()


def signed_in(app, email):
    client = app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post("/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token})
    return client


def main() -> None:
    for trainees in (10, 500):
        workdir = tempfile.TemporaryDirectory(prefix="lms-bench-")
        tmp = Path(workdir.name)
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.sqlite3'}",
                          "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
        seed(app, tmp / "courses", trainees)
        trainee, staff = signed_in(app, "t0@example.org"), signed_in(app, "staff@example.org")
        print(f"\n{trainees} trainees, 2 modules x 12 lessons (SQLite, {REPEATS} requests each)")
        print(f"{'page':58} {'median ms':>9} {'max ms':>7} {'queries':>7} {'KB':>6}")
        pages = [(trainee, "/programme"), (trainee, "/modules/foundations"),
                 (trainee, "/modules/foundations/lesson-3"),
                 (trainee, "/modules/foundations/lesson-3/check"),
                 (trainee, "/search?q=advocate"), (staff, "/staff/content"),
                 (staff, "/staff/content/foundations/progress?cohort=1"),
                 (staff, "/admin/users"), (staff, "/")]
        for client, path in pages:
            median, worst, queries, size = _measure(app, client, path)
            print(f"{path:58} {median:9.1f} {worst:7.1f} {queries:7d} {size / 1024:6.1f}")
        with app.app_context():
            db.engine.dispose()
        workdir.cleanup()


def _measure(app, client, path):
    with app.app_context():
        engine = db.engine
    counter = {"n": 0}

    def listener(*args):
        counter["n"] += 1

    client.get(path)
    event.listen(engine, "before_cursor_execute", listener)
    timings = []
    try:
        for _ in range(REPEATS):
            counter["n"] = 0
            start = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return statistics.median(timings), max(timings), counter["n"], len(response.data)


if __name__ == "__main__":
    main()
