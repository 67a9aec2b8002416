"""Course staff's decisions on an advocate: each is recorded with its reason, audited, emailed
to the advocate and to their employer's admins, and changes the status; bad input changes
nothing and keeps what was typed; two staff deciding at once get a conflict."""

import re

import pytest

from lms.formatting import uk_date
from tests.conftest import outbox, sign_in
from tests.integration.accreditation.advocate_kit import (
    accredited_employer,
    audit_actions,
    award,
    days,
    decide,
    decisions_of,
    employ,
    entry_of,
    post_decision,
    text,
)


@pytest.fixture
def org(app, create_organisation):
    return accredited_employer(app, create_organisation)


@pytest.fixture
def people(app, create_user, org, create_organisation):
    """The advocate, her employer's admin, an admin elsewhere and one who has left, and staff."""
    advocate = create_user("advocate", name="Amira Haddad", email="amira@example.org")
    employ(app, advocate, org)
    manager = create_user("org_admin", name="Kofi Mensah", email="kofi@example.org")
    employ(app, manager, org, start=days(-1000))
    former = create_user("org_admin", email="former@example.org")
    employ(app, former, org, start=days(-1000), end=days(-10))
    elsewhere = create_user("org_admin", email="elsewhere@example.org")
    employ(app, elsewhere, create_organisation("Elsewhere Trust"), start=days(-1000))
    lead = create_user("moderator", name="Priya Lead", email="lead@example.org")
    return {"advocate": advocate, "manager": manager, "lead": lead}


@pytest.fixture
def staff(app, people):
    client = app.test_client()
    sign_in(client, people["lead"])
    return client


def accredited(app, advocate):
    award(app, advocate)
    decide(app, advocate, "accredit", on=days(-150))


def status_heading(client, user) -> str:
    body = client.get(f"/staff/advocates/{user.id}").get_data(as_text=True)
    return body[body.index("<h1>") + 4:body.index("</h1>")]


def mail_to(app) -> dict[str, str]:
    return {m.recipient: m.subject + "\n" + m.body for m in outbox(app)}


# (set-up, decision, its form fields, status before, status after, the employer is told)
CASES = {
    "accredit": ("qualified", {}, "Qualified", "Accredited", "Nothing is needed from you."),
    "conditions": ("accredited", {"conditions": "Arrange monthly supervision.",
                                  "due_on": days(60).isoformat()},
                   "Accredited", "Accredited with conditions", "meet the conditions by"),
    "conditions_met": ("conditions", {}, "Accredited with conditions", "Accredited",
                       "Nothing is needed from you."),
    "suspend": ("accredited", {}, "Accredited", "Accreditation suspended",
                "must not practise as, or be presented as, an accredited IMSA"),
    "lift": ("suspended", {}, "Accreditation suspended", "Accredited",
             "Nothing is needed from you."),
    "withdraw": ("accredited", {"final": "y"}, "Accredited", "Accreditation withdrawn",
                 "This decision is final."),
}


def set_up(app, advocate, stage):
    award(app, advocate)
    if stage != "qualified":
        decide(app, advocate, "accredit", on=days(-150))
    if stage == "conditions":
        decide(app, advocate, "conditions", on=days(-20), conditions="Supervision.",
               due_on=days(30))
    if stage == "suspended":
        decide(app, advocate, "suspend", on=days(-20), reason="A complaint.")


@pytest.mark.parametrize("kind", CASES)
def test_each_decision_is_recorded_audited_emailed_and_changes_the_status(
        app, staff, people, kind):
    stage, fields, before, after, employer_told = CASES[kind]
    advocate = people["advocate"]
    set_up(app, advocate, stage)
    assert status_heading(staff, advocate) == f"Amira Haddad: {before}"
    reason = f"Reason for {kind}: the panel met on Tuesday."
    response = post_decision(staff, advocate, kind, reason=reason, **fields)
    assert response.status_code == 302, text(response)[:2000]
    assert status_heading(staff, advocate) == f"Amira Haddad: {after}"
    assert decisions_of(app, advocate)[-1] == (kind, reason)
    assert audit_actions(app).count("advocate_decision") == 1
    mail = mail_to(app)
    assert set(mail) == {"amira@example.org", "kofi@example.org"}
    assert reason in mail["amira@example.org"] and reason in mail["kofi@example.org"]
    assert f"Your status now: {after}." in mail["amira@example.org"]
    assert employer_told in mail["kofi@example.org"]
    for body in mail.values():
        assert "/staff/" not in body  # nothing only staff can see
    page = text(staff.get(f"/staff/advocates/{advocate.id}"))
    assert reason in page and "Priya Lead" in page


