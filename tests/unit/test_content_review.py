"""The review cycle: when lessons and scenarios fall due, and what their review notes flag."""

from datetime import date, timedelta

import pytest

from lms.courses.review import (
    ReviewItem,
    choose,
    counts,
    flagged_facts,
    review_schedule,
    schedule_one,
)

TODAY = date(2027, 3, 10)


def item(slug="a", reviewed=date(2026, 6, 1), notes=None, recorded=None, kind="lesson",
         title=None):
    return ReviewItem("law", "Law and systems", kind, slug, title or f"Lesson {slug}", reviewed,
                      notes, recorded)


def test_numbered_notes_give_one_fact_each_and_the_staff_label_goes():
    notes = ("For staff: (1) Housing Act 1996 s.189(1)(e) was inserted by the Domestic Abuse Act "
             "2021; check the code. (2) Scotland: confirm commencement. (3) Check the NI Order.")
    assert flagged_facts(notes) == [
        "Housing Act 1996 s.189(1)(e) was inserted by the Domestic Abuse Act 2021; check the code.",
        "Scotland: confirm commencement.", "Check the NI Order."]


def test_numbers_out_of_order_or_inside_citations_do_not_split():
    assert flagged_facts("Section 28(1) and (3) of the Act: check (2) later.") == [
        "Section 28(1) and (3) of the Act: check (2) later."]


def test_notes_without_numbers_give_a_fact_a_line_and_bullets_go():
    assert flagged_facts("- Check the NRM guidance\n\n* Victims' Code: confirm\n") == [
        "Check the NRM guidance", "Victims' Code: confirm"]
    assert flagged_facts("Confirm the Immigration Advice Authority's name.") == [
        "Confirm the Immigration Advice Authority's name."]


@pytest.mark.parametrize("notes", [None, "", "   ", "For staff only:"])
def test_empty_notes_flag_nothing(notes):
    assert flagged_facts(notes) == []


def test_content_without_flags_is_due_after_the_full_interval():
    due = schedule_one(item(reviewed=date(2026, 6, 1)), TODAY, months=12, flagged_months=6)
    assert (due.due, due.months, due.status, due.facts) == (date(2027, 6, 1), 12, "later", ())


def test_flagged_facts_bring_the_review_forward():
    due = schedule_one(item(reviewed=date(2026, 6, 1), notes="(1) Check the Bill."), TODAY)
    assert (due.due, due.months, due.status) == (date(2026, 12, 1), 6, "overdue")
    assert due.days == (date(2026, 12, 1) - TODAY).days < 0


def test_a_recorded_review_restarts_the_clock_but_an_older_one_does_not():
    flagged = "(1) Check the Bill."
    recorded = schedule_one(item(notes=flagged, recorded=date(2027, 3, 1)), TODAY)
    assert (recorded.reviewed, recorded.due, recorded.status) == (
        date(2027, 3, 1), date(2027, 9, 1), "later")
    older = schedule_one(item(notes=flagged, recorded=date(2025, 1, 1)), TODAY)
    assert older.reviewed == date(2026, 6, 1)


@pytest.mark.parametrize(("days_to_due", "status"), [
    (-40, "overdue"), (0, "overdue"), (1, "soon"), (30, "soon"), (31, "later")])
def test_status_around_today(days_to_due, status):
    due = TODAY + timedelta(days=days_to_due)
    reviewed = due.replace(year=due.year - 1)
    assert schedule_one(item(reviewed=reviewed), TODAY).status == status


def test_schedule_puts_the_earliest_due_first_and_filters_pick_by_due_and_fact():
    items = [item("later", date(2026, 12, 1)),
             item("flagged", date(2026, 10, 1), notes="(1) Check the Victims and Prisoners Act "
                                                        "2024, section 16."),
             item("scenario", date(2026, 2, 1), kind="scenario", title="Nicolae's consent"),
             item("soon", date(2026, 3, 25))]
    scheduled = review_schedule(items, TODAY)
    assert [s.item.slug for s in scheduled] == ["scenario", "soon", "flagged", "later"]
    assert counts(scheduled) == {"overdue": 1, "soon": 2, "flagged": 1, "all": 4}
    assert [s.item.slug for s in choose(scheduled, "overdue")] == ["scenario"]
    assert [s.item.slug for s in choose(scheduled, "soon")] == ["scenario", "soon", "flagged"]
    assert [s.item.slug for s in choose(scheduled, "flagged")] == ["flagged"]
    assert [s.item.slug for s in choose(scheduled, "all", "victims or")] == []
    assert [s.item.slug for s in choose(scheduled, "all", " victims  and prisoners ")] == [
        "flagged"]
    assert [s.item.slug for s in choose(scheduled, "nonsense", "nicolae")] == ["scenario"]
