"""Every crafted file in tests/corpus.py comes out of `prepare` clean, or is refused with a reason.

"Clean" is checked by searching the copy markers get for the trainee's name, e-mail and GPS
position everywhere they could be: the raw bytes; the same words as UTF-16 (LE and BE), hex
and base64; inside every zlib stream found anywhere in the bytes; in every PDF object's
strings, names and decoded streams; in every zip member (and its name, extra field and
comment, the zip comment and any local entry the central directory leaves out); and, for
every picture (a JPEG or PNG on its own, in word/media, or a JPEG image stream in a PDF),
by structure: EXIF holds at most the orientation, no GPS, XMP, IPTC or comments, only
allowlisted PNG chunks, nothing after the end. The same search is run on the originals
(test_the_search_finds_what_each_case_hides), so a check that cannot fail shows up there.
"""

import base64
import html
import io
import re
import struct
import time
import tracemalloc
import warnings
import zipfile
import zlib

import pytest
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
    TextStringObject,
)

from lms.uploads import DOCX, JPEG, PDF, PNG, Refused, prepare
from tests import corpus
from tests.corpus import CLEANED, EMAIL, GPS_LATITUDE, GPS_LONGITUDE, GPS_TEXT, NAME, REFUSED

CASES = corpus.cases()
KINDS = (PDF, DOCX, PNG, JPEG)
MB = 1 << 20

# ---------------------------------------------------------------------------------------------
# What to search for


