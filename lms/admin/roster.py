"""Validate a cohort roster CSV: a pure rule over text and known names, no database."""

import csv
import io
import re
from dataclasses import dataclass, field

from lms import limits
from lms.validators import EMAIL_RE
from lms.vocab import JURISDICTIONS, SPECIALISMS

COLUMNS = ("name", "email", "organisation", "specialism", "jurisdiction")
OPTIONAL_COLUMNS = ("student_id",)
MAX_ROWS = 2000


@dataclass(frozen=True)
class RosterRow:
    line: int
    name: str
    email: str
    organisation: str
    specialism: str
    jurisdiction: str
    existing_account: bool
    student_id: str = ""


@dataclass(frozen=True)
class EnrolledRow:
    """A row for someone already on the cohort: reported, left as it is, never an error."""

    line: int
    name: str
    email: str


@dataclass
class Roster:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)
    already_enrolled: list[EnrolledRow] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors and bool(self.rows)


def _lookup(value: str, vocabulary: dict[str, str]) -> str | None:
    wanted = re.sub(r"[\s_\-]+", " ", value.strip().lower())
    for key, text in vocabulary.items():
        short = re.sub(r"\s*\(.*\)$", "", text).lower()
        if wanted in {key.replace("_", " "), text.lower(), short}:
            return key
    return None


def decode_upload(data: bytes) -> str:
    """Return the text of an uploaded CSV, or raise ValueError saying what is wrong."""
    if b"\x00" in data[:4096]:
        raise ValueError("The file is not a CSV file. Save the spreadsheet as CSV and try again.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(
            "The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again."
        ) from error


def _column_name(heading: str) -> str:
    return re.sub(r"[\s\-]+", "_", heading.strip().lower())


def parse_roster(text: str, *, organisations: dict[str, str], existing_emails: set[str],
                 enrolled_emails: set[str],
                 enrolled_student_ids: dict[str, str] | None = None) -> Roster:
    """Check every row of a roster; any error means nothing may be imported.

    People already enrolled on the cohort are set aside in `already_enrolled`, not refused, so
    a roster can be imported again after new people are added to it. enrolled_student_ids maps
    the student IDs already used on the cohort (lower case) to their holders' emails."""
    roster = Roster()
    reader = csv.reader(io.StringIO(text))
    try:
        header = [_column_name(h) for h in next(reader)]
    except StopIteration:
        roster.errors.append((None, "The file is empty."))
        return roster
    except csv.Error as error:
        roster.errors.append((1, f"The file could not be read as CSV ({error})."))
        return roster
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        roster.errors.append((1, "The first row must name the columns " + ", ".join(COLUMNS)
                              + ". Missing: " + ", ".join(missing) + "."))
        return roster
    index = {c: header.index(c) for c in COLUMNS + OPTIONAL_COLUMNS if c in header}
    known = _Known(organisations, existing_emails, enrolled_emails,
                   enrolled_student_ids or {})
    try:
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(roster.rows) + len(roster.errors) + len(roster.already_enrolled) >= MAX_ROWS:
                roster.errors.append((line, f"A roster can have at most {MAX_ROWS} rows."))
                break
            _check_row(line, cells, index, known, roster)
    except csv.Error as error:
        roster.errors.append((reader.line_num, f"The file could not be read as CSV ({error})."))
    if not roster.rows and not roster.errors and not roster.already_enrolled:
        roster.errors.append((None, "The file has a header row but no people."))
    return roster


@dataclass
class _Known:
    organisations: dict[str, str]
    existing_emails: set[str]
    enrolled_emails: set[str]
    enrolled_student_ids: dict[str, str]
    emails_seen: dict[str, int] = field(default_factory=dict)
    student_ids_seen: dict[str, int] = field(default_factory=dict)


def _check_row(line, cells, index, known: _Known, roster: Roster) -> None:
    def cell(name: str) -> str:
        i = index.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    problems = []
    seen = known.emails_seen
    name, email = cell("name"), cell("email").lower()
    if not name:
        problems.append("name is missing")
    elif len(name) > limits.NAME:
        problems.append(f"name is longer than {limits.NAME} characters")
    if not EMAIL_RE.match(email) or len(email) > limits.EMAIL:
        problems.append(f"'{email or '(blank)'}' is not an email address")
    elif email in seen:
        problems.append(f"the email {email} is also on row {seen[email]}")
    elif email in known.enrolled_emails:
        seen[email] = line
        roster.already_enrolled.append(EnrolledRow(line=line, name=name, email=email))
        return
    problems.extend(_student_id_problems(cell("student_id"), email, line, known))
    organisations = known.organisations
    organisation = cell("organisation")
    org_key = organisation.lower()
    if organisation and org_key not in organisations:
        problems.append(f"no host organisation is called '{organisation}'")
    specialism = _lookup(cell("specialism"), SPECIALISMS)
    if specialism is None:
        problems.append(f"specialism '{cell('specialism')}' is not one of "
                        + ", ".join(SPECIALISMS.values()))
    jurisdiction = _lookup(cell("jurisdiction"), JURISDICTIONS)
    if jurisdiction is None:
        problems.append(f"jurisdiction '{cell('jurisdiction')}' is not one of "
                        + ", ".join(JURISDICTIONS.values()))
    if email and email not in seen:
        seen[email] = line
    if problems:
        message = "; ".join(problems)
        roster.errors.append((line, message[0].upper() + message[1:] + "."))
        return
    roster.rows.append(RosterRow(
        line=line, name=name, email=email, organisation=organisations.get(org_key, ""),
        specialism=specialism, jurisdiction=jurisdiction,
        existing_account=email in known.existing_emails, student_id=cell("student_id")))


def _student_id_problems(student_id: str, email: str, line: int, known: _Known) -> list[str]:
    """A student ID is optional; if given it fits and belongs to one person on the cohort."""
    if not student_id:
        return []
    if len(student_id) > limits.STUDENT_ID:
        return [f"student ID is longer than {limits.STUDENT_ID} characters"]
    key = student_id.lower()
    holder = known.enrolled_student_ids.get(key)
    if holder is not None and holder != email:
        return [f"student ID {student_id} belongs to {holder}, already enrolled on this cohort"]
    if key in known.student_ids_seen:
        return [f"student ID {student_id} is also on row {known.student_ids_seen[key]}"]
    known.student_ids_seen[key] = line
    return []
