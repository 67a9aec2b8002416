"""Open Badges 3.0 for certificates: the site's signing key and DID, the holder's signed
AchievementCredential, and the signed revocation and suspension status lists.

The issuer is the site's did:web (from EXTERNAL_URL), so a verifier finds the public key at
/.well-known/did.json. A credential is deterministic: it is signed as of its issue day (midnight
UTC), so downloading it twice gives the same bytes. Revocation and suspension are not in the
credential but in the status lists, computed on each request from the certificate records.
"""

import uuid
from datetime import UTC, datetime, time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask import current_app
from sqlalchemy import select

from certificates.dataintegrity import Signer
from certificates.facts import ModuleCompletion
from certificates.keys import (
    did_document,
    did_web,
    key_id_in_did,
    load_private_key,
    multikey_document,
)
from certificates.openbadges import Achievement, Issuer, achievement_credential, sign_credential
from certificates.printed import printed
from certificates.statuslist import status_entry, status_list_credential
from lms.certs.lookup import facts_of, verify_url
from lms.certs.models import Certificate
from lms.extensions import db
from lms.links import external_for, site_url

# The kinds a person holds (an organisation has no email address to name it by, and a
# transcript or CPD statement is a record, not an achievement).
BADGE_KINDS = ("module_completion", "advocate_accreditation")
STATUS_ENDPOINTS = {"revocation": "certs.status_revocation",
                    "suspension": "certs.status_suspension"}


def signing_key() -> Ed25519PrivateKey:
    """Return the configured signing key, read once per app and key."""
    text = current_app.config["SIGNING_KEY"]
    cached = current_app.extensions.get("lms_signing_key")
    if cached is None or cached[0] != text:
        cached = (text, load_private_key(text))
        current_app.extensions["lms_signing_key"] = cached
    return cached[1]


def issuer_did() -> str:
    """Return the site's did:web, the issuer of every credential and status list."""
    return did_web(site_url())


def key_id() -> str:
    """Return the verification method naming the signing key in the site's DID document."""
    return key_id_in_did(issuer_did(), signing_key().public_key())


def signer() -> Signer:
    """Return the signer for credentials and status lists."""
    return Signer(signing_key(), key_id())


def site_did_document() -> dict:
    """Return the site's DID document, publishing the signing key for assertions."""
    return did_document(issuer_did(), [signing_key().public_key()])


def issuer_key_document() -> dict:
    """Return the Multikey document for the signing key."""
    return multikey_document(signing_key().public_key(), key_id(), issuer_did())


def status_list_url(purpose: str) -> str:
    """Return the address of the revocation or suspension list."""
    return external_for(STATUS_ENDPOINTS[purpose])


def status_list(purpose: str, now: datetime) -> dict:
    """Return the signed status list for a purpose, its bits read with one query.

    A revoked certificate's bit is set in the revocation list for good; a suspended one's in
    the suspension list while the suspension stands (lifting it clears suspended_at)."""
    column = Certificate.revoked_at if purpose == "revocation" else Certificate.suspended_at
    indexes = db.session.scalars(select(Certificate.status_index).where(column.is_not(None)))
    return status_list_credential(status_list_url(purpose), purpose, list(indexes), issuer_did(),
                                  signer(), now.replace(microsecond=0))


def can_download_credential(user, certificate: Certificate, administered_ids: set[int]) -> bool:
    """Say whether someone may download a certificate's credential: its holder, an admin of
    the organisation it belongs to, or staff."""
    if certificate.user_id is not None and certificate.user_id == user.id:
        return True
    if certificate.organisation_id is not None and certificate.organisation_id in administered_ids:
        return True
    return user.has_role("admin")  # the staff who issue, revoke and suspend


def has_credential(certificate: Certificate) -> bool:
    """Say whether a certificate comes as an Open Badges credential."""
    return certificate.kind in BADGE_KINDS and certificate.user is not None


def _midnight(day) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def _achievement(facts) -> Achievement:
    if isinstance(facts, ModuleCompletion):
        name = f"Module completion: {facts.module_title}"
        return Achievement(
            id=_achievement_id("module_completion", facts.module_title), name=name,
            description=(f"Completed the module {facts.module_title} of the Postgraduate "
                         "Certificate in Independent Advocacy."),
            criteria=("Pass the module's assessed work, marked and moderated by the Bakhita "
                      "Centre, St Mary's University, with the result released."),
            achievement_type="CertificateOfCompletion")
    return Achievement(
        id=_achievement_id("advocate_accreditation", facts.specialism),
        name=f"Accredited independent advocate: {facts.specialism}",
        description=("Accredited as an independent advocate in the specialism named, for the "
                     "period of the credential."),
        criteria=("Hold the Postgraduate Certificate in Independent Advocacy in the specialism, "
                  "be employed by an accredited host organisation, have the initial conditions "
                  "confirmed by course staff, and meet each year's CPD requirement."),
        achievement_type="Certification")


def _achievement_id(kind: str, name: str) -> str:
    # The same for every holder of the same achievement, and stable across runs.
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{site_url()}/achievements/{kind}/{name}')}"


def credential_for(certificate: Certificate) -> dict:
    """Return the holder's signed AchievementCredential; the same certificate, the same bytes."""
    facts = facts_of(certificate)
    issued = _midnight(certificate.issued_on)
    # valid_until is the last day it holds: the credential runs to the end of that day.
    until = (datetime.combine(certificate.valid_until, time(23, 59, 59), tzinfo=UTC)
             if certificate.valid_until else None)
    credential = achievement_credential(
        credential_id=verify_url(certificate.code),
        name=printed(facts).title, issuer=Issuer(id=issuer_did(), url=site_url()),
        achievement=_achievement(facts), email=certificate.user.email, salt=certificate.salt,
        valid_from=issued, valid_until=until,
        status=status_entry(status_list_url("revocation"), "revocation",
                            certificate.status_index))
    return sign_credential(credential, signer(), issued)