def test_conditions_tell_both_what_and_by_when(app, staff, people):
    advocate = people["advocate"]
    accredited(app, advocate)
    post_decision(staff, advocate, "conditions", reason="Supervision lapsed.",
                  conditions="Arrange monthly supervision.", due_on=days(60).isoformat())
    mail = mail_to(app)
    for body in mail.values():
        assert "The conditions: Arrange monthly supervision." in body
        assert f"To be met by: {uk_date(days(60))}" in body
    assert f"support Amira Haddad to meet the conditions by {uk_date(days(60))}" in mail[
        "kofi@example.org"]


def test_recording_the_award_gives_a_number(app, staff, people):
    advocate = people["advocate"]
    response = post_decision(staff, advocate, "award", specialism="modern_slavery",
                             awarded_on=days(-3).isoformat(),
                             reason="Exam board, 14 July: pass.")
    assert response.status_code == 302, text(response)[:2000]
    entry = entry_of(app, advocate)
    assert entry is not None and entry.number.startswith("IMSA-")
    page = text(staff.get(f"/staff/advocates/{advocate.id}"))
    assert "Amira Haddad: Qualified" in page and entry.number in page
    assert "Record the PG Cert award" not in page  # one award: the form is gone
    mail = mail_to(app)
    assert "Your PG Cert award is recorded" in mail["amira@example.org"]
    assert "Exam board, 14 July: pass." in mail["kofi@example.org"]


def test_an_award_in_the_future_is_refused_and_keeps_what_was_typed(app, staff, people):
    advocate = people["advocate"]
    response = post_decision(staff, advocate, "award", specialism="stalking",
                             awarded_on=days(3).isoformat(), reason="Board minute 12.")
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The date of the award must be today" in text(response)
    assert 'href="#award-awarded_on"' in body
    assert '<option selected value="stalking">' in body and "Board minute 12." in body
    assert entry_of(app, advocate) is None and outbox(app) == []


@pytest.mark.parametrize("kind", ["withhold", "unwithhold"])
def test_withholding_is_told_to_the_advocate_and_not_to_the_employer(app, staff, people, kind):
    """The risk may come from someone at work: the employer is not told, not even the fact."""
    advocate = people["advocate"]
    accredited(app, advocate)
    if kind == "unwithhold":
        post_decision(staff, advocate, "withhold", reason="At risk.")
        from lms.extensions import db
        from lms.mail.models import OutboxMessage

        with app.app_context():
            db.session.query(OutboxMessage).delete()
            db.session.commit()
    reason = "Her former exploiter has been released from prison."
    response = post_decision(staff, advocate, kind, reason=reason)
    assert response.status_code == 302
    assert entry_of(app, advocate).withheld is (kind == "withhold")
    assert decisions_of(app, advocate)[-1] == (kind, reason)
    mail = mail_to(app)
    assert reason in mail["amira@example.org"]
    assert "kofi@example.org" not in mail


def test_a_decision_without_a_reason_changes_nothing_and_keeps_the_text(app, staff, people):
    advocate = people["advocate"]
    accredited(app, advocate)
    response = post_decision(staff, advocate, "conditions", reason="",
                             conditions="Arrange monthly supervision.",
                             due_on=days(-1).isoformat())
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    message = "Give the reason for the decision: the advocate reads it."
    assert f'<a href="#conditions-reason">{message}</a>' in body
    assert f"</span> {message}</p>" in body
    assert "Arrange monthly supervision." in body
    assert decisions_of(app, advocate)[-1][0] == "accredit" and outbox(app) == []


def test_a_due_date_in_the_past_is_refused_at_its_field(app, staff, people):
    advocate = people["advocate"]
    accredited(app, advocate)
    response = post_decision(staff, advocate, "conditions", reason="Supervision lapsed.",
                             conditions="Arrange monthly supervision.",
                             due_on=days(-1).isoformat())
    assert response.status_code == 422
    assert 'href="#conditions-due_on"' in response.get_data(as_text=True)
    assert "Supervision lapsed." in text(response)
    assert len(decisions_of(app, advocate)) == 1 and outbox(app) == []


def test_withdrawal_needs_the_final_box_ticked(app, staff, people):
    advocate = people["advocate"]
    accredited(app, advocate)
    response = post_decision(staff, advocate, "withdraw", reason="Gross misconduct.")
    assert response.status_code == 422
    assert "Tick the box to confirm you understand that withdrawal is final." in text(response)
    assert "Gross misconduct." in text(response)
    assert status_heading(staff, advocate) == "Amira Haddad: Accredited" and outbox(app) == []


