"""Rebuild JPEG and PNG images from only the parts needed to show them.

An allowlist, not a list of known hiding places: a JPEG keeps its tables, frame and scans (and
its orientation, so photos stay upright), a PNG its critical and colour chunks; everything else
(EXIF with its GPS position, XMP, IPTC, comments, private chunks, a second image after the end
marker) is left behind."""

import re
import struct

from lms.uploads.kinds import PNG_SIGNATURE
from lms.uploads.refused import DAMAGED, Refused

# Frames (SOF0-15 but DHT/JPG/DAC), tables (DHT, DAC, DQT), restart interval (DRI), line
# count (DNL) and the scan headers (SOS).
_JPEG_KEEP = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF,
              0xC4, 0xCC, 0xDB, 0xDD, 0xDC, 0xDA}
_ADOBE = 0xEE  # APP14 "Adobe": tells decoders how CMYK colours were stored; kept, trimmed
_SOS, _EOI, _APP1 = 0xDA, 0xD9, 0xE1
# The end of entropy-coded data: 0xFF followed by anything but stuffing (00), a restart
# marker (D0-D7) or another fill byte (FF).
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def clean_jpeg(data: bytes) -> bytes:
    """Return the image with only the segments a decoder needs, up to the first end marker."""
    if not data.startswith(b"\xff\xd8"):
        raise Refused(DAMAGED)
    out, at, orientation, scans = [b"\xff\xd8"], 2, None, 0
    while True:
        while at < len(data) and data[at] == 0xFF and at + 1 < len(data) \
                and data[at + 1] == 0xFF:  # fill bytes before a marker
            at += 1
        if at + 2 > len(data) or data[at] != 0xFF:
            raise Refused(DAMAGED)
        marker = data[at + 1]
        if marker == _EOI:
            if not scans:
                raise Refused(DAMAGED)
            out.append(b"\xff\xd9")  # and nothing after it: no second image, no trailer
            break
        if at + 4 > len(data):
            raise Refused(DAMAGED)
        (length,) = struct.unpack(">H", data[at + 2:at + 4])
        end = at + 2 + length
        if length < 2 or end > len(data):
            raise Refused(DAMAGED)
        if marker == _APP1 and orientation is None:
            orientation = _orientation(data[at + 4:end])
        if marker in _JPEG_KEEP:
            out.append(data[at:end])
        elif marker == _ADOBE and data[at + 4:at + 9] == b"Adobe" and length >= 14:
            out.append(b"\xff\xee\x00\x0e" + data[at + 4:at + 16])
        at = end
        if marker == _SOS:
            found = _SCAN_END.search(data, at)
            if found is None:
                raise Refused(DAMAGED)
            out.append(data[at:found.start()])
            at, scans = found.start(), scans + 1
    if orientation and orientation != 1:
        out.insert(1, _orientation_only(orientation))
    return b"".join(out)


def _orientation(segment: bytes) -> int | None:
    """The EXIF Orientation value in an APP1 segment's body, if it has one."""
    if not segment.startswith(b"Exif\x00\x00"):
        return None
    tiff = segment[6:]
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return None
    try:
        (ifd,) = struct.unpack(order + "I", tiff[4:8])
        (count,) = struct.unpack(order + "H", tiff[ifd:ifd + 2])
        for n in range(min(count, 512)):
            entry = tiff[ifd + 2 + 12 * n: ifd + 14 + 12 * n]
            tag, kind = struct.unpack(order + "HH", entry[:4])
            if tag == 0x0112 and kind == 3:
                value = struct.unpack(order + "H", entry[8:10])[0]
                return value if 1 <= value <= 8 else None
    except struct.error:  # damaged EXIF: it is dropped whole, orientation with it
        return None
    return None


def _orientation_only(value: int) -> bytes:
    """An APP1 segment whose EXIF holds nothing but the Orientation tag."""
    body = (b"Exif\x00\x00MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1)
            + struct.pack(">HHIH", 0x0112, 3, 1, value) + b"\x00\x00" + struct.pack(">I", 0))
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


# Critical chunks and the colour and transparency ones a viewer uses. Not iCCP (a profile
# carries a free-text name), not text, time, EXIF, private or animation chunks.
_PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT",
             b"bKGD", b"pHYs"}


def clean_png(data: bytes) -> bytes:
    """Return the image with only critical and known-safe chunks, up to IEND."""
    if not data.startswith(PNG_SIGNATURE):
        raise Refused(DAMAGED)
    out, at = [PNG_SIGNATURE], len(PNG_SIGNATURE)
    while True:
        if at + 8 > len(data):
            raise Refused(DAMAGED)
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind = data[at + 4:at + 8]
        end = at + 12 + length
        if end > len(data) or (at == len(PNG_SIGNATURE) and kind != b"IHDR"):
            raise Refused(DAMAGED)
        if kind in _PNG_KEEP:
            out.append(data[at:end])
        at = end
        if kind == b"IEND":
            return b"".join(out)  # nothing after the end
