"""Course staff suspend an accredited organisation, lift the suspension, record conditions met
and withdraw accreditation: each a new decision, audited and emailed; a decision recorded by
someone else since the page was opened gives a conflict, and nothing is written."""

import re

from sqlalchemy import select

from lms.accreditation.models import OrgDecision
from lms.extensions import db
from tests.conftest import outbox
from tests.integration.accreditation.appeal_kit import (
    client_of,
    decision_count,
    org_with_admin,
    status_of,
    token_from,
)


def page_url(org):
    return f"/staff/organisations/{org.id}/decisions"


def seen(page) -> str:
    """The latest decision id the page's forms carry."""
    return re.search(r'name="[a-z_]+-seen" type="hidden" value="(\d+)"',
                     page.get_data(as_text=True)).group(1)


def act(client, org, action, reason, **extra):
    page = client.get(page_url(org))
    slug = action.replace("_", "-")
    data = {"csrf_token": token_from(page), f"{action}-seen": seen(page),
            f"{action}-reason": reason, **{f"{action}-{k}": v for k, v in extra.items()}}
    return client.post(f"{page_url(org)}/{slug}", data=data)


def test_suspend_then_lift_each_recorded_and_emailed(app, create_user, create_organisation):
    org, admin = org_with_admin(app, create_user, create_organisation, status="accredited")
    staff = client_of(app, create_user("moderator", name="Mo Lead"))
    home = staff.get(f"/organisations/{org.id}").get_data(as_text=True)
    assert f'href="{page_url(org)}"' in home
    assert f'href="/organisations/{org.id}/decisions"' not in home
    page = staff.get(page_url(org)).get_data(as_text=True)
    assert "Suspend accreditation" in page and "Lift the suspension" not in page
    assert "Criteria met." in page  # the history shows the decision already made

    response = act(staff, org, "suspend", "A safeguarding concern is being looked into.")
    assert response.status_code == 302
    assert status_of(app, org).state == "suspended"
    [mail] = outbox(app)
    assert mail.recipient == admin.email and mail.subject.startswith("Suspended")
    assert "A safeguarding concern is being looked into." in mail.body
    assert "You may appeal against this decision until" in mail.body

    page = staff.get(page_url(org)).get_data(as_text=True)
    assert "Lift the suspension" in page and "Suspend accreditation</button>" not in page
    assert act(staff, org, "lift", "The concern was resolved.").status_code == 302
    assert status_of(app, org).state == "accredited"
    with app.app_context():
        kinds = list(db.session.scalars(select(OrgDecision.kind).order_by(OrgDecision.id)))
        from lms.audit.models import AuditEvent

        audited = list(db.session.scalars(select(AuditEvent.reason).where(
            AuditEvent.action == "organisation_decision").order_by(AuditEvent.id)))
    assert kinds == ["accredited", "suspended", "lifted"]
    assert audited[-2:] == ["A safeguarding concern is being looked into.",
                            "The concern was resolved."]
    assert [m.subject.split(":")[0] for m in outbox(app)] == ["Suspended", "Suspension lifted"]


def test_conditions_met(app, create_user, create_organisation):
    org, _ = org_with_admin(app, create_user, create_organisation, status="conditions")
    staff = client_of(app, create_user("admin"))
    assert status_of(app, org).state == "accredited_conditions"
    assert act(staff, org, "conditions_met", "Complaints procedure received.").status_code == 302
    assert status_of(app, org).state == "accredited"
    assert "Record conditions met" not in staff.get(page_url(org)).get_data(as_text=True)


def test_withdrawal_needs_a_reason_and_the_box_ticked(app, create_user, create_organisation):
    org, _ = org_with_admin(app, create_user, create_organisation, status="accredited")
    staff = client_of(app, create_user("moderator"))
    response = act(staff, org, "withdraw", "Independence from the police was not kept.")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Tick the box to confirm the withdrawal." in page
    assert "Independence from the police was not kept." in page
    assert status_of(app, org).state == "accredited"
    empty = act(staff, org, "withdraw", "", confirm="y")
    assert empty.status_code == 422
    assert "Give the reason for withdrawing accreditation." in empty.get_data(as_text=True)
    done = act(staff, org, "withdraw", "Independence from the police was not kept.",
               confirm="y")
    assert done.status_code == 302
    assert status_of(app, org).state == "withdrawn"
    page = staff.get(page_url(org)).get_data(as_text=True)
    assert "No decision can be made here" in page


def test_a_decision_recorded_since_the_page_was_opened_gives_a_conflict(
        app, create_user, create_organisation):
    org, _ = org_with_admin(app, create_user, create_organisation, status="accredited")
    first, second = (client_of(app, create_user("moderator")) for _ in range(2))
    first_page, second_page = first.get(page_url(org)), second.get(page_url(org))
    assert first.post(f"{page_url(org)}/suspend", data={
        "csrf_token": token_from(first_page), "suspend-seen": seen(first_page),
        "suspend-reason": "Concern raised by a survivor."}).status_code == 302
    late = second.post(f"{page_url(org)}/withdraw", data={
        "csrf_token": token_from(second_page), "withdraw-seen": seen(second_page),
        "withdraw-reason": "Serious breach.", "withdraw-confirm": "y"})
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert "another decision was recorded after you opened this page" in page
    assert "Serious breach." in page
    assert status_of(app, org).state == "suspended"
    assert decision_count(app, org) == 2
    # Sent again from the page it came back on, it is taken: the page now carries the latest.
    assert second.post(f"{page_url(org)}/withdraw", data={
        "csrf_token": token_from(late), "withdraw-seen": seen(late),
        "withdraw-reason": "Serious breach.", "withdraw-confirm": "y"}).status_code == 302
    assert status_of(app, org).state == "withdrawn"


def test_a_decision_the_status_does_not_allow_is_refused(app, create_user, create_organisation):
    org, _ = org_with_admin(app, create_user, create_organisation, status="not_applied")
    staff = client_of(app, create_user("moderator"))
    page = staff.get(page_url(org))
    assert "No decision can be made here" in page.get_data(as_text=True)
    response = staff.post(f"{page_url(org)}/suspend", data={
        "csrf_token": token_from(page), "suspend-seen": "0", "suspend-reason": "Concern."})
    assert response.status_code == 409
    assert "This cannot be done while the organisation is" in response.get_data(as_text=True)
    assert decision_count(app, org) == 0


def test_only_moderators_and_admins_decide(app, create_user, create_organisation):
    org, admin = org_with_admin(app, create_user, create_organisation, status="accredited")
    for person in (admin, *(create_user(r) for r in ("marker", "examiner", "advocate"))):
        client = client_of(app, person)
        assert client.get(page_url(org)).status_code == 403
        token = token_from(client.get("/account/password"))
        assert client.post(f"{page_url(org)}/suspend", data={
            "csrf_token": token, "suspend-seen": "1", "suspend-reason": "x"}).status_code == 403
    assert decision_count(app, org) == 1
