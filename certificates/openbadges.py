"""Open Badges 3.0 AchievementCredentials from plain data, signed with eddsa-rdfc-2022.

The recipient is named only by a salted SHA-256 of their email address, so the credential
publishes no address; anyone who knows the address and reads the salt can check it is theirs.
Open Badges 3.0 allows one credentialStatus, so a credential points at one status list entry
(the revocation list); suspension is published in its own list under the same index.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from certificates.dataintegrity import PublicKeyLookup, Signer, verify, xsd_datetime
from certificates.jsonld import DATA_INTEGRITY_V2, OB_V3, VC_V2

ISSUER_NAME = "Bakhita Centre, St Mary's University"
CONTEXTS = [VC_V2, OB_V3, DATA_INTEGRITY_V2]


@dataclass(frozen=True)
class Achievement:
    """What was achieved: the same for every holder (a module, an accreditation)."""

    id: str
    name: str
    description: str
    criteria: str  # narrative: what a holder had to do
    achievement_type: str  # from the Open Badges list, e.g. "CertificateOfCompletion", "License"


@dataclass(frozen=True)
class Issuer:
    """Who issues: the site's did:web (or https URL) and its name."""

    id: str
    name: str = ISSUER_NAME
    url: str | None = None


def new_salt() -> str:
    """Return a fresh random salt for a recipient's email hash (store it with the award)."""
    return secrets.token_hex(16)


def email_identity(email: str, salt: str) -> dict:
    """Return the IdentityObject naming a recipient by a salted hash of their email.

    The address is trimmed and lower-cased first, so whoever checks it need not guess the case.
    """
    normalised = email.strip().lower()
    digest = hashlib.sha256((normalised + salt).encode("utf-8")).hexdigest()
    return {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": f"sha256${digest}",
        "salt": salt,
    }


def achievement_credential(
    *,
    credential_id: str,
    name: str,
    issuer: Issuer,
    achievement: Achievement,
    email: str,
    salt: str,
    valid_from: datetime,
    valid_until: datetime | None = None,
    status: dict | None = None,
) -> dict:
    """Return the unsigned AchievementCredential for one holder's achievement.

    credential_id is the certificate's verify address; status a status_entry() (one only).
    """
    credential = {
        "@context": list(CONTEXTS),
        "id": credential_id,
        "type": ["VerifiableCredential", "AchievementCredential"],
        "name": name,
        "issuer": _profile(issuer),
        "validFrom": xsd_datetime(valid_from),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [email_identity(email, salt)],
            "achievement": _achievement(achievement),
        },
    }
    if valid_until is not None:
        credential["validUntil"] = xsd_datetime(valid_until)
    if status is not None:
        credential["credentialStatus"] = status
    return credential


def sign_credential(credential: dict, signer: Signer, created: datetime) -> dict:
    """Return the credential with its Data Integrity proof, as the list Open Badges expects."""
    signed = signer.sign(credential, created)
    return {**signed, "proof": [signed["proof"]]}


def verify_credential(credential: dict, public_key_lookup: PublicKeyLookup) -> bool:
    """Return whether every proof on the credential is good for it as it stands."""
    return verify(credential, public_key_lookup)


def identity_matches(credential: dict, email: str) -> bool:
    """Return whether the credential's hashed recipient is this email address."""
    identities = credential.get("credentialSubject", {}).get("identifier", [])
    return any(
        identity.get("hashed") is True
        and identity == email_identity(email, identity.get("salt", ""))
        for identity in identities
    )


def _profile(issuer: Issuer) -> dict:
    profile = {"id": issuer.id, "type": ["Profile"], "name": issuer.name}
    if issuer.url is not None:
        profile["url"] = issuer.url
    return profile


def _achievement(achievement: Achievement) -> dict:
    return {
        "id": achievement.id,
        "type": ["Achievement"],
        "name": achievement.name,
        "description": achievement.description,
        "criteria": {"narrative": achievement.criteria},
        "achievementType": achievement.achievement_type,
    }
