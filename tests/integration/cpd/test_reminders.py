"""CPD reminders: an email 90, 30 and 7 days before a year ends unmet, each once, and the home
page's notice in the same window."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.cpd.models import CpdEntry, CpdProfile, CpdReminder
from lms.extensions import db
from tests.conftest import outbox, sign_in
from tests.integration.courses.test_query_counts import count_queries
from tests.integration.cpd.conftest import TODAY


def accredited_for_year_ending_in(days: int) -> date:
    """An accreditation day whose anniversary CPD year ends `days` from today."""
    following = TODAY + timedelta(days=days + 1)  # the next year's first day
    back = 4 if (following.month, following.day) == (2, 29) else 1
    return following.replace(year=following.year - back)


@pytest.fixture
def person_ending_in(app, create_user):
    """Return a factory: a trainee or advocate whose CPD year ends `days` from today."""

    def factory(days: int, role: str = "advocate", **kwargs):
        user = create_user(role, **kwargs)
        with app.app_context():
            db.session.add(CpdProfile(user_id=user.id,
                                      accredited_on=accredited_for_year_ending_in(days)))
            db.session.commit()
        return user

    return factory


def meet_the_requirement(app, user):
    """Log what the default scheme asks for, in the current year (yesterday)."""
    reflection = {"what_happened": "Supervision with a clinical supervisor.",
                  "what_i_learned": "Secondary trauma signs.", "how_practice_changes": "Rest."}
    with app.app_context():
        for n, activity in enumerate(("clinical_supervision", "multi_agency_training")):
            db.session.add(CpdEntry(
                user_id=user.id, status="logged", title=f"Activity {n}",
                start=TODAY - timedelta(days=1), minutes=10 * 60, activity=activity,
                participatory=True,
                topics=["law_and_policy", "trauma_informed", "safeguarding"], **reflection))
        db.session.commit()


def run(app, today: date = TODAY) -> int:
    from lms.cpd.reminders import send_due_reminders

    with app.app_context():
        sent = send_due_reminders(today)
        db.session.commit()
        return sent


def reminders_of(app, user) -> list[tuple[date, int]]:
    with app.app_context():
        return db.session.execute(
            select(CpdReminder.year_end, CpdReminder.days_before)
            .where(CpdReminder.user_id == user.id).order_by(CpdReminder.id)).all()


@pytest.mark.parametrize("days", [90, 30, 7])
def test_one_email_at_90_30_and_7_days_none_twice(app, person_ending_in, days):
    person = person_ending_in(days)
    assert run(app) == 1
    [mail] = outbox(app)
    assert mail.recipient == person.email
    assert mail.subject == f"Your CPD year ends in {days} days"
    end = TODAY + timedelta(days=days)
    assert f"ends on {end.day} {end:%B %Y}, in {days} days" in mail.body
    assert "You have logged 0 hours of the 20 hours required this year." in mail.body
    assert "- Participatory CPD (with other people): 0 of 10 hours" in mail.body
    assert "- Supervision: 0 of 6 hours" in mail.body
    assert "- Reflections written: 0 of 2" in mail.body
    assert "http://" in mail.body and "/cpd\n" in mail.body
    assert ".." not in mail.body
    assert reminders_of(app, person) == [(end, days)]
    with app.app_context():
        [event] = db.session.scalars(select(AuditEvent)
                                     .where(AuditEvent.action == "cpd.reminder.sent")).all()
        assert event.subject_type == "CpdReminder" and event.after["days_before"] == days
    assert run(app) == 0  # a second run the same day sends nothing
    assert len(outbox(app)) == 1


def test_each_reminder_once_through_the_year(app, person_ending_in):
    person = person_ending_in(90)
    days_sent = [run(app, TODAY + timedelta(days=n)) for n in range(0, 91)]
    assert sum(days_sent) == 3
    end = TODAY + timedelta(days=90)
    assert reminders_of(app, person) == [(end, 90), (end, 30), (end, 7)]
    assert [m.subject for m in outbox(app)] == [
        "Your CPD year ends in 90 days", "Your CPD year ends in 30 days",
        "Your CPD year ends in 7 days"]


def test_none_when_met_or_beyond_90_days(app, person_ending_in):
    met = person_ending_in(30)
    meet_the_requirement(app, met)
    person_ending_in(91)
    person_ending_in(200)
    assert run(app) == 0
    assert outbox(app) == []


def test_none_for_inactive_or_withdrawn_people(app, person_ending_in, create_cohort):
    from lms.cohorts.models import Enrolment

    person_ending_in(30, active=False)
    withdrawn = person_ending_in(30, role="trainee")
    studying = person_ending_in(30, role="trainee")
    person_ending_in(30, role="marker")
    cohort = create_cohort(starts_on=TODAY - timedelta(days=400))
    with app.app_context():
        for user, status in ((withdrawn, "withdrawn"), (studying, "active")):
            db.session.add(Enrolment(cohort_id=cohort.id, user_id=user.id, status=status,
                                     specialism="modern_slavery", jurisdiction="england_wales"))
        db.session.commit()
    assert run(app) == 1
    assert [m.recipient for m in outbox(app)] == [studying.email]


def test_queries_do_not_grow_with_people(app, person_ending_in):
    person_ending_in(200)
    with count_queries(app) as few:
        run(app)
    for n in range(8):
        person_ending_in(200 + n)
    with count_queries(app) as many:
        run(app)
    assert len(many) == len(few)


def test_the_command_prints_the_count(app, person_ending_in):
    person_ending_in(30)
    person_ending_in(7)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cpd", "reminders"])
    assert result.exit_code == 0, result.output
    assert f"2 CPD reminders sent ({TODAY.day} {TODAY:%B %Y})." in result.output
    again = runner.invoke(args=["cpd", "reminders", "--today", TODAY.isoformat()])
    assert "0 CPD reminders sent" in again.output
    later = TODAY + timedelta(days=23)  # the 30-day person is now 7 days away
    third = runner.invoke(args=["cpd", "reminders", "--today", later.isoformat()])
    assert "1 CPD reminder sent" in third.output
    assert len(outbox(app)) == 3
    refused = runner.invoke(args=["cpd", "reminders", "--today", "30/10/2026"])
    assert refused.exit_code != 0 and len(outbox(app)) == 3


def home(app, user) -> str:
    client = app.test_client()
    sign_in(client, user)
    return client.get("/").get_data(as_text=True)


def test_home_notice_within_90_days_until_met(app, person_ending_in):
    person = person_ending_in(45)
    page = home(app, person)
    assert 'id="cpd-reminder"' in page
    assert "Your CPD year ends in 45 days" in page
    assert "Supervision: 0 of 6 hours" in page
    meet_the_requirement(app, person)
    assert 'id="cpd-reminder"' not in home(app, person)


@pytest.mark.parametrize("days, role", [(91, "advocate"), (300, "trainee")])
def test_no_home_notice_beyond_90_days(app, person_ending_in, days, role):
    page = home(app, person_ending_in(days, role=role))
    assert "Your CPD this year" in page
    assert 'id="cpd-reminder"' not in page


def test_home_notice_for_a_trainee_with_one_day_left(app, person_ending_in):
    page = home(app, person_ending_in(1, role="trainee"))
    assert "Your CPD year ends in 1 day," in page


def test_batch_progress_matches_the_year_page(app, person_ending_in):
    """The reminders' one read for everybody gives what the year page computes per person."""
    from lms.auth.models import User
    from lms.cpd.models import CpdLeave
    from lms.cpd.services import progress_of_all, summary

    people = [person_ending_in(days) for days in (5, 60, 200, 364)]
    with app.app_context():
        for n, user in enumerate(people):
            for back in (3, 100, 300, 420):  # some in the year, some in the one before
                db.session.add(CpdEntry(user_id=user.id, status="logged", title="Study",
                                        start=TODAY - timedelta(days=back), minutes=60 * (n + 1),
                                        activity="peer_learning", participatory=True))
            db.session.add(CpdLeave(user_id=user.id, kind="sickness",
                                    start=TODAY - timedelta(days=20),
                                    end=TODAY - timedelta(days=5)))
        db.session.commit()
        users = [db.session.get(User, p.id) for p in people]
        batch = progress_of_all(users, TODAY)
        assert [batch[u.id] for u in users] == [summary(u, TODAY) for u in users]
        assert len({batch[u.id].minutes for u in users}) > 1