def _spellings(word: str) -> dict[str, bytes]:
    """A word as text, UTF-16 (both byte orders), hex and base64 at each of its 3 alignments."""
    text = word.encode()
    forms = {"": text, " as UTF-16LE": word.encode("utf-16-le"),
             " as UTF-16BE": word.encode("utf-16-be"), " as hex": text.hex().encode(),
             " as UTF-16BE hex": word.encode("utf-16-be").hex().encode()}
    for shift in range(3):  # only the base64 characters that depend on the word alone
        encoded = base64.b64encode(bytes(shift) + text)
        forms[f" as base64 (+{shift})"] = encoded[(8 * shift + 5) // 6:8 * (shift + len(text)) // 6]
    return {f"{word!r}{how}": spelling.lower() for how, spelling in forms.items()}


def _rationals(pairs, order: str) -> bytes:
    return struct.pack(order + "6I", *(n for pair in pairs for n in pair))


# The first name and surname apart catch "Jordan Ellis", "Ellis, Jordan", "Jordan%20Ellis"
# and the e-mail address; all searches are case-insensitive.
NEEDLES = {
    **_spellings(NAME.split()[0]), **_spellings(NAME.split()[1]),
    **_spellings(GPS_TEXT[0]), **_spellings(GPS_TEXT[1]), **_spellings("<script"),
    **{f"GPS {what} as EXIF rationals ({order})": _rationals(pairs, order).lower()
       for what, pairs in (("latitude", GPS_LATITUDE), ("longitude", GPS_LONGITUDE))
       for order in "<>"},
}
assert EMAIL.startswith(NAME.split()[0].lower())  # so the first name's needles find it


def _inflated(data: bytes):
    """Every zlib stream in `data`, wherever it starts (output capped, so a bomb stays small)."""
    for at in range(len(data) - 2):
        header = data[at]
        if header & 0x0F != 8 or header >> 4 > 7 or (header << 8 | data[at + 1]) % 31:
            continue
        inflater, out = zlib.decompressobj(), []
        try:
            for start in range(at, len(data), 4096):
                out.append(inflater.decompress(data[start:start + 4096], 16 * MB))
                if inflater.eof or sum(map(len, out)) >= 16 * MB:
                    break
        except zlib.error:
            pass  # keep what came out before the damage
        if any(out):
            yield at, b"".join(out)


def _traces(data: bytes, where: str, *, inflate: bool = True) -> list[str]:
    """Where `data` (and any zlib stream inside it) gives away a secret."""
    lowered = data.lower()
    found = [f"{where}: {label}" for label, needle in NEEDLES.items() if needle in lowered]
    if inflate:
        for at, inflated in _inflated(data):
            found += _traces(inflated, f"{where} > zlib stream at byte {at}", inflate=False)
    return found


# ---------------------------------------------------------------------------------------------
# JPEG and PNG: by structure, and with Pillow

_ORIENTATION = 0x0112
_JPEG_ALLOWED_APP = {0xE0: b"JFIF\0", 0xE2: b"ICC_PROFILE\0", 0xEE: b"Adobe"}


def _exif_tags(tiff: bytes) -> tuple[set[int], int]:
    """The tags of a TIFF/EXIF block's first IFD, and where its next IFD is (0: none)."""
    order = {b"II": "<", b"MM": ">"}[tiff[:2]]
    (first,) = struct.unpack(order + "I", tiff[4:8])
    (count,) = struct.unpack(order + "H", tiff[first:first + 2])
    tags = {struct.unpack(order + "H", tiff[first + 2 + 12 * n:first + 4 + 12 * n])[0]
            for n in range(count)}
    (after,) = struct.unpack(order + "I", tiff[first + 2 + 12 * count:first + 6 + 12 * count])
    return tags, after


def _jpeg_findings(data: bytes, where: str) -> list[str]:
    """Segments a cleaned JPEG must not have, read marker by marker through every scan."""
    found = _traces(data, where)
    if not data.startswith(b"\xff\xd8"):
        return [*found, f"{where}: does not start with SOI"]
    at, ended = 2, False
    while at + 2 <= len(data):
        if data[at] != 0xFF:
            found.append(f"{where}: stray bytes at {at}")
            break
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        if marker == 0xD9:
            at, ended = at + 2, True
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            at += 2
            continue
        if at + 4 > len(data):
            break
        (length,) = struct.unpack(">H", data[at + 2:at + 4])
        body = data[at + 4:at + 2 + length]
        if marker == 0xE1 and body.startswith(b"Exif\0\0"):
            try:
                tags, after = _exif_tags(body[6:])
            except (KeyError, struct.error):
                found.append(f"{where}: unreadable EXIF")
            else:
                if tags - {_ORIENTATION}:
                    found.append(f"{where}: EXIF tags other than Orientation: {sorted(tags)}")
                if after:
                    found.append(f"{where}: EXIF has a second IFD (thumbnail)")
        elif marker == 0xFE:
            found.append(f"{where}: COM comment segment")
        elif 0xE0 <= marker <= 0xEF and not body.startswith(_JPEG_ALLOWED_APP.get(marker, b"?!")):
            found.append(f"{where}: APP{marker - 0xE0} segment {body[:20]!r}")
        at += 2 + length
        if marker == 0xDA:  # entropy-coded data runs to the next marker that is not RSTn
            while at + 1 < len(data) and not (
                    data[at] == 0xFF and data[at + 1] not in (0x00, *range(0xD0, 0xD8))):
                at += 1
    if not ended:
        found.append(f"{where}: no end-of-image marker")
    if data[at:]:
        found.append(f"{where}: {len(data) - at} bytes after the end of the image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data)) as image:
                exif = image.getexif()
                if set(exif) - {_ORIENTATION} or exif.get_ifd(0x8825):
                    found.append(f"{where}: Pillow reads EXIF {dict(exif)}")
                found += [f"{where}: Pillow reads {key}" for key in
                          ("comment", "xmp", "photoshop", "mp", "mpoffset") if key in image.info]
    except Exception as error:  # noqa: BLE001 - any failure to read is the finding
        found.append(f"{where}: Pillow cannot read it ({type(error).__name__})")
    return found


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_ALLOWED = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP",
                b"pHYs", b"sBIT", b"bKGD"}


def _png_findings(data: bytes, where: str) -> list[str]:
    """Chunks outside the allowlist, broken chunks, or anything after IEND."""
    found = _traces(data, where)
    if not data.startswith(_PNG_SIGNATURE):
        return [*found, f"{where}: no PNG signature"]
    at, kinds = len(_PNG_SIGNATURE), []
    while at + 12 <= len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length:at + 12 + length] or b"\0\0\0\0")
        if crc != zlib.crc32(kind + body):
            found.append(f"{where}: chunk {kind!r} has a bad CRC")
        kinds.append(kind)
        at += 12 + length
        if kind == b"IEND":
            break
    found += [f"{where}: chunk {kind!r} is not allowed" for kind in kinds
              if kind not in _PNG_ALLOWED]
    if not kinds or kinds[0] != b"IHDR" or kinds[-1] != b"IEND":
        found.append(f"{where}: chunks {kinds} do not run from IHDR to IEND")
    if data[at:]:
        found.append(f"{where}: {len(data) - at} bytes after IEND")
    return found


