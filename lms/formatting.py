"""How dates, times, counts and sentences read, the same on every page, message and email.

Dates read "30 October 2026" and times "30 October 2026, 17:00", always in UK time
(Europe/London, so British Summer Time is right). Counts agree with their noun: "1 mark",
"2 marks". The functions are plain Python so flash messages and emails use them too; the
templates get them as filters (uk_date, uk_datetime, plural, sentence). Tables written in
Markdown (lessons, case documents, answers) go in the same scrolling box as the site's own
(scroll_tables), so they never make a phone's page scroll sideways.
"""

import re
from collections import Counter
from datetime import UTC, date, datetime
from html import unescape

from markupsafe import Markup, escape

from assessments.deadlines import LONDON


def _in_london(moment: datetime) -> datetime:
    # A naive datetime is UTC here (the database stores UTC), never the server's local time.
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(LONDON)


def uk_date(value: date | datetime | str | None) -> str:
    """30 October 2026. An instant gives the day it is in the UK; an ISO date string (as
    reports and audit records hold dates) reads the same as the date."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = _in_london(value).date()
    return f"{value.day} {value:%B %Y}"


def uk_iso_date(moment: datetime) -> str:
    """The UK calendar day of a moment, as a date input's value wants it (YYYY-MM-DD)."""
    return _in_london(moment).date().isoformat()


def uk_month(day: date) -> str:
    """A month as a heading or a chart label says it: "November 2026"."""
    return f"{day:%B} {day.year}"


def uk_datetime(moment: datetime | None, *, seconds: bool = False) -> str:
    """30 October 2026, 17:00 in UK time (17:00:05 with seconds, for the audit log)."""
    if moment is None:
        return ""
    local = _in_london(moment)
    clock = "%H:%M:%S" if seconds else "%H:%M"
    return f"{uk_date(local)}, {local.strftime(clock)}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """The count and its noun: plural(1, "mark") is "1 mark", plural(3, "person", "people")
    is "3 people". Thousands take commas: "1,200 words"."""
    noun = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {noun}" if isinstance(count, int) else f"{count} {noun}"


def sentence(text: str) -> str:
    """End text with exactly one full stop, so "Agreed." and "Agreed" both read "Agreed."

    Text that already ends a sentence (".", "!", "?") is left alone."""
    text = (text or "").rstrip()
    return text if not text or text[-1] in ".!?…" else text + "."


_TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.S)
_HEAD = re.compile(r"<thead\b.*?</thead>|<tr\b.*?</tr>", re.S)
_HEADER = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_TAG = re.compile(r"<[^>]+>")


def scroll_tables(html: str) -> Markup:
    """Put each table of already-sanitised HTML in a focusable scrolling region.

    The region is named by the table's column headings ("Table: Topic, Scotland"), numbered
    when two tables share them, so screen-reader users can tell the regions apart."""
    named: Counter[str] = Counter()

    def box(match: re.Match) -> str:
        table = match.group(0)
        head = _HEAD.search(table)
        headings = [" ".join(unescape(_TAG.sub("", h)).split())
                    for h in _HEADER.findall(head.group(0) if head else "")]
        label = "Table: " + ", ".join(h for h in headings if h) if any(headings) else "Table"
        label = label if len(label) <= 120 else label[:119] + "…"
        named[label] += 1
        if named[label] > 1:
            label += f" ({named[label]})"
        return (f'<div class="table-scroll" role="region" aria-label="{escape(label)}" '
                f'tabindex="0">{table}</div>')

    return Markup(_TABLE.sub(box, str(html)))  # noqa: S704 - the input was sanitised
