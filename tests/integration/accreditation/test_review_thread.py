"""Staff review each criterion and ask questions; the organisation answers. Each message goes
by email to the other side, and "more information needed" reopens that criterion only."""

from datetime import date, timedelta

from lms.extensions import db
from tests.conftest import outbox
from tests.integration.accreditation.apply_kit import (
    answer_of,
    criterion_url,
    employ,
    org_with_admin,
    overview_url,
    post,
    save,
    signed_in,
    submitted_application,
)


def _setup(app, create_user, create_organisation):
    org, admin = org_with_admin(app, create_user, create_organisation)
    application_id = submitted_application(app, org, admin)
    staff = create_user("moderator", name="Priya Lead", email="priya@example.org")
    return org, admin, application_id, staff


def review_url(application_id):
    return f"/staff/organisations/applications/{application_id}"


def test_the_queue_lists_submitted_applications_oldest_first(app, create_user,
                                                            create_organisation):
    from lms.accreditation.models import OrgApplication

    older, older_admin = org_with_admin(app, create_user, create_organisation, name="Older Org")
    newer, newer_admin = org_with_admin(app, create_user, create_organisation, name="Newer Org")
    drafting, drafting_admin = org_with_admin(app, create_user, create_organisation,
                                              name="Drafting Org")
    newer_id = submitted_application(app, newer, newer_admin)
    older_id = submitted_application(app, older, older_admin)
    from tests.integration.accreditation.apply_kit import draft_application

    draft_application(app, drafting, drafting_admin)
    with app.app_context():
        db.session.get(OrgApplication, older_id).submitted_at -= timedelta(days=9)
        db.session.get(OrgApplication, newer_id).submitted_at -= timedelta(days=2)
        db.session.commit()
    client = signed_in(app, create_user("moderator"))
    page = client.get("/staff/organisations/applications").get_data(as_text=True)
    assert page.index("Older Org") < page.index("Newer Org")
    assert "9 days" in page and "2 days" in page and "Drafting Org" not in page
    assert "0 of 8" in page


def test_a_review_needs_a_note_unless_met_and_keeps_what_was_typed(app, create_user,
                                                                  create_organisation):
    org, admin, application_id, staff = _setup(app, create_user, create_organisation)
    client = signed_in(app, staff)
    page = client.get(review_url(application_id)).get_data(as_text=True)
    assert "Safeguarding policy: how we meet it." in page and "Not reviewed yet." in page
    version = answer_of(app, org, "complaints").version
    url = f"{review_url(application_id)}/criteria/complaints"
    response = post(client, url, {"review": "not_met", "note": "", "version": version},
                    page=review_url(application_id))
    assert response.status_code == 422
    assert "Say why the criterion is not met" in response.get_data(as_text=True)
    assert answer_of(app, org, "complaints").review is None
    response = post(client, url, {"review": "met", "note": "x" * 3001, "version": version},
                    page=review_url(application_id))
    assert response.status_code == 422 and "x" * 3001 in response.get_data(as_text=True)
    response = post(client, url, {"review": "met", "note": "Clear and in plain words.",
                                  "version": version}, page=review_url(application_id))
    assert response.status_code == 302
    answer = answer_of(app, org, "complaints")
    assert (answer.review, answer.review_note, answer.reviewed_by_id) == (
        "met", "Clear and in plain words.", staff.id)
    # A second member of staff with the page open before: told, nothing overwritten.
    response = post(client, url, {"review": "not_met", "note": "Too vague.",
                                  "version": version}, page=review_url(application_id))
    assert response.status_code == 409
    assert "Too vague." in response.get_data(as_text=True)
    assert answer_of(app, org, "complaints").review == "met"


def test_more_information_reopens_that_criterion_only_and_emails_the_admins(
        app, create_user, create_organisation):
    org, admin, application_id, staff = _setup(app, create_user, create_organisation)
    left = create_user("org_admin", email="left@example.org")
    employ(app, left, org, end=date.today() - timedelta(days=1))
    client = signed_in(app, staff)
    post(client, f"{review_url(application_id)}/criteria/supervision",
         {"review": "more_info", "note": "How often is pastoral supervision?",
          "version": answer_of(app, org, "supervision").version},
         page=review_url(application_id))
    mails = outbox(app)
    assert [m.recipient for m in mails] == [admin.email]  # not the admin who has left
    assert "How often is pastoral supervision?" in mails[0].body
    assert "Supervision arrangements for advocates" in mails[0].subject

    org_client = signed_in(app, admin)
    page = org_client.get(criterion_url(org, "supervision")).get_data(as_text=True)
    assert "Course staff need more information" in page and "<textarea" in page
    assert "<textarea" not in org_client.get(criterion_url(org, "complaints")).get_data(
        as_text=True)
    response = save(org_client, org, "supervision", "Pastoral supervision every month.",
                    version=answer_of(app, org, "supervision").version)
    assert response.status_code == 302
    assert answer_of(app, org, "supervision").statement == "Pastoral supervision every month."
    page = client.get(review_url(application_id)).get_data(as_text=True)
    assert "after the last review" in page


def test_questions_and_answers_go_to_the_other_side_in_order(app, create_user,
                                                            create_organisation):
    org, admin, application_id, staff = _setup(app, create_user, create_organisation)
    create_user("moderator", email="other-moderator@example.org")
    client = signed_in(app, staff)
    response = post(client, f"{review_url(application_id)}/messages",
                    {"body": "Who is your **safeguarding lead**?", "criterion": "safeguarding"},
                    page=review_url(application_id))
    assert response.status_code == 302
    question = outbox(app)[-1]
    assert question.recipient == admin.email
    assert "Who is your **safeguarding lead**?" in question.body
    assert "About: Safeguarding policy" in question.body

    org_client = signed_in(app, admin)
    response = post(org_client, f"/organisations/{org.id}/application/messages",
                    {"body": "Sam Patel, since 2024.", "criterion": "safeguarding"},
                    page=overview_url(org))
    assert response.status_code == 302
    answer = outbox(app)[-1]
    assert answer.recipient == staff.email  # the reviewing staff, not every moderator
    assert "Sam Patel, since 2024." in answer.body and org.name in answer.subject

    for page in (org_client.get(overview_url(org)).get_data(as_text=True),
                 client.get(review_url(application_id)).get_data(as_text=True)):
        assert page.index("<strong>safeguarding lead</strong>") < page.index(
            "Sam Patel, since 2024.")
        assert "Priya Lead, course staff" in page and "Morgan Manager, " + org.name in page


def test_an_empty_or_long_message_is_refused_with_the_text_kept(app, create_user,
                                                                create_organisation):
    org, admin, application_id, staff = _setup(app, create_user, create_organisation)
    client = signed_in(app, staff)
    response = post(client, f"{review_url(application_id)}/messages", {"body": "  "},
                    page=review_url(application_id))
    assert response.status_code == 422 and "Enter your message" in response.get_data(
        as_text=True)
    org_client = signed_in(app, admin)
    long = "A long answer. " * 400
    response = post(org_client, f"/organisations/{org.id}/application/messages",
                    {"body": long, "criterion": "complaints"}, page=overview_url(org))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The message must be 5,000 characters or fewer" in page and long.strip() in page
    assert outbox(app) == []
