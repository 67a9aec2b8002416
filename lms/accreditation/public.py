"""The public check of one advocate, and the register of accredited organisations.

Advocates work against organised crime, so the check confirms; it never helps anyone find a
person. It answers someone who already holds an accreditation number and the surname that goes
with it, with the name, status, specialism and valid-until date, and nothing else (never the
employer, town or region). Every failed check does the same work and gets the same answer,
whichever part was wrong: a wrong or malformed number, a wrong surname, an entry withheld at the
advocate's request, or someone who is not on the register.

Surnames are compared as `name_key` reads them: accents, case, apostrophes, hyphens, full stops
and spaces do not count ("o'neill", "O Neill" and "O'Néill" are one surname). The typed surname
must equal the last word of the name on the register, or its last two or three words taken
together ("de la Cruz", "Cruz", "Smith Jones" for "Smith-Jones" or "Smith Jones"), never the
whole name of someone with more than one name (the first is a given name). A single-word name is
its own surname.
"""

import hashlib
import hmac
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from lms.accreditation import numbers, rules
from lms.accreditation.models import RegisterEntry
from lms.auth.models import User
from lms.extensions import db
from lms.vocab import NATIONS

# ---------------------------------------------------------------------------- surnames

SURNAME_WORDS = 3  # the most final words a surname may take ("de la Cruz")
# Letters that carry no accent to strip: the nearest plain letters, as people type them.
_PLAIN = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d",
                        "þ": "th", "ı": "i", "ŀ": "l"})


