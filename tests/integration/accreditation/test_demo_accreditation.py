"""After `make run`, the demo shows each accreditation state the README promises, and the
numbers it lists answer on the public check."""

import re
from datetime import date
from pathlib import Path

from sqlalchemy import select

from lms.accreditation import services
from lms.auth.models import User
from lms.demo import load_demo
from lms.extensions import db
from lms.organisations.models import HostOrganisation
from tests.conftest import csrf_token

README = Path(__file__).parents[3] / "README.md"


def test_demo_people_and_organisations_stand_where_the_readme_says(app):
    today = date.today()
    with app.app_context():
        load_demo(today=today)
        db.session.commit()
        people = {u.email: u for u in db.session.scalars(select(User))}
        states = services.advocate_statuses(people.values(), today)
        orgs = {o.name: o for o in db.session.scalars(select(HostOrganisation))}
        org_states = services.org_statuses(orgs.values(), today)
    assert states[people["advocate@example.org"].id].state == "accredited"
    assert states[people["tomasz.nowak@example.org"].id].state == "renewal_overdue"
    assert states[people["grace.okafor@example.org"].id].state == "suspended"
    assert states[people["trainee@example.org"].id].state == "in_training"
    assert org_states[orgs["Northbridge Survivor Support"].id].state == "accredited"
    assert org_states[orgs["Glenview Community Trust"].id].state == "applying"
    assert org_states[orgs["Taff Valley Advocacy Partnership"].id].state == \
        "accredited_conditions"


def test_the_readme_numbers_answer_on_the_public_check(app):
    with app.app_context():
        load_demo(today=date.today())
        db.session.commit()
    pairs = re.findall(r"`(IMSA-[A-Z0-9]{4}-[A-Z0-9]{4})`\s+with\s+`(\w+)`\s+\(([^)]+)\)",
                       README.read_text())
    assert len(pairs) == 3
    client = app.test_client()
    words = {"accredited": "Accredited", "renewal overdue": "renewal overdue",
             "suspended": "suspended"}
    for number, surname, state in pairs:
        page = client.post("/check", data={"number": number, "surname": surname,
                                           "csrf_token": csrf_token(client, "/check")})
        assert page.status_code == 200
        body = page.get_data(as_text=True)
        assert "No match" not in body and words[state] in body, number


def test_an_advocate_with_renewal_overdue_sees_what_to_do_by_when_on_their_home_page(app):
    from datetime import timedelta

    with app.app_context():
        load_demo(today=date.today())
        db.session.commit()
    client = app.test_client()
    client.post("/sign-in", data={"email": "tomasz.nowak@example.org",
                                  "password": "demo-password-2026",
                                  "csrf_token": csrf_token(client)})
    home = client.get("/").get_data(as_text=True)
    with app.app_context():
        tomasz = db.session.scalar(select(User).where(User.email == "tomasz.nowak@example.org"))
        [year] = [y for y in services.advocate_facts_of([tomasz], date.today())[tomasz.id]
                  .cpd_years if y.end < date.today()]
    # The first CPD year ended about 35 days ago, short: 60 days' grace from its end.
    lapses = year.end + timedelta(days=60)
    assert 'id="accreditation-next"' in home
    assert f"By {lapses.day} {lapses:%B %Y}." in home
    assert "or your accreditation lapses" in home


def test_staff_go_from_an_advocate_to_their_employer_and_certificates(app):
    with app.app_context():
        load_demo(today=date.today())
        db.session.commit()
        amira = db.session.scalar(select(User).where(User.email == "advocate@example.org"))
        northbridge = db.session.scalar(select(HostOrganisation).where(
            HostOrganisation.name == "Northbridge Survivor Support"))
        amira_id, northbridge_id = amira.id, northbridge.id
    client = app.test_client()
    client.post("/sign-in", data={"email": "moderator@example.org",
                                  "password": "demo-password-2026",
                                  "csrf_token": csrf_token(client)})
    page = client.get(f"/staff/advocates/{amira_id}").get_data(as_text=True)
    assert f'href="/organisations/{northbridge_id}">Employer: Northbridge' in page
    assert re.search(r'href="/staff/certificates/[A-Z0-9-]+">Advocate accreditation certificate',
                     page)


def test_an_applying_organisation_sees_the_question_waiting_for_its_reply(app):
    with app.app_context():
        load_demo(today=date.today())
        db.session.commit()
        glenview = db.session.scalar(select(HostOrganisation).where(
            HostOrganisation.name == "Glenview Community Trust")).id
    client = app.test_client()
    client.post("/sign-in", data={"email": "callum.fraser@example.org",
                                  "password": "demo-password-2026",
                                  "csrf_token": csrf_token(client)})
    page = client.get(f"/organisations/{glenview}").get_data(as_text=True)
    assert 'id="waiting-question"' in page
    assert "Who supervises the supervisor" in page
    assert f'href="/organisations/{glenview}/application">Reply' in page
