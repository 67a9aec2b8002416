"""Accreditation numbers: their shape, reading back what people type, and never a look-alike."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.accreditation.numbers import ALPHABET, PREFIXES, new_number, normalise

SHAPE = re.compile(r"^(IMSA|IDVA|ISVA|ISA)-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}-"
                   r"[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}$")
specialisms = st.sampled_from(sorted(PREFIXES))
bodies = st.text(alphabet=ALPHABET, min_size=8, max_size=8)
separators = st.sampled_from(["", " ", "-", "  ", "–", "—", "_", ".", "\u00a0", "\t"])


def test_the_alphabet_leaves_out_what_is_misread_aloud_or_on_paper():
    assert not set("01OILUV") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 29


@pytest.mark.parametrize(("specialism", "prefix"), [
    ("modern_slavery", "IMSA"), ("domestic_abuse", "IDVA"), ("sexual_violence", "ISVA"),
    ("stalking", "ISA"), ("something_new", "IMSA")])
def test_the_prefix_says_the_specialism(specialism, prefix):
    assert new_number(specialism).startswith(prefix + "-")


@settings(max_examples=200, deadline=None)
@given(specialisms)
def test_a_new_number_has_the_shape_and_reads_back_as_itself(specialism):
    number = new_number(specialism)
    assert SHAPE.match(number)
    assert number.startswith(PREFIXES[specialism] + "-")
    assert normalise(number) == number


@settings(max_examples=200, deadline=None)
@given(specialisms, bodies, separators, separators, st.booleans())
def test_what_people_type_is_read_back(specialism, body, first, second, lower):
    prefix = PREFIXES[specialism]
    typed = f" {prefix}{first}{body[:4]}{second}{body[4:]} "
    typed = typed.lower() if lower else typed
    assert normalise(typed) == f"{prefix}-{body[:4]}-{body[4:]}"


@settings(max_examples=200, deadline=None)
@given(bodies, st.integers(0, 7),
       st.sampled_from(list("01OILUVoilu") + ["ß", "ı", "ﬀ", "Ｏ", "О", "٣", "?", "*"]))
def test_a_character_outside_the_alphabet_is_never_a_number(body, at, stranger):
    typed = f"IMSA-{body[:at]}{stranger}{body[at + 1:]}"
    assert normalise(typed) is None


@pytest.mark.parametrize("typed", [
    "", None, "IMSA", "IMSA-7K3Q-9XF", "IMSA-7K3Q-9XFDD", "IMSB-7K3Q-9XFD", "7K3Q-9XFD",
    "imsa 7k3q 9xß",  # "ß" upper-cased is "SS": a look-alike, refused
    "ımsa-7K3Q-9XFD",  # a dotless i upper-cased is "I"
    "IMSA-7K3Q-9Xﬀ",  # the ligature upper-cased is "FF"
    "ＩＭＳＡ-7K3Q-9XFD",  # full-width letters
])
def test_what_cannot_be_a_number_is_refused(typed):
    assert normalise(typed) is None


def test_worked_examples():
    assert normalise("imsa 7k3q 9xfd") == "IMSA-7K3Q-9XFD"
    assert normalise("IMSA7K3Q9XFD") == "IMSA-7K3Q-9XFD"
    assert normalise("isa-7k3q-9xfd") == "ISA-7K3Q-9XFD"
    assert normalise("ISVA 7K3Q-9XFD") == "ISVA-7K3Q-9XFD"


def test_numbers_do_not_repeat_over_many_draws():
    drawn = [new_number("modern_slavery") for _ in range(20_000)]
    assert len(set(drawn)) == len(drawn)
    # Random, not counted: the characters at each place are spread over the alphabet.
    firsts = {number[5] for number in drawn}
    assert firsts == set(ALPHABET)
