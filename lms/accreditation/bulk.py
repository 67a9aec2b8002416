"""A host organisation's bulk check of accreditation numbers: reading what was pasted or
uploaded, and answering each number. Pure: no Flask, no database. The view looks up every
number in one query and hands the answers here."""

import re
from dataclasses import dataclass
from datetime import date

from lms.accreditation.numbers import normalise

MAX_NUMBERS = 100
MAX_TEXT = 10_000  # characters pasted: 100 numbers with room for notes and spacing
MAX_FILE_BYTES = 20 * 1024
FILE_SUFFIXES = (".csv", ".txt")
# Spaces inside one number ("IMSA 7K3Q 9XFD") are allowed, so a run of words is grouped
# back into numbers; no number is typed in more parts than this.
MAX_PARTS = 6

NO_MATCH = "No match"
NOT_A_NUMBER = "Not a valid number"
CSV_HEADINGS = ("Number as typed", "Accreditation number", "Name", "Status", "Specialism",
                "Valid until")


class Refused(ValueError):
    """What was given cannot be checked; the message says why, and nothing was checked."""


@dataclass(frozen=True)
class Found:
    """What the register says about a number (never the employer, town or region)."""

    name: str
    status: str
    specialism: str
    valid_until: date | None


@dataclass(frozen=True)
class Answer:
    typed: str
    number: str | None  # normalised; None when what was typed cannot be a number
    found: Found | None

    @property
    def outcome(self) -> str:
        if self.number is None:
            return NOT_A_NUMBER
        return self.found.status if self.found else NO_MATCH

    def row(self) -> list:
        """The CSV row: dates as ISO so a spreadsheet sorts them."""
        found = self.found
        return [self.typed, self.number or "", found.name if found else "", self.outcome,
                found.specialism if found else "",
                found.valid_until.isoformat() if found and found.valid_until else ""]


def _group(words: list[str]) -> list[str]:
    """Join words back into numbers typed with spaces; a word that fits none stands alone."""
    out, i = [], 0
    while i < len(words):
        for j in range(i + 1, min(len(words), i + MAX_PARTS) + 1):
            if normalise(" ".join(words[i:j])):
                out.append(" ".join(words[i:j]))
                i = j
                break
        else:
            out.append(words[i])
            i += 1
    return out


def split_numbers(text: str) -> list[str]:
    """Each number as typed, in order: one a line, or separated by commas, semicolons, tabs or
    spaces. Quotes a spreadsheet puts round a cell are dropped; blank entries are skipped."""
    typed: list[str] = []
    for piece in re.split(r"[\r\n,;\t]+", text or ""):
        piece = piece.strip().strip("\"'").strip()
        if not piece:
            continue
        if normalise(piece) or not re.search(r"\s", piece):
            typed.append(piece)
        else:
            typed.extend(_group(piece.split()))
    return typed


def read_upload(filename: str, data: bytes) -> str:
    """The text of an uploaded list of numbers, or Refused saying what is wrong with the file."""
    if not (filename or "").lower().endswith(FILE_SUFFIXES):
        raise Refused("The file must be a .csv or .txt file of accreditation numbers.")
    if len(data) > MAX_FILE_BYTES:
        raise Refused(f"The file is larger than {MAX_FILE_BYTES // 1024} KB: a list of "
                      f"{MAX_NUMBERS} numbers is far smaller. Check it is the right file.")
    if b"\x00" in data:
        raise Refused("The file is not a text file. Save the list as CSV or plain text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise Refused("The file could not be read as text. Save it as 'CSV UTF-8' or "
                      "plain text and try again.") from error


def numbers_to_check(pasted: str, uploaded: str = "") -> list[str]:
    """Everything given, as typed, or Refused when there is nothing or too much to check."""
    if len(pasted or "") > MAX_TEXT:
        raise Refused(f"The box takes up to {MAX_TEXT:,} characters. Check at most "
                      f"{MAX_NUMBERS} numbers at a time.")
    typed = split_numbers(pasted) + split_numbers(uploaded)
    if not typed:
        raise Refused("Enter at least one accreditation number, or choose a file.")
    if len(typed) > MAX_NUMBERS:
        raise Refused(f"You gave {len(typed)} numbers: check at most {MAX_NUMBERS} at a time. "
                      "Nothing was checked.")
    return typed


def wanted(typed: list[str]) -> set[str]:
    """The distinct valid numbers to look up."""
    return {number for number in map(normalise, typed) if number}


def answer(typed: list[str], register: dict[str, Found]) -> list[Answer]:
    """One answer for each number as typed, in the order given (repeats answered each time)."""
    out = []
    for text in typed:
        number = normalise(text)
        out.append(Answer(text, number, register.get(number) if number else None))
    return out


def csv_rows(answers: list[Answer]) -> list[list]:
    return [list(CSV_HEADINGS), *(a.row() for a in answers)]


def can_bulk_check(*, staff: bool, administers: bool, accredited: bool) -> bool:
    """Course staff, and the admins of an organisation that is accredited (with or without
    conditions): the check shows entries withheld from the public, so no one else."""
    return staff or (administers and accredited)
