"""Password policy: a pure rule, plus hashing with werkzeug's scrypt."""

import gzip
import re
from functools import cache
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12
MAX_LENGTH = 256
# 20,000 common passwords, from Django's django/contrib/auth/common-passwords.txt.gz (BSD licence).
COMMON_PASSWORDS_FILE = Path(__file__).with_name("data") / "common-passwords.txt.gz"


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def password_problems(password: str, *, email: str = "", name: str = "") -> list[str]:
    """Return what is wrong with a proposed password, in words a person can act on."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH} characters.")
    lowered = password.lower()
    core = re.sub(r"[\d\W_]+$", "", re.sub(r"^[\d\W_]+", "", lowered))
    common = common_passwords()
    if lowered in common or (len(core) >= 4 and core in common) or len(set(lowered)) <= 2:
        problems.append("This password is too common. Choose something harder to guess.")
    personal = [email.lower().split("@")[0]] + [part.lower() for part in name.split()]
    if any(len(p) >= 4 and p in lowered for p in personal):
        problems.append("Do not use your name or email address in your password.")
    return problems


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def check_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same effort when there is no hash, so timing does not reveal accounts.
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)


@cache
def _dummy_hash() -> str:
    return generate_password_hash("not-a-real-password-0000", method="scrypt")
