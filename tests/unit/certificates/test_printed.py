"""What each certificate prints, as the verify page and the HTML view will show it."""

from dataclasses import replace
from datetime import date

import pytest

from certificates.facts import TranscriptModule
from certificates.printed import ISSUER, hours_text, printed, printed_fields
from tests.unit.certificates import samples


def test_a_module_certificate_prints_who_what_result_and_when_in_order():
    """And that it is not the award, which a module result with credits could be taken for."""
    assert printed_fields(samples.module_completion()) == [
        ("Document", "Certificate of module completion"),
        ("Issued by", ISSUER),
        ("Name", "Alex Morgan"),
        ("Module", "Modern slavery: law and practice"),
        ("Specialism", "Modern slavery"),
        ("Credits", "20"),
        ("Result", "Pass"),
        ("Completed on", "30 June 2026"),
        ("Issued on", "1 July 2026"),
        ("Note", "It is not the university's award certificate: only St Mary's University's "
                 "own certificate confirms an award."),
        ("Verification code", "K7QX-9FD3-M2PA"),
        ("Verify at", "https://example.org/verify/K7QX-9FD3-M2PA"),
    ]


def test_a_core_module_says_so_and_unknown_credits_are_left_out():
    fields = dict(printed_fields(samples.module_completion(specialism=None, credits=None)))
    assert fields["Specialism"] == "Core module, shared by every specialism"
    assert "Credits" not in fields


def test_a_transcript_lists_every_module_and_says_it_is_not_the_award_certificate():
    fields = printed_fields(samples.transcript(count=3))
    assert ("Module 1: advocacy with survivors",
            "Credits: 20; Mark: 49%; Result: Fail") in fields
    assert ("Module 3: advocacy with survivors",
            "Credits: 20; Mark: 51%; Result: Pass") in fields
    notes = [value for label, value in fields if label == "Note"]
    assert any("It is not the university's award certificate" in note for note in notes)
    assert dict(fields)["Document"] == "Transcript of module results"
    assert dict(fields)["Credits achieved"] == "40"


def test_a_transcript_with_no_results_yet_says_so():
    shown = printed(samples.transcript(count=0))
    assert shown.table is None
    assert "No module results have been released yet." in shown.notes


def test_an_unmarked_module_says_not_marked():
    module = TranscriptModule(title="Stalking", credits=20, mark=None, result="Awaiting marks")
    shown = printed(samples.transcript(modules=(module,)))
    assert shown.table.rows == (("Stalking", "20", "Not marked", "Awaiting marks"),)


def test_an_advocate_certificate_prints_the_number_specialism_and_period():
    fields = printed_fields(samples.advocate_accreditation())
    assert fields[2:8] == [
        ("Name", "Alex Morgan"), ("Accreditation number", "IMSA-7K3Q-9XFD"),
        ("Specialism", "Modern slavery"), ("Valid from", "1 July 2026"),
        ("Valid until", "30 June 2029"), ("Issued on", "1 July 2026")]
    assert printed(samples.advocate_accreditation()).valid_until == date(2029, 6, 30)


@pytest.mark.parametrize(("with_conditions", "status"), [
    (False, "Accredited"), (True, "Accredited with conditions")])
def test_an_organisation_certificate_says_whether_conditions_apply(with_conditions, status):
    fields = printed_fields(samples.organisation_accreditation(with_conditions=with_conditions))
    assert dict(fields)["Accreditation"] == status
    assert dict(fields)["Organisation"] == "Hope Trust"
    assert dict(fields)["Nation"] == "Wales"
    conditions = [v for label, v in fields if label == "Note" and "with conditions" in v]
    assert bool(conditions) == with_conditions


def test_a_cpd_statement_prints_the_year_hours_and_whether_the_requirement_was_met():
    fields = printed_fields(samples.cpd_statement())
    shown = dict(fields)
    assert shown["CPD year"] == "1 April 2026 to 31 March 2027"
    assert shown["Hours required"] == "20 hours"
    assert shown["Hours logged"] == "22.5 hours"
    assert shown["Requirement"] == "Met"
    assert ("Supervision", "Hours: 6.5 hours") in fields
    unmet = dict(printed_fields(samples.cpd_statement(met=False, minutes_by_type=())))
    assert unmet["Requirement"] == "Not met"
    assert "Training course" not in unmet


def test_a_cpd_statement_without_an_accreditation_number_leaves_it_out():
    fields = dict(printed_fields(samples.cpd_statement(accreditation_number=None)))
    assert "Accreditation number" not in fields


@pytest.mark.parametrize(("minutes", "words"), [
    (60, "1 hour"), (0, "0 hours"), (15, "0.25 hours"), (90, "1.5 hours"), (1200, "20 hours")])
def test_hours_read_as_the_cpd_pages_write_them(minutes, words):
    assert hours_text(minutes) == words


@pytest.mark.parametrize("make", samples.ALL)
def test_every_certificate_ends_with_its_code_and_address_and_names_its_holder(make):
    facts = make()
    fields = printed_fields(facts)
    assert fields[0][0] == "Document" and fields[1] == ("Issued by", ISSUER)
    assert fields[-2:] == [("Verification code", samples.CODE),
                           ("Verify at", samples.VERIFY_URL)]
    shown = printed(facts)
    assert shown.holder in {"Alex Morgan", "Hope Trust"}
    assert shown.issued_on == date(2026, 7, 1)


def test_a_code_given_bare_or_in_lower_case_prints_grouped():
    shown = printed(samples.module_completion(code="k7qx9fd3m2pa"))
    assert shown.code == "K7QX-9FD3-M2PA"


@pytest.mark.parametrize(("make", "changes", "message"), [
    (samples.module_completion, {"code": "K7QX-9FD3-M2P0"}, "not a verification code"),
    (samples.module_completion, {"verify_url": "example.org/verify/x"}, "web address"),
    (samples.module_completion, {"credits": -20}, "credits cannot be negative"),
    (samples.advocate_accreditation, {"valid_until": date(2026, 6, 30)}, "cannot come before"),
    (samples.organisation_accreditation, {"valid_until": date(2026, 6, 30)}, "cannot come"),
    (samples.cpd_statement, {"year_ends_on": date(2026, 3, 31)}, "cannot come before"),
    (samples.cpd_statement, {"minutes_logged": -1}, "cannot be negative"),
    (samples.cpd_statement, {"minutes_by_type": (("Reading", -60),)}, "cannot be negative"),
    (samples.transcript, {"credits_achieved": -1}, "cannot be negative"),
])
def test_facts_that_cannot_be_true_are_refused(make, changes, message):
    with pytest.raises(ValueError, match=message):
        make(**changes)


def test_a_mark_outside_0_to_100_is_refused():
    module = samples.transcript_module(1)
    with pytest.raises(ValueError, match="percentage"):
        replace(module, mark=101)
