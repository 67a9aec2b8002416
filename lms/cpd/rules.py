"""CPD rules, as plain data and functions: schemes, years, requirements, progress and audit.

No Flask and no database: every function takes plain data and an explicit `today`. Times are
kept in whole minutes (hours in quarter-hour steps, so minutes are multiples of 15).

Choices a reader should know (they are also in the docstrings):
- A CPD year runs from its start day to the day before the next one. A 29 February start
  falls on 1 March in a common year (as UK law counts a 29 February birthday), so years still
  tile with no gap or overlap.
- Staff change the scheme by adding a `Scheme` with a later `effective_from`; the earliest
  scheme also covers every day before its own date. Each day of a CPD year carries 1/365
  (1/366) of the yearly hours of the scheme in force that day, so a change part-way through a
  year counts pro rata by days; the result is rounded up to the quarter hour (the advocate
  never does less than the rule asks). Years that end before a change are untouched.
- A change to when the year starts applies from the first year that begins on or after the
  change; that year is cut short at the new start day and its requirement is pro rata.
- Leave (days in the year, overlaps counted once) removes its days from the sum above, so it
  reduces hours and reflections pro rata. Topic areas stay required unless the whole year is
  leave. A topic area is required only when every scheme in force in the year requires it, so
  a year under way never gains a new topic.
- Only logged entries count (drafts, plans and withdrawn entries never do), in the CPD year
  holding their last day. Host confirmation is reported but not needed for an entry to count.
"""

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cached_property

QUARTER_HOUR = 15
DAY_MINUTES = 24 * 60
REMINDER_DAYS = (90, 30, 7)


@dataclass(frozen=True)
class ActivityType:
    """A kind of CPD activity; supervision activities count towards the supervision hours."""

    key: str
    label: str
    supervision: bool = False


ACTIVITY_TYPES: dict[str, ActivityType] = {a.key: a for a in (
    ActivityType("formal_training", "Formal training"),
    ActivityType("pastoral_supervision", "Pastoral supervision", supervision=True),
    ActivityType("clinical_supervision", "Clinical supervision", supervision=True),
    ActivityType("peer_learning", "Peer learning or practice group"),
    ActivityType("multi_agency_training", "Multi-agency training"),
    ActivityType("self_directed_study", "Self-directed study"),
    ActivityType("conference", "Conference or event"),
    ActivityType("teaching", "Teaching or presenting"),
    ActivityType("shadowing", "Shadowing"),
    ActivityType("other", "Other"),
)}

TOPIC_AREAS: dict[str, str] = {
    "law_and_policy": "Law and policy updates",
    "trauma_informed": "Trauma-informed practice",
    "safeguarding": "Safeguarding",
    "jurisdiction_law": "Law in your jurisdiction (England and Wales, Scotland, Northern Ireland)",
    "immigration_asylum": "Immigration and asylum",
    "wellbeing": "Wellbeing and resilience",
    "lived_experience": "Lived-experience-led learning",
    "multi_agency_working": "Multi-agency working",
    "equality_inclusion": "Equality, diversity and inclusion",
    "professional_ethics": "Professional boundaries and ethics",
}

LEAVE_KINDS: dict[str, str] = {
    "parental": "Parental leave",
    "sickness": "Sickness absence",
    "career_break": "Career break",
}

STATUSES: dict[str, str] = {
    "draft": "Draft",
    "planned": "Planned",
    "logged": "Logged",
    "withdrawn": "Withdrawn",
}

# ---------------------------------------------------------------------------- plain data


@dataclass(frozen=True)
class Scheme:
    """The CPD rule staff set, in force from `effective_from` until the next scheme's date.

    `year_start` is None for the accreditation anniversary, or a fixed (month, day)."""

    effective_from: date
    yearly_minutes: int = 20 * 60
    participatory_minutes: int = 10 * 60
    supervision_minutes: int = 6 * 60
    required_topics: tuple[str, ...] = ("law_and_policy", "trauma_informed", "safeguarding")
    reflections: int = 2
    year_start: tuple[int, int] | None = None
    leave_pro_rata: bool = True


@dataclass(frozen=True)
class Reflection:
    """A reflection in three parts; it counts only when all three are written."""

    what_happened: str = ""
    what_i_learned: str = ""
    how_practice_changes: str = ""

    @cached_property  # asked once an entry for every total it joins
    def complete(self) -> bool:
        parts = (self.what_happened, self.what_i_learned, self.how_practice_changes)
        return all(isinstance(p, str) and p.strip() for p in parts)


