"""Remove who-wrote-it metadata from an uploaded file before anonymous markers open it.

A file name is not the only place a name hides: a PDF's document information and XMP
metadata, a Word document's core properties, comment and tracked-change authors, and a
photo's EXIF or text chunks all carry names (and photos can carry a location). The original
bytes stay stored untouched (the receipt's hash covers them); markers of anonymous work get
the copy this module makes. No Flask, no database: bytes in, bytes out.
"""

import html
import io
import re
import struct
import zipfile

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG = "image/png"
JPEG = "image/jpeg"


class ScrubError(ValueError):
    """The file cannot be read well enough to remove its metadata."""


def scrub(data: bytes, content_type: str) -> bytes:
    """Return a copy of the file without author, editor, company or location metadata."""
    cleaners = {PDF: _pdf, DOCX: _docx, PNG: _png, JPEG: _jpeg}
    if content_type not in cleaners:
        raise ScrubError(f"No way to clean {content_type}.")
    try:
        return cleaners[content_type](data)
    except ScrubError:
        raise
    except Exception as error:  # noqa: BLE001 - untrusted bytes: any parse failure means
        # "cannot be cleaned", which refuses the file; the property test feeds damaged files.
        raise ScrubError(str(error) or type(error).__name__) from error


def problem(data: bytes, content_type: str) -> str | None:
    """What stops the file being cleaned, in words a trainee can act on, or None."""
    try:
        scrub(data, content_type)
    except ScrubError as error:
        if "encrypted" in str(error):
            return ("This PDF is protected with a password, so markers could not open it. "
                    "Save a copy without a password and upload that.")
        return ("This file looks damaged: it could not be read. Save it again (or export it "
                "again as PDF) and upload the new copy.")
    return None


def _pdf(data: bytes) -> bytes:
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise ScrubError("The PDF is encrypted.")
    writer = PdfWriter(clone_from=reader)
    writer.metadata = None
    root = writer.root_object
    if "/Metadata" in root:  # XMP: dc:creator, xmp:CreatorTool, pdf:Author
        del root["/Metadata"]
    for page in writer.pages:
        if "/Metadata" in page:
            del page["/Metadata"]
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            for key in ("/T", "/RC"):  # the comment's author and rich-text body header
                if key in annotation:
                    del annotation[NameObject(key)]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_EMPTY_CORE = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
    b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'xmlns:dcterms="http://purl.org/dc/terms/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>')
_EMPTY_CUSTOM = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'docPropsVTypes"/>')
_APP_FIELDS = re.compile(rb"<(Company|Manager|HyperlinkBase)>[^<]*</\1>")
_PEOPLE = re.compile(rb'\b(w(?:15)?:(?:author|initials|userId|providerId))="[^"]*"')


def _docx(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            name = info.filename
            if name == "docProps/core.xml":
                body = _EMPTY_CORE
            elif name == "docProps/custom.xml":
                body = _EMPTY_CUSTOM
            elif name == "docProps/app.xml":
                body = _APP_FIELDS.sub(rb"<\1></\1>", body)
            elif name.startswith("word/") and name.endswith(".xml"):
                body = _PEOPLE.sub(_anonymous_person, body)
            target.writestr(info, body, compress_type=info.compress_type)
    return out.getvalue()


def _anonymous_person(match: re.Match) -> bytes:
    attribute = match.group(1)
    value = b"A" if attribute.endswith(b"initials") else b"Author"
    return attribute + b'="' + value + b'"'


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


def _png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise ScrubError("Not a PNG.")
    out, at = [_PNG_SIGNATURE], len(_PNG_SIGNATURE)
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind = data[at + 4:at + 8]
        end = at + 12 + length
        if end > len(data):
            raise ScrubError("The PNG is cut short.")
        if kind not in _PNG_DROP:
            out.append(data[at:end])
        at = end
        if kind == b"IEND":
            break
    else:
        raise ScrubError("The PNG has no end.")
    return b"".join(out)


# APP1 holds EXIF (camera owner, GPS) and XMP; APP13 holds IPTC (by-line); COM is free text.
_JPEG_DROP = {0xE1, 0xED, 0xFE}


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
        for n in range(count):
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


def _jpeg(data: bytes) -> bytes:
    """Drop EXIF, XMP, IPTC and comments, but keep the orientation so photos stay upright."""
    if not data.startswith(b"\xff\xd8"):
        raise ScrubError("Not a JPEG.")
    out, at, orientation = [b"\xff\xd8"], 2, None
    while at < len(data):
        if data[at] != 0xFF:
            raise ScrubError("The JPEG's segments are damaged.")
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker == 0xDA:  # start of scan: the image data runs to the end
            out.append(data[at:])
            if orientation and orientation != 1:
                out.insert(1, _orientation_only(orientation))
            return b"".join(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out.append(data[at:at + 2])
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2:at + 4])
        end = at + 2 + length
        if length < 2 or end > len(data):
            raise ScrubError("The JPEG is cut short.")
        if marker == 0xE1:
            orientation = orientation or _orientation(data[at + 4:end])
        if marker not in _JPEG_DROP:
            out.append(data[at:end])
        at = end
    raise ScrubError("The JPEG has no image data.")


_DOCX_TEXT_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml$")


def visible_text(data: bytes, content_type: str, max_pages: int = 60) -> str:
    """The text a reader of the file sees (PDF pages; Word body, headers and footers).

    Used to warn a trainee whose anonymous work shows their name; images give no text, and a
    file that cannot be read gives "" (the upload checks refuse such files anyway)."""
    try:
        if content_type == PDF:
            reader = PdfReader(io.BytesIO(data), strict=False)
            return "\n".join(page.extract_text() or "" for page in reader.pages[:max_pages])
        if content_type == DOCX:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                parts = [name for name in archive.namelist() if _DOCX_TEXT_PARTS.match(name)]
                xml = "\n".join(archive.read(name).decode("utf-8", "replace") for name in parts)
            xml = re.sub(r"</w:p>|<w:br/>|<w:tab/>", "\n", xml)
            return html.unescape(re.sub(r"<[^>]+>", "", xml))
    except Exception:  # noqa: BLE001 - unreadable text is no text; see the docstring
        return ""
    return ""
