"""The issuer's Ed25519 signing key: make, store, read, and publish it (Multikey, did:web).

The private key is kept as PKCS#8 PEM (a file in instance/ in development) or as its Multikey
secret text ("z3u2..."), which fits in one environment variable. Only the public half is
published: a Multikey document and a did:web DID document naming it for assertions.
"""

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from certificates.dataintegrity import PublicKeyLookup
from certificates.jsonld import MULTIKEY_V1
from certificates.multibase import (
    ED25519_PRIVATE_PREFIX,
    ED25519_PUBLIC_PREFIX,
    MultibaseError,
    decode_multikey,
    encode_multikey,
)

DID_V1 = "https://www.w3.org/ns/did/v1"


def generate_private_key() -> Ed25519PrivateKey:
    """Return a new random Ed25519 private key."""
    return Ed25519PrivateKey.generate()


def private_key_to_pem(private_key: Ed25519PrivateKey) -> str:
    """Return the private key as unencrypted PKCS#8 PEM text."""
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")


def private_key_to_multibase(private_key: Ed25519PrivateKey) -> str:
    """Return the private key as Multikey secret text (0x8026 prefix, base58btc)."""
    raw = private_key.private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return encode_multikey(ED25519_PRIVATE_PREFIX, raw)


def load_private_key(text: str) -> Ed25519PrivateKey:
    """Return the Ed25519 private key in PEM or Multikey secret text; refuse anything else."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the signing key must be an Ed25519 key")
        return key
    try:
        raw = decode_multikey(ED25519_PRIVATE_PREFIX, text)
    except MultibaseError as error:
        raise ValueError("the signing key is neither PEM nor an Ed25519 Multikey secret") from error
    return Ed25519PrivateKey.from_private_bytes(raw)


def read_or_create_key_file(path: Path) -> Ed25519PrivateKey:
    """Return the key stored at path, first writing a new one there (owner-only) if none is."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(private_key_to_pem(generate_private_key()))
    return load_private_key(path.read_text(encoding="ascii"))


def public_key_to_multibase(public_key: Ed25519PublicKey) -> str:
    """Return the public key as Multikey text ("z6Mk...": 0xed01 prefix, base58btc)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return encode_multikey(ED25519_PUBLIC_PREFIX, raw)


def public_key_from_multibase(text: str) -> Ed25519PublicKey:
    """Return the Ed25519 public key in Multikey text."""
    return Ed25519PublicKey.from_public_bytes(decode_multikey(ED25519_PUBLIC_PREFIX, text))


def multikey_document(public_key: Ed25519PublicKey, key_id: str, controller: str) -> dict:
    """Return the Multikey document publishing a public key under key_id."""
    return {
        "@context": [MULTIKEY_V1],
        "id": key_id,
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": public_key_to_multibase(public_key),
    }


def did_web(site_url: str) -> str:
    """Return the did:web DID of a site ("https://host:8443/lms" -> "did:web:host%3A8443:lms").

    Its DID document is served at /.well-known/did.json for a site at a host's root, and at
    <path>/did.json for a site under a path.
    """
    parts = urlsplit(site_url)
    segments = [quote(parts.netloc, safe="")]
    segments += [quote(segment, safe="") for segment in parts.path.split("/") if segment]
    return "did:web:" + ":".join(segments)


def key_id_in_did(did: str, public_key: Ed25519PublicKey) -> str:
    """Return the verification method id of a key in a DID document: did + "#" + Multikey."""
    return f"{did}#{public_key_to_multibase(public_key)}"


def did_document(did: str, public_keys: Iterable[Ed25519PublicKey]) -> dict:
    """Return the DID document for did, each key a Multikey usable for assertions.

    List the current key first; keep retired (not compromised) keys so older credentials
    still verify.
    """
    methods = [
        {
            "id": key_id_in_did(did, key),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": public_key_to_multibase(key),
        }
        for key in public_keys
    ]
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def lookup_from(keys: Mapping[str, Ed25519PublicKey]) -> PublicKeyLookup:
    """Return a public key lookup for verify() that trusts exactly these verification methods."""
    return lambda verification_method: keys.get(verification_method)


def lookup_in_did_document(document: dict) -> PublicKeyLookup:
    """Return a public key lookup trusting the assertion keys a DID document publishes."""
    assertion = set(document.get("assertionMethod", []))
    keys = {
        method["id"]: public_key_from_multibase(method["publicKeyMultibase"])
        for method in document.get("verificationMethod", [])
        if method.get("type") == "Multikey" and method.get("id") in assertion
    }
    return lookup_from(keys)
