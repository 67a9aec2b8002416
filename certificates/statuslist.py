"""W3C Bitstring Status List v1.0: revocation and suspension published as signed bitstrings.

Each certificate gets one index (chosen at random among the free ones, so neighbours in the
list say nothing about each other). Its bit is set in the revocation list when it is revoked
and in the suspension list while it is suspended. Index 0 is the left-most bit of the first
byte. The list is GZIP-compressed (mtime 0, so the same bits give the same bytes) and written
as multibase base64url ('u').
"""

import gzip
import secrets
from collections.abc import Collection, Iterable
from datetime import datetime

from certificates.dataintegrity import Signer, xsd_datetime
from certificates.jsonld import VC_V2
from certificates.multibase import decode_base64url, encode_base64url

MIN_LIST_LENGTH = 131_072  # bits: 16 KB, the specification's minimum, for herd privacy
PURPOSES = ("revocation", "suspension")


def encode_list(set_indexes: Iterable[int], length: int = MIN_LIST_LENGTH) -> str:
    """Return the encodedList text for a bitstring of length bits with these bits set."""
    if length < MIN_LIST_LENGTH or length % 8:
        raise ValueError(f"a status list has a multiple of 8 bits, at least {MIN_LIST_LENGTH}")
    bits = bytearray(length // 8)
    for index in set_indexes:
        _check_index(index, length)
        bits[index // 8] |= 0x80 >> (index % 8)
    return encode_base64url(gzip.compress(bytes(bits), mtime=0))


def decode_list(encoded_list: str) -> bytes:
    """Return the bitstring in encodedList text, refusing one shorter than the minimum."""
    bits = gzip.decompress(decode_base64url(encoded_list))
    if len(bits) * 8 < MIN_LIST_LENGTH:
        raise ValueError("the status list is shorter than the minimum length")
    return bits


def bit_is_set(encoded_list: str, index: int) -> bool:
    """Return whether the bit at index is set in encodedList text."""
    bits = decode_list(encoded_list)
    _check_index(index, len(bits) * 8)
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def choose_index(taken: Collection[int], length: int = MIN_LIST_LENGTH) -> int:
    """Return a random index not yet taken; refuse when the list is full."""
    taken = set(taken)
    for _ in range(64):  # a list is mostly free, so a random draw almost always lands
        index = secrets.randbelow(length)
        if index not in taken:
            return index
    free = [index for index in range(length) if index not in taken]
    if not free:
        raise ValueError("the status list is full")
    return secrets.choice(free)


def status_entry(list_url: str, purpose: str, index: int, length: int = MIN_LIST_LENGTH) -> dict:
    """Return the BitstringStatusListEntry pointing a credential at its bit in a list."""
    _check_purpose(purpose)
    _check_index(index, length)
    return {
        "id": f"{list_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_url,
    }


def status_list_credential(
    url: str,
    purpose: str,
    set_indexes: Iterable[int],
    issuer_id: str,
    signer: Signer,
    published: datetime,
    length: int = MIN_LIST_LENGTH,
) -> dict:
    """Return the signed BitstringStatusListCredential served at url for one purpose."""
    _check_purpose(purpose)
    credential = {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": xsd_datetime(published),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": encode_list(set_indexes, length),
        },
    }
    return signer.sign(credential, published)


def _check_purpose(purpose: str) -> None:
    if purpose not in PURPOSES:
        raise ValueError(f"a status purpose is one of {', '.join(PURPOSES)}")


def _check_index(index: int, length: int) -> None:
    if not 0 <= index < length:
        raise ValueError(f"a status list index is from 0 to {length - 1}")
