"""Audit records in words: names for ids, and before and after as "Status: Studying → Withdrawn".

Plain functions over plain data: the page collects the ids its events mention (`references`),
looks them all up at once (lms/audit/queries.py), and passes the names in."""

import re
from datetime import date

from lms.vocab import (
    ENROLMENT_STATUSES,
    JURISDICTIONS,
    NATIONS,
    ORGANISATION_KINDS,
    ORGANISATION_STATUSES,
    ROLES,
    SPECIALISMS,
)

# Keys whose values are ids of another record, and which record.
ID_KEYS = {"user_id": "User", "marker_id": "User", "granted_by_id": "User",
           "organisation_id": "HostOrganisation", "cohort_id": "Cohort"}
LABELS = {"user_id": "Person", "marker_id": "Marker", "granted_by_id": "Granted by",
          "organisation_id": "Organisation", "cohort_id": "Cohort", "end_date": "Last day",
          "student_id": "Student ID", "kind": "Type", "active": "Active account",
          "rows": "People imported", "already_enrolled": "Already enrolled",
          "mark_id": "Mark record", "criterion_marks": "Criterion marks"}
VOCABULARIES = {"roles": ROLES, "specialism": SPECIALISMS, "jurisdiction": JURISDICTIONS,
                "nation": NATIONS, "kind": ORGANISATION_KINDS,
                "accreditation_status": ORGANISATION_STATUSES}
SUBJECT_WORDS = {"User": "Person", "HostOrganisation": "Organisation", "Cohort": "Cohort",
                 "Enrolment": "Enrolment", "Employment": "Employment"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Names = dict[tuple[str, int], str]


def references(events) -> dict[str, set[int]]:
    """Return the ids each kind of record that a page of events mentions, to look up at once."""
    wanted: dict[str, set[int]] = {}
    for event in events:
        if event.actor_id is not None:
            wanted.setdefault("User", set()).add(event.actor_id)
        if event.subject_type and event.subject_id is not None:
            wanted.setdefault(event.subject_type, set()).add(event.subject_id)
        for values in (event.before or {}, event.after or {}):
            for key, value in values.items():
                if key in ID_KEYS and isinstance(value, int):
                    wanted.setdefault(ID_KEYS[key], set()).add(value)
    return wanted


def subject_label(subject_type: str | None, subject_id: int | None, names: Names) -> str:
    """Name what an event was about: "Kofi Mensah", or "Submission 12" when it has no name."""
    if subject_type is None:
        return ""
    found = names.get((subject_type, subject_id))
    if found:
        return found
    words = SUBJECT_WORDS.get(subject_type) or re.sub(r"(?<!^)(?=[A-Z])", " ",
                                                      subject_type).capitalize()
    return f"{words} {subject_id}" if subject_id is not None else words


def field_label(key: str) -> str:
    if key in LABELS:
        return LABELS[key]
    return key.removesuffix("_id").replace("_", " ").capitalize()


def value_words(key: str, value, names: Names) -> str:
    """Show one recorded value as people read it."""
    if value is None or value == "" or value == []:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key in ID_KEYS and isinstance(value, int):
        return names.get((ID_KEYS[key], value), f"#{value}")
    if isinstance(value, list):
        order = list(VOCABULARIES.get(key, ()))  # roles in the order the pages list them
        items = sorted(value, key=lambda v: order.index(v) if v in order else len(order))
        return ", ".join(value_words(key, item, names) for item in items)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {value_words(k, v, names)}" for k, v in value.items())
    if isinstance(value, str):
        vocabulary = VOCABULARIES.get(key)
        if vocabulary and value in vocabulary:
            return vocabulary[value]
        if key == "status" and value in ENROLMENT_STATUSES:
            return ENROLMENT_STATUSES[value]
        if ISO_DATE.match(value):
            try:
                return date.fromisoformat(value).strftime("%-d %B %Y")
            except ValueError:
                return value
        if key in {"status", "state", "role"}:
            return value.replace("_", " ")
    return str(value)


def change_lines(before: dict | None, after: dict | None, names: Names) -> list[str]:
    """Return one line per field that changed: "Status: Studying → Withdrawn".

    A record made from nothing lists what it was made with ("Email: ann@example.org"); a
    field that did not change is left out."""
    before, after = before or None, after or None
    if before is None and after is None:
        return []
    if before is None:
        return [f"{field_label(k)}: {value_words(k, v, names)}" for k, v in after.items()]
    if after is None:
        return [f"{field_label(k)}: was {value_words(k, v, names)}" for k, v in before.items()]
    lines = []
    for key in [*after, *(k for k in before if k not in after)]:
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        lines.append(f"{field_label(key)}: {value_words(key, old, names)} → "
                     f"{value_words(key, new, names)}")
    return lines