def name_key(text: str) -> str:
    """A name as compared: letters and digits only, without accents, in one case."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    folded = bare.casefold().translate(_PLAIN)
    return "".join(char for char in folded if char.isalnum())


def surname_candidates(full_name: str) -> list[str]:
    """The keys a typed surname may equal: the last one, two and three words of the name,
    always SURNAME_WORDS of them ("" where the name has too few words), so every name takes
    the same work."""
    words = (full_name or "").split()
    most = max(1, len(words) - 1)
    return [name_key("".join(words[-count:])) if count <= most else ""
            for count in range(1, SURNAME_WORDS + 1)]


def _digest(key: str) -> bytes:
    return hashlib.sha256(b"surname:" + key.encode()).digest()


def surname_matches(typed: str, full_name: str) -> bool:
    """Whether `typed` is the surname of `full_name`, compared in time that does not depend
    on where the two differ (fixed-length digests, every candidate compared)."""
    typed_key = name_key(typed)
    typed_digest = _digest(typed_key)
    found = False
    for candidate in surname_candidates(full_name):
        same = hmac.compare_digest(typed_digest, _digest(candidate))
        found = (same and candidate != "") or found
    return found and typed_key != ""


# ---------------------------------------------------------------------------- the check

# The states a person on the register is shown in. Someone not (or no longer) qualified has no
# place on it: their check answers as no match.
SHOWN = frozenset({"qualified", "accredited", "accredited_conditions", "renewal_overdue",
                   "no_employer", "lapsed", "suspended", "withdrawn"})

# What each status means, in one line for someone checking an advocate.
MEANINGS = {
    "accredited": "Accredited: may practise as an Independent Modern Slavery Advocate.",
    "accredited_conditions": "Accredited and may practise, while meeting conditions set by "
                             "the course team.",
    "renewal_overdue": "Still accredited, within a short grace period to complete last year's "
                       "continuing professional development.",
    "qualified": "Holds the PG Cert in the specialism shown, but is not accredited as an "
                 "Independent Modern Slavery Advocate.",
    "no_employer": "Not practising as an accredited advocate: not working for an accredited "
                   "organisation at present.",
    "lapsed": "No longer accredited: the accreditation was not kept up to date.",
    "suspended": "Accreditation suspended: may not practise as an accredited advocate while "
                 "the suspension lasts.",
    "withdrawn": "Accreditation withdrawn: no longer accredited.",
}
GLOSSARY = tuple((rules.STATES[state], meaning) for state, meaning in MEANINGS.items())
# Not a real number (0 is not in the alphabet), looked up when what was typed cannot be one,
# so that a malformed number takes the same work as any other.
NO_NUMBER = "IMSA-0000-0000"
# Stands in for a person's name when no entry has the number, for the same reason.
STAND_IN_NAME = "Nobody On The Register"


@dataclass(frozen=True)
class Answer:
    """All the check ever says about a person."""

    name: str
    state: str
    label: str
    meaning: str
    specialism: str
    valid_until: date | None


def check(number_typed: str, surname_typed: str, today: date) -> Answer | None:
    """The answer for a number and surname, or None for no match. Every failure does the same
    work, whichever part is wrong: one lookup by number and one surname comparison (against a
    stand-in name when no entry has the number)."""
    from lms.accreditation import services

    number = numbers.normalise(number_typed) or NO_NUMBER
    # Plain columns, not objects: loading a person would load more with them, and only for
    # a number that exists.
    entry = db.session.execute(
        select(RegisterEntry.user_id, RegisterEntry.withheld, User.name)
        .join(User, User.id == RegisterEntry.user_id)
        .where(RegisterEntry.number == number)).first()
    surname_right = surname_matches(surname_typed,
                                    entry.name if entry is not None else STAND_IN_NAME)
    if entry is None or entry.withheld or not surname_right:
        return None
    # Worked out from the records on every request, so a change of status shows at once: the
    # CPD figures it reuses are kept under the entries' own versions (cpd.kept_from_entries).
    person = db.session.get(User, entry.user_id)
    status = services.advocate_status_of(person, today)
    if status.state not in SHOWN:
        return None
    return Answer(name=person.name, state=status.state, label=status.label,
                  meaning=MEANINGS[status.state],
                  specialism=_capital(rules.SPECIALISM_WORDS.get(status.specialism or "", "")),
                  valid_until=status.valid_until if status.accredited else None)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------- organisations

# Shown on the register: a partner needs to know an organisation is suspended as much as that
# it is accredited. Declined, expired, withdrawn and never applied are not listed.
LISTED = ("accredited", "accredited_conditions", "suspended")


@dataclass(frozen=True)
class ListedOrganisation:
    name: str
    nation: str
    region: str
    state: str
    label: str
    valid_until: date | None


def listed_organisations(today: date) -> list[ListedOrganisation]:
    """Every organisation on the register today, by nation, region and name (two queries and
    the batched status reading, however many organisations there are)."""
    from lms.accreditation import services
    from lms.organisations.models import HostOrganisation

    orgs = db.session.scalars(select(HostOrganisation)).all()
    statuses = services.org_statuses(orgs, today)
    listed = [ListedOrganisation(org.name, org.nation, (org.region or "").strip(),
                                 statuses[org.id].state, statuses[org.id].label,
                                 statuses[org.id].valid_until
                                 if statuses[org.id].state != "suspended" else None)
              for org in orgs if statuses[org.id].state in LISTED]
    return sorted(listed, key=_register_order)


def _register_order(org: ListedOrganisation) -> tuple:
    nations = list(NATIONS)
    place = nations.index(org.nation) if org.nation in nations else len(nations)
    return place, org.region.casefold(), org.name.casefold()


def regions_of(listed: list[ListedOrganisation], nation: str) -> list[str]:
    """The regions of a nation with an organisation on the register, alphabetically."""
    return sorted({org.region for org in listed if org.nation == nation and org.region},
                  key=str.casefold)


def in_place(listed: list[ListedOrganisation], nation: str | None,
             region: str | None) -> list[ListedOrganisation]:
    """The organisations in a nation (and region), or all of them."""
    return [org for org in listed
            if (nation is None or org.nation == nation)
            and (region is None or org.region == region)]
