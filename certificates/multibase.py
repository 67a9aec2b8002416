"""Multibase text for bytes (base58btc 'z', base64url 'u') and Multikey for Ed25519 keys.

Multibase: https://www.w3.org/TR/controller-document/#multibase-0 ; Multikey prefixes from
the multicodec table: 0xed01 is an Ed25519 public key, 0x8026 an Ed25519 private key.
"""

import base64

BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ED25519_PUBLIC_PREFIX = b"\xed\x01"
ED25519_PRIVATE_PREFIX = b"\x80\x26"
ED25519_KEY_LENGTH = 32


class MultibaseError(ValueError):
    """Text that is not the multibase or Multikey value expected."""


def base58_encode(data: bytes) -> str:
    """Return the Bitcoin base58 text of some bytes (leading zero bytes become '1')."""
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, remainder = divmod(number, 58)
        digits.append(BASE58_ALPHABET[remainder])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(digits))


def base58_decode(text: str) -> bytes:
    """Return the bytes of Bitcoin base58 text."""
    number = 0
    for character in text:
        position = BASE58_ALPHABET.find(character)
        if position < 0:
            raise MultibaseError(f"{character!r} is not a base58 character")
        number = number * 58 + position
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * zeros + body


def encode_base58btc(data: bytes) -> str:
    """Return multibase base58btc text: 'z' then base58."""
    return "z" + base58_encode(data)


def decode_base58btc(text: str) -> bytes:
    """Return the bytes of multibase base58btc text, refusing any other base."""
    if not text.startswith("z"):
        raise MultibaseError("multibase base58btc text starts with 'z'")
    return base58_decode(text[1:])


def encode_base64url(data: bytes) -> str:
    """Return multibase base64url text: 'u' then unpadded base64url."""
    return "u" + base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def decode_base64url(text: str) -> bytes:
    """Return the bytes of multibase base64url text, refusing any other base."""
    if not text.startswith("u"):
        raise MultibaseError("multibase base64url text starts with 'u'")
    body = text[1:]
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError as error:
        raise MultibaseError("not base64url text") from error


def encode_multikey(prefix: bytes, raw_key: bytes) -> str:
    """Return the Multikey text of a raw 32-byte key with its multicodec prefix."""
    if len(raw_key) != ED25519_KEY_LENGTH:
        raise MultibaseError("an Ed25519 key is 32 bytes")
    return encode_base58btc(prefix + raw_key)


def decode_multikey(prefix: bytes, text: str) -> bytes:
    """Return the raw 32-byte key in Multikey text, checking its multicodec prefix."""
    data = decode_base58btc(text)
    if not data.startswith(prefix) or len(data) != len(prefix) + ED25519_KEY_LENGTH:
        raise MultibaseError("not a Multikey of the expected Ed25519 kind")
    return data[len(prefix) :]
