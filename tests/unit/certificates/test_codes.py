"""Verification codes: typeable from paper, never two alike, forgiving of how people type."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certificates.codes import ALPHABET, format_code, is_code, new_code, normalise_code

CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")
codes = st.text(alphabet=ALPHABET, min_size=12, max_size=12)


def test_a_new_code_is_three_groups_of_four_from_the_alphabet():
    code = new_code()
    assert CODE.fullmatch(code), code
    assert set(code.replace("-", "")) <= set(ALPHABET)


def test_the_alphabet_has_no_characters_people_mix_up():
    assert not set("0O1IL") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 31


def test_codes_are_never_repeated_and_use_every_character():
    drawn = [new_code() for _ in range(20_000)]
    assert len(set(drawn)) == len(drawn)
    assert set("".join(drawn).replace("-", "")) == set(ALPHABET)


@pytest.mark.parametrize("typed", [
    "k7qx-9fd3-m2pa", "K7QX 9FD3 M2PA", " k7qx9fd3m2pa ", "K7QX–9FD3—M2PA",  # en and em dash
    "Ｋ７ＱＸ－９ＦＤ３－Ｍ２ＰＡ",  # full-width, from a phone keyboard
    "К7QХ-9FD3-М2РА",  # Cyrillic К, Х, М, Р, А that look like Latin capitals
])
def test_what_people_type_is_mended_to_the_code(typed):
    assert normalise_code(typed) == "K7QX9FD3M2PA"
    assert is_code(typed)
    assert format_code(typed) == "K7QX-9FD3-M2PA"


@pytest.mark.parametrize("typed", ["", "K7QX-9FD3", "K7QX-9FD3-M2PA-7", "K7QX-9FD3-M2P0",
                                   "K7QX-9FD3-M2PO", "K7QX-9FD3-M2PI", "K7QX-9FD3-M2P!"])
def test_text_that_cannot_be_a_code_is_refused(typed):
    assert not is_code(typed)
    with pytest.raises(ValueError, match="not a verification code"):
        format_code(typed)


@given(codes, st.sampled_from(["", " ", "-", " - "]), st.booleans())
def test_any_code_however_typed_normalises_back_to_itself(bare, separator, lower):
    typed = separator.join(bare[n:n + 4] for n in range(0, 12, 4))
    typed = typed.lower() if lower else typed
    assert normalise_code(typed) == bare
    assert format_code(typed).replace("-", "") == bare
