"""JSON-LD contexts come only from the package: pinned files, and nothing else is loaded."""

import hashlib

import pytest

import certificates.jsonld as jsonld_module
from certificates.jsonld import (
    CONTEXTS,
    CONTEXTS_DIR,
    UnknownContextError,
    canonical_nquads,
    load_document,
)


@pytest.mark.parametrize("url", sorted(CONTEXTS))
def test_each_shipped_context_is_served_from_its_pinned_file(url):
    filename, pinned = CONTEXTS[url]
    assert hashlib.sha256((CONTEXTS_DIR / filename).read_bytes()).hexdigest() == pinned
    remote = load_document(url, {})
    assert remote["documentUrl"] == url
    assert "@context" in remote["document"]


@pytest.mark.parametrize(
    "url",
    [
        "https://www.w3.org/ns/did/v1",
        "https://example.org/context.json",
        "http://www.w3.org/ns/credentials/v2",
        "file:///etc/passwd",
    ],
)
def test_any_other_url_is_refused(url):
    with pytest.raises(UnknownContextError, match="refusing to load"):
        load_document(url, {})


def test_canonicalising_a_document_with_an_unknown_context_is_refused():
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://example.org/evil.json"],
        "type": ["VerifiableCredential"],
    }
    with pytest.raises(UnknownContextError, match="example.org/evil.json"):
        canonical_nquads(document)


def test_a_context_imported_from_inside_an_inline_context_is_refused():
    document = {"@context": {"@version": 1.1, "@import": "https://example.org/import.json"}}
    with pytest.raises(UnknownContextError):
        canonical_nquads(document)


def test_a_shipped_context_file_that_was_edited_is_refused(tmp_path, monkeypatch):
    for filename, _ in CONTEXTS.values():
        (tmp_path / filename).write_bytes((CONTEXTS_DIR / filename).read_bytes())
    edited = tmp_path / CONTEXTS["https://w3id.org/security/multikey/v1"][0]
    edited.write_bytes(edited.read_bytes().replace(b"publicKeyMultibase", b"publicKeyMultibasf"))
    monkeypatch.setattr(jsonld_module, "CONTEXTS_DIR", tmp_path)
    jsonld_module._context_document.cache_clear()
    try:
        with pytest.raises(UnknownContextError, match="pinned SHA-256"):
            load_document("https://w3id.org/security/multikey/v1", {})
        assert load_document("https://www.w3.org/ns/credentials/v2", {})["document"]
    finally:
        jsonld_module._context_document.cache_clear()
