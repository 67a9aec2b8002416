from lms import limits
from lms.validators import length_problem, typed_length


def test_a_line_break_counts_once_as_the_browser_counts_it():
    assert typed_length("ab\r\ncd\ne") == 7


def test_text_over_its_limit_gets_a_message_a_person_can_act_on():
    assert length_problem("x" * 500, limits.REASON, "Reason") is None
    assert length_problem("x\r\n" * 250, limits.REASON, "Reason") is None
    assert length_problem("x" * 612, limits.REASON, "Reason") == (
        "Reason must be 500 characters or fewer. It is 612: shorten it by 112.")


def test_markdown_is_never_longer_than_the_longest_answer():
    assert limits.USER_MARKDOWN == limits.ANSWER == 50_000
