"""The demo advocate shows every part of the CPD pages after `make run`."""

import re
from datetime import date

from lms.demo import DEMO_PASSWORD, load_demo
from lms.extensions import db
from tests.conftest import csrf_token


def test_demo_advocate_has_a_year_met_and_a_year_short(app):
    with app.app_context():
        load_demo(today=date.today())
        db.session.commit()
    client = app.test_client()
    signed_in = client.post("/sign-in", data={"email": "advocate@example.org",
                                              "password": DEMO_PASSWORD,
                                              "csrf_token": csrf_token(client)})
    assert signed_in.status_code == 302
    page = client.get("/cpd").get_data(as_text=True)
    assert "Still to do" in page and "Plans (1)" in page and "Drafts (1)" in page
    assert "Withdrawn (1)" in page and "Sickness absence" in page
    assert "reduced for 15 days of leave" in page
    years = re.findall(r'<option value="([\d-]+)"', page)
    assert len(years) == 2
    earlier = client.get(f"/cpd?year={years[-1]}").get_data(as_text=True)
    assert "You have met this year" in earlier and "22 hours of 20 hours" in earlier
    home = client.get("/").get_data(as_text=True)
    assert "Your CPD this year" in home and "requirement met" not in home
    assert 'id="cpd-reminder"' in home  # the year ends within 90 days, short: she is told
    trainee = app.test_client()
    trainee.post("/sign-in", data={"email": "trainee@example.org", "password": DEMO_PASSWORD,
                                   "csrf_token": csrf_token(trainee)})
    assert "0 hours of 20 hours" in trainee.get("/cpd").get_data(as_text=True)


def demo_client(app, email):
    client = app.test_client()
    client.post("/sign-in", data={"email": email, "password": DEMO_PASSWORD,
                                  "csrf_token": csrf_token(client)})
    return client


def test_the_demo_gives_the_confirmer_and_the_audit_something_to_show(app):
    with app.app_context():
        load_demo(today=date.today())
        db.session.commit()
        from sqlalchemy import select

        from lms.organisations.models import HostOrganisation

        org_id = db.session.scalar(select(HostOrganisation.id).where(
            HostOrganisation.name == "Northbridge Survivor Support"))
    manager = demo_client(app, "orgadmin@example.org")
    page = manager.get(f"/organisations/{org_id}/cpd").get_data(as_text=True)
    assert "Amira Haddad" in page and "Waiting for your confirmation" in page
    lead = demo_client(app, "moderator@example.org")
    audits = lead.get("/staff/cpd/audits").get_data(as_text=True)
    assert "CPD audit (demo)" in audits
    advocate = demo_client(app, "advocate@example.org")
    assert "CPD audit (demo)" in advocate.get("/cpd/audit").get_data(as_text=True)
