"""Staff decide an application: refused while a criterion is unreviewed or waiting for more
information, reasons and conditions where needed, emailed with the appeal date; two staff
deciding at once get a conflict, and nothing is overwritten."""

from datetime import date, timedelta

from sqlalchemy import select

from lms.accreditation import orgrules
from lms.extensions import db
from tests.conftest import outbox
from tests.integration.accreditation.apply_kit import (
    application_of,
    org_with_admin,
    overview_url,
    post,
    review_all,
    signed_in,
    submitted_application,
)

TODAY = date.today()


def _ready(app, create_user, create_organisation, *, except_=()):
    org, admin = org_with_admin(app, create_user, create_organisation)
    application_id = submitted_application(app, org, admin)
    staff = create_user("moderator", name="Priya Lead")
    review_all(app, application_id, staff, except_=except_)
    return org, admin, application_id, staff


def _decide(client, application_id, version, **fields):
    url = f"/staff/organisations/applications/{application_id}"
    return post(client, f"{url}/decision", {"version": version, **fields}, page=url)


def _decisions(app):
    from lms.accreditation.models import OrgDecision

    with app.app_context():
        rows = db.session.scalars(select(OrgDecision)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def test_deciding_is_refused_while_criteria_wait_and_says_which(app, create_user,
                                                               create_organisation):
    org, admin, application_id, staff = _ready(app, create_user, create_organisation,
                                               except_=("complaints", "lived_experience"))
    review_all(app, application_id, staff, verdict="more_info",
               except_=("safeguarding", "supervision", "independence", "data_protection",
                        "cpd_time", "advocate_in_post", "complaints"))
    client = signed_in(app, staff)
    version = application_of(app, org).version
    response = _decide(client, application_id, version, kind="accredited",
                       reasons="All eight criteria met.")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Complaints procedure (not reviewed yet)" in page
    assert "Involvement of people with lived experience (more information needed)" in page
    assert "All eight criteria met." in page  # what was typed comes back
    assert _decisions(app) == [] and application_of(app, org).status == "submitted"


def test_conditions_and_refusals_need_their_words(app, create_user, create_organisation):
    org, admin, application_id, staff = _ready(app, create_user, create_organisation)
    client = signed_in(app, staff)
    version = application_of(app, org).version
    response = _decide(client, application_id, version, kind="accredited_conditions",
                       reasons="Mostly met.", conditions="")
    assert response.status_code == 422
    assert "Enter the conditions the organisation must meet" in response.get_data(as_text=True)
    response = _decide(client, application_id, version, kind="declined", reasons="",
                       conditions="")
    assert response.status_code == 422
    assert "Enter the reasons for the decision" in response.get_data(as_text=True)
    response = _decide(client, application_id, version, kind="accredited",
                       valid_until=(TODAY + timedelta(days=4 * 366)).isoformat())
    assert response.status_code == 422 and "no later than" in response.get_data(as_text=True)
    response = _decide(client, application_id, version, kind="")
    assert response.status_code == 422
    assert _decisions(app) == []


def test_accredited_for_three_years_and_the_admins_are_told(app, create_user,
                                                           create_organisation):
    org, admin, application_id, staff = _ready(app, create_user, create_organisation)
    client = signed_in(app, staff)
    response = _decide(client, application_id, application_of(app, org).version,
                       kind="accredited", reasons="Every criterion is met.",
                       valid_until=orgrules.default_valid_until(TODAY).isoformat())
    assert response.status_code == 302
    [decision] = _decisions(app)
    assert (decision.kind, decision.effective_on, decision.valid_until, decision.decided_by_id,
            decision.application_id) == ("accredited", TODAY,
                                         orgrules.default_valid_until(TODAY), staff.id,
                                         application_id)
    assert application_of(app, org).status == "decided"
    [mail] = outbox(app)
    assert mail.recipient == admin.email and "Accredited" in mail.subject
    assert "Every criterion is met." in mail.body and "may appeal" not in mail.body
    page = signed_in(app, admin).get(overview_url(org)).get_data(as_text=True)
    assert "Decision: Accredited" in page and "<strong>Accredited</strong>" in page
    queue = client.get("/staff/organisations/applications").get_data(as_text=True)
    assert "No applications are waiting for a decision." in queue
    assert queue.index("Recently decided") < queue.index(org.name)


def test_a_refusal_tells_the_admins_they_may_appeal_within_28_days(app, create_user,
                                                                  create_organisation):
    from lms.formatting import uk_date

    org, admin, application_id, staff = _ready(app, create_user, create_organisation)
    client = signed_in(app, staff)
    response = _decide(client, application_id, application_of(app, org).version,
                       kind="declined", reasons="No complaints procedure for survivors.")
    assert response.status_code == 302
    [decision] = _decisions(app)
    assert decision.valid_until is None
    body = outbox(app)[-1].body
    assert "No complaints procedure for survivors." in body
    assert f"appeal against this decision until {uk_date(TODAY + timedelta(days=28))}" in body
    assert f"/organisations/{org.id}/decisions/{decision.id}/appeal" in body
    # Decided: the thread and the reviews are closed.
    url = f"/staff/organisations/applications/{application_id}"
    response = post(client, f"{url}/messages", {"body": "One more thing"}, page=url)
    assert response.status_code == 409


def test_two_staff_deciding_at_once_the_second_is_told_and_nothing_is_overwritten(
        app, create_user, create_organisation):
    org, admin, application_id, staff = _ready(app, create_user, create_organisation)
    second = create_user("admin", name="Alex Admin")
    first_client, second_client = signed_in(app, staff), signed_in(app, second)
    url = f"/staff/organisations/applications/{application_id}"
    assert "Record the decision" in second_client.get(url).get_data(as_text=True)
    version = application_of(app, org).version  # both pages were opened at this version
    assert _decide(first_client, application_id, version, kind="accredited_conditions",
                   conditions="Adopt a survivor-facing complaints leaflet by June.",
                   reasons="Strong overall.").status_code == 302
    response = _decide(second_client, application_id, version, kind="declined",
                       reasons="I would have declined: the independence answer is thin.")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This application has already been decided" in page
    assert "Priya Lead decided" in page and "accredited with conditions" in page
    assert "I would have declined: the independence answer is thin." in page
    [decision] = _decisions(app)
    assert decision.kind == "accredited_conditions" and decision.decided_by_id == staff.id
    assert len(outbox(app)) == 1
