"""Renewal and yearly-return reminders: which are due on a day (pure), and
`flask accreditation reminders`, which emails each to the organisation's admins once."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.accreditation import renewals, returns
from lms.accreditation.models import AccreditationReminder
from lms.accreditation.orgrules import Application, Decision, OrgFacts, YearlyReturn
from lms.extensions import db
from lms.formatting import uk_date
from lms.organisations.models import HostOrganisation
from tests.conftest import outbox
from tests.integration.accreditation.appeal_kit import (
    TODAY,
    days_ago,
    decide,
    org_with_admin,
)

DAY = date(2027, 6, 15)


def facts(valid_until: date, *, start: date = date(2025, 1, 10), returns=(),
          applications=(), extra=()) -> OrgFacts:
    return OrgFacts("Northbridge", applications=tuple(applications), decisions=(
        Decision("accredited", start, valid_until, id=1, order=1), *extra),
        returns=tuple(returns))


def due(org_facts: OrgFacts, day: date = DAY) -> list[str]:
    return [r.key for r in renewals.reminders_due([renewals.snapshot_of(7, org_facts, day)],
                                                  day)]


@pytest.mark.parametrize(("left", "kind"), [
    (120, None), (91, None), (90, "renewal-90"), (31, "renewal-90"), (30, "renewal-30"),
    (8, "renewal-30"), (7, "renewal-7"), (0, "renewal-7"), (-1, "expired"), (-30, "expired"),
    (-31, None)])
def test_only_the_most_urgent_renewal_stage_is_due(left, kind):
    until = DAY + timedelta(days=left)
    # Returns already sent, so only the renewal reminder is in question.
    sent = [YearlyReturn(date(y, 1, 10), date(y, 1, 1)) for y in range(2026, 2031)]
    keys = due(facts(until, start=date(2025, 1, 10), returns=sent))
    assert keys == ([f"{kind}:7:{until.isoformat()}"] if kind else [])


def test_a_submitted_renewal_stops_the_renewal_reminders():
    until = DAY + timedelta(days=20)
    renewal = Application(3, "renewal", DAY - timedelta(days=30), DAY - timedelta(days=10))
    sent = [YearlyReturn(date(y, 1, 10), date(y, 1, 1)) for y in range(2026, 2031)]
    assert due(facts(until, returns=sent, applications=[renewal])) == []


def test_a_suspended_organisation_is_still_reminded_to_renew():
    until = DAY + timedelta(days=60)
    sent = [YearlyReturn(date(y, 1, 10), date(y, 1, 1)) for y in range(2026, 2031)]
    suspended = Decision("suspended", DAY - timedelta(days=3), id=2, order=2)
    assert due(facts(until, returns=sent, extra=[suspended])) == [
        f"renewal-90:7:{until.isoformat()}"]


def test_yearly_returns_due_within_30_days_and_overdue():
    start = date(2025, 7, 1)  # anniversaries 1 July 2026 (overdue) and 1 July 2027 (16 days)
    until = date(2028, 6, 30)
    assert due(facts(until, start=start)) == ["return-overdue:7:2026-07-01",
                                              "return-30:7:2027-07-01"]
    sent = [YearlyReturn(date(2026, 7, 1), date(2026, 6, 20))]
    assert due(facts(until, start=start, returns=sent)) == ["return-30:7:2027-07-01"]
    assert due(facts(until, start=start, returns=sent), date(2027, 5, 31)) == []


def accredited(app, create_user, create_organisation, name, start, until, *, admin=True):
    if admin:
        org, person = org_with_admin(app, create_user, create_organisation, name=name,
                                     admin_name=f"Admin of {name}")
    else:
        org, person = create_organisation(name, status="not_applied"), None
    decide(app, org, "accredited", start, valid_until=until, reasons="Criteria met.")
    return org, person


def run(app, *args):
    result = app.test_cli_runner().invoke(args=["accreditation", "reminders", *args])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_the_command_sends_each_reminder_once(app, create_user, create_organisation):
    renewing, renewing_admin = accredited(app, create_user, create_organisation, "Renewing",
                                          days_ago(300), TODAY + timedelta(days=60))
    late, late_admin = accredited(app, create_user, create_organisation, "Late return",
                                  days_ago(380), TODAY + timedelta(days=700))
    accredited(app, create_user, create_organisation, "Nobody to tell", days_ago(300),
               TODAY + timedelta(days=5), admin=False)

    assert run(app) == (f"2 accreditation reminders sent ({uk_date(TODAY)}): Renewal window "
                        "opened: 1; Yearly return overdue: 1.")
    mail = {m.recipient: m for m in outbox(app)}
    assert set(mail) == {renewing_admin.email, late_admin.email}
    assert mail[renewing_admin.email].subject == "Renewal window opened: Renewing"
    until = uk_date(TODAY + timedelta(days=60))
    assert f"ends on {until} (in 60 days). Apply to renew" in mail[renewing_admin.email].body
    assert mail[late_admin.email].subject == "Yearly return overdue: Late return"

    assert run(app) == f"0 accreditation reminders sent ({uk_date(TODAY)})."
    assert len(outbox(app)) == 2
    with app.app_context():
        keys = set(db.session.scalars(select(AccreditationReminder.key)))
    return_due = returns.due_dates(days_ago(380), TODAY + timedelta(days=700))[0]
    assert keys == {f"renewal-90:{renewing.id}:{(TODAY + timedelta(days=60)).isoformat()}",
                    f"return-overdue:{late.id}:{return_due.isoformat()}"}

    later = TODAY + timedelta(days=40)
    output = run(app, "--today", later.isoformat())
    assert "Renewal: 30 days left: 1" in output
    assert "Renewal: 30 days left: Renewing" in [m.subject for m in outbox(app)]
    assert run(app, "--today", later.isoformat()).startswith("0 accreditation reminders")


def test_the_dashboard_gets_the_same_reminders(app, create_user, create_organisation):
    org, _ = accredited(app, create_user, create_organisation, "Renewing", days_ago(300),
                        TODAY + timedelta(days=10))
    with app.app_context():
        [reminder] = renewals.reminders_for(db.session.get(HostOrganisation, org.id), TODAY)
    assert reminder.kind == "renewal-30" and reminder.label == "Renewal: 30 days left"
    assert reminder.text(TODAY) == (f"Accreditation of Renewing ends on "
                                    f"{uk_date(TODAY + timedelta(days=10))} (in 10 days). "
                                    "Apply to renew it before then.")
