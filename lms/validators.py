"""Shared form validators."""

import re

from wtforms.validators import Regexp

# Deliberately loose: one @, no spaces, a dot in the domain. Delivery proves the rest.
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def EmailAddress(message: str = "Enter an email address like name@example.org.") -> Regexp:  # noqa: N802
    return Regexp(EMAIL_RE, message=message)
