"""An organisation's admin appeals against a decision: within 28 days of its taking effect,
once, with grounds; the moderators and the organisation's admins are emailed."""

from datetime import timedelta

from sqlalchemy import select

from lms.accreditation.models import OrgAppeal
from lms.accreditation.orgrules import APPEAL_DAYS
from lms.extensions import db
from lms.formatting import uk_date
from tests.conftest import outbox
from tests.integration.accreditation.appeal_kit import (
    audit_actions,
    client_of,
    days_ago,
    decide,
    org_with_admin,
    post_from,
    status_of,
)


def appeals(app):
    with app.app_context():
        return list(db.session.scalars(select(OrgAppeal)))


def url(org, decision_id):
    return f"/organisations/{org.id}/decisions/{decision_id}/appeal"


def test_an_org_admin_appeals_a_decline_and_staff_and_admins_are_told(
        app, create_user, create_organisation):
    org, admin = org_with_admin(app, create_user, create_organisation)
    decider = create_user("moderator", name="Dana Decider")
    create_user("moderator", name="Mo Other", email="other@example.org")
    decision_id = decide(app, org, "declined", days_ago(5), by=decider,
                         reasons="No supervision arrangements.")
    client = client_of(app, admin)
    home = client.get(f"/organisations/{org.id}").get_data(as_text=True)
    assert f'href="/organisations/{org.id}/decisions"' in home
    # A declined organisation has no term, so no yearly return to send.
    assert f'href="/organisations/{org.id}/yearly-return"' not in home

    listing = client.get(f"/organisations/{org.id}/decisions").get_data(as_text=True)
    assert "No supervision arrangements." in listing
    assert "Appeal against this decision" in listing
    page = client.get(url(org, decision_id)).get_data(as_text=True)
    assert f"You may appeal until <strong>{uk_date(days_ago(5 - APPEAL_DAYS))}</strong>" in page

    response = post_from(client, url(org, decision_id), url(org, decision_id),
                         {"grounds": "Our supervision policy was attached to criterion 2."})
    assert response.status_code == 302
    [appeal] = appeals(app)
    assert appeal.decision_id == decision_id and appeal.submitted_by_id == admin.id
    assert appeal.grounds == "Our supervision policy was attached to criterion 2."
    assert "accreditation.org_appeal.lodged" in audit_actions(app)
    mail = {m.recipient: m for m in outbox(app)}
    assert set(mail) == {admin.email, decider.email, "other@example.org"}
    assert "Appeal to decide" in mail["other@example.org"].subject
    assert f"/staff/organisations/appeals/{appeal.id}" in mail["other@example.org"].body
    assert "Appeal lodged" in mail[admin.email].subject
    assert status_of(app, org).next_steps[0].text.startswith("Your appeal is with")

    again = client.get(url(org, decision_id)).get_data(as_text=True)
    assert "Waiting for a decision" in again and "Lodge the appeal" not in again


def test_grounds_are_required_and_limited_and_what_was_typed_stays(
        app, create_user, create_organisation):
    org, admin = org_with_admin(app, create_user, create_organisation)
    decision_id = decide(app, org, "declined", days_ago(1))
    client = client_of(app, admin)
    empty = post_from(client, url(org, decision_id), url(org, decision_id), {"grounds": "  "})
    assert empty.status_code == 422
    assert "Give the grounds of your appeal" in empty.get_data(as_text=True)
    long = "Our evidence was overlooked. " * 200
    too_long = post_from(client, url(org, decision_id), url(org, decision_id), {"grounds": long})
    assert too_long.status_code == 422
    page = too_long.get_data(as_text=True)
    assert "must be 5,000 characters or fewer" in page
    assert long.strip() in page
    assert appeals(app) == []


def test_after_28_days_the_page_says_when_the_window_closed(
        app, create_user, create_organisation):
    org, admin = org_with_admin(app, create_user, create_organisation)
    took_effect = days_ago(APPEAL_DAYS + 1)
    decision_id = decide(app, org, "suspended", took_effect, reasons="Safeguarding concern")
    client = client_of(app, admin)
    page = client.get(url(org, decision_id)).get_data(as_text=True)
    closed = uk_date(took_effect + timedelta(days=APPEAL_DAYS))
    assert f"The window to appeal closed on {closed}" in page
    assert "Lodge the appeal" not in page
    response = post_from(client, url(org, decision_id), url(org, decision_id),
                         {"grounds": "Late, but please look again."})
    assert response.status_code == 422
    assert f"The window to appeal closed on {closed}" in response.get_data(as_text=True)
    assert "Late, but please look again." in response.get_data(as_text=True)
    assert appeals(app) == []


def test_the_last_day_of_the_window_is_still_open(app, create_user, create_organisation):
    org, admin = org_with_admin(app, create_user, create_organisation)
    decision_id = decide(app, org, "withdrawn", days_ago(APPEAL_DAYS))
    client = client_of(app, admin)
    response = post_from(client, url(org, decision_id), url(org, decision_id),
                         {"grounds": "The concern was resolved before the decision."})
    assert response.status_code == 302
    assert len(appeals(app)) == 1


def test_a_decision_is_appealed_once_and_accreditation_cannot_be_appealed(
        app, create_user, create_organisation):
    org, admin = org_with_admin(app, create_user, create_organisation)
    accredited = decide(app, org, "accredited", days_ago(3))
    client = client_of(app, admin)
    refused = post_from(client, url(org, accredited), url(org, accredited), {"grounds": "Why?"})
    assert refused.status_code == 422
    assert "cannot be appealed against" in refused.get_data(as_text=True)

    conditions = decide(app, org, "accredited_conditions", days_ago(2), conditions="Policy")
    first = post_from(client, url(org, conditions), url(org, conditions),
                      {"grounds": "The condition is already met."})
    assert first.status_code == 302
    second = post_from(client, f"/organisations/{org.id}/decisions", url(org, conditions),
                       {"grounds": "Once more."})
    assert second.status_code == 422
    assert "A decision can be appealed against once" in second.get_data(as_text=True)
    assert len(appeals(app)) == 1


def test_only_the_organisations_own_admins_may_appeal(app, create_user, create_organisation):
    org, admin = org_with_admin(app, create_user, create_organisation)
    other, other_admin = org_with_admin(app, create_user, create_organisation, name="Elsewhere",
                                        admin_name="Ola Elsewhere")
    decision_id = decide(app, org, "declined", days_ago(1))
    theirs = client_of(app, other_admin)
    assert theirs.get(url(org, decision_id)).status_code == 403
    assert theirs.get(f"/organisations/{org.id}/decisions").status_code == 403
    assert post_from(theirs, f"/organisations/{other.id}/decisions", url(org, decision_id),
                     {"grounds": "Not ours"}).status_code == 403
    # Their own organisation's address does not open someone else's decision.
    assert theirs.get(url(other, decision_id)).status_code == 404
    for role in ("advocate", "trainee", "marker", "examiner", "moderator", "admin"):
        person = client_of(app, create_user(role))
        assert person.get(url(org, decision_id)).status_code == 403, role
    assert appeals(app) == []
    assert client_of(app, admin).get(url(org, decision_id)).status_code == 200
