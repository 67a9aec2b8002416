"""Bad input on every admin and account form comes back as typed, with the error at the field
and in the error summary (422), and changes nothing."""

import re
from datetime import date

from sqlalchemy import func, select

from lms.audit.models import AuditEvent
from lms.cohorts.models import Cohort, Enrolment
from lms.extensions import db
from lms.organisations.models import Employment
from tests.conftest import csrf_token, post_form, sign_in


def refused(response, field_id: str, message: str) -> str:
    """Assert a 422 page naming the problem in the summary (linked) and at the field."""
    body = response.get_data(as_text=True)
    assert response.status_code == 422, body[:300]
    summary = body.split('class="error-summary"')[1].split("</div>")[0]
    assert f'<a href="#{field_id}">{message}</a>' in summary
    assert (f'id="{field_id}-error"><span class="visually-hidden">Error:</span> '
            f'{message}</p>') in body
    return body


def events(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action.not_in(["signed_in"])))


def test_cohort_forms_keep_what_was_typed(app, client, create_user, create_cohort):
    cohort = create_cohort()
    trainee = create_user("trainee", email="kofi@example.org", name="Kofi Mensah")
    sign_in(client, create_user("moderator"))
    before = events(app)

    body = refused(post_form(client, "/admin/cohorts/new", {
        "name": "2027 intake", "starts_on": "2027-01-10", "ends_on": "2026-12-01"}),
        "ends_on", "The end date must be after the start date.")
    assert 'value="2027 intake"' in body and 'value="2027-01-10"' in body

    body = refused(post_form(client, f"/admin/cohorts/{cohort.id}/enrolments", {
        "email": "nobody@example.org", "specialism": "stalking", "jurisdiction": "scotland",
        "student_id": "S99"}),
        "email", "No account uses this email address. Create the account first.")
    assert 'value="nobody@example.org"' in body and 'value="S99"' in body
    assert re.search(r'<option selected value="stalking">|<option value="stalking" selected',
                     body)
    with app.app_context():
        enrolment = Enrolment(cohort_id=cohort.id, user_id=trainee.id, specialism="stalking",
                              jurisdiction="scotland", student_id="S1")
        db.session.add(enrolment)
        db.session.commit()
        enrolment_id = enrolment.id
    refused(post_form(client, f"/admin/cohorts/{cohort.id}/enrolments", {
        "email": "kofi@example.org", "specialism": "stalking", "jurisdiction": "scotland"}),
        "email", "Kofi Mensah is already enrolled on this cohort.")

    body = refused(post_form(client, f"/admin/enrolments/{enrolment_id}", {
        "status": "withdrawn", "specialism": "stalking", "jurisdiction": "scotland",
        "student_id": "S2", "reason": ""}), "reason", "Give a reason.")
    assert re.search(r'<option selected value="withdrawn">', body) and 'value="S2"' in body
    with app.app_context():
        assert db.session.get(Enrolment, enrolment_id).status == "active"
        assert db.session.scalar(select(func.count(Cohort.id))) == 1
    assert events(app) == before


def test_account_page_forms_keep_what_was_typed(app, client, create_user,
                                                create_organisation):
    person = create_user("trainee", name="Kofi Mensah")
    org = create_organisation()
    sign_in(client, create_user("admin"))
    page = f"/admin/users/{person.id}"
    before = events(app)

    long_reason = "because " * 70
    body = refused(post_form(client, f"{page}/roles", {
        "roles": ["trainee", "marker"], "reason": long_reason}), "reason",
        f"Reason for the change must be 500 characters or fewer. It is {len(long_reason)}: "
        f"shorten it by {len(long_reason) - 500}.")
    assert f'value="{long_reason}"' in body
    assert re.search(r'<input checked[^>]*value="marker"', body)  # the ticks as sent

    body = refused(post_form(client, f"{page}/active", {"reason": ""}), "active-reason",
                   "Give a reason.")

    body = refused(post_form(client, f"{page}/employments", {
        "organisation_id": org.id, "job_title": "Senior advocate", "start_date": ""}),
        "start_date", "Enter a start date.")
    assert 'value="Senior advocate"' in body and "<details open>" in body

    with app.app_context():
        job = Employment(user_id=person.id, organisation_id=org.id, start_date=date(2026, 3, 2))
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    body = refused(post_form(client, f"/admin/employments/{job_id}/end", {
        "end_date": "2026-01-31", "reason": "moved to another charity"}), f"end-{job_id}",
        "The last day must be on or after the start date, 2 March 2026.")
    assert 'value="2026-01-31"' in body and 'value="moved to another charity"' in body
    assert "<details open>" in body
    with app.app_context():
        assert db.session.get(Employment, job_id).end_date is None
        assert db.session.scalar(select(func.count(Employment.id))) == 1
    assert events(app) == before


def test_organisation_forms_keep_what_was_typed(app, client, create_user, create_organisation):
    create_organisation()
    sign_in(client, create_user("admin"))
    body = refused(post_form(client, "/admin/organisations/new", {
        "name": "Northbridge Survivor Support", "kind": "ngo", "nation": "wales",
        "region": "Cardiff"}),
        "name", "An organisation with this name already exists.")
    assert 'value="Cardiff"' in body and '<option selected value="wales">' in body


def test_sign_in_and_password_forms_keep_what_was_typed(app, client, create_user):
    body = refused(client.post("/sign-in", data={
        "email": "kofi@example.org", "password": "", "csrf_token": csrf_token(client)}),
        "password", "Enter your password.")
    assert 'value="kofi@example.org"' in body

    page = "/forgot-password"
    body = refused(client.post(page, data={"email": "kofi at example",
                                           "csrf_token": csrf_token(client, page)}),
                   "email", "Enter an email address like name@example.org.")
    assert 'value="kofi at example"' in body

    sign_in(client, create_user("trainee"))
    refused(post_form(client, "/account/password", {
        "current": "not my password", "password": "lighthouse tea orbit 42",
        "confirm": "lighthouse tea orbit 42"}), "current", "Your current password is not right.")


def test_the_set_password_form_explains_a_mismatch_at_the_field(app, client, create_user):
    from lms.auth.models import User
    from lms.auth.services import issue_password_token

    person = create_user("trainee", password=False)
    with app.app_context():
        token = issue_password_token(db.session.get(User, person.id), "invite")
        db.session.commit()
    page = f"/set-password/{token}"
    refused(client.post(page, data={"password": "lighthouse tea orbit 42",
                                    "confirm": "lighthouse tea orbit 43",
                                    "csrf_token": csrf_token(client, page)}),
            "confirm", "The two passwords do not match.")
