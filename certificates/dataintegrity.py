"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (W3C vc-di-eddsa, Ed25519).

To sign: canonicalise (RDFC-1.0) the document without its proof and the proof configuration
(the proof without proofValue, carrying the document's @context), hash each with SHA-256, and
sign proofConfigHash + documentHash with Ed25519. proofValue is the signature in base58btc.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pyld.jsonld import JsonLdError

from certificates.jsonld import canonical_nquads
from certificates.multibase import MultibaseError, decode_base58btc, encode_base58btc

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_PURPOSE = "assertionMethod"
SIGNATURE_LENGTH = 64

PublicKeyLookup = Callable[[str], Ed25519PublicKey | None]


@dataclass(frozen=True)
class Signer:
    """The issuer's private key and the verification method that names its public half."""

    private_key: Ed25519PrivateKey
    verification_method: str

    def sign(self, document: dict, created: datetime) -> dict:
        """Return a copy of the document with this key's proof added."""
        return sign(document, self.private_key, self.verification_method, created)


def xsd_datetime(moment: datetime) -> str:
    """Return a timezone-aware moment as an XML Schema dateTime in UTC, to the second."""
    if moment.tzinfo is None:
        raise ValueError("a credential's times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def proof_configuration(verification_method: str, created: datetime) -> dict:
    """Return the proof options (everything in the proof but its value)."""
    return {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": xsd_datetime(created),
        "verificationMethod": verification_method,
        "proofPurpose": PROOF_PURPOSE,
    }


def hash_data(unsecured_document: dict, proof_config: dict) -> bytes:
    """Return SHA-256(canonical proof config) + SHA-256(canonical document): what is signed."""
    config = {**proof_config, "@context": unsecured_document["@context"]}
    config_hash = hashlib.sha256(canonical_nquads(config).encode("utf-8")).digest()
    document_hash = hashlib.sha256(canonical_nquads(unsecured_document).encode("utf-8")).digest()
    return config_hash + document_hash


def sign(
    document: dict,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
) -> dict:
    """Return a copy of a JSON-LD document with an eddsa-rdfc-2022 proof added."""
    if "proof" in document:
        raise ValueError("the document already has a proof")
    config = proof_configuration(verification_method, created)
    signature = private_key.sign(hash_data(document, config))
    return {**document, "proof": {**config, "proofValue": encode_base58btc(signature)}}


def verify(signed_document: dict, public_key_lookup: PublicKeyLookup) -> bool:
    """Return whether the document's eddsa-rdfc-2022 proofs are good for the document as it is.

    The proof may be one object or a list (Open Badges 3.0 asks for a list); every proof in it
    must verify. public_key_lookup maps a verificationMethod to the Ed25519 public key it
    names, or None for a method this verifier does not trust. Any malformed proof, unknown key
    or unknown context gives False rather than an error.
    """
    proofs = signed_document.get("proof")
    proofs = proofs if isinstance(proofs, list) else [proofs]
    unsecured = {key: value for key, value in signed_document.items() if key != "proof"}
    if "@context" not in unsecured:
        return False
    return bool(proofs) and all(
        _verify_one(unsecured, proof, public_key_lookup) for proof in proofs
    )


def _verify_one(unsecured: dict, proof, public_key_lookup: PublicKeyLookup) -> bool:
    if not isinstance(proof, dict) or not _is_our_kind(proof):
        return False
    public_key = public_key_lookup(proof["verificationMethod"])
    if public_key is None:
        return False
    config = {key: value for key, value in proof.items() if key != "proofValue"}
    if not _contexts_agree(unsecured, config):
        return False
    try:
        signature = decode_base58btc(proof["proofValue"])
        if len(signature) != SIGNATURE_LENGTH:
            return False
        public_key.verify(signature, hash_data(unsecured, config))
    except (MultibaseError, JsonLdError, InvalidSignature):
        return False
    return True


def _is_our_kind(proof: dict) -> bool:
    return (
        proof.get("type") == PROOF_TYPE
        and proof.get("cryptosuite") == CRYPTOSUITE
        and proof.get("proofPurpose") == PROOF_PURPOSE
        and isinstance(proof.get("verificationMethod"), str)
        and isinstance(proof.get("proofValue"), str)
    )


def _contexts_agree(unsecured: dict, config: dict) -> bool:
    # vc-di-eddsa: a proof that names contexts must name the document's first contexts, in order.
    if "@context" not in config:
        return True
    document_contexts = _as_list(unsecured.get("@context"))
    proof_contexts = _as_list(config["@context"])
    return document_contexts[: len(proof_contexts)] == proof_contexts


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]
