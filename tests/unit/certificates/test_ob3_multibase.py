"""Multibase text (base58btc, base64url) and Multikey prefixes for Ed25519 keys."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certificates.multibase import (
    ED25519_PRIVATE_PREFIX,
    ED25519_PUBLIC_PREFIX,
    MultibaseError,
    base58_decode,
    base58_encode,
    decode_base58btc,
    decode_base64url,
    decode_multikey,
    encode_base58btc,
    encode_base64url,
    encode_multikey,
)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"", ""),
        (b"\0", "1"),
        (b"\0\0\x01", "112"),
        (b"Hello World!", "2NEpo7TZRRrLZSi2U"),
        (bytes.fromhex("0000287fb4cd"), "11233QC4"),
    ],
)
def test_base58_matches_known_values(data, text):
    assert base58_encode(data) == text
    assert base58_decode(text) == data


@given(st.binary(max_size=80))
def test_base58btc_and_base64url_give_back_the_bytes(data):
    assert decode_base58btc(encode_base58btc(data)) == data
    assert decode_base64url(encode_base64url(data)) == data


def test_base64url_text_has_no_padding_and_the_u_prefix():
    assert encode_base64url(b"\xfb\xff") == "u-_8"


@pytest.mark.parametrize("text", ["", "f00", "zO0", "zl"])
def test_text_in_another_base_or_with_foreign_characters_is_refused(text):
    with pytest.raises(MultibaseError):
        decode_base58btc(text)


def test_multikey_checks_the_prefix_and_length():
    raw = bytes(range(32))
    public = encode_multikey(ED25519_PUBLIC_PREFIX, raw)
    assert public.startswith("z6Mk")
    assert decode_multikey(ED25519_PUBLIC_PREFIX, public) == raw
    with pytest.raises(MultibaseError):
        decode_multikey(ED25519_PRIVATE_PREFIX, public)
    with pytest.raises(MultibaseError):
        decode_multikey(ED25519_PUBLIC_PREFIX, encode_base58btc(ED25519_PUBLIC_PREFIX + raw[:31]))
    with pytest.raises(MultibaseError):
        encode_multikey(ED25519_PUBLIC_PREFIX, raw[:31])