@dataclass(frozen=True)
class Entry:
    """One CPD activity: a day (`end` None) or a range of days, and its time in minutes."""

    start: date
    minutes: int
    activity: str = "formal_training"
    participatory: bool = False
    topics: frozenset[str] = frozenset()
    reflection: Reflection = field(default_factory=Reflection)
    status: str = "logged"
    end: date | None = None
    confirmed: bool = False
    id: int | None = None

    @property
    def last_day(self) -> date:
        return self.end or self.start

    @property
    def counts(self) -> bool:
        """Logged entries count; drafts, plans and withdrawn entries do not."""
        return self.status == "logged"

    @property
    def supervision(self) -> bool:
        kind = ACTIVITY_TYPES.get(self.activity)
        return bool(kind and kind.supervision)


@dataclass(frozen=True)
class Leave:
    """A period of leave (both days included) that reduces the year's requirement."""

    start: date
    end: date
    kind: str = "parental"


@dataclass(frozen=True)
class CpdYear:
    """A CPD year, both days included. `standard_days` is a full year's length from `start`:
    the same as `days` except in a year cut short by a change of year start."""

    start: date
    end: date
    standard_days: int

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Requirement:
    """What a CPD year asks for, after scheme changes and leave."""

    year: CpdYear
    minutes: int
    participatory_minutes: int
    supervision_minutes: int
    topics: tuple[str, ...]
    reflections: int
    leave_days: int


@dataclass(frozen=True)
class Progress:
    """Totals from the year's counted entries against the requirement."""

    requirement: Requirement
    minutes: int
    participatory_minutes: int
    supervision_minutes: int
    confirmed_minutes: int
    topics_covered: tuple[str, ...]
    topics_missing: tuple[str, ...]
    reflections: int
    entries: int
    shortfalls: tuple[str, ...]

    @property
    def met(self) -> bool:
        return not self.shortfalls


@dataclass(frozen=True)
class Advocate:
    """What the audit draw needs to know about one accredited advocate."""

    id: int
    accredited_on: date | None
    under_review: bool = False
    suspended: bool = False


# ---------------------------------------------------------------------------- words


def uk_date(day: date) -> str:
    """30 October 2026 (the site's one date format, without the Flask layer)."""
    return f"{day.day} {day:%B %Y}"


def hours_text(minutes: int) -> str:
    """Minutes as hours in words: "1 hour", "14.5 hours", "0.25 hours"."""
    hours = Fraction(minutes, 60)
    number = str(hours.numerator // hours.denominator) if hours.denominator == 1 else (
        f"{float(hours):.2f}".rstrip("0"))
    return f"{number} hour" if hours == 1 else f"{number} hours"


def _hours_number(minutes: int) -> str:
    return hours_text(minutes).rsplit(" ", 1)[0]


def _in_order(keys: Iterable[str], registry: dict) -> tuple[str, ...]:
    """Keys in the registry's order, then any unknown ones alphabetically."""
    keys = set(keys)
    return tuple(k for k in registry if k in keys) + tuple(sorted(keys - set(registry)))


def _topic_label(key: str) -> str:
    return TOPIC_AREAS.get(key, key)


# ---------------------------------------------------------------------------- years


def _as_anchor(anchor: date | tuple[int, int]) -> tuple[int, int]:
    return (anchor.month, anchor.day) if isinstance(anchor, date) else anchor


def _start_in(year: int, anchor: tuple[int, int]) -> date:
    month, day = anchor
    if (month, day) == (2, 29):
        try:
            return date(year, 2, 29)
        except ValueError:
            return date(year, 3, 1)
    return date(year, month, day)


def _next_start_after(day: date, anchor: tuple[int, int]) -> date:
    start = _start_in(day.year, anchor)
    return start if start > day else _start_in(day.year + 1, anchor)


def cpd_year(day: date, anchor: date | tuple[int, int]) -> CpdYear:
    """Return the CPD year holding `day` for years starting on `anchor` (a date's day and
    month, or (month, day)). A 29 February anchor starts a common year on 1 March."""
    anchor = _as_anchor(anchor)
    start = _start_in(day.year, anchor)
    if start > day:
        start = _start_in(day.year - 1, anchor)
    end = _next_start_after(start, anchor) - timedelta(days=1)
    return CpdYear(start, end, (end - start).days + 1)


