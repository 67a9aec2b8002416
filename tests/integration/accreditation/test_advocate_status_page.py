"""The advocate's own status page: the status as a heading, every reason, what next and by
when, the number and the public check, the history; and asking to be withheld."""

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.extensions import db
from tests.conftest import csrf_token, outbox, sign_in
from tests.integration.accreditation.advocate_kit import (
    accredited_employer,
    audit_actions,
    award,
    days,
    decide,
    employ,
    entry_of,
    post_decision,
    text,
)


@pytest.fixture
def accredited(app, create_user, create_organisation):
    """Amira: IMSA award, an accredited employer, initial conditions confirmed."""
    user = create_user("advocate", name="Amira Haddad", email="amira@example.org")
    employ(app, user, accredited_employer(app, create_organisation))
    award(app, user)
    decide(app, user, "accredit", on=days(-150), reason="References and DBS check received.")
    return user


def test_an_accredited_advocate_reads_her_status_reasons_number_and_history(
        app, client, accredited):
    sign_in(client, accredited)
    response = client.get("/accreditation")
    body, words = response.get_data(as_text=True), text(response)
    assert response.status_code == 200
    assert '<h1 id="status-heading">Accredited</h1>' in body
    assert "Employed by Northbridge Survivor Support, an accredited host organisation." in words
    assert "Initial conditions confirmed on" in words
    assert "Your accreditation number is IMSA-7K3Q-9XFD" in words
    assert "/check" in words and "with your number and your surname" in words
    assert "Your entry shows on the public check" in words
    assert "Ask for my entry to be withheld" in words
    history = body[body.index('id="status-history"'):]
    assert "Qualified" in history and "Accredited" in history


def test_suspended_advocate_sees_why_and_what_next(app, client, accredited, create_user):
    decide(app, accredited, "suspend", on=days(-2), reason="A complaint is being looked into.")
    sign_in(client, accredited)
    words = text(client.get("/accreditation"))
    assert "Accreditation suspended" in words
    assert "Reason given: A complaint is being looked into." in words
    assert "Course staff will lift the suspension" in words


def test_conditions_show_what_to_do_and_by_when(app, client, accredited):
    decide(app, accredited, "conditions", on=days(-1), reason="Supervision lapsed.",
           conditions="Arrange monthly supervision.", due_on=days(60))
    sign_in(client, accredited)
    words = text(client.get("/accreditation"))
    assert "Accredited with conditions" in words
    assert "Meet the conditions and tell course staff." in words
    assert "Arrange monthly supervision." in words
    from lms.formatting import uk_date

    assert f"By {uk_date(days(60))}." in words


def test_a_trainee_sees_in_training_and_no_number(app, client, create_user, create_cohort):
    from lms.cohorts.models import Enrolment

    trainee = create_user("trainee", name="Tamsin Reade")
    cohort = create_cohort()
    with app.app_context():
        db.session.add(Enrolment(cohort_id=cohort.id, user_id=trainee.id,
                                 specialism="modern_slavery", jurisdiction="scotland"))
        db.session.commit()
    sign_in(client, trainee)
    response = client.get("/accreditation")
    words = text(response)
    assert response.status_code == 200
    assert "You have no accreditation number yet" in words
    assert "Ask for my entry to be withheld" not in words
    assert 'href="/accreditation"' in client.get("/").get_data(as_text=True)


def test_asking_to_be_withheld_tells_the_moderators_and_is_audited(
        app, client, accredited, create_user):
    lead = create_user("moderator", name="Priya Lead", email="lead@example.org")
    create_user("marker", email="marker@example.org")
    sign_in(client, accredited)
    reason = "A former exploiter has found my workplace."
    response = client.post("/accreditation/withhold-request", data={
        "reason": reason, "csrf_token": csrf_token(client, "/accreditation")})
    assert response.status_code == 302
    mail = outbox(app)
    assert [m.recipient for m in mail] == ["lead@example.org"]
    assert "Amira Haddad asks for their entry to be withheld" in mail[0].subject
    assert reason not in mail[0].body  # the reason stays on the platform
    assert f"/staff/advocates/{accredited.id}" in mail[0].body
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "withhold_requested"))
        assert event.reason == reason and event.actor_id == accredited.id
    assert entry_of(app, accredited).withheld is False  # staff decide; nothing changes yet
    words = text(client.get("/accreditation"))
    assert "Course staff have not decided yet" in words
    again = client.post("/accreditation/withhold-request", data={
        "reason": "Please hurry.", "csrf_token": csrf_token(client, "/accreditation")})
    assert again.status_code == 409 and "Please hurry." in text(again)
    assert len(outbox(app)) == 1  # one request at a time: the moderators are not emailed twice
    staff = app.test_client()
    sign_in(staff, lead)
    assert reason in text(staff.get(f"/staff/advocates/{accredited.id}"))
    assert post_decision(staff, accredited, "withhold", reason="Agreed: risk to safety."
                         ).status_code == 302
    words = text(client.get("/accreditation"))
    assert "Your entry is withheld from the public check." in words
    assert "Course staff have not decided yet" not in words
    assert "Ask for my entry to be shown again" in words


def test_a_request_without_a_reason_is_refused_and_sends_nothing(app, client, accredited):
    sign_in(client, accredited)
    response = client.post("/accreditation/withhold-request", data={
        "reason": "  ", "csrf_token": csrf_token(client, "/accreditation")})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    message = "Say why you are asking, for example a risk to your safety."
    assert f'<a href="#reason">{message}</a>' in body and f"</span> {message}</p>" in body
    assert outbox(app) == [] and "withhold_requested" not in audit_actions(app)


def test_a_long_request_keeps_what_was_typed(app, client, accredited):
    sign_in(client, accredited)
    typed = "Someone followed me from the office. " * 20
    response = client.post("/accreditation/withhold-request", data={
        "reason": typed, "csrf_token": csrf_token(client, "/accreditation")})
    assert response.status_code == 422
    assert "Why you are asking must be 500 characters or fewer" in text(response)
    assert typed.strip() in text(response)
    assert outbox(app) == []


@pytest.mark.parametrize("role", ["marker", "examiner", "org_admin", "moderator", "admin"])
def test_only_advocates_and_trainees_have_a_status_page(client, create_user, role):
    sign_in(client, create_user(role))
    assert client.get("/accreditation").status_code == 403
