"""Validate a cohort roster CSV: a pure rule over text and known names, no database."""

import csv
import io
import re
from dataclasses import dataclass, field

from lms.validators import EMAIL_RE
from lms.vocab import JURISDICTIONS, SPECIALISMS

COLUMNS = ("name", "email", "organisation", "specialism", "jurisdiction")
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


@dataclass
class Roster:
    rows: list[RosterRow] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)

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


def parse_roster(text: str, *, organisations: dict[str, str], existing_emails: set[str],
                 enrolled_emails: set[str]) -> Roster:
    """Check every row of a roster; any error means nothing may be imported."""
    roster = Roster()
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
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
    index = {c: header.index(c) for c in COLUMNS}
    seen: dict[str, int] = {}
    try:
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(roster.rows) + len(roster.errors) >= MAX_ROWS:
                roster.errors.append((line, f"A roster can have at most {MAX_ROWS} rows."))
                break
            row = _check_row(line, cells, index, organisations, existing_emails,
                             enrolled_emails, seen, roster.errors)
            if row is not None:
                roster.rows.append(row)
    except csv.Error as error:
        roster.errors.append((reader.line_num, f"The file could not be read as CSV ({error})."))
    if not roster.rows and not roster.errors:
        roster.errors.append((None, "The file has a header row but no people."))
    return roster


def _check_row(line, cells, index, organisations, existing_emails, enrolled_emails, seen,
               errors) -> RosterRow | None:
    def cell(name: str) -> str:
        i = index[name]
        return cells[i].strip() if i < len(cells) else ""

    problems = []
    name, email = cell("name"), cell("email").lower()
    if not name:
        problems.append("name is missing")
    elif len(name) > 200:
        problems.append("name is longer than 200 characters")
    if not EMAIL_RE.match(email) or len(email) > 254:
        problems.append(f"'{email or '(blank)'}' is not an email address")
    elif email in seen:
        problems.append(f"{email} is also on row {seen[email]}")
    elif email in enrolled_emails:
        problems.append(f"{email} is already enrolled on this cohort")
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
        errors.append((line, message[0].upper() + message[1:] + "."))
        return None
    return RosterRow(line=line, name=name, email=email,
                     organisation=organisations.get(org_key, ""), specialism=specialism,
                     jurisdiction=jurisdiction, existing_account=email in existing_emails)
