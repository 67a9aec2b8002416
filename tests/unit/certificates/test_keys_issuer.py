"""The issuer's signing key: stored, read back, and published as Multikey and did:web."""

import stat
from datetime import UTC, datetime

import pytest

from certificates.dataintegrity import sign, verify
from certificates.keys import (
    did_document,
    did_web,
    generate_private_key,
    key_id_in_did,
    load_private_key,
    lookup_in_did_document,
    multikey_document,
    private_key_to_multibase,
    private_key_to_pem,
    public_key_from_multibase,
    public_key_to_multibase,
    read_or_create_key_file,
)

DOCUMENT = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
    "issuer": "https://issuer.test",
    "credentialSubject": {"id": "urn:uuid:00000000-0000-4000-8000-000000000000"},
}


def _same_key(first, second) -> bool:
    return private_key_to_multibase(first) == private_key_to_multibase(second)


def test_a_key_reads_back_from_pem_and_from_its_multikey_secret():
    key = generate_private_key()
    assert _same_key(load_private_key(private_key_to_pem(key)), key)
    assert _same_key(load_private_key(private_key_to_multibase(key) + "\n"), key)
    assert private_key_to_multibase(key).startswith("z3u2")


@pytest.mark.parametrize("text", ["", "secret", "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"])
def test_text_that_is_not_a_private_key_is_refused(text):
    with pytest.raises(ValueError, match="signing key"):
        load_private_key(text)


def test_a_key_file_is_created_once_readable_only_by_its_owner(tmp_path):
    path = tmp_path / "instance" / "signing-key.pem"
    first = read_or_create_key_file(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _same_key(read_or_create_key_file(path), first)


@pytest.mark.parametrize(
    ("site", "did"),
    [
        ("https://lms.example.ac.uk", "did:web:lms.example.ac.uk"),
        ("https://lms.example.ac.uk/", "did:web:lms.example.ac.uk"),
        ("http://127.0.0.1:5000", "did:web:127.0.0.1%3A5000"),
        ("https://example.ac.uk/imsa/lms", "did:web:example.ac.uk:imsa:lms"),
    ],
)
def test_did_web_encodes_the_port_and_the_path(site, did):
    assert did_web(site) == did


def test_the_multikey_document_publishes_the_public_key_only():
    key = generate_private_key()
    document = multikey_document(key.public_key(), "https://issuer.test/issuer/key", "did:web:x")
    assert document["type"] == "Multikey"
    assert document["@context"] == ["https://w3id.org/security/multikey/v1"]
    assert public_key_to_multibase(public_key_from_multibase(document["publicKeyMultibase"])) == (
        public_key_to_multibase(key.public_key())
    )
    assert set(document) == {"@context", "id", "type", "controller", "publicKeyMultibase"}


def test_a_credential_signed_with_the_did_key_verifies_from_the_did_document_alone():
    did = did_web("https://issuer.test")
    current, retired, stranger = (generate_private_key() for _ in range(3))
    published = did_document(did, [current.public_key(), retired.public_key()])
    assert published["assertionMethod"] == [
        key_id_in_did(did, current.public_key()),
        key_id_in_did(did, retired.public_key()),
    ]
    lookup = lookup_in_did_document(published)
    created = datetime(2026, 1, 5, 9, 30, tzinfo=UTC)
    for key in (current, retired):
        assert verify(sign(DOCUMENT, key, key_id_in_did(did, key.public_key()), created), lookup)
    # A key the DID document does not list is not trusted, even under a listed id.
    forged = sign(DOCUMENT, stranger, key_id_in_did(did, current.public_key()), created)
    assert not verify(forged, lookup)
    unlisted = sign(DOCUMENT, stranger, key_id_in_did(did, stranger.public_key()), created)
    assert not verify(unlisted, lookup)