def test_a_decision_that_no_longer_applies_is_refused(app, staff, people):
    advocate = people["advocate"]
    accredited(app, advocate)
    response = post_decision(staff, advocate, "lift", reason="Resolved.")
    assert response.status_code == 409
    assert "does not apply now" in text(response)
    assert len(decisions_of(app, advocate)) == 1 and outbox(app) == []


def test_two_staff_deciding_at_once_the_second_gets_a_conflict(app, staff, people, create_user):
    advocate = people["advocate"]
    accredited(app, advocate)
    other = app.test_client()
    sign_in(other, create_user("admin", name="Sam Admin"))
    opened = staff.get(f"/staff/advocates/{advocate.id}")  # Priya opens the page
    assert opened.status_code == 200
    from tests.integration.accreditation.advocate_kit import seen_on

    seen = seen_on(staff, advocate)
    assert post_decision(other, advocate, "suspend", reason="Police inquiry.").status_code == 302
    response = post_decision(staff, advocate, "conditions", seen=seen,
                             reason="Supervision lapsed.",
                             conditions="Arrange monthly supervision.",
                             due_on=days(30).isoformat())
    words = text(response)
    assert response.status_code == 409
    assert "Sam Admin recorded “Suspended” after you opened this page" in words
    assert "Police inquiry." in words and "Supervision lapsed." in words
    assert [k for k, _ in decisions_of(app, advocate)] == ["accredit", "suspend"]
    assert len(outbox(app)) == 2  # only the suspension was emailed


def test_nobody_decides_on_their_own_accreditation(app, create_user):
    both = create_user("moderator", "advocate", name="Dual Role")
    client = app.test_client()
    sign_in(client, both)
    award(app, both)
    assert "You cannot decide on your own accreditation" in text(
        client.get(f"/staff/advocates/{both.id}"))
    from tests.conftest import csrf_token

    response = client.post(f"/staff/advocates/{both.id}/decisions", data={
        "kind": "suspend", "suspend-seen": "0", "suspend-reason": "Self.",
        "csrf_token": csrf_token(client, "/accreditation")})
    assert response.status_code == 403 and decisions_of(app, both) == []


def test_a_trainee_can_only_be_given_an_award(app, staff, create_user):
    trainee = create_user("trainee", name="Tamsin Reade")
    body = staff.get(f"/staff/advocates/{trainee.id}").get_data(as_text=True)
    assert "Record the PG Cert award" in body
    forms = re.findall(r'<details class="panel" id="([a-z_]+)"', body)
    assert forms == ["award"]  # no suspension, withdrawal, conditions or withholding
    response = post_decision(staff, trainee, "suspend", seen="0", reason="No.")
    assert response.status_code == 409 and decisions_of(app, trainee) == []


def test_the_suspension_email_to_the_employer_reads_in_full(app, staff, people):
    advocate = people["advocate"]
    accredited(app, advocate)
    post_decision(staff, advocate, "suspend", reason="A complaint is being looked into.")
    mail = [m for m in outbox(app) if m.recipient == "kofi@example.org"]
    assert [m.subject for m in mail] == [
        "Accreditation of Amira Haddad: Accreditation suspended"]
    assert mail[0].body == (
        "Dear Kofi Mensah,\n\n"
        "You are an administrator for Northbridge Survivor Support, which employs Amira "
        "Haddad.\n\n"
        "Amira Haddad's accreditation is suspended.\n\n"
        "Why: A complaint is being looked into.\n\n"
        "Their status now: Accreditation suspended.\n\n"
        "What to do: Until the suspension is lifted, Amira Haddad must not practise as, or be "
        "presented as, an accredited IMSA. Course staff will email you when it is lifted.\n\n"
        "The course team")
    advocate_mail = [m for m in outbox(app) if m.recipient == "amira@example.org"][0]
    assert advocate_mail.subject == "Your accreditation is suspended"
    assert advocate_mail.body.startswith(
        "Dear Amira Haddad,\n\nYour accreditation is suspended.\n\n"
        "Why: A complaint is being looked into.\n\n"
        "Your status now: Accreditation suspended.\n")
    assert ("What to do next:\n- Course staff will lift the suspension when the reason for it "
            "is resolved; contact them if you have not heard.\n") in advocate_mail.body