# ---------------------------------------------------------------------------------------------
# PDF: every object, every string, every stream


_PDF_FORBIDDEN_KEYS = {"/JS", "/JavaScript", "/OpenAction", "/AA", "/EmbeddedFiles", "/XFA"}
_PDF_FORBIDDEN_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData"}


def _pdf_value_findings(value, where: str) -> list[str]:
    """Secrets and forbidden features in one PDF value and the direct values inside it."""
    if isinstance(value, TextStringObject):
        return _traces(value.original_bytes + b"\n" + str(value).encode(), where, inflate=False)
    if isinstance(value, ByteStringObject):
        return _traces(bytes(value), where, inflate=False)
    if isinstance(value, NameObject):
        return _traces(str(value).encode(), where, inflate=False)
    found = []
    if isinstance(value, ArrayObject):
        for n, item in enumerate(value):
            found += _pdf_value_findings(item, f"{where}[{n}]")
    if isinstance(value, DictionaryObject):
        found += [f"{where}: {key}" for key in _PDF_FORBIDDEN_KEYS & set(value)]
        if value.get("/S") in _PDF_FORBIDDEN_ACTIONS:
            found.append(f"{where}: {value['/S']} action")
        if value.get("/Type") == "/EmbeddedFile" or "/EF" in value:
            found.append(f"{where}: embedded file")
        if value.get("/Subtype") == "/FileAttachment":
            found.append(f"{where}: file attachment annotation")
        is_field = any(key in value for key in ("/FT", "/Parent", "/Kids", "/T"))
        for key in ("/V", "/DV"):
            if is_field and key in value and str(value[key]) not in ("", "/Off"):
                found.append(f"{where}: form field value {key}")
        for key, item in value.items():
            found += _traces(str(key).encode(), f"{where} key", inflate=False)
            found += _pdf_value_findings(item, f"{where}{key}")
    if isinstance(value, StreamObject):
        try:
            decoded = value.get_data()
        except Exception:  # noqa: BLE001 - a filter pypdf cannot undo: search the raw bytes
            decoded = value._data
        found += _traces(decoded, f"{where} stream")
        if decoded.startswith(b"\xff\xd8\xff"):
            found += _jpeg_findings(decoded, f"{where} JPEG image")
    return found


def _pdf_findings(data: bytes) -> list[str]:
    found = _traces(data, "PDF bytes")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                return [*found, "PDF is encrypted: its contents cannot be checked"]
            numbers = {(number, generation) for generation, table in reader.xref.items()
                       for number in table} | {(number, 0) for number in reader.xref_objStm}
            objects = [("trailer", reader.trailer)] + [
                (f"object {number}", reader.get_object(IndirectObject(number, generation, reader)))
                for number, generation in sorted(numbers)]
    except Exception as error:  # noqa: BLE001 - any failure to read is the finding
        return [*found, f"pypdf cannot read the PDF ({type(error).__name__}: {error})"]
    for where, value in objects:
        found += _pdf_value_findings(value, where)
    return found