def years_between(first: date, last: date, anchor: date | tuple[int, int]) -> list[CpdYear]:
    """Return the CPD years, in order, that hold any day from `first` to `last`."""
    years: list[CpdYear] = []
    day = first
    while day <= last:
        years.append(cpd_year(day, anchor))
        day = years[-1].end + timedelta(days=1)
    return years


def _ordered(history: Iterable[Scheme]) -> list[Scheme]:
    schemes = sorted(history, key=lambda s: s.effective_from)
    if not schemes:
        raise ValueError("a CPD scheme history needs at least one scheme")
    return schemes


def _in_force(schemes: list[Scheme], day: date) -> Scheme:
    found = schemes[0]
    for scheme in schemes:
        if scheme.effective_from > day:
            break
        found = scheme
    return found


def scheme_on(history: Iterable[Scheme], day: date) -> Scheme:
    """Return the scheme in force on `day`: the latest to take effect by then (of two with the
    same date, the later in the history). The earliest scheme also covers earlier days."""
    return _in_force(_ordered(history), day)


def year_anchor(scheme: Scheme, accredited_on: date | None) -> tuple[int, int]:
    """Return the (month, day) the scheme's CPD years start on for this advocate."""
    if scheme.year_start is not None:
        return scheme.year_start
    if accredited_on is None:
        raise ValueError("CPD years start on the accreditation anniversary: no accreditation date")
    return (accredited_on.month, accredited_on.day)


def _following(year: CpdYear, schemes: list[Scheme], accredited_on: date | None) -> CpdYear:
    start = year.end + timedelta(days=1)
    anchor = year_anchor(_in_force(schemes, start), accredited_on)
    end = _next_start_after(start, anchor) - timedelta(days=1)
    regular = _start_in(start.year, anchor) == start
    standard = (_next_start_after(start, (start.month, start.day)) - start).days
    return CpdYear(start, end, (end - start).days + 1 if regular else standard)


def year_of(day: date, history: Iterable[Scheme], accredited_on: date | None) -> CpdYear:
    """Return the CPD year holding `day`, following changes to when the year starts.

    A year runs to the day before the next start day under the rule in force on its first
    day, so a new start day applies from the first year beginning on or after the change."""
    schemes = _ordered(history)
    first = schemes[0]
    year = cpd_year(min(day, first.effective_from), year_anchor(first, accredited_on))
    while year.end < day:
        year = _following(year, schemes, accredited_on)
    return year


def years_of(first: date, last: date, history: Iterable[Scheme],
             accredited_on: date | None) -> list[CpdYear]:
    """Return the CPD years, in order, holding any day from `first` to `last`."""
    schemes = _ordered(history)
    if first > last:
        return []
    years = [year_of(first, schemes, accredited_on)]
    while years[-1].end < last:
        years.append(_following(years[-1], schemes, accredited_on))
    return years


# ---------------------------------------------------------------------------- requirement


def leave_days(leave: Iterable[Leave], year: CpdYear) -> set[date]:
    """Return the days of the year on leave; overlapping periods count once."""
    days: set[date] = set()
    for period in leave:
        day, last = max(period.start, year.start), min(period.end, year.end)
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return days


def _up_to_quarter(minutes: Fraction) -> int:
    return math.ceil(minutes / QUARTER_HOUR) * QUARTER_HOUR


def _spans(schemes: list[Scheme], year: CpdYear) -> list[tuple[date, date, Scheme]]:
    """(first day, last day, scheme) for each run of days of the year under one scheme, in
    order: a requirement sums whole runs, not one day at a time."""
    out = []
    day = year.start
    while day <= year.end:
        scheme = _in_force(schemes, day)
        following = next((s.effective_from for s in schemes if s.effective_from > day), None)
        last = year.end if following is None else min(year.end, following - timedelta(days=1))
        out.append((day, last, scheme))
        day = last + timedelta(days=1)
    return out


