"""Shared form validators."""

import re

from wtforms.validators import Regexp, StopValidation

# Deliberately loose: one @, no spaces, a dot in the domain. Delivery proves the rest.
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def EmailAddress(message: str = "Enter an email address like name@example.org.") -> Regexp:  # noqa: N802
    return Regexp(EMAIL_RE, message=message)


def typed_length(text: str) -> int:
    """Count characters as the browser did: a line break is one, though it is sent as two."""
    return len(text) - text.count("\r\n")


def length_problem(text: str, limit: int, what: str) -> str | None:
    """Say what to do if text is over its limit; nothing if it fits."""
    length = typed_length(text or "")
    if length <= limit:
        return None
    return (f"{what} must be {limit:,} characters or fewer. It is {length:,}: shorten it by "
            f"{length - limit:,}.")


class MaxLength:
    """Refuse text over the limit (nothing is cut) and let the page state the limit.

    The flag is not `maxlength`: a browser silently cuts a paste at maxlength, and no form may
    throw typed text away; the server refuses instead, with the text kept."""

    def __init__(self, limit: int):
        self.limit = limit
        self.field_flags = {"textlimit": limit}

    def __call__(self, form, field) -> None:
        problem = length_problem(field.data or "", self.limit, field.label.text)
        if problem:
            raise StopValidation(problem)
