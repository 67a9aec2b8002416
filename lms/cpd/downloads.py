"""An advocate's CPD record for a CPD year or any range of dates, as lms.cpd.record draws it."""

from datetime import date

from sqlalchemy import select

from lms.cpd import rules
from lms.cpd import services as cpd
from lms.cpd.models import CpdEntry
from lms.cpd.record import Confirmation, CpdRecord, RecordEntry
from lms.extensions import db
from lms.formatting import plural
from lms.organisations.models import Employment


def year_record(user, view: cpd.YearView, today: date) -> CpdRecord:
    """One CPD year's record: its logged entries, requirement and progress, from the same
    reading of the person's entries as the year page."""
    entries = sorted(view.logged, key=lambda e: (e.start, e.id))
    return _record(user, view.year.start, view.year.end, _requirement_lines(view.progress),
                   _progress_lines(view.progress), entries, today)


def range_record(user, start: date, end: date, today: date) -> CpdRecord:
    """The logged entries whose last day falls in [start, end], with their totals."""
    entries = [e for e in db.session.scalars(
        select(CpdEntry).where(CpdEntry.user_id == user.id, CpdEntry.status == "logged",
                               CpdEntry.start <= end).order_by(CpdEntry.start, CpdEntry.id))
        if start <= (e.end or e.start) <= end]
    minutes = sum(e.minutes or 0 for e in entries)
    requirements = ("A range of dates, not one CPD year: the yearly requirement is shown on "
                    "each year's record.",)
    progress = (f"Logged in this range: {rules.hours_text(minutes)} in "
                f"{plural(len(entries), 'entry', 'entries')}.",)
    return _record(user, start, end, requirements, progress, entries, today)


def _record(user, start, end, requirements, progress, entries, today) -> CpdRecord:
    return CpdRecord(
        advocate_name=user.name, accreditation_number=None, organisation=_employer(user),
        period_start=start, period_end=end, requirements=requirements, progress=progress,
        generated_on=today, entries=tuple(_entry(e) for e in entries))


def _employer(user) -> str:
    employment = db.session.scalar(select(Employment).where(
        Employment.user_id == user.id, Employment.end_date.is_(None))
        .order_by(Employment.start_date.desc()))
    return employment.organisation.name if employment is not None else ""


def _entry(entry: CpdEntry) -> RecordEntry:
    kind = rules.ACTIVITY_TYPES.get(entry.activity or "")
    confirmed = None
    if entry.confirmed_at is not None:
        confirmed = Confirmation(entry.confirmed_by_name or "", entry.confirmed_by_role or "",
                                 entry.confirmed_by_organisation or "",
                                 entry.confirmed_at.date())
    return RecordEntry(
        starts_on=entry.start, ends_on=entry.end or entry.start, minutes=entry.minutes or 0,
        activity_type=kind.label if kind else "Other", participatory=entry.participatory,
        topics=tuple(rules.TOPIC_AREAS.get(t, t) for t in entry.topics or ()),
        title=entry.title or "Untitled activity", did=entry.what_happened,
        learned=entry.what_i_learned, change=entry.how_practice_changes,
        confirmed_by=confirmed, source="module" if entry.source == "module" else "manual")


def _requirement_lines(progress: rules.Progress) -> tuple[str, ...]:
    req = progress.requirement
    lines = [f"Hours: {rules.hours_text(req.minutes)}",
             f"Participatory (with other people): {rules.hours_text(req.participatory_minutes)}",
             f"Supervision: {rules.hours_text(req.supervision_minutes)}",
             f"Reflections: {req.reflections}"]
    if req.topics:
        lines.append("Topic areas: " + ", ".join(rules.TOPIC_AREAS.get(t, t)
                                                 for t in req.topics))
    if req.leave_days:
        lines.append(f"Reduced for {req.leave_days} days of leave.")
    return tuple(lines)


def _progress_lines(progress: rules.Progress) -> tuple[str, ...]:
    lines = [f"Hours: {rules.hours_text(progress.minutes)}",
             f"Participatory: {rules.hours_text(progress.participatory_minutes)}",
             f"Supervision: {rules.hours_text(progress.supervision_minutes)}",
             f"Confirmed by an employer: {rules.hours_text(progress.confirmed_minutes)}",
             f"Reflections: {progress.reflections}"]
    lines += list(progress.shortfalls) or ["The requirement for this year is met."]
    return tuple(lines)
