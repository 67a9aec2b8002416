"""Pure rules behind staff security: audit visibility, roles, downloads, allocation, CSV cells."""

from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.admin.permissions import can_change_roles, marking_roles_granted
from lms.assessments.permissions import can_be_allocated, can_download
from lms.audit.visibility import is_marking_event, visible_to
from lms.csvsafe import safe_cell


@dataclass
class Person:
    id: int
    roles: set = field(default_factory=set)
    active: bool = True

    def has_role(self, role):
        return role in self.roles

    def has_any_role(self, roles):
        return bool(self.roles & set(roles))


# --- the audit log ---------------------------------------------------------------------------

@pytest.mark.parametrize(("subject_type", "action", "marking"), [
    ("User", "roles_changed", False),
    ("User", "signed_in", False),
    ("User", "sign_in_failed", False),
    (None, "sign_in_failed", False),           # an email that matches no account
    ("HostOrganisation", "organisation_updated", False),
    ("Employment", "employment_added", False),
    ("Cohort", "roster_imported", False),
    ("Enrolment", "enrolment_changed", False),
    ("Submission", "submission_submitted", True),
    ("Submission", "mark_saved", True),
    ("Submission", "allocated", True),
    ("Submission", "reallocated", True),
    ("Submission", "resit_granted", True),
    ("Extension", "extension_requested", True),
    ("Extension", "extension_decided", True),
    ("Assessment", "marks_released", True),
    ("Mark", "mark_agreed", True),
    ("Allocation", "allocated", True),
    ("SomethingNew", "something_new", True),   # unknown kinds stay with moderators
    (None, "something_new", True),
])
def test_marking_events_are_told_apart_from_account_events(subject_type, action, marking):
    assert is_marking_event(subject_type, action) is marking


def test_only_moderators_see_marking_events():
    assert visible_to({"moderator"}, "Submission", "mark_saved")
    assert visible_to({"admin", "moderator"}, "Extension", "extension_decided")
    assert not visible_to({"admin"}, "Submission", "mark_saved")
    assert visible_to({"admin"}, "User", "roles_changed")
    assert visible_to({"moderator"}, "User", "roles_changed")
    assert not visible_to({"marker"}, "User", "roles_changed")


# --- roles -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("own", "wanted"), [
    ({"admin"}, {"admin", "moderator"}),
    ({"admin"}, {"admin", "marker"}),
    ({"admin", "marker"}, {"admin"}),
    ({"moderator"}, {"moderator", "examiner"}),
    ({"moderator", "trainee"}, {"moderator"}),
])
def test_nobody_changes_their_own_roles(own, wanted):
    me = Person(1, own)
    assert not can_change_roles(me, me, wanted)


def test_saving_your_own_roles_unchanged_is_not_a_change():
    me = Person(1, {"admin"})
    assert can_change_roles(me, me, {"admin"})


@pytest.mark.parametrize(("before", "after", "granted"), [
    (set(), {"marker"}, {"marker"}),
    ({"trainee"}, {"trainee", "moderator", "examiner"}, {"moderator", "examiner"}),
    ({"marker"}, {"marker", "org_admin"}, set()),
    ({"marker", "moderator"}, {"trainee"}, set()),
    (set(), {"admin", "trainee"}, set()),
])
def test_which_grants_open_marking(before, after, granted):
    assert marking_roles_granted(before, after) == granted


# --- downloads and allocation ----------------------------------------------------------------

def test_examiners_download_only_work_in_the_moderation_sample():
    examiner = Person(3, {"examiner"})
    attachment = SimpleNamespace(owner_id=1)
    submitted = SimpleNamespace(state="marked")
    assert can_download(examiner, attachment, submitted, allocated=False, in_sample=True)
    assert not can_download(examiner, attachment, submitted, allocated=False, in_sample=False)
    assert not can_download(examiner, attachment, submitted, allocated=False)
    assert not can_download(examiner, attachment, None, allocated=False, in_sample=True)
    assert can_download(Person(4, {"moderator"}), attachment, submitted, allocated=False)


@pytest.mark.parametrize(("person", "allowed"), [
    (Person(2, {"marker"}), True),
    (Person(2, {"moderator"}), True),
    (Person(2, {"marker", "trainee"}), True),
    (Person(1, {"marker", "trainee"}), False),      # the author
    (Person(2, {"marker"}, active=False), False),
    (Person(2, {"examiner"}), False),
    (Person(2, {"admin"}), False),
    (Person(2, {"trainee"}), False),
    (None, False),
])
def test_work_is_allocated_only_to_active_markers_other_than_the_author(person, allowed):
    assert can_be_allocated(person, SimpleNamespace(user_id=1)) is allowed


# --- CSV cells -------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "written"), [
    ("=1+1", "'=1+1"),
    ('=HYPERLINK("http://x")', "'=HYPERLINK(\"http://x\")"),
    ("+44 20 7946 0000", "'+44 20 7946 0000"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("Ana Pereira", "Ana Pereira"),
    ("", ""),
    ("a=b", "a=b"),
    (-5, -5),
    (72, 72),
    (None, None),
])
def test_csv_cells_cannot_start_a_formula(value, written):
    assert safe_cell(value) == written


@given(st.text())
def test_no_string_cell_starts_a_formula(value):
    cell = safe_cell(value)
    assert not cell or cell[0] not in "=+-@\t\r"
    assert cell.removeprefix("'") == value or cell == value
