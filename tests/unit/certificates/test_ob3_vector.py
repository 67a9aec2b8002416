"""The W3C vc-di-eddsa test vector for eddsa-rdfc-2022, reproduced byte for byte."""

import json
from datetime import datetime
from pathlib import Path

from certificates.dataintegrity import sign, verify
from certificates.jsonld import canonical_nquads
from certificates.keys import (
    load_private_key,
    lookup_from,
    public_key_from_multibase,
    public_key_to_multibase,
)

VECTORS = Path(__file__).parent / "vectors"


def _json(name: str) -> dict:
    return json.loads((VECTORS / name).read_text(encoding="utf-8"))


def _unsigned() -> dict:
    return {key: value for key, value in _json("signedDataInt.json").items() if key != "proof"}


def _key_pair():
    return _json("keyPair.json")


def test_the_key_pair_decodes_and_its_public_half_matches():
    pair = _key_pair()
    private_key = load_private_key(pair["privateKeyMultibase"])
    assert public_key_to_multibase(private_key.public_key()) == pair["publicKeyMultibase"]


def test_the_document_canonicalises_to_the_published_n_quads():
    expected = (VECTORS / "canonDocDataInt.txt").read_text(encoding="utf-8")
    assert canonical_nquads(_unsigned()) == expected


def test_signing_gives_the_published_proof_value_and_signed_document():
    config = _json("proofConfigDataInt.json")
    private_key = load_private_key(_key_pair()["privateKeyMultibase"])
    signed = sign(
        _unsigned(),
        private_key,
        config["verificationMethod"],
        datetime.fromisoformat(config["created"]),
    )
    expected_value = (VECTORS / "sigBTC58DataInt.txt").read_text(encoding="utf-8").strip()
    assert signed["proof"]["proofValue"] == expected_value
    assert signed == _json("signedDataInt.json")


def test_the_published_signed_document_verifies_and_a_changed_copy_does_not():
    signed = _json("signedDataInt.json")
    method = signed["proof"]["verificationMethod"]
    lookup = lookup_from({method: public_key_from_multibase(_key_pair()["publicKeyMultibase"])})
    assert verify(signed, lookup)
    signed["credentialSubject"]["alumniOf"] = "The School of Exampled"
    assert not verify(signed, lookup)
