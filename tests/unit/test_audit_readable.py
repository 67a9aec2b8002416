"""Audit records in words, without Flask or a database."""

from types import SimpleNamespace

from lms.audit.readable import change_lines, references, subject_label

NAMES = {("User", 4): "Kofi Mensah", ("HostOrganisation", 2): "Northbridge Survivor Support"}


def test_a_change_lists_only_what_changed_in_words():
    assert change_lines({"status": "active", "specialism": "stalking", "student_id": None},
                        {"status": "withdrawn", "specialism": "stalking",
                         "student_id": "S1"}, NAMES) == [
        "Status: Studying → Withdrawn", "Student ID: none → S1"]


def test_roles_ids_dates_and_booleans_read_as_words():
    assert change_lines({"roles": []}, {"roles": ["marker", "trainee"]}, NAMES) == [
        "Roles: none → Trainee advocate, Marker"]
    assert change_lines(None, {"user_id": 4, "organisation_id": 2, "start_date": "2026-01-05",
                               "job_title": ""}, NAMES) == [
        "Person: Kofi Mensah", "Organisation: Northbridge Survivor Support",
        "Start date: 5 January 2026", "Job title: none"]
    assert change_lines({"active": True}, {"active": False}, NAMES) == [
        "Active account: yes → no"]
    assert change_lines({"state": "submitted"}, {"state": "in_marking"}, {}) == [
        "State: submitted → in marking"]
    assert change_lines({"marker_id": 9}, None, {}) == ["Marker: was #9"]
    assert change_lines(None, None, NAMES) == []


def test_subjects_are_named_or_described():
    assert subject_label("User", 4, NAMES) == "Kofi Mensah"
    assert subject_label("User", 5, NAMES) == "Person 5"
    assert subject_label("ModuleVersion", 3, {}) == "Module version 3"
    assert subject_label(None, None, {}) == ""


def test_references_gather_every_id_a_page_mentions():
    events = [SimpleNamespace(actor_id=1, subject_type="User", subject_id=4, before=None,
                              after={"user_id": 5, "organisation_id": 2}),
              SimpleNamespace(actor_id=None, subject_type="Submission", subject_id=7,
                              before={"marker_id": 6}, after=None)]
    assert references(events) == {"User": {1, 4, 5, 6}, "HostOrganisation": {2},
                                   "Submission": {7}}
