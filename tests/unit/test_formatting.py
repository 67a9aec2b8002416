"""Dates, times, counts and sentence ends read the same everywhere (issue 8)."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from lms.formatting import plural, scroll_tables, sentence, uk_date, uk_datetime


def test_a_date_reads_day_month_year_without_a_leading_zero():
    assert uk_date(date(2026, 10, 30)) == "30 October 2026"
    assert uk_date(date(2027, 1, 5)) == "5 January 2027"
    assert uk_date("2026-03-01") == "1 March 2026"  # as a report row holds it
    assert uk_date(None) == ""


def test_an_instant_reads_as_uk_wall_clock_time_through_summer_time():
    # 30 October 2026 is after the clocks go back: UK time is UTC.
    assert uk_datetime(datetime(2026, 10, 30, 17, 0, tzinfo=UTC)) == "30 October 2026, 17:00"
    # In summer UK time is an hour ahead, which can move the day on.
    assert uk_datetime(datetime(2026, 7, 1, 16, 0, tzinfo=UTC)) == "1 July 2026, 17:00"
    assert uk_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 July 2026"
    assert uk_datetime(datetime(2026, 10, 30, 17, 0, 5, tzinfo=UTC), seconds=True) == (
        "30 October 2026, 17:00:05")
    assert uk_datetime(None) == ""


def test_a_naive_instant_is_taken_as_utc_not_the_servers_zone():
    assert uk_datetime(datetime(2026, 7, 1, 16, 0)) == "1 July 2026, 17:00"


@pytest.mark.parametrize("count, words, expected", [
    (1, ("mark",), "1 mark"),
    (0, ("mark",), "0 marks"),
    (2, ("mark",), "2 marks"),
    (1, ("piece of work", "pieces of work"), "1 piece of work"),
    (3, ("person", "people"), "3 people"),
    (1200, ("word",), "1,200 words"),
])
def test_a_count_agrees_with_its_noun(count, words, expected):
    assert plural(count, *words) == expected


@pytest.mark.parametrize("text, expected", [
    ("Agreed", "Agreed."),
    ("Agreed.", "Agreed."),
    ("Agreed. ", "Agreed."),
    ("Really?", "Really?"),
    ("", ""),
])
def test_a_sentence_ends_with_one_full_stop(text, expected):
    assert sentence(text) == expected


ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "lms").rglob("templates/**/*.*"))
# A printed count straight before a plural noun: "{{ n }} marks" reads "1 marks" when n is 1.
NOUNS = ("marks", "pieces", "submissions", "files", "days", "working days", "hours", "minutes",
         "months", "words", "credits", "lessons", "questions", "trainees", "people", "markers",
         "cohorts", "organisations", "modules", "problems", "characters", "attempts", "pages")
COUNT_THEN_NOUN = re.compile(r"\}\}\s+(?:" + "|".join(NOUNS) + r")\b")
# Dates formatted by hand instead of with uk_date or uk_datetime (a date input's value is ISO).
HAND_DATE = re.compile(r"\{\{[^}]*\.(?:strftime|isoformat)\(")
DATE_INPUT = re.compile(r'value="\{\{[^}]*\.(?:strftime|isoformat)\(')


def _lines(pattern: re.Pattern, allowed: re.Pattern | None = None) -> list[str]:
    found = []
    for path in TEMPLATES:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            hits = len(pattern.findall(line)) - (len(allowed.findall(line)) if allowed else 0)
            if hits > 0:
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    return found


def test_templates_are_found():
    assert len(TEMPLATES) > 40 and any(p.suffix == ".txt" for p in TEMPLATES)


def test_no_template_prints_a_count_without_agreeing_its_noun():
    assert _lines(COUNT_THEN_NOUN) == [], "use the plural filter: {{ n|plural('mark') }}"


def test_no_template_formats_a_date_by_hand():
    assert _lines(HAND_DATE, DATE_INPUT) == [], "use the uk_date or uk_datetime filter"


def test_the_scans_can_fail():
    assert COUNT_THEN_NOUN.search("tolerance {{ assessment.tolerance }} marks")
    assert not COUNT_THEN_NOUN.search("tolerance {{ assessment.tolerance|plural('mark') }}")
    assert HAND_DATE.search("<td>{{ cohort.starts_on.isoformat() }}</td>")
    assert DATE_INPUT.search('<input type="date" value="{{ d.strftime(\'%Y-%m-%d\') }}">')


def test_a_markdown_table_scrolls_in_a_named_focusable_region():
    table = ("<table><thead><tr><th>Topic</th><th>Northern <em>Ireland</em></th></tr></thead>"
             "<tbody><tr><th>Offence</th><td>s.2</td></tr></tbody></table>")
    html = str(scroll_tables(f"<p>Before</p>{table}<p>Between</p>{table}"))
    assert html.count('<div class="table-scroll" role="region"') == 2
    assert 'aria-label="Table: Topic, Northern Ireland" tabindex="0"><table>' in html
    assert 'aria-label="Table: Topic, Northern Ireland (2)"' in html  # regions stay unique
    assert html.count("</table></div>") == 2 and "<p>Before</p>" in html


def test_a_heading_cannot_break_out_of_the_label():
    html = str(scroll_tables('<table><tr><th>&quot;&gt;<b>x</b></th></tr></table>'))
    assert 'aria-label="Table: &#34;&gt;x"' in html
    assert str(scroll_tables("<p>No table</p>")) == "<p>No table</p>"