def test_a_reminder_the_mail_server_refuses_waits_in_the_queue_and_is_not_sent_twice(
        app, person_ending_in):
    """The reminder is recorded with its message; the worker retries the message while the
    server refuses, and the next day's run does not queue a second copy."""
    from lms.db import utcnow
    from lms.mail.delivery import deliver_pending
    from lms.mail.models import OutboxMessage

    refused = person_ending_in(30)
    sent, old = [], app.config["MAIL_BACKEND"]
    app.config["MAIL_BACKEND"] = "smtp"

    def server_down(recipient, subject, body):
        raise ConnectionRefusedError(111, "Connection refused")

    try:
        assert run(app) == 1
        with app.app_context():
            now = utcnow()
            assert deliver_pending(now, send=server_down).retrying == 1
        assert run(app) == 0  # recorded once: the queue, not the reminder run, retries
        with app.app_context():
            later = now + timedelta(minutes=5)
            assert deliver_pending(later, send=lambda *m: sent.append(m[0])).sent == 1
            [message] = db.session.scalars(select(OutboxMessage)).all()
            assert (message.recipient, message.status) == (refused.email, "sent")
    finally:
        app.config["MAIL_BACKEND"] = old
    assert sent == [refused.email] and len(reminders_of(app, refused)) == 1