def requirement(history: Iterable[Scheme], year: CpdYear,
                leave: Iterable[Leave] = ()) -> Requirement:
    """Return what `year` asks for under the scheme history, less leave, pro rata by day.

    Each day not on leave (or on leave under a scheme without pro rata leave) carries
    1/standard_days of the yearly figures of the scheme in force that day; hours are rounded
    up to the quarter hour and reflections up to a whole one."""
    schemes = _ordered(history)
    away = leave_days(leave, year)
    share = {"m": 0, "p": 0, "s": 0, "r": 0}
    in_force: list[Scheme] = []
    counted = 0
    for first, last, scheme in _spans(schemes, year):
        if scheme not in in_force:
            in_force.append(scheme)
        days = (last - first).days + 1
        if scheme.leave_pro_rata:
            days -= sum(1 for day in away if first <= day <= last)
        counted += days
        share["m"] += days * scheme.yearly_minutes
        share["p"] += days * scheme.participatory_minutes
        share["s"] += days * scheme.supervision_minutes
        share["r"] += days * scheme.reflections
    due = {k: Fraction(v, year.standard_days) for k, v in share.items()}
    topics: tuple[str, ...] = ()
    if counted:
        wanted = set.intersection(*(set(s.required_topics) for s in in_force))
        topics = _in_order(wanted, TOPIC_AREAS)
    return Requirement(year, _up_to_quarter(due["m"]), _up_to_quarter(due["p"]),
                       _up_to_quarter(due["s"]), topics, math.ceil(due["r"]), len(away))


# ---------------------------------------------------------------------------- progress


def counted_entries(entries: Iterable[Entry], year: CpdYear) -> list[Entry]:
    """Return the logged entries whose last day falls in the year."""
    return [e for e in entries if e.counts and e.last_day in year]


def progress(entries: Iterable[Entry], req: Requirement) -> Progress:
    """Total the year's counted entries against the requirement and say what is short."""
    counted = counted_entries(entries, req.year)
    total = sum(e.minutes for e in counted)
    participatory = sum(e.minutes for e in counted if e.participatory)
    supervision = sum(e.minutes for e in counted if e.supervision)
    confirmed = sum(e.minutes for e in counted if e.confirmed)
    seen = set().union(*(e.topics for e in counted)) if counted else set()
    covered = _in_order(seen, TOPIC_AREAS)
    missing = tuple(t for t in req.topics if t not in seen)
    reflections = sum(1 for e in counted if e.reflection.complete)
    short: list[str] = []
    if total < req.minutes:
        short.append(f"CPD: {_hours_number(total)} of {hours_text(req.minutes)}; "
                     f"the year ends on {uk_date(req.year.end)}")
    if participatory < req.participatory_minutes:
        short.append(f"Participatory CPD (with other people): {_hours_number(participatory)} "
                     f"of {hours_text(req.participatory_minutes)}")
    if supervision < req.supervision_minutes:
        short.append(f"Supervision: {_hours_number(supervision)} "
                     f"of {hours_text(req.supervision_minutes)}")
    if missing:
        short.append("Topic areas not yet covered: "
                     + ", ".join(_topic_label(t) for t in missing))
    if reflections < req.reflections:
        short.append(f"Reflections written: {reflections} of {req.reflections}")
    return Progress(req, total, participatory, supervision, confirmed, covered, missing,
                    reflections, len(counted), tuple(short))


def first_day_met(entries: Iterable[Entry], req: Requirement) -> date | None:
    """The last day of the activity that completed the year's requirement (None if not met).

    One pass in date order, keeping the totals `progress` keeps and testing after each day
    the same "at least" comparisons it makes; entries logged late count on the day they
    happened."""
    counted = sorted(counted_entries(entries, req.year), key=lambda e: e.last_day)
    total = participatory = supervision = reflections = 0
    missing = set(req.topics)
    for at, entry in enumerate(counted):
        total += entry.minutes
        participatory += entry.minutes if entry.participatory else 0
        supervision += entry.minutes if entry.supervision else 0
        reflections += 1 if entry.reflection.complete else 0
        missing -= entry.topics
        if at + 1 < len(counted) and counted[at + 1].last_day == entry.last_day:
            continue  # the rest of the day's activities first
        if (total >= req.minutes and participatory >= req.participatory_minutes
                and supervision >= req.supervision_minutes and not missing
                and reflections >= req.reflections):
            return entry.last_day
    return None


def hours_by_month(entries: Iterable[Entry], year: CpdYear) -> list[tuple[date, int]]:
    """Return (first of month, minutes) for every calendar month the year touches, in order."""
    months: dict[date, int] = {}
    day = year.start.replace(day=1)
    while day <= year.end:
        months[day] = 0
        day = (day + timedelta(days=32)).replace(day=1)
    for entry in counted_entries(entries, year):
        months[entry.last_day.replace(day=1)] += entry.minutes
    return list(months.items())


