"""Deadlines in UK time and the late-penalty policy."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from assessments.marks import PASS_MARK, check_mark

LONDON = ZoneInfo("Europe/London")


def london_deadline(day: date, at: time = time(12, 0)) -> datetime:
    """Return the UTC instant of a UK wall-clock deadline, right through clock changes."""
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


def effective_deadline(deadline: datetime, extension_until: datetime | None) -> datetime:
    """An extension moves the deadline later, never earlier."""
    return max(deadline, extension_until) if extension_until else deadline


def working_days_late(submitted: datetime, deadline: datetime,
                      holidays: frozenset[date] = frozenset()) -> int:
    """Count the working-day periods (Mon-Fri, not holidays) begun after the deadline.

    Each period runs from the deadline's time of day to the same time the next day. After a
    Friday 12:00 deadline, 12:01 that Friday and 09:00 on Monday are 1 working day late
    (the weekend does not count); 12:01 on Monday is 2."""
    if submitted <= deadline:
        return 0
    start = deadline.astimezone(LONDON)
    end = submitted.astimezone(LONDON)
    days, cursor = 0, start
    while cursor < end:
        if cursor.weekday() < 5 and cursor.date() not in holidays:
            days += 1
        cursor = datetime.combine(cursor.date() + timedelta(days=1), start.timetz())
        cursor = cursor.replace(tzinfo=LONDON)
    return days


@dataclass(frozen=True)
class LatePolicy:
    capped_days: int = 5      # up to this many working days late: capped at the pass mark
    cap: int = PASS_MARK


@dataclass(frozen=True)
class Penalty:
    days_late: int
    mark: int
    reason: str | None


def apply_late_penalty(mark: int, days_late: int, policy: LatePolicy = LatePolicy()) -> Penalty:
    """Apply the late policy: on time unchanged; capped within the window; zero after it."""
    check_mark(mark)
    if days_late <= 0:
        return Penalty(0, mark, None)
    if days_late <= policy.capped_days:
        capped = min(mark, policy.cap)
        reason = (f"{days_late} working day{'s' if days_late > 1 else ''} late: "
                  f"capped at {policy.cap}") if capped < mark else None
        return Penalty(days_late, capped, reason)
    return Penalty(days_late, 0, f"{days_late} working days late, beyond "
                                 f"{policy.capped_days}: mark of 0")
