"""The content review cycle: when each lesson and scenario falls due, and the facts its review
notes flag as time-sensitive (plain data in, no Flask, no database).

A lesson or scenario is due `months` after it was last reviewed: the later of the
`last_reviewed` date in its file and the last review recorded on the platform. Review notes flag
facts that may change (law awaiting commencement, guidance under revision), so content whose
notes flag anything is due sooner (`flagged_months`). courses/FORMAT.md states the convention.
"""

import re
from dataclasses import dataclass
from datetime import date

from lms.courses.rules import review_due_on

SOON_DAYS = 30
SHOWS = {"all": "Everything", "overdue": "Due now or overdue",
         "soon": f"Due within {SOON_DAYS} days (and overdue)", "flagged": "Flags facts to check"}

# "(1) ... (2) ...": numbered items, each after a space or at the start (so "s.189(1)(e)" in a
# citation is no item marker), taken only in order 1, 2, 3 ...
NUMBERED = re.compile(r"(?:^|(?<=\s))\((\d{1,2})\)\s+")
BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
LABEL = re.compile(r"^\s*for staff(?: only)?\s*:\s*", re.IGNORECASE)


def flagged_facts(notes: str | None) -> list[str]:
    """Split review notes into the facts they flag: numbered "(1)" items, else one a line."""
    text = (notes or "").strip()
    if not text:
        return []
    items = _numbered(text)
    if items is None:
        items = [BULLET.sub("", line) for line in text.splitlines()]
    facts = [" ".join(LABEL.sub("", item).split()) for item in items]
    return [fact for fact in facts if fact]


def _numbered(text: str) -> list[str] | None:
    marks, expected = [], 1
    for match in NUMBERED.finditer(text):
        if int(match.group(1)) == expected:
            marks.append(match)
            expected += 1
    if not marks:
        return None
    ends = [m.start() for m in marks[1:]] + [len(text)]
    return [text[:marks[0].start()]] + [text[m.end():end] for m, end in zip(marks, ends,
                                                                               strict=True)]


@dataclass(frozen=True)
class ReviewItem:
    """One lesson or scenario of a module's current version, with its last recorded review."""

    module: str  # the module's slug
    module_title: str
    kind: str  # "lesson" or "scenario"
    slug: str
    title: str
    last_reviewed: date  # as the content files say
    review_notes: str | None = None
    recorded: date | None = None  # the day of the last review recorded on the platform


@dataclass(frozen=True)
class Scheduled:
    item: ReviewItem
    facts: tuple[str, ...]
    reviewed: date
    months: int
    due: date
    status: str  # "overdue" (due today or before), "soon" (within SOON_DAYS) or "later"
    days: int  # from today to the due date; negative when overdue


def schedule_one(item: ReviewItem, today: date, months: int = 12,
                 flagged_months: int = 6) -> Scheduled:
    """Return when one item is due: sooner when its notes flag time-sensitive facts."""
    facts = tuple(flagged_facts(item.review_notes))
    interval = min(months, flagged_months) if facts else months
    reviewed = max(item.last_reviewed, item.recorded or item.last_reviewed)
    due = review_due_on(reviewed, interval)
    days = (due - today).days
    status = "overdue" if days <= 0 else "soon" if days <= SOON_DAYS else "later"
    return Scheduled(item, facts, reviewed, interval, due, status, days)


def review_schedule(items, today: date, months: int = 12,
                    flagged_months: int = 6) -> list[Scheduled]:
    """Return every item with its due date, the earliest due first."""
    scheduled = [schedule_one(item, today, months, flagged_months) for item in items]
    return sorted(scheduled, key=lambda s: (s.due, s.item.module, s.item.kind, s.item.title))


def choose(scheduled: list[Scheduled], show: str = "all", text: str = "") -> list[Scheduled]:
    """Keep the items a filter asks for; `text` must appear in a flagged fact or the title."""
    wanted = {"all": lambda s: True, "overdue": lambda s: s.status == "overdue",
              "soon": lambda s: s.status in ("overdue", "soon"),
              "flagged": lambda s: bool(s.facts)}.get(show, lambda s: True)
    needle = " ".join(text.split()).casefold()

    def matches(s: Scheduled) -> bool:
        return not needle or any(needle in f.casefold() for f in (*s.facts, s.item.title))

    return [s for s in scheduled if wanted(s) and matches(s)]


def counts(scheduled: list[Scheduled]) -> dict[str, int]:
    """How many items are overdue, due soon, and flag facts."""
    return {"overdue": sum(s.status == "overdue" for s in scheduled),
            "soon": sum(s.status == "soon" for s in scheduled),
            "flagged": sum(bool(s.facts) for s in scheduled), "all": len(scheduled)}
