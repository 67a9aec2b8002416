"""Reading a pasted or uploaded list of accreditation numbers, and answering each one."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.accreditation import bulk
from lms.accreditation.numbers import ALPHABET, new_number

A, B, C = "IMSA-7K3Q-9XFD", "IDVA-2345-6789", "ISA-ABCD-EFGH"


@pytest.mark.parametrize("text, typed", [
    (f"{A}\n{B}\n{C}", [A, B, C]),
    (f"{A}, {B};{C}", [A, B, C]),
    (f"{A} {B}\t{C}", [A, B, C]),
    (f"\r\n\n  {A}  \r\n\n", [A]),
    ("imsa 7k3q 9xfd", ["imsa 7k3q 9xfd"]),  # one number typed with spaces stays one
    (f"imsa 7k3q 9xfd {B} isa abcd efgh", ["imsa 7k3q 9xfd", B, "isa abcd efgh"]),
    (f'"{A}","{B}"', [A, B]),  # a spreadsheet's quotes
    (f"{A}\nnot a number\n{B}", [A, "not", "a", "number", B]),
    ("", []),
    ("  ,, ;\n", []),
])
def test_numbers_are_split_as_people_type_them(text, typed):
    assert bulk.split_numbers(text) == typed


def test_a_typo_is_kept_as_typed_and_answered_as_not_a_number():
    answers = bulk.answer(["IMSA-7K3Q-9XF0", "imsa7k3q9xfd"], {A: found("Ada Quinn")})
    assert [(a.typed, a.number, a.outcome) for a in answers] == [
        ("IMSA-7K3Q-9XF0", None, bulk.NOT_A_NUMBER), ("imsa7k3q9xfd", A, "Accredited")]


def found(name, status="Accredited", until=date(2028, 3, 31)):
    return bulk.Found(name, status, "modern slavery (IMSA)", until)


def test_each_number_is_answered_in_order_with_repeats_and_misses():
    typed = [B, A, "imsa-7k3q-9xfd", "hello"]
    answers = bulk.answer(typed, {A: found("Ada Quinn")})
    assert [a.outcome for a in answers] == [bulk.NO_MATCH, "Accredited", "Accredited",
                                             bulk.NOT_A_NUMBER]
    assert bulk.wanted(typed) == {A, B}


def test_the_csv_has_headings_and_iso_dates_and_blanks_for_misses():
    rows = bulk.csv_rows(bulk.answer(["imsa 7k3q 9xfd", B, "x"], {A: found("Ada Quinn")}))
    assert rows == [list(bulk.CSV_HEADINGS),
                    ["imsa 7k3q 9xfd", A, "Ada Quinn", "Accredited", "modern slavery (IMSA)",
                     "2028-03-31"],
                    [B, B, "", bulk.NO_MATCH, "", ""],
                    ["x", "", "", bulk.NOT_A_NUMBER, "", ""]]


def test_a_hundred_numbers_are_checked_and_a_hundred_and_one_refused():
    assert len(bulk.numbers_to_check("\n".join([A] * 100))) == 100
    with pytest.raises(bulk.Refused, match="You gave 101 numbers: check at most 100"):
        bulk.numbers_to_check("\n".join([A] * 60), "\n".join([B] * 41))


def test_nothing_to_check_and_too_much_text_are_refused():
    with pytest.raises(bulk.Refused, match="Enter at least one accreditation number"):
        bulk.numbers_to_check(" \n, ")
    with pytest.raises(bulk.Refused, match="takes up to 10,000 characters"):
        bulk.numbers_to_check(" " * (bulk.MAX_TEXT + 1))


def test_pasted_and_uploaded_numbers_are_checked_together():
    assert bulk.numbers_to_check(A, f"{B}\n{C}") == [A, B, C]


@pytest.mark.parametrize("filename, data, message", [
    ("numbers.xlsx", b"PK\x03\x04", "must be a .csv or .txt file"),
    ("numbers.pdf", b"%PDF-1.4", "must be a .csv or .txt file"),
    ("numbers", A.encode(), "must be a .csv or .txt file"),
    ("numbers.csv", b"x" * (bulk.MAX_FILE_BYTES + 1), "larger than 20 KB"),
    ("numbers.txt", b"IMSA\x00\x01", "not a text file"),
    ("numbers.csv", "IMSA-7K3Q-9XFD é".encode("latin-1"), "could not be read as text"),
])
def test_only_small_text_files_are_read(filename, data, message):
    with pytest.raises(bulk.Refused, match=message):
        bulk.read_upload(filename, data)


def test_a_csv_saved_by_a_spreadsheet_is_read_as_text():
    data = f"\ufeff{A}\r\n{B}\r\n".encode()
    assert bulk.split_numbers(bulk.read_upload("Staff.CSV", data)) == [A, B]


def test_only_staff_and_admins_of_accredited_organisations_may_check():
    assert bulk.can_bulk_check(staff=True, administers=False, accredited=False)
    assert bulk.can_bulk_check(staff=False, administers=True, accredited=True)
    assert not bulk.can_bulk_check(staff=False, administers=True, accredited=False)
    assert not bulk.can_bulk_check(staff=False, administers=False, accredited=True)


separators = st.sampled_from(["\n", "\r\n", ", ", ",", ";", " ", "\t", " \n "])
numbers = st.sampled_from(["modern_slavery", "domestic_abuse", "stalking"]).map(
    lambda s: new_number(s))
spaced = numbers.map(lambda n: n.replace("-", " ").lower())


@given(st.lists(st.one_of(numbers, spaced), min_size=1, max_size=30), separators)
def test_any_list_of_numbers_reads_back_as_the_same_numbers(typed, separator):
    text = separator.join(typed)
    assert bulk.split_numbers(text) == typed
    assert [a.number for a in bulk.answer(typed, {})] == [
        t.upper().replace(" ", "-") for t in typed]


@given(st.text(alphabet=ALPHABET + " ,\n-", max_size=300))
def test_whatever_is_typed_every_entry_is_answered_once(text):
    typed = bulk.split_numbers(text)
    assert all(t.strip() and "\n" not in t and "," not in t for t in typed)
    assert len(bulk.answer(typed, {})) == len(typed)
