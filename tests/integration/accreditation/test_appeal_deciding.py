"""Course staff decide an organisation's appeal: someone other than the member of staff who
made the decision; upheld with a new decision, or dismissed; two at once get a conflict."""

from datetime import date

from sqlalchemy import select

from lms.accreditation import appeals as appeal_service
from lms.accreditation.models import OrgAppeal, OrgDecision
from lms.auth.models import User
from lms.extensions import db
from lms.formatting import uk_date
from lms.organisations.models import HostOrganisation
from tests.conftest import csrf_token, outbox
from tests.integration.accreditation.appeal_kit import (
    TODAY,
    audit_actions,
    client_of,
    days_ago,
    decide,
    decision_count,
    org_with_admin,
    status_of,
    token_from,
)

QUEUE = "/staff/organisations/appeals"


def lodged(app, create_user, create_organisation, kind="declined", status="not_applied"):
    """An organisation declined (or `kind`) by one moderator, its appeal lodged; return what
    the tests need: (org, admin, decider, appeal id)."""
    org, admin = org_with_admin(app, create_user, create_organisation, status=status)
    decider = create_user("moderator", name="Dana Decider")
    decision_id = decide(app, org, kind, days_ago(4), by=decider, reasons="Criterion 3 not met")
    with app.app_context():
        appeal = appeal_service.lodge(
            db.session.get(HostOrganisation, org.id), db.session.get(OrgDecision, decision_id),
            "Criterion 3 evidence was attached.", actor=db.session.get(User, admin.id),
            today=TODAY)
        db.session.commit()
        return org, admin, decider, appeal.id


def appeal(app, appeal_id):
    with app.app_context():
        return db.session.get(OrgAppeal, appeal_id)


def upheld(token, version="1", **overrides):
    form = {"csrf_token": token, "version": version, "outcome": "upheld",
            "new_kind": "accredited", "valid_until": date(TODAY.year + 3, 1, 31).isoformat(),
            "conditions": "", "reasons": "The evidence for criterion 3 was in the application."}
    form.update(overrides)
    return form


def test_the_queue_shows_who_may_decide(app, create_user, create_organisation):
    org, _, decider, appeal_id = lodged(app, create_user, create_organisation)
    other = client_of(app, create_user("admin", name="Ade Admin"))
    page = other.get(QUEUE).get_data(as_text=True)
    assert org.name in page and "Declined" in page
    assert "You, or anyone on the course staff except Dana Decider" in page
    assert "Not you: anyone else on the course staff" in client_of(app, decider).get(
        QUEUE).get_data(as_text=True)


def test_the_member_of_staff_who_decided_cannot_decide_the_appeal(
        app, create_user, create_organisation):
    org, _, decider, appeal_id = lodged(app, create_user, create_organisation)
    client = client_of(app, decider)
    page = client.get(f"{QUEUE}/{appeal_id}")
    text = page.get_data(as_text=True)
    assert "a different member of course staff must decide this appeal" in text
    assert "Record the decision on the appeal" not in text
    response = client.post(f"{QUEUE}/{appeal_id}", data=upheld(
        csrf_token(client, "/account/password")))
    assert response.status_code == 403
    assert "You made the decision appealed against, so you cannot decide the appeal" in \
        response.get_data(as_text=True)
    assert appeal(app, appeal_id).outcome is None
    assert decision_count(app, org) == 1


def test_a_different_moderator_upholds_the_appeal_with_a_new_decision(
        app, create_user, create_organisation):
    org, admin, _, appeal_id = lodged(app, create_user, create_organisation)
    assert status_of(app, org).state == "declined"
    judge = create_user("moderator", name="Jo Judge")
    client = client_of(app, judge)
    page = client.get(f"{QUEUE}/{appeal_id}")
    response = client.post(f"{QUEUE}/{appeal_id}", data=upheld(token_from(page)))
    assert response.status_code == 302
    decided = appeal(app, appeal_id)
    assert decided.outcome == "upheld" and decided.decided_by_id == judge.id
    with app.app_context():
        new = db.session.get(OrgDecision, decided.new_decision_id)
        kinds = list(db.session.scalars(select(OrgDecision.kind).order_by(OrgDecision.id)))
    assert kinds == ["declined", "accredited"]  # the decision appealed against is kept
    assert (new.kind, new.effective_on, new.decided_by_id) == ("accredited", TODAY, judge.id)
    assert new.valid_until == date(TODAY.year + 3, 1, 31)
    status = status_of(app, org)
    assert status.state == "accredited" and status.valid_until == new.valid_until
    assert "accreditation.org_appeal.decided" in audit_actions(app)
    [mail] = [m for m in outbox(app) if m.subject.startswith("Appeal decided")]
    assert mail.recipient == admin.email
    assert f"until {uk_date(new.valid_until)}" in mail.body
    shown = client.get(f"{QUEUE}/{appeal_id}").get_data(as_text=True)
    assert "Upheld" in shown and "Record the decision on the appeal" not in shown


