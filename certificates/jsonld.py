"""JSON-LD canonicalisation with contexts read only from files shipped in this package.

Nothing is ever fetched: the document loader knows a fixed set of context URLs, checks each
file against its pinned SHA-256, and refuses every other URL. Canonical form is RDFC-1.0, which
pyld calls URDNA2015 (RDFC-1.0 is its standardised name; the output is the same).
"""

import hashlib
import json
from functools import cache
from pathlib import Path

from pyld import jsonld

CONTEXTS_DIR = Path(__file__).parent / "contexts"

# url -> (file in CONTEXTS_DIR, SHA-256 of that file as published)
CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": (
        "credentials-v2.json",
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    ),
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": (
        "ob-v3p0-context-3.0.3.json",
        "3d34f4d4ef1bce691106e63798beb5e7b862ba841423f5ee1e53ab7ddf3bca84",
    ),
    "https://w3id.org/security/data-integrity/v2": (
        "security-data-integrity-v2.json",
        "67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4",
    ),
    "https://w3id.org/security/multikey/v1": (
        "security-multikey-v1.json",
        "ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597",
    ),
    "https://www.w3.org/ns/credentials/examples/v2": (
        "credentials-examples-v2.json",
        "0a9fc589ab6ab89ca41a9001b50e69e35e62f20245679ae4b6801626720a0e07",
    ),
}

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"


class UnknownContextError(jsonld.JsonLdError):
    """A document named a context URL that is not shipped with the package."""


@cache
def _context_document(url: str) -> dict:
    filename, pinned = CONTEXTS[url]
    data = (CONTEXTS_DIR / filename).read_bytes()
    if hashlib.sha256(data).hexdigest() != pinned:
        raise UnknownContextError(
            f"{filename} does not match its pinned SHA-256", "jsonld.LoadDocumentError"
        )
    return json.loads(data)


def load_document(url: str, options: dict | None = None) -> dict:
    """Return the shipped context at a URL as pyld expects it; refuse any other URL."""
    if url not in CONTEXTS:
        raise UnknownContextError(
            f"refusing to load {url!r}: only the shipped contexts are used",
            "jsonld.LoadDocumentError",
            {"url": url},
            code="loading document failed",
        )
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": _context_document(url),
    }


def canonical_nquads(document: dict) -> str:
    """Return the RDFC-1.0 canonical N-Quads of a JSON-LD document."""
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": load_document,
    }
    try:
        return jsonld.normalize(document, options)
    except jsonld.JsonLdError as error:
        refusal = _refusal_behind(error)
        if refusal is None:
            raise
        raise refusal from error


def _refusal_behind(error: BaseException | None) -> UnknownContextError | None:
    # pyld wraps a loader's error in two or three errors of its own; surface ours.
    while error is not None:
        if isinstance(error, UnknownContextError):
            return error
        error = error.__cause__
    return None