def hours_by_type(entries: Iterable[Entry], year: CpdYear) -> list[tuple[str, int]]:
    """Return (activity type key, minutes) for the types logged in the year, registry order."""
    totals: dict[str, int] = {}
    for entry in counted_entries(entries, year):
        totals[entry.activity] = totals.get(entry.activity, 0) + entry.minutes
    return [(key, totals[key]) for key in _in_order(totals, ACTIVITY_TYPES)]


# ---------------------------------------------------------------------------- validation


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _known(value: object, registry: Iterable[str]) -> bool:
    return isinstance(value, str) and value in registry


def parse_hours(text: object) -> int | None:
    """Return minutes for hours typed as a number ("1.5", "2", "0.25"); None if it is not a
    number of whole minutes. Whether it is a quarter hour is checked by `entry_problems`."""
    try:
        hours = Decimal(str(text).strip())
    except InvalidOperation:
        return None
    if not hours.is_finite():
        return None
    minutes = hours * 60
    return int(minutes) if minutes == minutes.to_integral_value() else None


def entry_problems(entry: Entry, today: date,
                   topics: Iterable[str] | None = None) -> dict[str, str]:
    """Return what is wrong with an entry, one plain message per field name; never raise.

    Logged (done) activities cannot be in the future; plans and drafts may be."""
    problems: dict[str, str] = {}
    start, end = _day(entry.start), _day(entry.end)
    if start is None:
        problems["start"] = "Enter the date of the activity"
    if entry.end is not None and end is None:
        problems["end"] = "Enter the end date as a date, or leave it empty for one day"
    if start and end and end < start:
        problems["end"] = "The end date must be the same as or after the start date"
    today = _day(today) or today
    status = entry.status if _known(entry.status, STATUSES) else None
    if status is None:
        problems["status"] = "Choose a status: draft, planned, logged or withdrawn"
    last = end or start
    if status == "logged" and last and last > today:
        key = "end" if end else "start"
        problems.setdefault(key, "An activity you log as done cannot be in the future; "
                                 "save it as planned instead")
    days = (last - start).days + 1 if start and last and last >= start else 1
    minutes = entry.minutes
    if minutes is None:
        problems["minutes"] = "Enter the hours, for example 1.5 for an hour and a half"
    elif not isinstance(minutes, int) or isinstance(minutes, bool):
        problems["minutes"] = "Enter the hours as a number, for example 1.5"
    elif minutes <= 0:
        problems["minutes"] = "Hours must be more than 0"
    elif minutes % QUARTER_HOUR:
        problems["minutes"] = "Enter hours in quarter-hour steps, for example 1.25, 1.5 or 1.75"
    elif minutes > DAY_MINUTES * days:
        limit = 24 * days
        problems["minutes"] = (
            "Hours cannot be more than 24 for one day" if days == 1 else
            f"Hours cannot be more than 24 a day ({limit} for these {days} days)")
    if not _known(entry.activity, ACTIVITY_TYPES):
        problems["activity"] = "Choose the type of activity"
    allowed = set(TOPIC_AREAS if topics is None else topics)
    chosen = entry.topics
    if not isinstance(chosen, (set, frozenset, list, tuple)) or any(
            not _known(t, allowed) for t in chosen):
        problems["topics"] = "Choose topic areas from the list"
    if not isinstance(entry.participatory, bool):
        problems["participatory"] = "Say whether you took part with other people"
    if entry.confirmed and status != "logged":
        problems["confirmed"] = "Only a logged activity can be confirmed"
    return problems


def leave_problems(leave: Leave) -> dict[str, str]:
    """Return what is wrong with a period of leave, one message per field; never raise."""
    problems: dict[str, str] = {}
    start, end = _day(leave.start), _day(leave.end)
    if start is None:
        problems["start"] = "Enter the first day of leave"
    if end is None:
        problems["end"] = "Enter the last day of leave"
    elif start and end < start:
        problems["end"] = "The last day of leave must be the same as or after the first"
    if not _known(leave.kind, LEAVE_KINDS):
        problems["kind"] = "Choose the kind of leave"
    return problems


