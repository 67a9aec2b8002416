"""Bitstring Status Lists: the bit of a revoked or suspended certificate, and only it, is set."""

import base64
import gzip
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certificates.dataintegrity import Signer, verify
from certificates.keys import generate_private_key, lookup_from
from certificates.statuslist import (
    MIN_LIST_LENGTH,
    bit_is_set,
    choose_index,
    decode_list,
    encode_list,
    status_entry,
    status_list_credential,
)

LIST_URL = "https://lms.test/status/revocation"
PUBLISHED = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _raw_bytes(encoded_list: str) -> bytes:
    body = encoded_list[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def test_an_empty_list_is_16_kb_of_zeros_in_gzip_base64url():
    encoded = encode_list([])
    assert encoded.startswith("u")
    assert "=" not in encoded and "+" not in encoded and "/" not in encoded
    assert _raw_bytes(encoded) == bytes(MIN_LIST_LENGTH // 8)


def test_index_zero_is_the_left_most_bit_of_the_first_byte():
    raw = _raw_bytes(encode_list([0, 9, MIN_LIST_LENGTH - 1]))
    assert raw[0] == 0b1000_0000
    assert raw[1] == 0b0100_0000
    assert raw[-1] == 0b0000_0001
    assert sum(bin(byte).count("1") for byte in raw) == 3


@given(
    st.sets(st.integers(0, MIN_LIST_LENGTH - 1), max_size=20), st.integers(0, MIN_LIST_LENGTH - 1)
)
def test_exactly_the_set_indexes_read_back_as_set(revoked, probe):
    encoded = encode_list(revoked)
    assert bit_is_set(encoded, probe) == (probe in revoked)
    for index in revoked:
        assert bit_is_set(encoded, index)


def test_the_same_indexes_give_the_same_text_whatever_their_order():
    assert encode_list([5, 70_000, 3]) == encode_list([3, 5, 70_000])


@pytest.mark.parametrize("index", [-1, MIN_LIST_LENGTH])
def test_an_index_outside_the_list_is_refused(index):
    with pytest.raises(ValueError, match="index"):
        encode_list([index])
    with pytest.raises(ValueError, match="index"):
        bit_is_set(encode_list([]), index)


def test_a_list_shorter_than_the_minimum_is_refused_both_ways():
    with pytest.raises(ValueError, match="at least"):
        encode_list([], length=MIN_LIST_LENGTH - 8)
    short = "u" + base64.urlsafe_b64encode(gzip.compress(bytes(100), mtime=0)).decode()
    with pytest.raises(ValueError, match="shorter"):
        decode_list(short)


def test_choose_index_never_gives_a_taken_index():
    assert choose_index({1, 2, 3}) not in {1, 2, 3}
    taken = set(range(MIN_LIST_LENGTH)) - {4242}
    assert choose_index(taken) == 4242
    with pytest.raises(ValueError, match="full"):
        choose_index(set(range(MIN_LIST_LENGTH)))


def test_the_entry_points_at_its_bit_in_the_list():
    assert status_entry(LIST_URL, "suspension", 94567) == {
        "id": f"{LIST_URL}#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "suspension",
        "statusListIndex": "94567",
        "statusListCredential": LIST_URL,
    }
    with pytest.raises(ValueError, match="purpose"):
        status_entry(LIST_URL, "refresh", 1)


def test_the_status_list_credential_is_signed_and_a_flipped_bit_breaks_it():
    key = generate_private_key()
    signer = Signer(key, "did:web:lms.test#key")
    credential = status_list_credential(
        LIST_URL, "revocation", [17], "did:web:lms.test", signer, PUBLISHED
    )
    subject = credential["credentialSubject"]
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["id"] == LIST_URL
    assert subject["statusPurpose"] == "revocation"
    assert bit_is_set(subject["encodedList"], 17)
    assert not bit_is_set(subject["encodedList"], 18)
    lookup = lookup_from({"did:web:lms.test#key": key.public_key()})
    assert verify(credential, lookup)
    subject["encodedList"] = encode_list([])
    assert not verify(credential, lookup)


def test_the_same_list_published_at_the_same_time_gives_the_same_credential():
    signer = Signer(generate_private_key(), "did:web:lms.test#key")
    first, second = (
        status_list_credential(
            LIST_URL, "suspension", [1, 2], "did:web:lms.test", signer, PUBLISHED
        )
        for _ in range(2)
    )
    assert first == second