def _pdf_pages_and_text(data: bytes) -> tuple[int, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = PdfReader(io.BytesIO(data), strict=False)
        return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


# ---------------------------------------------------------------------------------------------
# DOCX: every zip member and everything around them

_EXTERNAL = re.compile(rb"""TargetMode\s*=\s*["']\s*External""", re.IGNORECASE)


def _local_entries(data: bytes):
    """Every local file entry in the bytes, listed in the central directory or not, unpacked."""
    for match in re.finditer(rb"PK\x03\x04", data):
        at = match.start()
        try:
            (*_, flags, method, _, _, _, size, _, name_length, extra_length) = struct.unpack(
                "<4s5H3I2H", data[at:at + 30])
        except struct.error:
            continue
        start = at + 30 + name_length + extra_length
        raw = data[start:start + size] if size and not flags & 8 else data[start:]
        body = raw
        if method == zipfile.ZIP_DEFLATED:
            inflater = zlib.decompressobj(-15)
            try:
                body = inflater.decompress(raw, 16 * MB)
            except zlib.error:
                body = b""
        yield data[at + 30:at + 30 + name_length], body


def _docx_findings(data: bytes, where: str = "DOCX", depth: int = 0) -> list[str]:
    found = _traces(data, f"{where} bytes")
    for name, body in _local_entries(data):
        found += _traces(body, f"{where} local entry {name!r}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        return [*found, f"{where}: not a zip ({error})"]
    with archive:
        found += _traces(archive.comment, f"{where} zip comment")
        for info in archive.infolist():
            member = f"{where}/{info.filename}"
            found += _traces(info.filename.encode(), f"{member} (its name)", inflate=False)
            found += _traces(info.extra, f"{member} (its extra field)")
            found += _traces(info.comment, f"{member} (its comment)")
            if info.file_size > 64 * MB:
                found.append(f"{member}: {info.file_size} bytes, too big to check")
                continue
            body = archive.read(info)
            found += _traces(body, member)
            if info.filename.endswith(".rels") and _EXTERNAL.search(body):
                found.append(f"{member}: a relationship with TargetMode External")
            if "vbaproject" in info.filename.lower():
                found.append(f"{member}: macros")
            if body.startswith(b"\xff\xd8\xff"):
                found += _jpeg_findings(body, member)
            elif body.startswith(_PNG_SIGNATURE):
                found += _png_findings(body, member)
            elif body.startswith(b"PK\x03\x04") and depth < 2:
                found += _docx_findings(body, member, depth + 1)
    return found


def _docx_words(data: bytes) -> str:
    """The text of word/document.xml's w:t elements (whatever prefix the cleaner wrote)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode()
    runs = re.findall(r"<(?:\w+:)?t(?:\s[^>]*)?>([^<]*)</(?:\w+:)?t>", xml)
    return html.unescape("".join(runs))


# ---------------------------------------------------------------------------------------------


def findings(data: bytes, kind: str) -> list[str]:
    """Everything in a file of `kind` that a marker must not get; [] for a clean copy."""
    check = {PDF: _pdf_findings, DOCX: _docx_findings,
             JPEG: lambda data: _jpeg_findings(data, "JPEG"),
             PNG: lambda data: _png_findings(data, "PNG")}[kind]
    return list(dict.fromkeys(check(data)))  # each finding once, in order


def _nominal_kind(data: bytes) -> str:
    """What a file in the corpus is meant to be, from its first bytes."""
    if data.startswith(b"%PDF"):
        return PDF
    if data.startswith(_PNG_SIGNATURE):
        return PNG
    if data.startswith(b"\xff\xd8"):
        return JPEG
    return DOCX


def _orientation(data: bytes) -> int | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Image.open(io.BytesIO(data)) as image:
            return image.getexif().get(_ORIENTATION)


def _assert_still_usable(case: corpus.Case, kind: str, cleaned: bytes, text: str) -> None:
    """The copy markers get still opens and still shows what the trainee wrote."""
    if kind == PDF:
        pages, visible = _pdf_pages_and_text(cleaned)
        assert pages == _pdf_pages_and_text(case.data)[0]
        assert corpus.VISIBLE in visible
        assert corpus.VISIBLE in text
    elif kind == DOCX:
        assert corpus.VISIBLE in _docx_words(cleaned)
        assert corpus.VISIBLE in text
    else:
        with Image.open(io.BytesIO(cleaned)) as image:
            image.load()
            assert image.format == {PNG: "PNG", JPEG: "JPEG"}[kind]
            assert image.size == corpus.SIZE
        original = _orientation(case.data) if _nominal_kind(case.data) == JPEG else None
        if kind == JPEG and original not in (None, 1):
            assert _orientation(cleaned) == original, "the photo would turn the wrong way"


_NOT_FOR_TRAINEES = ("Traceback", "Error(", "Error:", "Exception", "struct", "zlib", "b'", "\\x",
                     "errno", "NoneType", "object has no attribute", "codec", 'File "')


def _assert_a_sentence(reason) -> None:
    """A reason a trainee can act on: a sentence, not an exception's text."""
    assert isinstance(reason, str)
    assert re.match(r"[A-Z]", reason) and reason.rstrip().endswith("."), reason
    assert len(reason.split()) >= 4, reason
    assert not [words for words in _NOT_FOR_TRAINEES if words in reason], reason


# ---------------------------------------------------------------------------------------------


def test_the_corpus_and_the_cleaner_name_kinds_alike():
    assert (corpus.PDF, corpus.DOCX, corpus.PNG, corpus.JPEG) == (PDF, DOCX, PNG, JPEG)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_crafted_file_comes_out_clean_or_is_refused(case):
    try:
        prepared = prepare(case.data)
    except Refused as refused:
        assert case.expect != CLEANED, f"{case.note}: an everyday file was refused: {refused}"
        _assert_a_sentence(refused.reason)
        return
    assert case.expect != REFUSED, f"{case.note}: accepted as {prepared.kind}, not refused"
    assert prepared.kind in KINDS
    if case.kind:
        assert prepared.kind == case.kind
    assert isinstance(prepared.cleaned, bytes)
    assert isinstance(prepared.text, str)
    left = findings(prepared.cleaned, prepared.kind)
    assert not left, f"{case.note}: the cleaned copy still has:\n" + "\n".join(left)
    _assert_still_usable(case, prepared.kind, prepared.cleaned, prepared.text)


@pytest.mark.parametrize("case", [case for case in CASES if case.expect != REFUSED],
                         ids=[case.id for case in CASES if case.expect != REFUSED])
def test_the_search_finds_what_each_case_hides(case):
    """The checks can fail: the original of each case fails them, and the baselines pass."""
    kind = case.kind or _nominal_kind(case.data)
    found = findings(case.data, kind)
    if case.hides:
        assert found, f"{case.note}: the search finds nothing in the original"
    else:
        assert found == []
        _assert_still_usable(case, kind, case.data, corpus.VISIBLE)


def test_a_sideways_photo_stays_sideways():
    prepared = prepare(corpus.jpeg_exif_orientation().data)
    with Image.open(io.BytesIO(prepared.cleaned)) as image:
        assert image.getexif().get(_ORIENTATION) == 6
        assert image.size == corpus.SIZE


TEXT_CASES = corpus.named_in_text()


@pytest.mark.parametrize("case", TEXT_CASES, ids=[case.id for case in TEXT_CASES])
def test_the_text_shows_the_name_where_readers_would_see_it(case):
    """So the app can warn a trainee whose comment or annotation names them."""
    prepared = prepare(case.data)
    assert prepared.kind == case.kind
    assert NAME in prepared.text, f"{case.note}: not in the text the app checks"
    assert corpus.VISIBLE in prepared.text


def test_a_zip_bomb_is_refused_quickly_without_unpacking_it():
    bomb = corpus.zip_bomb()
    assert len(bomb) < MB
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(Refused) as refused:
            prepare(bomb)
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * MB, f"{peak / MB:.0f} MB used at the peak"
    assert seconds < 5
    _assert_a_sentence(refused.value.reason)
    assert re.search(r"size|large|big|\d\s*[MG]B", refused.value.reason, re.IGNORECASE)
