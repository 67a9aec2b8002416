"""flask certificates issue issues what is due to a cohort, says what it did, and issues
nothing twice; flask certificates remind emails each expiring certificate's holder once."""

from datetime import timedelta

from sqlalchemy import select

from lms.auth.models import User
from lms.extensions import db
from tests.conftest import outbox
from tests.integration.certs.conftest import certificates, release_mark


def test_issue_for_a_cohort_reports_and_runs_again_without_issuing_twice(
        app, trainee, cohort, create_user, enrol):
    other = enrol(create_user("trainee", name="Kofi Mensah"))
    release_mark(app, trainee, cohort, "law", "scenario", 70)
    release_mark(app, trainee, cohort, "law", "essay", 60)
    runner = app.test_cli_runner()
    first = runner.invoke(args=["certificates", "issue", "--cohort", cohort.name])
    assert first.exit_code == 0, first.output
    # the trainee: a module and a transcript issued; two more modules not yet passed (core
    # and their specialism). The other trainee: three modules and a transcript not yet due.
    assert "Issued 2, already issued 0, not yet due 6." in first.output
    again = runner.invoke(args=["certificates", "issue", "--cohort", cohort.name])
    assert "Issued 0, already issued 2, not yet due 6." in again.output
    assert len(certificates(app)) == 2
    assert certificates(app, user_id=other.id) == []


def test_issue_needs_a_known_cohort_or_all(app, kit):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["certificates", "issue"]).exit_code != 0
    unknown = runner.invoke(args=["certificates", "issue", "--cohort", "No such intake"])
    assert unknown.exit_code != 0 and "no cohort called" in unknown.output


def test_issue_all_covers_organisations_and_advocates(app, advocate, kit):
    person = advocate()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["certificates", "issue", "--all"])
    assert result.exit_code == 0, result.output
    assert "Issued 0, already issued 2" in result.output  # both issued by the decisions
    assert len(certificates(app, user_id=person.id)) == 1


def test_remind_emails_the_holder_once_within_thirty_days(app, advocate):
    person = advocate()
    [certificate] = certificates(app, kind="advocate_accreditation")
    runner = app.test_cli_runner()
    early = certificate.valid_until - timedelta(days=31)
    assert "0 expiry reminders sent" in runner.invoke(
        args=["certificates", "remind", "--today", early.isoformat()]).output
    due = (certificate.valid_until - timedelta(days=30)).isoformat()
    assert "1 expiry reminder sent" in runner.invoke(
        args=["certificates", "remind", "--today", due]).output
    assert "0 expiry reminders sent" in runner.invoke(
        args=["certificates", "remind", "--today", due]).output
    with app.app_context():
        email = db.session.scalar(select(User.email).where(User.id == person.id))
    sent = [m for m in outbox(app) if m.recipient == email]
    assert len(sent) == 1
    assert certificate.code in sent[0].body
