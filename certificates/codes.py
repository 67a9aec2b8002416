"""Verification codes: short enough to type from paper, too many to guess.

A code is twelve characters from a 31-character alphabet (about 59 bits), printed in groups of
four: K7QX-9FD3-M2PA. The alphabet leaves out 0, O, 1, I and L, so nobody reading a printed
code has to choose between them; a code that contains one of them was mistyped, and does not
match. What people do type by accident is mended before comparing: lower case, spaces, dashes
of any kind, full-width characters from a phone keyboard, and Cyrillic or Greek capitals that
look exactly like Latin ones (a reader typing on a Ukrainian or Greek keyboard layout).
"""

import re
import secrets
import unicodedata

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 12
GROUP = 4

# Capitals in other scripts drawn the same as a Latin capital in the alphabet.
_HOMOGLYPHS = str.maketrans({
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K", "М": "M", "Р": "P", "Т": "T",
    "Х": "X", "У": "Y", "Ѕ": "S", "Ј": "J",  # Cyrillic
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Κ": "K", "Μ": "M", "Ν": "N", "Ρ": "P",
    "Τ": "T", "Υ": "Y", "Χ": "X",  # Greek
})
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−_.·/]+")
_VALID = re.compile(f"[{ALPHABET}]{{{LENGTH}}}")


def new_code() -> str:
    """Return a new random code, grouped for printing: "K7QX-9FD3-M2PA"."""
    return format_code("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def normalise_code(text: str) -> str:
    """Return typed text as a bare code to compare: "k7qx 9fd3–m2pa" gives "K7QX9FD3M2PA".

    The result is not checked; is_code says whether it could be a code at all."""
    text = unicodedata.normalize("NFKC", text or "").upper().translate(_HOMOGLYPHS)
    return _SEPARATORS.sub("", text)


def is_code(text: str) -> bool:
    """Say whether typed text, once normalised, has the shape of a code."""
    return _VALID.fullmatch(normalise_code(text)) is not None


def format_code(text: str) -> str:
    """Return a code in groups of four for printing: "K7QX9FD3M2PA" gives "K7QX-9FD3-M2PA"."""
    bare = normalise_code(text)
    if _VALID.fullmatch(bare) is None:
        raise ValueError(f"not a verification code: {text!r}")
    return "-".join(bare[n:n + GROUP] for n in range(0, LENGTH, GROUP))
