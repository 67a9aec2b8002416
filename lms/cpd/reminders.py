"""CPD reminders: an email 90, 30 and 7 days before a CPD year ends with the requirement not
met, each sent once (a CpdReminder row), and the home page's notice in the same window.

rules.reminder_due decides; this module finds the people, sends and records. It flushes,
never commits: the command that runs it commits once."""

from dataclasses import dataclass
from datetime import date

from flask import render_template
from sqlalchemy import select

from lms.audit.services import record
from lms.auth.models import RoleGrant, User
from lms.cpd import rules
from lms.cpd.models import CpdReminder
from lms.cpd.services import progress_of_all
from lms.extensions import db
from lms.formatting import plural
from lms.links import external
from lms.mail.services import send_mail

ROLES = ("trainee", "advocate")
STUDYING = ("active", "completed")  # a trainee only withdrawn or interrupted is not reminded


@dataclass(frozen=True)
class Notice:
    """What the home page says when a CPD year ends soon with the requirement not met."""

    days_left: int
    year_end: date
    shortfalls: tuple[str, ...]


def notice_for(progress: rules.Progress, today: date) -> Notice | None:
    """Return the home page's notice: the year ends within 90 days and is not met; else None."""
    left = (progress.requirement.year.end - today).days
    if progress.met or not 0 <= left <= max(rules.REMINDER_DAYS):
        return None
    return Notice(left, progress.requirement.year.end, progress.shortfalls)


def people_to_remind() -> list[User]:
    """Return active trainees and advocates, less trainees whose every enrolment is withdrawn
    or interrupted (they are not studying, and an advocate is reminded whatever their study)."""
    from lms.cohorts.models import Enrolment

    people = db.session.scalars(
        select(User).where(User.active.is_(True),
                           User.id.in_(select(RoleGrant.user_id)
                                       .where(RoleGrant.role.in_(ROLES))))
        .order_by(User.id)).all()
    statuses: dict[int, set[str]] = {}
    for user_id, status in db.session.execute(
            select(Enrolment.user_id, Enrolment.status)
            .where(Enrolment.user_id.in_([p.id for p in people]))):
        statuses.setdefault(user_id, set()).add(status)
    return [p for p in people if "advocate" in p.roles or p.id not in statuses
            or statuses[p.id] & set(STUDYING)]


def _sent(user_ids: list[int]) -> dict[tuple[int, date], set[int]]:
    sent: dict[tuple[int, date], set[int]] = {}
    for user_id, year_end, days in db.session.execute(
            select(CpdReminder.user_id, CpdReminder.year_end, CpdReminder.days_before)
            .where(CpdReminder.user_id.in_(user_ids))):
        sent.setdefault((user_id, year_end), set()).add(days)
    return sent


def reminder_text(user: User, progress: rules.Progress, today: date) -> tuple[str, str]:
    """Return (subject, body) of the reminder for a person's year."""
    year = progress.requirement.year
    days = (year.end - today).days
    left = "today" if days == 0 else f"in {plural(days, 'day')}"
    body = render_template(
        "cpd/email/reminder.txt", user=user, progress=progress, left=left,
        hours=rules.hours_text, year_end=rules.uk_date(year.end),
        link=external("/cpd"))
    return f"Your CPD year ends {left}", body


def send_due_reminders(today: date) -> int:
    """Email each trainee and advocate whose reminder is due today, once, and record it;
    return how many were sent. The message is recorded with the reminder's row, in one
    transaction; the worker delivers it and retries while the mail server refuses."""
    people = people_to_remind()
    progress = progress_of_all(people, today)
    sent = _sent([p.id for p in people])
    count = 0
    for person in people:
        mine = progress[person.id]
        year_end = mine.requirement.year.end
        due = rules.reminder_due(year_end, today, mine.met, sent.get((person.id, year_end), ()))
        if due is None:
            continue
        subject, body = reminder_text(person, mine, today)
        send_mail(person.email, subject, body)
        row = CpdReminder(user_id=person.id, year_end=year_end, days_before=due)
        db.session.add(row)
        db.session.flush()
        record("cpd.reminder.sent", row, actor=None,
               after={"user_id": person.id, "year_end": year_end.isoformat(),
                      "days_before": due, "shortfalls": list(mine.shortfalls)})
        count += 1
    return count
