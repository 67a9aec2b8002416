"""CPD figures worked out from a person's entries are kept, and never outlive the entries.

The organisation dashboard, the public check and the reminders read each advocate's CPD years
and this year's progress. Each app keeps what it worked out under the entries' (id, version)
pairs: a page read again does not read or total the entries, and any change to an entry shows
at once."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.extensions import db
from tests.conftest import sign_in
from tests.integration.accreditation.dashkit import TODAY, advocate_at, org_admin_of
from tests.integration.courses.test_query_counts import count_queries
from tests.integration.cpd.conftest import post_entry


@pytest.fixture
def northbridge(app, create_user, create_organisation):
    org = create_organisation("Northbridge Survivor Support")
    admin = org_admin_of(app, create_user, org, name="Morgan Manager")
    ada, _ = advocate_at(app, create_user, org, "Ada Quinn", cpd_minutes=60)
    return org, admin, ada


def ada_on_dashboard(client, org) -> str:
    page = client.get(f"/organisations/{org.id}").get_data(as_text=True)
    due = page.split('id="due-heading"')[1].split('id="advocates-heading"')[0]
    return next(row for row in due.split("<tr>") if "Ada Quinn" in row and "CPD year" in row)


def figures(user):
    """(minutes in this CPD year as the status counts them, as the year's progress counts them)"""
    from lms.accreditation.services import advocate_facts_of
    from lms.cpd.services import progress_of_all

    years = advocate_facts_of([user], TODAY)[user.id].cpd_years
    return years[-1].logged_minutes, progress_of_all([user], TODAY)[user.id].minutes


def entries_read(app, work) -> int:
    """Count the statements work() issues that read whole entries (their reflections)."""
    with count_queries(app) as statements:
        work()
    return sum(1 for s in statements
               if "what_happened" in s and s.lstrip().upper().startswith("SELECT"))


def test_the_dashboard_shows_an_entry_logged_or_changed_after_it_was_last_read(
        app, northbridge):
    org, admin, ada = northbridge
    manager, advocate = app.test_client(), app.test_client()
    sign_in(manager, admin)
    sign_in(advocate, ada)
    assert "1 hour of 20 hours" in ada_on_dashboard(manager, org)
    assert "1 hour of 20 hours" in ada_on_dashboard(manager, org)  # read again, kept

    assert post_entry(advocate, "/cpd/entries/new", "log", hours="3.5").status_code == 302
    assert "4.5 hours of 20 hours" in ada_on_dashboard(manager, org)

    from lms.cpd.models import CpdEntry

    with app.app_context():
        logged = db.session.scalars(select(CpdEntry).where(CpdEntry.user_id == ada.id,
                                                           CpdEntry.minutes == 210)).one()
        entry_id, version = logged.id, logged.version
    response = post_entry(advocate, f"/cpd/entries/{entry_id}", "draft", version=version,
                          hours="5")
    assert response.status_code == 302
    assert "6 hours of 20 hours" in ada_on_dashboard(manager, org)


def test_a_status_read_again_reads_no_entries_until_one_changes(app, northbridge):
    from lms.auth.models import User
    from lms.cpd.models import CpdEntry

    _, _, ada = northbridge
    with app.app_context():
        user = db.session.get(User, ada.id)
        assert entries_read(app, lambda: figures(user)) == 2  # the years, and this year's progress
        assert entries_read(app, lambda: figures(user)) == 0
        assert figures(user) == (60, 60)

        entry = db.session.scalars(select(CpdEntry).where(CpdEntry.user_id == ada.id)).one()
        entry.minutes = 90
        db.session.commit()
        assert entries_read(app, lambda: figures(user)) == 2
        assert figures(user) == (90, 90)

        entry.status = "withdrawn"
        entry.withdrawn_reason = "Logged twice."
        db.session.commit()
        assert figures(user) == (0, 0)


def test_figures_read_before_a_rollback_are_not_kept_for_the_next_entry(app, northbridge):
    """SQLite may give the next entry the id of one rolled back: the same (id, version)."""
    from lms.auth.models import User
    from lms.cpd.models import CpdEntry

    _, _, ada = northbridge

    def entry(minutes):
        return CpdEntry(user_id=ada.id, status="logged", title="Shadowing",
                        start=TODAY - timedelta(days=2), minutes=minutes, activity="shadowing")

    with app.app_context():
        user = db.session.get(User, ada.id)
        db.session.add(entry(600))
        db.session.flush()
        assert figures(user) == (660, 660)  # as this transaction sees it
        db.session.rollback()

        user = db.session.get(User, ada.id)
        db.session.add(entry(30))
        db.session.commit()
        assert figures(user) == (90, 90)