def scheme_problems(scheme: Scheme) -> dict[str, str]:
    """Return what is wrong with a scheme staff are setting, one message per field."""
    problems: dict[str, str] = {}
    if _day(scheme.effective_from) is None:
        problems["effective_from"] = "Enter the date the scheme takes effect"
    figures = {"yearly_minutes": "Hours a year", "participatory_minutes": "Participatory hours",
               "supervision_minutes": "Supervision hours"}
    for name, label in figures.items():
        value = getattr(scheme, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            problems[name] = f"{label} must be 0 or more"
        elif value % QUARTER_HOUR:
            problems[name] = f"{label} must be in quarter-hour steps"
    total = scheme.yearly_minutes
    for name in ("participatory_minutes", "supervision_minutes"):
        value = getattr(scheme, name)
        if name not in problems and "yearly_minutes" not in problems and value > total:
            problems[name] = f"{figures[name]} cannot be more than the hours a year"
    if not isinstance(scheme.reflections, int) or scheme.reflections < 0:
        problems["reflections"] = "Reflections must be a whole number, 0 or more"
    topics = scheme.required_topics
    if not isinstance(topics, (list, tuple)) or any(not _known(t, TOPIC_AREAS) for t in topics):
        problems["required_topics"] = "Choose topic areas from the list"
    if scheme.year_start is not None:
        try:
            month, day = scheme.year_start
            _start_in(2024, (month, day))
        except (TypeError, ValueError):
            problems["year_start"] = "Enter a real day and month for the CPD year to start"
    return problems


# ---------------------------------------------------------------------------- reminders


def reminder_due(year_end: date, today: date, met: bool,
                 sent: Iterable[int] = ()) -> int | None:
    """Return which reminder (90, 30 or 7 days before the year ends) to send today, or None.

    Only the nearest reminder reached is sent, so a missed earlier one is not sent late; none
    once the requirement is met, one already `sent`, or after the year has ended."""
    left = (year_end - today).days
    if met or left < 0:
        return None
    reached = [d for d in REMINDER_DAYS if left <= d]
    if not reached:
        return None
    nearest = min(reached)
    return None if nearest in set(sent) else nearest


# ---------------------------------------------------------------------------- audit


def _anniversary(day: date, years: int) -> date:
    return _start_in(day.year + years, (day.month, day.day))


def audit_eligible(advocates: Iterable[Advocate], today: date) -> list[int]:
    """Return, sorted, the ids of advocates accredited for a year or more who are neither
    under review nor suspended."""
    return sorted({a.id for a in advocates
                   if a.accredited_on is not None and _anniversary(a.accredited_on, 1) <= today
                   and not a.under_review and not a.suspended})


def sample_size(eligible: int, rate: float | Fraction | str = Fraction(1, 40),
                minimum: int = 1) -> int:
    """Return max(minimum, ceil(rate x eligible)), capped at the number eligible."""
    exact = Fraction(str(rate)) if isinstance(rate, float) else Fraction(rate)
    return min(eligible, max(minimum, math.ceil(exact * eligible)))


def draw_sample(eligible_ids: Iterable[int], seed: str | int,
                rate: float | Fraction | str = Fraction(1, 40), minimum: int = 1,
                must_include: Iterable[int] = ()) -> list[int]:
    """Return, sorted, the audit sample drawn from the eligible ids with a recorded seed.

    Those in `must_include` (given advice last year) who are still eligible are always in it,
    inside the sample size unless there are more of them; the rest is drawn with
    random.Random(seed) from the sorted ids, so the seed and the set alone fix the draw."""
    pool = sorted(set(eligible_ids))
    chosen = set(must_include) & set(pool)
    rest = [i for i in pool if i not in chosen]
    wanted = max(0, sample_size(len(pool), rate, minimum) - len(chosen))
    return sorted([*chosen, *random.Random(seed).sample(rest, min(wanted, len(rest)))])


def module_minutes(cpd_hours: object, lesson_minutes: Iterable[int]) -> int:
    """Return the CPD minutes a completed module counts for: its `cpd_hours` when the module
    sets them, else its lessons' study minutes added up and rounded up to the quarter hour."""
    if cpd_hours is not None:
        return int(Fraction(str(cpd_hours)) * 60)
    return _up_to_quarter(Fraction(sum(lesson_minutes)))


def module_hours_problem(value: object) -> str | None:
    """Return why a module's `cpd_hours` cannot be used, or None when it is a positive number
    of hours in quarter-hour steps."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return "'cpd_hours' must be a number of hours, for example 6 or 7.5"
    hours = Fraction(str(value))
    if hours <= 0 or (hours * 4).denominator != 1:
        return "'cpd_hours' must be more than 0, in quarter-hour steps (6, 6.25, 6.5 or 6.75)"
    return None