def test_upheld_with_conditions_needs_the_conditions_and_a_term(
        app, create_user, create_organisation):
    org, _, _, appeal_id = lodged(app, create_user, create_organisation)
    client = client_of(app, create_user("admin"))
    token = token_from(client.get(f"{QUEUE}/{appeal_id}"))
    response = client.post(f"{QUEUE}/{appeal_id}", data=upheld(
        token, new_kind="accredited_conditions", valid_until="",
        reasons="Accredited once the policy is updated."))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Say what the conditions are" in page
    assert "Enter the last day of the accreditation term." in page
    assert "Accredited once the policy is updated." in page
    assert decision_count(app, org) == 1
    response = client.post(f"{QUEUE}/{appeal_id}", data=upheld(
        token, new_kind="accredited_conditions", conditions="Update the safeguarding policy "
        "within three months."))
    assert response.status_code == 302
    status = status_of(app, org)
    assert status.state == "accredited_conditions"
    assert status.conditions == "Update the safeguarding policy within three months."


def test_a_dismissed_appeal_leaves_the_decision_standing(app, create_user, create_organisation):
    org, admin, _, appeal_id = lodged(app, create_user, create_organisation)
    client = client_of(app, create_user("moderator"))
    token = token_from(client.get(f"{QUEUE}/{appeal_id}"))
    missing = client.post(f"{QUEUE}/{appeal_id}", data={"csrf_token": token, "version": "1"})
    assert missing.status_code == 422
    assert "Choose whether to uphold or dismiss the appeal." in missing.get_data(as_text=True)
    response = client.post(f"{QUEUE}/{appeal_id}", data={
        "csrf_token": token, "version": "1", "outcome": "dismissed",
        "reasons": "The evidence did not show supervision arrangements."})
    assert response.status_code == 302
    assert appeal(app, appeal_id).outcome == "dismissed"
    assert appeal(app, appeal_id).new_decision_id is None
    assert decision_count(app, org) == 1
    assert status_of(app, org).state == "declined"
    [mail] = [m for m in outbox(app) if m.subject.startswith("Appeal decided")]
    assert mail.recipient == admin.email and "dismissed" in mail.body


def test_two_staff_deciding_at_once_the_second_gets_a_conflict(
        app, create_user, create_organisation):
    org, _, _, appeal_id = lodged(app, create_user, create_organisation)
    first, second = (client_of(app, create_user("moderator")) for _ in range(2))
    first_token = token_from(first.get(f"{QUEUE}/{appeal_id}"))
    second_token = token_from(second.get(f"{QUEUE}/{appeal_id}"))  # both opened at version 1
    assert first.post(f"{QUEUE}/{appeal_id}", data=upheld(first_token)).status_code == 302
    late = second.post(f"{QUEUE}/{appeal_id}", data={
        "csrf_token": second_token, "version": "1", "outcome": "dismissed",
        "reasons": "I would have dismissed it."})
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert "someone else decided this appeal after you opened it" in page
    assert "I would have dismissed it." in page
    assert appeal(app, appeal_id).outcome == "upheld"
    assert decision_count(app, org) == 2  # the first one's new decision only


def test_only_moderators_and_admins_see_and_decide_appeals(
        app, create_user, create_organisation):
    org, admin, _, appeal_id = lodged(app, create_user, create_organisation)
    for role in ("marker", "examiner", "advocate", "trainee"):
        client = client_of(app, create_user(role))
        assert client.get(QUEUE).status_code == 403, role
        assert client.get(f"{QUEUE}/{appeal_id}").status_code == 403, role
    org_admin = client_of(app, admin)
    assert org_admin.get(QUEUE).status_code == 403
    assert org_admin.post(f"{QUEUE}/{appeal_id}", data=upheld(
        token_from(org_admin.get(f"/organisations/{org.id}/decisions")))).status_code == 403
    assert appeal(app, appeal_id).outcome is None


def test_an_appeal_against_a_suspension_starts_from_the_term_in_force(
        app, create_user, create_organisation):
    org, _, _, appeal_id = lodged(app, create_user, create_organisation, kind="suspended",
                                  status="accredited")
    term_end = status_of(app, org, days_ago(5)).valid_until
    assert status_of(app, org).state == "suspended"
    client = client_of(app, create_user("moderator"))
    page = client.get(f"{QUEUE}/{appeal_id}")
    assert f'value="{term_end.isoformat()}"' in page.get_data(as_text=True)
    response = client.post(f"{QUEUE}/{appeal_id}", data=upheld(
        token_from(page), valid_until=term_end.isoformat(),
        reasons="The concern was about another organisation."))
    assert response.status_code == 302
    status = status_of(app, org)
    assert (status.state, status.valid_until) == ("accredited", term_end)
