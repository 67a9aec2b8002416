"""Accreditation numbers: short enough to read over the phone, random so they cannot be
guessed or counted (`IMSA-7K3Q-9XFD`), and forgiving of case, spaces and dashes."""

import re
import secrets

# No 0/O, 1/I/L or U/V: a number read aloud or typed from paper comes out the same.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
PREFIXES = {
    "modern_slavery": "IMSA",
    "domestic_abuse": "IDVA",
    "sexual_violence": "ISVA",
    "stalking": "ISA",
}


def new_number(specialism: str) -> str:
    """A fresh random number for the register (8 characters: about 4 × 10¹¹ possibilities)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{PREFIXES.get(specialism, 'IMSA')}-{body[:4]}-{body[4:]}"


def normalise(text: str) -> str | None:
    """The number as stored, from what someone typed ("imsa 7k3q 9xfd"), or None when it
    cannot be a number at all (a character outside the alphabet is never one)."""
    squashed = re.sub(r"[\s\-–—_.]", "", text or "")
    if not squashed.isascii():
        # Upper-casing would turn look-alikes into letters of the alphabet ("ß" into "SS",
        # a dotless "ı" into "I"): a character outside ASCII is never part of a number.
        return None
    squashed = squashed.upper()
    match = re.match(r"^(IMSA|IDVA|ISVA|ISA)(.{8})$", squashed)
    if not match:
        return None
    prefix, body = match.groups()
    if any(char not in ALPHABET for char in body):
        return None
    return f"{prefix}-{body[:4]}-{body[4:]}"

