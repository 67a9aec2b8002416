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


def seed_cpd(app, advocates: int, entries_each: int) -> None:
    """Advocates with CPD entries over two years: a0 is the one whose pages are measured."""
    from datetime import timedelta

    from sqlalchemy import insert

    from lms.cpd.models import CpdEntry, CpdProfile

    today = date.today()
    kinds = ("formal_training", "peer_learning", "pastoral_supervision", "self_directed_study")
    with app.app_context():
        hashed = hash_password(PASSWORD)
        for n in range(advocates):
            user = User(email=f"a{n}@example.org", name=f"Advocate {n}", password_hash=hashed)
            user.role_grants = [RoleGrant(role="advocate")]
            db.session.add(user)
            db.session.flush()
            db.session.add(CpdProfile(user_id=user.id, accredited_on=today - timedelta(days=800)))
            db.session.execute(insert(CpdEntry), [{
                "user_id": user.id, "status": "logged", "title": f"Activity {k} of {user.name}",
                "start": today - timedelta(days=1 + k % 700), "minutes": 15 * (1 + k % 12),
                "activity": kinds[k % 4], "participatory": k % 2 == 0,
                "topics": ["law_and_policy"] if k % 3 else ["safeguarding"],
                "what_happened": "A session with colleagues on referrals.",
                "what_i_learned": "How decisions are reached, and how long they take.",
                "how_practice_changes": "I will explain the wait to the people I support.",
                "source": "manual", "version": 1,
                "created_at": user.created_at, "updated_at": user.created_at,
            } for k in range(entries_each)])
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
        # CPD: one advocate with 20 entries; then 50 advocates with 2,000 each (100,000 in all).
        advocates, each = (1, 20) if trainees == 10 else (50, 2_000)
        seed_cpd(app, advocates, each)
        trainee, staff = signed_in(app, "t0@example.org"), signed_in(app, "staff@example.org")
        advocate = signed_in(app, "a0@example.org")
        print(f"\n{trainees} trainees, 2 modules x 12 lessons; {advocates} advocates with "
              f"{each:,} CPD entries each (SQLite, {REPEATS} requests a page, 5 a PDF)")
        print(f"{'page':58} {'median ms':>9} {'max ms':>7} {'queries':>7} {'KB':>6}")
        pages = [(trainee, "/programme"), (trainee, "/modules/foundations"),
                 (trainee, "/modules/foundations/lesson-3"),
                 (trainee, "/modules/foundations/lesson-3/check"),
                 (trainee, "/search?q=advocate"), (staff, "/staff/content"),
                 (staff, "/staff/content/foundations/progress?cohort=1"),
                 (staff, "/admin/users"), (staff, "/"), (advocate, "/cpd"),
                 (advocate, "/cpd/record.pdf"), (advocate, "/cpd/record.csv")]
        for client, path in pages:
            median, worst, queries, size = _measure(app, client, path,
                                                    5 if path.endswith(".pdf") else REPEATS)
            print(f"{path:58} {median:9.1f} {worst:7.1f} {queries:7d} {size / 1024:6.1f}")
        with app.app_context():
            db.engine.dispose()
        workdir.cleanup()


def _measure(app, client, path, repeats=REPEATS):
    with app.app_context():
        engine = db.engine
    counter = {"n": 0}

    def listener(*args):
        counter["n"] += 1

    client.get(path)
    event.listen(engine, "before_cursor_execute", listener)
    timings = []
    try:
        for _ in range(repeats):
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
