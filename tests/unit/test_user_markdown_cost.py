"""Users' Markdown is cheap to render at the longest length a field allows, whatever it is.

The work of a render is counted, not timed: the Python calls it makes (each call into C, a regular
expression or a string method, counts as one). A count is the same on every machine and under any
load, so this cannot fail because CI is busy, and it still fails when a change makes some input
quadratic. The time itself is measured by `make bench` ("user Markdown, worst case"), against the
100 ms a render may take.
"""

import sys

import pytest

from lms import limits
from lms.courses.render import MARKUP_BUDGET_US, markup_cost, render_user_markdown
from tests.markdownkit import LENGTH, adversarial, fill, long_answer, most_markup_parsed

# The worst case here, "a![" cut to the most the parser takes, makes about 11 calls a character
# (about 40 ms of CPU on this machine); ordinary prose about 3. A parser gone quadratic on 50,000
# characters makes tens of millions.
CALLS_PER_CHARACTER = 15
WORK_BUDGET = CALLS_PER_CHARACTER * LENGTH
render = render_user_markdown.__wrapped__  # the cache would hide the work

CASES = adversarial()


def count_calls(work) -> int:
    """Count the function calls, Python's and C's, that work() makes."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(previous)
    return count


def calls(text: str) -> int:
    """Count the calls rendering text makes."""
    return count_calls(lambda: render(text))


def test_the_length_is_the_longest_any_markdown_field_allows():
    assert LENGTH == limits.ANSWER == 50_000
    assert all(len(text) == LENGTH for text in CASES.values())


def test_the_count_sees_work_that_grows_faster_than_the_text():
    """The measure itself: a quadratic render of the same text would be far over the budget."""
    text = fill("word ", 2_000)
    linear = calls(text)

    def quadratic():  # renders every start of the text: 10 times the characters
        for end in range(100, len(text) + 1, 100):
            render(text[:end])

    count = count_calls(quadratic)
    assert count > 5 * linear


@pytest.mark.parametrize("name", CASES)
def test_adversarial_text_at_the_longest_length_is_cheap_to_render(name):
    assert calls(CASES[name]) < WORK_BUDGET


@pytest.mark.parametrize("name", CASES)
def test_the_most_markup_the_parser_takes_is_cheap_to_render(name):
    text = most_markup_parsed(CASES[name])
    assert len(text) == LENGTH and markup_cost(text) <= MARKUP_BUDGET_US
    assert calls(text) < WORK_BUDGET


def test_a_long_ordinary_answer_keeps_its_formatting_and_is_cheap_to_render():
    answer = long_answer()
    html = render(answer)
    assert "<h4>" in html and "<li>" in html and "<strong>" in html and "<blockquote>" in html
    assert '<a href="https://www.legislation.gov.uk/ukpga/2014/23">' in html
    assert calls(answer) < WORK_BUDGET


def test_text_past_the_budget_is_shown_as_typed():
    html = render("[" * 20_000 + "\n\n<b>bold</b>")
    assert html == "<p>" + "[" * 20_000 + "</p>\n<p>&lt;b&gt;bold&lt;/b&gt;</p>\n"
