"""How the public check compares a typed surname with the name on the register."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.accreditation.public import (
    SURNAME_WORDS,
    name_key,
    regions_of,
    surname_candidates,
    surname_matches,
)


@pytest.mark.parametrize(("typed", "name"), [
    ("Haddad", "Amira Haddad"),
    ("  HADDAD  ", "Amira Haddad"),
    ("haddad", "Amira  Haddad "),
    ("Diaz", "Rosa Díaz"),                      # accents do not count
    ("díaz", "Rosa Diaz"),
    ("O'Neill", "Siobhan O’Neill"),             # either apostrophe, or none
    ("oneill", "Siobhan O'Neill"),
    ("O Neill", "Siobhan O'Neill"),
    ("Smith-Jones", "Ann Smith Jones"),         # double-barrelled, written either way
    ("Smith Jones", "Ann Smith-Jones"),
    ("smith jones", "Ann Smith Jones"),
    ("Jones", "Ann Smith Jones"),               # the last word alone
    ("de la Cruz", "María de la Cruz"),         # up to three final words
    ("Cruz", "María de la Cruz"),
    ("Øberg", "Lars Øberg"),
    ("Oberg", "Lars Øberg"),
    ("Strauss", "Anna Strauß"),
    ("Ngozi", "Ngozi"),                         # a single name is its own surname
    ("St John", "Rhys St. John"),
])
def test_these_surnames_match(typed, name):
    assert surname_matches(typed, name)


@pytest.mark.parametrize(("typed", "name"), [
    ("Hadad", "Amira Haddad"),
    ("Amira", "Amira Haddad"),                  # a given name is not a surname
    ("Amira Haddad", "Amira Haddad"),           # nor is the whole name
    ("Smith", "Ann Smith-Jones"),               # half a hyphenated surname is not enough
    ("Smith", "Ann Smith Jones"),
    ("Haddad Amira", "Amira Haddad"),
    ("", "Amira Haddad"),
    ("'- .", "Amira Haddad"),                   # nothing left once punctuation goes
    ("Haddad", ""),
    ("Maria de la Cruz", "Ana Maria de la Cruz"),  # four words is past the limit
])
def test_these_do_not(typed, name):
    assert not surname_matches(typed, name)


def test_a_name_key_keeps_letters_and_digits_in_one_case_without_accents():
    assert name_key("  Zoë O’Brien-Ñúñez  ") == "zoeobriennunez"
    assert name_key("ŁUKASZ") == name_key("lukasz")


def test_every_name_gives_the_same_number_of_candidates_so_the_work_is_the_same():
    for name in ("", "Ngozi", "Amira Haddad", "Ana Maria de la Cruz Lopez"):
        assert len(surname_candidates(name)) == SURNAME_WORDS
    assert surname_candidates("Ngozi") == ["ngozi", "", ""]
    assert surname_candidates("Ana de la Cruz") == ["cruz", "lacruz", "delacruz"]


names = st.lists(st.text(alphabet="abcdéfghijklmnoprstuvwyzÅØ'-", min_size=1, max_size=10),
                 min_size=2, max_size=5)


@settings(deadline=None)  # cheap, but a loaded machine should not fail it
@given(names)
def test_the_last_word_always_matches_and_the_first_never_does_alone(words):
    name = " ".join(words)
    if name_key(words[-1]):
        assert surname_matches(words[-1].upper(), name)
    first = name_key(words[0])
    if first and all(first != c for c in surname_candidates(name)):
        assert not surname_matches(words[0], name)


def test_regions_come_from_the_nation_asked_for_alphabetically():
    from lms.accreditation.public import ListedOrganisation as Org

    listed = [Org("A", "scotland", "highlands", "accredited", "Accredited", None),
              Org("B", "scotland", "Glasgow", "accredited", "Accredited", None),
              Org("C", "wales", "South Wales", "suspended", "Suspended", None),
              Org("D", "scotland", "", "accredited", "Accredited", None)]
    assert regions_of(listed, "scotland") == ["Glasgow", "highlands"]
