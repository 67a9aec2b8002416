"""Open Badges 3.0 credentials: valid against the 1EdTech schema, signed, and tamper-evident."""

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from jsonschema.validators import validator_for

from certificates.dataintegrity import Signer
from certificates.keys import generate_private_key, key_id_in_did, lookup_from
from certificates.openbadges import (
    Achievement,
    Issuer,
    achievement_credential,
    email_identity,
    identity_matches,
    sign_credential,
    verify_credential,
)
from certificates.statuslist import status_entry

SCHEMA = json.loads(
    (Path(__file__).parent / "vectors" / "achievementcredential.schema.json").read_text("utf-8")
)
DID = "did:web:lms.test"
KEY = generate_private_key()
SIGNER = Signer(KEY, key_id_in_did(DID, KEY.public_key()))
LOOKUP = lookup_from({SIGNER.verification_method: KEY.public_key()})
EMAIL = "Amina.Okafor@example.org"
ISSUED = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
ACCREDITATION = Achievement(
    id="https://lms.test/achievements/accredited-imsa",
    name="Accredited Independent Modern Slavery Advocate",
    description="Accredited to practise as an Independent Modern Slavery Advocate.",
    criteria="Completed the PG Cert, supervised practice and the accreditation panel.",
    achievement_type="License",
)


def _credential(**changes) -> dict:
    fields = {
        "credential_id": "https://lms.test/verify/K7QX-M2PD",
        "name": "IMSA accreditation: Amina Okafor",
        "issuer": Issuer(id=DID, url="https://lms.test/"),
        "achievement": ACCREDITATION,
        "email": EMAIL,
        "salt": "3f9a0c1d5e7b2a4c",
        "valid_from": ISSUED,
        "valid_until": datetime(2029, 3, 31, 23, 59, 59, tzinfo=UTC),
        "status": status_entry("https://lms.test/status/revocation", "revocation", 94567),
    }
    return achievement_credential(**(fields | changes))


def _signed(**changes) -> dict:
    return sign_credential(_credential(**changes), SIGNER, ISSUED)


def _schema_errors(credential: dict) -> list[str]:
    validator = validator_for(SCHEMA)(SCHEMA)
    return [error.message for error in validator.iter_errors(credential)]


def _leaves(value, path=()):
    """Yield the path of every string and boolean in a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for position, item in enumerate(value):
            yield from _leaves(item, (*path, position))
    elif isinstance(value, str | bool):
        yield path


def _changed(value):
    if isinstance(value, bool):
        return not value
    return value[:-1] + ("b" if value[-1] == "a" else "a")


def _with_one_change(document: dict, path: tuple) -> dict:
    changed = copy.deepcopy(document)
    parent = changed
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = _changed(parent[path[-1]])
    return changed


def test_the_schema_is_itself_valid():
    validator_for(SCHEMA).check_schema(SCHEMA)


def test_a_signed_credential_validates_against_the_schema_and_verifies():
    signed = _signed()
    assert _schema_errors(signed) == []
    assert verify_credential(signed, LOOKUP)


def test_a_credential_without_expiry_or_status_still_validates_and_verifies():
    signed = _signed(valid_until=None, status=None)
    assert "validUntil" not in signed and "credentialStatus" not in signed
    assert _schema_errors(signed) == []
    assert verify_credential(signed, LOOKUP)


def test_an_achievement_type_outside_the_open_badges_list_fails_the_schema():
    odd = Achievement("https://lms.test/a/1", "N", "D", "C", achievement_type="Trophy")
    assert _schema_errors(_signed(achievement=odd))


SIGNED = _signed()


@pytest.mark.parametrize("path", list(_leaves(SIGNED)), ids=lambda path: "/".join(map(str, path)))
def test_changing_one_character_of_any_value_breaks_verification(path):
    assert not verify_credential(_with_one_change(SIGNED, path), LOOKUP)


def test_a_credential_signed_by_another_key_under_our_key_id_does_not_verify():
    forger = Signer(generate_private_key(), SIGNER.verification_method)
    assert not verify_credential(sign_credential(_credential(), forger, ISSUED), LOOKUP)


def test_the_recipient_is_a_salted_hash_and_the_address_is_not_published():
    signed = _signed()
    assert EMAIL.lower() not in json.dumps(signed).lower()
    [identity] = signed["credentialSubject"]["identifier"]
    assert identity["identityHash"].startswith("sha256$")
    assert identity_matches(signed, "  amina.okafor@EXAMPLE.org ")
    assert not identity_matches(signed, "someone.else@example.org")
    other_salt = email_identity(EMAIL, "another-salt")["identityHash"]
    assert other_salt != identity["identityHash"]


def test_the_identity_hash_is_sha256_of_the_address_then_the_salt():
    # SHA-256 of the UTF-8 bytes "a@b.csalt" (sha256sum gives the same).
    assert email_identity("A@b.c", "salt")["identityHash"] == (
        "sha256$171a48afd51855d0da3e5cc625b7b5bc0147a0be0cdce2d27dd2865c0a80f62b"
    )


def test_times_must_say_their_time_zone():
    with pytest.raises(ValueError, match="timezone"):
        _credential(valid_from=datetime(2026, 4, 1, 9, 0))
