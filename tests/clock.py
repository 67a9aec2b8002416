"""Deadlines relative to the day the tests run, so no test turns red when a date passes.

A test that needs a fixed moment of submission pins the clock the submit view reads
(`freeze_submission_clock`) instead of relying on what today happens to be."""

from datetime import date, datetime, time, timedelta

from assessments.deadlines import LONDON, london_deadline


def noon_in(days: int) -> datetime:
    """UK noon, `days` from today (negative for the past), as a UTC instant."""
    return london_deadline(date.today() + timedelta(days=days), time(12))


def as_shown(instant: datetime) -> str:
    """How pages print a deadline: '15 January 2027, 12:00' in UK time."""
    local = instant.astimezone(LONDON)
    return f"{local.day} {local:%B %Y}, {local:%H:%M}"


def freeze_submission_clock(monkeypatch, instant: datetime) -> None:
    """Make the trainee's submit view see `instant` as now."""
    monkeypatch.setattr("lms.assessments.routes.utc_now", lambda: instant)
