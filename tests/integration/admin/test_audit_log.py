"""The audit log reads as sentences: names, not "User 4"; changes, not JSON."""

import re
from html import unescape

from lms.audit.services import record
from lms.auth.models import User
from lms.cohorts.models import Enrolment
from lms.extensions import db
from tests.conftest import post_form, sign_in
from tests.integration.courses.test_query_counts import count_queries


def page_text(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_the_log_names_people_and_shows_changes_as_before_and_after(
        app, client, create_user, create_cohort):
    kofi = create_user("trainee", name="Kofi Mensah", email="kofi@example.org")
    cohort = create_cohort()
    admin = create_user("admin", name="Ada Admin")
    sign_in(client, admin)
    post_form(client, f"/admin/users/{kofi.id}/roles",
              {"roles": ["trainee", "marker"], "reason": "joins the marking team"})
    with app.app_context():
        enrolment = Enrolment(cohort_id=cohort.id, user_id=kofi.id, specialism="stalking",
                              jurisdiction="scotland")
        db.session.add(enrolment)
        db.session.commit()
        enrolment_id = enrolment.id
    post_form(client, f"/admin/enrolments/{enrolment_id}", {
        "status": "withdrawn", "specialism": "stalking", "jurisdiction": "scotland",
        "student_id": "S1234567", "reason": "left the programme"})

    response = client.get("/admin/audit")
    html = response.get_data(as_text=True)
    page = " ".join(page_text(response).split())
    assert "Roles: Trainee advocate → Trainee advocate, Marker" in page
    assert "Why: joins the marking team" in page
    assert "Status: Studying → Withdrawn" in page
    assert "Student ID: none → S1234567" in page
    assert "Specialism" not in page.split("Status: Studying")[1].split("Why:")[0]  # unchanged
    assert "Kofi Mensah on 2026/27 September intake" in page  # the enrolment, by name
    assert f'<a href="/admin/users/{kofi.id}">Kofi Mensah</a>' in html
    assert "Ada Admin" in page
    assert f"User {kofi.id}" not in page and "Enrolment " + str(enrolment_id) not in page
    assert '{"roles"' not in page and "&#34;" not in html and '["trainee"' not in page


def test_ids_inside_a_change_become_names(app, client, create_user, create_organisation):
    kofi = create_user("trainee", name="Kofi Mensah")
    org = create_organisation()
    admin = create_user("admin", name="Ada Admin")
    sign_in(client, admin)
    post_form(client, f"/admin/users/{kofi.id}/employments", {
        "organisation_id": org.id, "job_title": "Advocate", "start_date": "2026-01-05"})
    page = " ".join(page_text(client.get("/admin/audit?action=employment_added")).split())
    assert "Person: Kofi Mensah" in page
    assert "Organisation: Northbridge Survivor Support" in page
    assert "Start date: 5 January 2026" in page
    assert "Kofi Mensah at Northbridge Survivor Support" in page


def test_names_cost_the_same_queries_for_a_page_of_5_or_40_events(app, client, create_user):
    admin = create_user("admin", name="Ada Admin")
    people = [create_user("trainee", name=f"Trainee {n}") for n in range(40)]
    sign_in(client, admin)

    def add_events(few):
        with app.app_context():
            for person in few:
                user = db.session.get(User, person.id)
                record("roles_changed", user, actor=db.session.get(User, admin.id),
                       before={"roles": ["trainee"]}, after={"roles": ["marker", "trainee"]})
            db.session.commit()

    def queries():
        client.get("/admin/audit")
        with count_queries(app) as statements:
            assert client.get("/admin/audit").status_code == 200
        return len(statements)

    add_events(people[:5])
    few = queries()
    add_events(people[5:])
    assert queries() == few
    assert "Trainee 39" in page_text(client.get("/admin/audit"))


def test_a_filter_too_long_to_match_is_explained_at_its_field(client, create_user):
    sign_in(client, create_user("admin"))
    typed = "k" * 250 + "@example.org"
    response = client.get(f"/admin/audit?email={typed}")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    message = "Person&#39;s email must be 254 characters or fewer. It is 262: shorten it by 8."
    assert f'<a href="#email">{message}</a>' in body and f"</span> {message}</p>" in body
    assert f'value="{typed}"' in body and "No events match." in body
