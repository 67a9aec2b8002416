"""The marking history in words: what the external examiner reads for each piece of work."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from assessments.history import history_lines, plural, uk_day

TRAINEE, LEAD, ALPHA, BETA = 1, 2, 3, 4
NAMES = {LEAD: "Rhiannon Pryce", ALPHA: "Dr A", BETA: "Dr B"}


@dataclass
class Event:
    at: datetime
    action: str
    actor_id: int | None
    before: dict | None = None
    after: dict | None = None
    detail: str | None = None
    reason: str | None = None


def at(day: int, hour: int = 10, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def test_a_day_of_allocation_reads_as_one_line():
    events = [
        Event(at(30), "allocated", LEAD, after={"marker_id": ALPHA, "role": "first"}),
        Event(at(30), "submission_state", LEAD, before={"state": "submitted"},
              after={"state": "in_marking"}),
    ]
    assert history_lines(events, NAMES, TRAINEE) == [
        "30 October 2026: allocated to Dr A for first marking by Rhiannon Pryce; "
        "moved from submitted to in marking"]


def test_the_whole_cycle_in_words_never_names_the_trainee():
    events = [
        Event(at(20), "submission_started", TRAINEE),
        Event(at(28), "submission_submitted", TRAINEE, after={"days_late": 2}),
        Event(at(30), "allocated", LEAD, after={"marker_id": ALPHA, "role": "first"}),
        Event(at(30), "submission_state", LEAD, before={"state": "submitted"},
              after={"state": "in_marking"}),
        Event(at(2, month=11), "mark_saved", ALPHA, after={"mark": None}, detail="first"),
        Event(at(3, month=11), "mark_completed", ALPHA, after={"mark": 64}, detail="first"),
        Event(at(3, month=11), "submission_state", ALPHA, before={"state": "in_marking"},
              after={"state": "marked"}),
        Event(at(4, month=11), "allocated", LEAD, after={"marker_id": BETA, "role": "second"}),
        Event(at(5, month=11), "mark_completed", BETA, after={"mark": 70}, detail="second"),
        Event(at(6, month=11), "mark_agreed", LEAD, after={"mark": 67, "final_mark": 57},
              reason="Discussed; late: 10 marks off"),
        Event(at(6, month=11), "submission_state", LEAD, before={"state": "marked"},
              after={"state": "moderated"}),
        Event(at(9, month=11), "submission_state", LEAD, before={"state": "moderated"},
              after={"state": "ready"}),
    ]
    lines = history_lines(events, NAMES, TRAINEE)
    assert lines == [
        "20 October 2026: work started by the candidate",
        "28 October 2026: submitted by the candidate, 2 working days late",
        "30 October 2026: allocated to Dr A for first marking by Rhiannon Pryce; "
        "moved from submitted to in marking",
        "2 November 2026: provisional first mark saved by Dr A (not every criterion marked yet)",
        "3 November 2026: first mark completed by Dr A: 64; moved from in marking to marked",
        "4 November 2026: allocated to Dr B for second marking by Rhiannon Pryce",
        "5 November 2026: second mark completed by Dr B: 70",
        "6 November 2026: mark agreed at 67 (57 after the late or resit policy) by Rhiannon "
        "Pryce (reason: Discussed; late: 10 marks off); moved from marked to moderated",
        "9 November 2026: moved from moderated to ready for release by Rhiannon Pryce",
    ]


def test_reallocation_and_amendment_say_who_from_and_to():
    events = [
        Event(at(1, month=11), "reallocated", LEAD, before={"marker_id": ALPHA, "role": "first"},
              after={"marker_id": BETA, "role": "first", "superseded_mark_id": 9}),
        Event(at(2, month=11), "mark_superseded", BETA, before={"marker_id": ALPHA, "mark": 40},
              detail="first"),
        Event(at(20, month=11), "mark_amended", LEAD, before={"mark": 79, "final_mark": 79},
              after={"mark": 67, "final_mark": 67}, reason="Arithmetic error"),
    ]
    assert history_lines(events, NAMES, TRAINEE) == [
        "1 November 2026: first marking moved from Dr A to Dr B by Rhiannon Pryce (the "
        "provisional first mark is kept on record)",
        "2 November 2026: Dr A's provisional first mark set aside and kept on record",
        "20 November 2026: agreed mark amended from 79 to 67 by Rhiannon Pryce "
        "(reason: Arithmetic error)",
    ]


def test_a_state_change_by_someone_else_says_who():
    events = [
        Event(at(3, month=11), "mark_completed", ALPHA, after={"mark": 64}, detail="first"),
        Event(at(3, month=11), "submission_state", LEAD, before={"state": "marked"},
              after={"state": "moderated"}),
    ]
    assert history_lines(events, NAMES, TRAINEE)[0].endswith(
        "moved from marked to moderated by Rhiannon Pryce")


def test_unknown_events_and_people_still_read_as_words():
    events = [Event(at(1, month=12), "late_policy_checked", 99, reason="Checked")]
    assert history_lines(events, NAMES, TRAINEE) == [
        "1 December 2026: late policy checked by someone no longer on record (reason: Checked)"]
    assert history_lines([], NAMES, TRAINEE) == []


def test_a_resit_never_repeats_its_reason_and_the_platform_acts_as_itself():
    events = [Event(at(2, month=12), "resit_granted", LEAD, reason="Hospital stay in June",
                    after={"attempt": 2, "mitigating": True}),
              Event(at(2, month=12), "submission_state", None, before={"state": "ready"},
                    after={"state": "released"})]
    assert history_lines(events, NAMES, TRAINEE) == [
        "2 December 2026: resit (attempt 2) granted by Rhiannon Pryce, mitigating "
        "circumstances accepted; moved from ready for release to released by the platform"]


def test_days_are_uk_days():
    # 23:30 UTC on 31 May is 00:30 on 1 June in London (summer time).
    assert uk_day(datetime(2026, 5, 31, 23, 30, tzinfo=UTC)) == "1 June 2026"
    assert uk_day(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "31 December 2026"


@pytest.mark.parametrize("count, text", [(1, "1 working day"), (2, "2 working days"),
                                         (0, "0 working days")])
def test_plurals(count, text):
    assert plural(count, "working day") == text


def test_one_late_day_is_singular():
    events = [Event(at(28), "submission_submitted", TRAINEE, after={"days_late": 1})]
    assert history_lines(events, NAMES, TRAINEE) == [
        "28 October 2026: submitted by the candidate, 1 working day late"]
