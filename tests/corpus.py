"""Crafted uploads, one per way a file can give away who wrote it, for the upload cleaner's tests.

Each builder makes one small file in memory (no clock, no randomness: the same bytes every run)
that hides the trainee's name, NAME, somewhere a marker must never find it: metadata, an
embedded file, an image inside the document, bytes after the end. Photos also hide where they
were taken (GPS) and some files an e-mail address. The test (tests/unit/test_upload_corpus.py)
gives every file to `lms.uploads.prepare` and searches the cleaned copy for every trace.

Apart from the baselines ("*-plain") and the damaged files, every file has readable content a
marker needs (VISIBLE in a PDF or Word document, a 16 x 12 picture) so a cleaner that throws
everything away fails too. None of these files shows NAME where a reader would see it; the
ones that do are in `named_in_text()`, for the check that warns trainees.

`expect` says what the cleaner may do: files people make every day (a phone photo, a Word
document from a template, a PDF with comments) must come back cleaned; hostile or exotic
ones (JavaScript, attachments, polyglots) may be cleaned or refused; damaged ones must be
refused with a reason.
"""

import base64
import functools
import io
import re
import struct
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo
from PIL.TiffImagePlugin import IFDRational

NAME = "Jordan Ellis"
EMAIL = "jordan.ellis@example.net"
# Westminster Bridge, as degrees, minutes and seconds: the fractions as EXIF stores them.
GPS_LATITUDE = ((51, 1), (30, 1), (2521, 1000))
GPS_LONGITUDE = ((0, 1), (7, 1), (2857, 100))
GPS_TEXT = ("51,30.0420N", "0,7.4762W")  # the same place as XMP writes it
VISIBLE = "Safety plan for the first meeting"
SIZE = (16, 12)  # every picture; not square, so a turned picture shows

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG = "image/png"
JPEG = "image/jpeg"

CLEANED = "cleaned"  # an everyday file: refusing it would stop trainees handing work in
EITHER = "cleaned or refused"  # hostile or exotic: a clean copy or a reason are both fine
REFUSED = "refused"  # damaged or dangerous: no copy at all


@dataclass(frozen=True)
class Case:
    id: str
    data: bytes = field(repr=False)
    kind: str | None  # what prepare() should call it; None where more than one reading is fair
    note: str  # what hides where
    expect: str = CLEANED
    hides: bool = True  # the original carries something the test's search must find


# ---------------------------------------------------------------------------------------------
# Small pieces shared by the builders


def _xmp(extra: str = "") -> bytes:
    """An XMP packet naming the author (three ways), their e-mail and where they were."""
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:exif="http://ns.adobe.com/exif/1.0/" '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        f"<dc:creator><rdf:Seq><rdf:li>{NAME}</rdf:li></rdf:Seq></dc:creator>"
        f'<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">{EMAIL}</rdf:li></rdf:Alt></dc:rights>'
        f"<pdf:Author>{NAME}</pdf:Author><xmp:CreatorTool>Word</xmp:CreatorTool>"
        f"<exif:GPSLatitude>{GPS_TEXT[0]}</exif:GPSLatitude>"
        f"<exif:GPSLongitude>{GPS_TEXT[1]}</exif:GPSLongitude>{extra}"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()


def _picture(mode: str = "RGB", size: tuple[int, int] = SIZE) -> Image.Image:
    """A small picture with some detail (a diagonal band), so it compresses like a photo."""
    image = Image.new("RGB", size, (40, 110, 180))
    for x in range(size[0]):
        for y in range(size[1]):
            if abs(x - y) < 3:
                image.putpixel((x, y), (230, 200, 40))
    return image.convert(mode)


def _exif(orientation: int | None = None) -> Image.Exif:
    """EXIF naming the photographer (ASCII and Windows' UTF-16 XPAuthor) and where they were."""
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    exif[0x013B] = NAME  # Artist
    exif[0x8298] = f"(c) {NAME}"  # Copyright
    exif[0x9C9D] = NAME.encode("utf-16-le") + b"\0\0"  # XPAuthor, as Windows Explorer writes it
    details = exif.get_ifd(0x8769)  # the Exif IFD
    details[0xA430] = NAME  # CameraOwnerName
    details[0x9286] = b"ASCII\0\0\0" + EMAIL.encode()  # UserComment
    gps = exif.get_ifd(0x8825)  # the GPS IFD
    gps[1], gps[3] = "N", "W"
    gps[2] = tuple(IFDRational(*pair) for pair in GPS_LATITUDE)
    gps[4] = tuple(IFDRational(*pair) for pair in GPS_LONGITUDE)
    return exif


def _save(image: Image.Image, kind: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def _segment(marker: int, body: bytes) -> bytes:
    """One JPEG marker segment (APPn, COM)."""
    return b"\xff" + bytes([marker]) + struct.pack(">H", len(body) + 2) + body


def _jpeg(*segments: bytes, image: Image.Image | None = None, after: bytes = b"",
          **options) -> bytes:
    """A JPEG with `segments` just after its JFIF (or Adobe) header and `after` after EOI."""
    data = _save(image or _picture(), "JPEG", quality=90, **options)
    at = 2
    if data[2:4] in (b"\xff\xe0", b"\xff\xee"):  # keep the JFIF / Adobe header first
        at = 4 + struct.unpack(">H", data[4:6])[0]
    return data[:at] + b"".join(segments) + data[at:] + after


def _exif_jpeg(orientation: int | None = None, **options) -> bytes:
    """A photo as a phone takes it: EXIF with the owner's name and the GPS position."""
    return _save(_picture(), "JPEG", quality=90, exif=_exif(orientation).tobytes(), **options)


def _chunk(kind: bytes, body: bytes) -> bytes:
    """One PNG chunk with its CRC."""
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png(*chunks: bytes, image: Image.Image | None = None, after: bytes = b"",
         **options) -> bytes:
    """A PNG with `chunks` just before its first IDAT and `after` after IEND."""
    data = _save(image or _picture(), "PNG", **options)
    at = data.index(b"IDAT") - 4
    return data[:at] + b"".join(chunks) + data[at:] + after


def _icc_profile(description: str) -> bytes:
    """A real sRGB ICC profile whose description ('desc' tag) is `description`."""
    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    text = description.encode("utf-16-be")
    if profile[8] >= 4:  # version 4: multi-localised Unicode
        tag = b"mluc\0\0\0\0" + struct.pack(">II", 1, 12) + b"enGB"
        tag += struct.pack(">II", len(text), 28) + text
    else:  # version 2: textDescriptionType
        ascii_ = description.encode() + b"\0"
        tag = b"desc\0\0\0\0" + struct.pack(">I", len(ascii_)) + ascii_ + bytes(12 + 67)
    profile += bytes(-len(profile) % 4)
    offset = len(profile)
    profile += tag + bytes(-len(tag) % 4)
    (count,) = struct.unpack(">I", profile[128:132])
    for n in range(count):
        entry = 132 + 12 * n
        if profile[entry:entry + 4] == b"desc":
            profile[entry + 4:entry + 12] = struct.pack(">II", offset, len(tag))
    profile[0:4] = struct.pack(">I", len(profile))
    profile[24:36] = struct.pack(">6H", 2026, 11, 1, 10, 0, 0)  # a fixed date: same bytes
    profile[84:100] = bytes(16)  # profile ID: zero means "not computed"
    return bytes(profile)


# ---------------------------------------------------------------------------------------------
# PDF: written by hand, object by object, so a case can put anything anywhere


_HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
_ID = b"<4c4d535f636f72707573000000000001>"


def _literal(text: str) -> bytes:
    """A PDF literal string."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("latin-1") + b")"


def _utf16_hex(text: str) -> bytes:
    """A PDF text string as UTF-16BE in hex, as Acrobat writes names with accents."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _stream(data: bytes, entries: bytes = b"", *, compress: bool = True) -> bytes:
    if compress:
        data, entries = zlib.compress(data, 9), b"/Filter /FlateDecode " + entries
    return b"<< " + entries + b"/Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _object(number: int, body: bytes) -> bytes:
    return b"%d 0 obj\n" % number + body + b"\nendobj\n"


def _pdf_file(objects: dict[int, bytes], *, info: int | None = None, header: bytes = _HEADER,
              between: bytes = b"") -> bytes:
    """Objects, a cross-reference table and a trailer; `between` goes before every object."""
    out = bytearray(header)
    offsets = {}
    for number in sorted(objects):
        out += between
        offsets[number] = len(out)
        out += _object(number, objects[number])
    xref, size = len(out), max(objects) + 1
    out += b"xref\n0 %d\n" % size
    for number in range(size):
        out += (b"%010d 00000 n \n" % offsets[number] if number in offsets
                else b"0000000000 65535 f \n")
    out += b"trailer\n<< /Size %d /Root 1 0 R " % size
    out += (b"/Info %d 0 R " % info if info else b"") + b"/ID [" + _ID + b" " + _ID + b"] >>\n"
    return bytes(out + b"startxref\n%d\n%%%%EOF\n" % xref)


def _pdf_update(previous: bytes, objects: dict[int, bytes], *, info: int | None) -> bytes:
    """`previous` with an incremental update appended, as Acrobat saves an edit."""
    prev = int(re.findall(rb"startxref\s+(\d+)", previous)[-1])
    size = max(int(re.findall(rb"/Size (\d+)", previous)[-1]), max(objects) + 1)
    out, offsets = bytearray(previous), {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += _object(number, objects[number])
    xref = len(out)
    out += b"xref\n" + b"".join(b"%d 1\n%010d 00000 n \n" % (n, offsets[n]) for n in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Prev %d " % (size, prev)
    out += (b"/Info %d 0 R " % info if info else b"") + b"/ID [" + _ID + b" " + _ID + b"] >>\n"
    return bytes(out + b"startxref\n%d\n%%%%EOF\n" % xref)


_INFO = 20  # the object number the builders give a document information dictionary


def _pdf_objects(*, catalog: bytes = b"", page: bytes = b"", resources: bytes = b"",
                 draw: bytes = b"", objects: dict[int, bytes] | None = None,
                 text: str = VISIBLE) -> dict[int, bytes]:
    """A one-page document showing `text`: catalogue 1, pages 2, page 3, content 4, font 5.

    Cases add entries to the catalogue, page or resources and their own objects from 6 up."""
    content = b"BT /F1 14 Tf 72 720 Td " + _literal(text) + b" Tj ET\n" + draw
    return {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog + b">>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 "
            b"0 R >> " + resources + b">> /Contents 4 0 R " + page + b">>"),
        4: _stream(content),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        **(objects or {}),
    }


def _pdf(*, info: bytes | None = None, header: bytes = _HEADER, between: bytes = b"",
         **parts) -> bytes:
    objects = _pdf_objects(**parts)
    if info is not None:
        objects[_INFO] = info
    return _pdf_file(objects, info=_INFO if info is not None else None, header=header,
                     between=between)


_DRAW_IMAGE = b"q 160 0 0 120 72 500 cm /Im1 Do Q\n"


def _jpeg_image(jpeg: bytes, entries: bytes = b"") -> bytes:
    """An image XObject holding a JPEG as it is (DCTDecode), as most PDF makers embed photos."""
    width, height = SIZE
    return _stream(jpeg, b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace "
                   b"/DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode " % (width, height)
                   + entries, compress=False)


def pdf_plain() -> Case:
    """Baseline: one page of text and an Info dictionary that names nobody."""
    return Case("pdf-plain", _pdf(info=b"<< /Producer (LMS test corpus) >>"), PDF,
                "nothing hidden: the search must find nothing here", hides=False)


def pdf_info_dictionary() -> Case:
    """Info dictionary: Author, Title, Subject, Keywords and a custom key."""
    info = (b"<< /Author " + _literal(NAME) + b" /Title " + _literal(f"Draft by {NAME}")
            + b" /Subject " + _literal(EMAIL) + b" /Keywords " + _literal(NAME)
            + b" /Creator (Microsoft Word) /TraineeName " + _literal(NAME) + b" >>")
    return Case("pdf-info-dictionary", _pdf(info=info), PDF,
                "Info: /Author, /Title, /Subject (e-mail), /Keywords and a custom key")


def pdf_info_encoded() -> Case:
    """Info strings encoded so the plain bytes never spell the name: UTF-16 hex, octal, #xx."""
    octal = "".join(f"\\{ord(c):03o}" for c in NAME).encode()
    info = (b"<< /Author " + _utf16_hex(NAME) + b" /Title (" + octal + b") "
            b"/#4Aordan#20#45llis true >>")
    return Case("pdf-info-encoded", _pdf(info=info), PDF,
                "Info: Author as UTF-16BE hex, Title as octal escapes, a key /Jordan Ellis as #xx")


def pdf_catalogue_xmp() -> Case:
    """XMP metadata stream on the catalogue (uncompressed, as most tools write it)."""
    pdf = _pdf(catalog=b"/Metadata 6 0 R ", objects={
        6: _stream(_xmp(), b"/Type /Metadata /Subtype /XML ", compress=False)})
    return Case("pdf-catalogue-xmp", pdf, PDF, "catalogue /Metadata: XMP dc:creator, GPS")


def pdf_page_xmp() -> Case:
    """XMP metadata on the page rather than the catalogue, Flate-compressed."""
    pdf = _pdf(page=b"/Metadata 6 0 R ", objects={
        6: _stream(_xmp(), b"/Type /Metadata /Subtype /XML ")})
    return Case("pdf-page-xmp", pdf, PDF, "page /Metadata: compressed XMP")


def pdf_annotation_author() -> Case:
    """A sticky-note comment: its author (/T), rich text and popup name them; its text does not."""
    rich = (f'<?xml version="1.0"?><body xmlns="http://www.w3.org/1999/xhtml" '
            f'xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/" xfa:spec="2.0.2" '
            f'xfa:contentType="text/html" xfa:APIVersion="Acrobat:21.0.0" '
            f'data-author="{NAME}"><p>Check this paragraph</p></body>')
    pdf = _pdf(page=b"/Annots [6 0 R 7 0 R] ", objects={
        6: (b"<< /Type /Annot /Subtype /Text /Rect [72 600 92 620] /P 3 0 R /T " + _literal(NAME)
            + b" /Contents (Check this paragraph) /RC " + _literal(rich)
            + b" /NM (" + EMAIL.encode() + b") /M (D:20261101100000Z) /Popup 7 0 R >>"),
        7: (b"<< /Type /Annot /Subtype /Popup /Rect [92 560 292 620] /Parent 6 0 R /T "
            + _literal(NAME) + b" >>"),
    })
    return Case("pdf-annotation-author", pdf, PDF,
                "comment annotation: /T author, /RC rich text, /NM e-mail, popup /T")


def pdf_outline() -> Case:
    """A bookmark (outline entry) titled with the name, in UTF-16 as Word exports headings."""
    pdf = _pdf(catalog=b"/Outlines 6 0 R /PageMode /UseOutlines ", objects={
        6: b"<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>",
        7: (b"<< /Title " + _utf16_hex(f"Notes by {NAME}") + b" /Parent 6 0 R "
            b"/Dest [3 0 R /XYZ 0 792 0] >>"),
    })
    return Case("pdf-outline", pdf, PDF, "outline (bookmark) /Title in UTF-16BE hex")


def pdf_embedded_file() -> Case:
    """A file attached to the document (EmbeddedFiles name tree), named after the author."""
    attached = f"Notes from {NAME} <{EMAIL}>\n".encode()
    pdf = _pdf(catalog=b"/Names << /EmbeddedFiles << /Names [" + _literal(f"{NAME}.txt")
               + b" 6 0 R] >> >> ", objects={
        6: (b"<< /Type /Filespec /F " + _literal(f"{NAME}.txt") + b" /UF " + _literal(f"{NAME}.txt")
            + b" /Desc " + _literal(f"Notes by {NAME}") + b" /EF << /F 7 0 R >> >>"),
        7: _stream(attached, b"/Type /EmbeddedFile /Subtype /text#2Fplain /Params << /Size %d >> "
                   % len(attached)),
    })
    return Case("pdf-embedded-file", pdf, PDF,
                "EmbeddedFiles name tree: file name, description and contents", EITHER)


def pdf_file_attachment_annotation() -> Case:
    """A paperclip annotation on the page carrying a file named after the author."""
    attached = f"Draft written by {NAME}\n".encode()
    pdf = _pdf(page=b"/Annots [6 0 R] ", objects={
        6: (b"<< /Type /Annot /Subtype /FileAttachment /Rect [72 600 92 620] /Name /PushPin "
            b"/Contents (Attached notes) /T " + _literal(NAME) + b" /FS 7 0 R >>"),
        7: (b"<< /Type /Filespec /F " + _literal(f"{NAME} draft.txt") + b" /EF << /F 8 0 R >> >>"),
        8: _stream(attached, b"/Type /EmbeddedFile "),
    })
    return Case("pdf-file-attachment-annotation", pdf, PDF,
                "FileAttachment annotation: file spec name, /T and embedded contents", EITHER)


def pdf_image_exif() -> Case:
    """A photo placed on the page as a JPEG (DCTDecode) that still carries EXIF and GPS."""
    pdf = _pdf(resources=b"/XObject << /Im1 6 0 R >> ", draw=_DRAW_IMAGE,
               objects={6: _jpeg_image(_exif_jpeg())})
    return Case("pdf-image-exif", pdf, PDF, "DCTDecode image stream: EXIF Artist, XPAuthor, GPS")


def pdf_image_xmp() -> Case:
    """XMP metadata attached to an image XObject rather than the catalogue."""
    pdf = _pdf(resources=b"/XObject << /Im1 6 0 R >> ", draw=_DRAW_IMAGE, objects={
        6: _jpeg_image(_jpeg(), b"/Metadata 7 0 R "),
        7: _stream(_xmp(), b"/Type /Metadata /Subtype /XML "),
    })
    return Case("pdf-image-xmp", pdf, PDF, "image XObject /Metadata: XMP")


def pdf_image_icc_profile() -> Case:
    """An image whose ICC colour profile's description names the author."""
    pdf = _pdf(resources=b"/XObject << /Im1 6 0 R >> ", draw=_DRAW_IMAGE, objects={
        6: _jpeg_image(_jpeg()).replace(b"/DeviceRGB", b"[/ICCBased 7 0 R]"),
        7: _stream(_icc_profile(f"Calibrated for {NAME}"), b"/N 3 "),
    })
    return Case("pdf-image-icc-profile", pdf, PDF, "ICCBased colour space: profile 'desc' tag")


def pdf_thumbnail() -> Case:
    """A page thumbnail (/Thumb) that is a JPEG with EXIF and a comment naming the author."""
    thumb = _jpeg(_segment(0xFE, f"Thumbnail by {NAME}".encode()), exif=_exif().tobytes())
    pdf = _pdf(page=b"/Thumb 6 0 R ", objects={6: _jpeg_image(thumb)})
    return Case("pdf-thumbnail", pdf, PDF, "page /Thumb: JPEG with EXIF and COM")


def pdf_piece_info() -> Case:
    """Private application data (/PieceInfo) on the page and the catalogue, as Illustrator saves."""
    piece = (b"/PieceInfo << /Illustrator << /LastModified (D:20261101100000Z) /Private << "
             b"/Owner " + _literal(NAME) + b" /Email " + _literal(EMAIL) + b" >> >> >> ")
    pdf = _pdf(catalog=piece, page=piece + b"/LastModified (D:20261101100000Z) ")
    return Case("pdf-piece-info", pdf, PDF, "/PieceInfo private data on page and catalogue")


def pdf_open_action_javascript() -> Case:
    """JavaScript run on opening (/OpenAction) and on showing the page (/AA)."""
    script = f"app.alert('Written by {NAME}');"
    pdf = _pdf(catalog=b"/OpenAction << /S /JavaScript /JS " + _literal(script) + b" >> ",
               page=b"/AA << /O << /S /JavaScript /JS " + _literal(script) + b" >> >> ")
    return Case("pdf-open-action-javascript", pdf, PDF,
                "catalogue /OpenAction and page /AA JavaScript", EITHER)


def pdf_names_javascript() -> Case:
    """Document-level JavaScript (/Names /JavaScript), in an ASCII85 + Flate stream."""
    script = f"var author = '{NAME}'; app.alert(author);".encode()
    encoded = base64.a85encode(zlib.compress(script, 9), adobe=True)[2:]  # drop the <~
    pdf = _pdf(catalog=b"/Names << /JavaScript << /Names [(init) 6 0 R] >> >> ", objects={
        6: b"<< /S /JavaScript /JS 7 0 R >>",
        7: _stream(encoded, b"/Filter [/ASCII85Decode /FlateDecode] ", compress=False),
    })
    return Case("pdf-names-javascript", pdf, PDF,
                "document JavaScript name tree, code in an ASCII85+Flate stream", EITHER)


def pdf_launch_action() -> Case:
    """A link that launches a file in the author's home folder."""
    target = f"C:\\Users\\{NAME}\\Documents\\run.bat"
    pdf = _pdf(page=b"/Annots [6 0 R] ", objects={
        6: (b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 730] /Border [0 0 0] "
            b"/A << /S /Launch /F " + _literal(target) + b" >> >>")})
    return Case("pdf-launch-action", pdf, PDF, "Link annotation with a /Launch action", EITHER)


def pdf_link_to_home_folder() -> Case:
    """A link to a file:// address in the author's home folder."""
    uri = "file:///C:/Users/Jordan%20Ellis/Documents/notes.docx"
    pdf = _pdf(page=b"/Annots [6 0 R] ", objects={
        6: (b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 730] /Border [0 0 0] "
            b"/A << /S /URI /URI " + _literal(uri) + b" >> >>")})
    return Case("pdf-link-to-home-folder", pdf, PDF, "Link annotation URI naming the home folder")


def pdf_form_field() -> Case:
    """A hidden text field (AcroForm and its widget) whose value is the name."""
    pdf = _pdf(catalog=b"/AcroForm << /Fields [6 0 R] /NeedAppearances false >> ",
               page=b"/Annots [6 0 R] ", objects={
        6: (b"<< /Type /Annot /Subtype /Widget /FT /Tx /F 2 /Rect [72 650 300 670] /P 3 0 R "
            b"/T (trainee_name) /TU (Your name) /V " + _literal(NAME) + b" /DV "
            + _literal(EMAIL) + b" >>")})
    return Case("pdf-form-field", pdf, PDF, "hidden AcroForm text field: /V name, /DV e-mail",
                EITHER)


def pdf_xfa_form() -> Case:
    """An XFA form (LiveCycle) whose data packet holds the name and e-mail."""
    xfa = (f'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><xfa:datasets '
           f'xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/"><xfa:data><form><name>{NAME}'
           f"</name><email>{EMAIL}</email></form></xfa:data></xfa:datasets></xdp:xdp>").encode()
    pdf = _pdf(catalog=b"/AcroForm << /Fields [] /XFA 6 0 R >> ", objects={6: _stream(xfa)})
    return Case("pdf-xfa-form", pdf, PDF, "AcroForm /XFA data packet", EITHER)


def pdf_layer_name() -> Case:
    """An optional content group (layer) named after the author."""
    pdf = _pdf(catalog=b"/OCProperties << /OCGs [6 0 R] /D << /ON [6 0 R] >> >> ", objects={
        6: b"<< /Type /OCG /Name " + _literal(f"{NAME}'s notes") + b" >>"})
    return Case("pdf-layer-name", pdf, PDF, "/OCProperties layer /Name")


def pdf_orphan_object() -> Case:
    """An object nothing refers to (left behind by an editor), holding the name."""
    pdf = _pdf(objects={6: b"<< /Author " + _literal(NAME) + b" /Email " + _literal(EMAIL)
                        + b" >>"})
    return Case("pdf-orphan-object", pdf, PDF, "unreferenced object with the name")


def pdf_incremental_update_info() -> Case:
    """A clean document, then an incremental update that adds an Info dictionary naming them."""
    update = {_INFO: b"<< /Author " + _literal(NAME) + b" /ModDate (D:20261101100000Z) >>"}
    pdf = _pdf_update(_pdf(), update, info=_INFO)
    return Case("pdf-incremental-update-info", pdf, PDF, "Info dict added by an update")


def pdf_incremental_old_revision() -> Case:
    """The first revision names the author; an update replaces Info, but the old bytes remain."""
    first = _pdf(info=b"<< /Author " + _literal(NAME) + b" /Title " + _literal(EMAIL) + b" >>")
    pdf = _pdf_update(first, {_INFO: b"<< /Author (Anonymous) >>"}, info=_INFO)
    return Case("pdf-incremental-old-revision", pdf, PDF,
                "superseded Info dict still in the file's first revision")


def pdf_comment_lines() -> Case:
    """PDF comments (% lines) naming the author after the header and between objects."""
    pdf = _pdf(header=_HEADER + f"% Jordan Ellis <{EMAIL}>\n".encode(),
               between=f"% saved by {NAME}\n".encode())
    return Case("pdf-comment-lines", pdf, PDF, "% comment lines")


def pdf_bytes_after_eof() -> Case:
    """Bytes after the final %%EOF: the name, and a zlib blob with the e-mail."""
    pdf = _pdf() + f"\n{NAME}\n".encode() + zlib.compress(EMAIL.encode())
    return Case("pdf-bytes-after-eof", pdf, PDF, "text and a zlib blob after %%EOF", EITHER)


def pdf_html_polyglot() -> Case:
    """A working PDF that a browser sniffing the content would also run as HTML."""
    html = f"<html><body><script>document.write('{NAME}')</script></body></html>\n".encode()
    return Case("pdf-html-polyglot", _pdf(header=_HEADER + html), PDF,
                "<html><script> between the header and the first object", EITHER)


def pdf_html_only() -> Case:
    """Starts like a PDF, but is only HTML with a script."""
    data = f"%PDF-1.4\n<html><script>alert('{NAME}')</script></html>\n".encode()
    return Case("pdf-html-only", data, PDF, "PDF header then HTML, no PDF objects", REFUSED)


def pdf_truncated() -> Case:
    """A PDF cut off in the middle of its page's content stream."""
    data = _pdf(info=b"<< /Author " + _literal(NAME) + b" >>")
    return Case("pdf-truncated", data[:data.index(b"stream\n") + 20], PDF,
                "cut off inside the first stream", REFUSED)


def pdf_encrypted() -> Case:
    """A PDF that needs a password to open: markers could not read it, so it is refused."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=io.BytesIO(_pdf(info=b"<< /Author " + _literal(NAME) + b" >>")))
    writer.encrypt("s3cret-Password", algorithm="RC4-128")
    writer._ID[1] = writer._ID[0]  # pypdf makes the second file ID up at random; fix it
    out = io.BytesIO()
    writer.write(out)
    return Case("pdf-encrypted", out.getvalue(), PDF, "user password set", REFUSED)


# ---------------------------------------------------------------------------------------------
# DOCX: a real (minimal) WordprocessingML package


_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
       'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:o="urn:schemas-microsoft-com:office:office" '
       'xmlns:v="urn:schemas-microsoft-com:vml" '
       'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml"')
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_ML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
_CONTENT_TYPES = {
    "word/document.xml": _ML + "document.main+xml",
    "word/comments.xml": _ML + "comments+xml",
    "word/settings.xml": _ML + "settings+xml",
    "word/people.xml": _ML + "people+xml",
    "word/header1.xml": _ML + "header+xml",
    "word/footer1.xml": _ML + "footer+xml",
    "word/footnotes.xml": _ML + "footnotes+xml",
    "word/glossary/document.xml": _ML + "document.glossary+xml",
    "word/vbaProject.bin": "application/vnd.ms-office.vbaProject",
    "docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
    "docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    "docProps/custom.xml": "application/vnd.openxmlformats-officedocument.custom-properties+xml",
    "customXml/itemProps1.xml": "application/vnd.openxmlformats-officedocument."
                                "customXmlProperties+xml",
}
_DEFAULTS = {
    "rels": "application/vnd.openxmlformats-package.relationships+xml",
    "xml": "application/xml",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "bin": "application/vnd.openxmlformats-officedocument.oleObject",
    "docx": DOCX,
}
_WHEN = (2026, 11, 1, 10, 0, 0)  # every zip member's date: the same bytes every run
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # an OLE compound file's header


def _paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _relationships(rels) -> str:
    """A .rels part from (id, type, target[, "External"]) tuples."""
    lines = []
    for rid, kind, target, *mode in rels:
        external = ' TargetMode="External"' if mode else ""
        lines.append(f'<Relationship Id="{rid}" Type={quoteattr(kind)} Target={quoteattr(target)}'
                     f"{external}/>")
    return (_XML + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships">' + "".join(lines) + "</Relationships>")


def _drawing(rid: str, number: int) -> str:
    """A paragraph showing the picture related as `rid`, as Word writes an inline picture."""
    return (
        f'<w:p><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="152400" cy="114300"/><wp:docPr id="{number}" name="Picture {number}"/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:nvPicPr><pic:cNvPr id="{number}" name="Picture {number}"/><pic:cNvPicPr/>'
        f'</pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/>'
        '</a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
        '<a:ext cx="152400" cy="114300"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        "</a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline>"
        "</w:drawing></w:r></w:p>")


def _docx_parts(body: str = "", *, sect: str = "", parts: dict | None = None, rels=(),
                package_rels=(), text: str = VISIBLE) -> dict[str, bytes]:
    """The parts of a Word document showing `text` then `body`, plus `parts` and relationships."""
    parts = {name: value.encode() if isinstance(value, str) else value
             for name, value in (parts or {}).items()}
    document = (f"{_XML}<w:document {_NS}><w:body>{_paragraph(text)}{body}"
                f'<w:sectPr>{sect}<w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body>'
                "</w:document>")
    package = [("rId1", _REL + "officeDocument", "word/document.xml"), *package_rels]
    every = {"word/document.xml": document.encode(), **parts}
    overrides = "".join(f'<Override PartName="/{name}" ContentType="{_CONTENT_TYPES[name]}"/>'
                        for name in every if name in _CONTENT_TYPES)
    defaults = "".join(f'<Default Extension="{ext}" ContentType="{kind}"/>'
                       for ext, kind in _DEFAULTS.items())
    types = (f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             f"{defaults}{overrides}</Types>")
    out = {"[Content_Types].xml": types.encode(), "_rels/.rels": _relationships(package).encode(),
           "word/document.xml": document.encode()}
    if rels:
        out["word/_rels/document.xml.rels"] = _relationships(rels).encode()
    return out | parts


def _zip(parts, *, comment: bytes = b"", extra: bytes = b"", member_comment: bytes = b"") -> bytes:
    """A zip of (name, bytes) pairs (or a dict), deflated, with fixed dates."""
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about a duplicate name: one case wants it
        with zipfile.ZipFile(out, "w") as archive:
            for name, body in parts.items() if isinstance(parts, dict) else parts:
                info = zipfile.ZipInfo(name, _WHEN)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.extra, info.comment = extra, member_comment
                archive.writestr(info, body)
            archive.comment = comment
    return out.getvalue()


def _docx(body: str = "", **parts) -> bytes:
    return _zip(_docx_parts(body, **parts))


def _core_properties() -> str:
    return (f"{_XML}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/"
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>Draft by {NAME}</dc:title><dc:creator>{NAME}</dc:creator>"
            f"<cp:keywords>{EMAIL}</cp:keywords><cp:lastModifiedBy>{NAME}</cp:lastModifiedBy>"
            '<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-01T10:00:00Z</dcterms:created>'
            "</cp:coreProperties>")


_CORE_REL = ("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
             "core-properties", "docProps/core.xml")


def docx_plain() -> Case:
    """Baseline: a Word document with a paragraph, settings and neutral properties."""
    data = _docx(parts={"word/settings.xml": f"{_XML}<w:settings {_NS}><w:zoom w:percent=\"100\"/>"
                        "</w:settings>",
                        "docProps/app.xml": "<Properties><Pages>1</Pages></Properties>"},
                 rels=[("rId1", _REL + "settings", "settings.xml")],
                 package_rels=[("rId3", _REL + "extended-properties", "docProps/app.xml")])
    return Case("docx-plain", data, DOCX, "nothing hidden: the search must find nothing here",
                hides=False)


def docx_core_properties() -> Case:
    """docProps/core.xml: title, creator, keywords (e-mail), last modified by."""
    data = _docx(parts={"docProps/core.xml": _core_properties()}, package_rels=[_CORE_REL])
    return Case("docx-core-properties", data, DOCX, "core.xml dc:creator, lastModifiedBy, e-mail")


def docx_app_properties() -> Case:
    """docProps/app.xml: company, manager, template path, titles of parts."""
    app = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
           'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
           f'docPropsVTypes"><Template>C:\\Users\\{NAME}\\Templates\\Essay.dotm</Template>'
           f"<Company>{NAME} Advocacy</Company><Manager>{EMAIL}</Manager><Pages>1</Pages>"
           f'<TitlesOfParts><vt:vector size="1" baseType="lpstr"><vt:lpstr>Draft by {NAME}'
           "</vt:lpstr></vt:vector></TitlesOfParts></Properties>")
    data = _docx(parts={"docProps/app.xml": app},
                 package_rels=[("rId3", _REL + "extended-properties", "docProps/app.xml")])
    return Case("docx-app-properties", data, DOCX, "app.xml Template path, Company, Manager")


def docx_custom_properties() -> Case:
    """docProps/custom.xml: custom properties naming the trainee."""
    custom = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
              'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
              '2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" '
              f'pid="2" name="Trainee"><vt:lpwstr>{NAME}</vt:lpwstr></property><property '
              'fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="Contact">'
              f"<vt:lpwstr>{EMAIL}</vt:lpwstr></property></Properties>")
    data = _docx(parts={"docProps/custom.xml": custom},
                 package_rels=[("rId4", _REL + "custom-properties", "docProps/custom.xml")])
    return Case("docx-custom-properties", data, DOCX, "custom.xml properties")


def _commented(comment_text: str, author: str) -> dict:
    """Parts of a document with one comment by `author` saying `comment_text`."""
    body = ('<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>Dates to check</w:t></w:r>'
            '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>')
    comments = (f'{_XML}<w:comments {_NS}><w:comment w:id="0" w:author="{author}" w:initials="JE" '
                f'w:date="2026-11-01T10:00:00Z">{_paragraph(comment_text)}</w:comment>'
                "</w:comments>")
    return {"body": body, "parts": {"word/comments.xml": comments},
            "rels": [("rId1", _REL + "comments", "comments.xml")]}


def docx_comment_author() -> Case:
    """A comment whose author is the trainee; its text names nobody."""
    data = _docx(**_commented("Check these dates again.", NAME))
    return Case("docx-comment-author", data, DOCX, "comments.xml w:author")


def docx_people() -> Case:
    """word/people.xml: the people who commented, with their account e-mail."""
    people = ('<w15:people xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml">'
              f'<w15:person w15:author="{NAME}"><w15:presenceInfo w15:providerId="AD" '
              f'w15:userId="{EMAIL}"/></w15:person></w15:people>')
    data = _docx(parts={"word/people.xml": people}, rels=[
        ("rId1", "http://schemas.microsoft.com/office/2011/relationships/people", "people.xml")])
    return Case("docx-people", data, DOCX, "people.xml author and userId")


def docx_tracked_changes() -> Case:
    """Tracked insertions, deletions and formatting changes, each signed by the author."""
    signed = f'w:author="{NAME}" w:date="2026-11-01T10:00:00Z"'
    body = (f'<w:p><w:pPr><w:pPrChange w:id="4" {signed}><w:pPr/></w:pPrChange></w:pPr>'
            f'<w:ins w:id="1" {signed}><w:r><w:t>Added words</w:t></w:r></w:ins>'
            f'<w:del w:id="2" {signed}><w:r><w:delText>Removed words</w:delText></w:r></w:del>'
            f'<w:r><w:rPr><w:b/><w:rPrChange w:id="3" {signed}><w:rPr/></w:rPrChange></w:rPr>'
            "<w:t>Bold words</w:t></w:r></w:p>")
    return Case("docx-tracked-changes", _docx(body), DOCX, "w:ins, w:del, w:rPrChange authors")


def docx_attached_template() -> Case:
    """settings.xml's attached template: an external relationship into the home folder."""
    settings = f'{_XML}<w:settings {_NS}><w:attachedTemplate r:id="rId1"/></w:settings>'
    template = f"file:///C:\\Users\\{NAME}\\AppData\\Roaming\\Microsoft\\Templates\\Normal.dotm"
    data = _docx(parts={"word/settings.xml": settings, "word/_rels/settings.xml.rels":
                        _relationships([("rId1", _REL + "attachedTemplate", template,
                                         "External")])},
                 rels=[("rId1", _REL + "settings", "settings.xml")])
    return Case("docx-attached-template", data, DOCX,
                "settings.xml.rels attachedTemplate file:///C:\\Users\\<name>, External")


def docx_document_variables() -> Case:
    """Document variables in settings.xml (hidden, set by templates and macros)."""
    settings = (f'{_XML}<w:settings {_NS}><w:docVars><w:docVar w:name="trainee" w:val="{NAME}"/>'
                f'<w:docVar w:name="email" w:val="{EMAIL}"/></w:docVars></w:settings>')
    data = _docx(parts={"word/settings.xml": settings},
                 rels=[("rId1", _REL + "settings", "settings.xml")])
    return Case("docx-document-variables", data, DOCX, "settings.xml w:docVars")


def docx_hyperlink_home_folder() -> Case:
    """A hyperlink to a file in the author's home folder (an external relationship)."""
    body = ('<w:p><w:hyperlink r:id="rId5"><w:r><w:t>my earlier notes</w:t></w:r></w:hyperlink>'
            "</w:p>")
    data = _docx(body, rels=[("rId5", _REL + "hyperlink",
                              "file:///C:/Users/Jordan%20Ellis/Documents/notes.docx", "External")])
    return Case("docx-hyperlink-home-folder", data, DOCX,
                "document.xml.rels hyperlink to file:///C:/Users/Jordan%20Ellis, External")


def docx_custom_xml() -> Case:
    """A customXml data part (as SharePoint and templates add) with author and e-mail."""
    item = f"{_XML}<trainee><author>{NAME}</author><email>{EMAIL}</email></trainee>"
    props = (f'{_XML}<ds:datastoreItem ds:itemID="{{6B3F0C52-1C0A-4E59-9E0C-7D1D6A2C7F10}}" '
             'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
             "<ds:schemaRefs/></ds:datastoreItem>")
    data = _docx(parts={"customXml/item1.xml": item, "customXml/itemProps1.xml": props,
                        "customXml/_rels/item1.xml.rels": _relationships([
                            ("rId1", _REL + "customXmlProps", "itemProps1.xml")])},
                 rels=[("rId3", _REL + "customXml", "../customXml/item1.xml")])
    return Case("docx-custom-xml", data, DOCX, "customXml/item1.xml author and e-mail")


def docx_photo_exif() -> Case:
    """A phone photo pasted into the document: word/media JPEG with EXIF and GPS."""
    data = _docx(_drawing("rId7", 1), parts={"word/media/image1.jpeg": _exif_jpeg(6)},
                 rels=[("rId7", _REL + "image", "media/image1.jpeg")])
    return Case("docx-photo-exif", data, DOCX, "word/media/image1.jpeg EXIF Artist, GPS")


def docx_png_text() -> Case:
    """A screenshot pasted into the document: word/media PNG with text chunks."""
    data = _docx(_drawing("rId7", 1), parts={"word/media/image1.png": png_text().data},
                 rels=[("rId7", _REL + "image", "media/image1.png")])
    return Case("docx-png-text", data, DOCX, "word/media/image1.png tEXt Author")


def docx_thumbnail() -> Case:
    """docProps/thumbnail.jpeg (saved with 'Save preview picture'), with EXIF."""
    data = _docx(parts={"docProps/thumbnail.jpeg": _exif_jpeg()}, package_rels=[
        ("rId5", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                 "thumbnail", "docProps/thumbnail.jpeg")])
    return Case("docx-thumbnail", data, DOCX, "docProps/thumbnail.jpeg EXIF")


def docx_embedded_ole() -> Case:
    """An embedded OLE object (word/embeddings/*.bin) whose streams hold the name in UTF-16."""
    ole = (_CFB + NAME.encode("utf-16-le") + b"\0\0" + EMAIL.encode("utf-16-le") + bytes(64))
    body = ('<w:p><w:r><w:object><o:OLEObject Type="Embed" ProgID="Package" '
            'ShapeID="_x0000_i1025" DrawAspect="Icon" ObjectID="_1" r:id="rId8"/></w:object>'
            "</w:r></w:p>")
    data = _docx(body, parts={"word/embeddings/oleObject1.bin": ole},
                 rels=[("rId8", _REL + "oleObject", "embeddings/oleObject1.bin")])
    return Case("docx-embedded-ole", data, DOCX, "word/embeddings/oleObject1.bin UTF-16LE",
                EITHER)


def docx_embedded_package() -> Case:
    """A Word document embedded in the Word document, with its own core properties."""
    inner = _zip(_docx_parts(parts={"docProps/core.xml": _core_properties()},
                             package_rels=[_CORE_REL]))
    body = ('<w:p><w:r><w:object><o:OLEObject Type="Embed" ProgID="Word.Document.12" '
            'ShapeID="_x0000_i1026" DrawAspect="Icon" ObjectID="_2" r:id="rId8"/></w:object>'
            "</w:r></w:p>")
    data = _docx(body, parts={"word/embeddings/Microsoft_Word_Document1.docx": inner},
                 rels=[("rId8", _REL + "package", "embeddings/Microsoft_Word_Document1.docx")])
    return Case("docx-embedded-package", data, DOCX,
                "word/embeddings/*.docx with core.xml naming them", EITHER)


def docx_glossary() -> Case:
    """A glossary (building blocks / AutoText) part with a signature naming the author."""
    glossary = (f"{_XML}<w:glossaryDocument {_NS}><w:docParts><w:docPart><w:docPartPr>"
                '<w:name w:val="Signature"/></w:docPartPr><w:docPartBody>'
                f"{_paragraph(f'{NAME}, {EMAIL}')}</w:docPartBody></w:docPart></w:docParts>"
                "</w:glossaryDocument>")
    data = _docx(parts={"word/glossary/document.xml": glossary},
                 rels=[("rId9", _REL + "glossaryDocument", "glossary/document.xml")])
    return Case("docx-glossary", data, DOCX, "word/glossary/document.xml AutoText")


def docx_unknown_part() -> Case:
    """A part at the zip root that Word ignores and nothing refers to."""
    data = _docx(parts={"secret/notes.xml": f"{_XML}<notes><by>{NAME}</by><mail>{EMAIL}</mail>"
                        "</notes>"})
    return Case("docx-unknown-part", data, DOCX, "secret/notes.xml, unreferenced", EITHER)


def docx_zip_comment() -> Case:
    """The zip archive's comment holds the name."""
    data = _zip(_docx_parts(), comment=f"Packed by {NAME} <{EMAIL}>".encode())
    return Case("docx-zip-comment", data, DOCX, "zip end-of-central-directory comment", EITHER)


def docx_zip_extra_fields() -> Case:
    """Every zip member's extra field and member comment hold the name."""
    extra = NAME.encode()
    data = _zip(_docx_parts(), extra=struct.pack("<HH", 0x4A45, len(extra)) + extra,
                member_comment=EMAIL.encode())
    return Case("docx-zip-extra-fields", data, DOCX,
                "zip member extra fields (id 0x4A45) and member comments", EITHER)


def docx_member_named() -> Case:
    """A picture stored under the author's name (zip member file name)."""
    data = _docx(_drawing("rId7", 1), parts={f"word/media/{NAME}.png": png_plain().data},
                 rels=[("rId7", _REL + "image", f"media/{NAME}.png")])
    return Case("docx-member-named", data, DOCX, "word/media/Jordan Ellis.png", EITHER)


def docx_duplicate_member() -> Case:
    """Two members called word/document.xml: zip readers disagree about which one is real."""
    parts = list(_docx_parts().items())
    hidden = _docx_parts(text=f"Hidden draft by {NAME}")["word/document.xml"]
    data = _zip([parts[0], parts[1], ("word/document.xml", hidden), *parts[2:]])
    return Case("docx-duplicate-member", data, DOCX,
                "a second word/document.xml entry whose text names them", EITHER)


def docx_macros() -> Case:
    """A VBA project (macros) smuggled into a .docx, with the author in it."""
    vba = _CFB + f'Attribute Author = "{NAME}"'.encode()
    data = _docx(parts={"word/vbaProject.bin": vba}, rels=[
        ("rId9", "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
         "vbaProject.bin")])
    return Case("docx-macros", data, DOCX, "word/vbaProject.bin", EITHER)


def docx_bytes_before_zip() -> Case:
    """Bytes before the first zip entry (as self-extracting archives have): text and zlib."""
    data = f"{NAME}\n".encode() + zlib.compress(EMAIL.encode()) + _docx()
    return Case("docx-bytes-before-zip", data, None, "prefix before PK\\3\\4", EITHER)


def docx_declared_size_lie() -> Case:
    """word/document.xml's sizes in the zip headers claim 300 MB; the data is small."""
    data = bytearray(_zip(_docx_parts(parts={"docProps/core.xml": _core_properties()},
                                      package_rels=[_CORE_REL])))
    name = b"word/document.xml"
    for signature, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # uncompressed size field
        for match in re.finditer(re.escape(signature), bytes(data)):
            start = match.start()
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at:name_at + len(name)] == name:
                data[start + at:start + at + 4] = struct.pack("<I", 300 << 20)
    return Case("docx-declared-size-lie", bytes(data), DOCX,
                "forged uncompressed size in the local and central headers", EITHER)


@functools.cache
def zip_bomb() -> bytes:
    """A Word document whose word/document.xml unpacks to 300 MB of zeros (about 300 KB packed).

    Written through a zip stream 1 MB at a time, so building it never holds 300 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in _docx_parts().items():
            info = zipfile.ZipInfo(name, _WHEN)
            info.compress_type = zipfile.ZIP_DEFLATED
            if name != "word/document.xml":
                archive.writestr(info, body)
                continue
            chunk = bytes(1 << 20)
            with archive.open(info, "w") as member:
                for _ in range(300):
                    member.write(chunk)
    return out.getvalue()


def docx_zip_bomb() -> Case:
    """A zip bomb: word/document.xml unpacks to 300 MB."""
    return Case("docx-zip-bomb", zip_bomb(), DOCX, "300 MB of zeros in ~300 KB", REFUSED,
                hides=False)


def docx_truncated() -> Case:
    """A Word document cut off before its central directory."""
    data = _docx(parts={"docProps/core.xml": _core_properties()}, package_rels=[_CORE_REL])
    return Case("docx-truncated", data[:len(data) * 2 // 3], DOCX, "cut at two thirds", REFUSED)


def office_encrypted() -> Case:
    """A password-protected Word file: an OLE compound file, not a zip."""
    data = _CFB + "EncryptedPackage".encode("utf-16-le")
    return Case("office-encrypted", data + NAME.encode("utf-16-le"), None,
                "CFB header and EncryptedPackage stream name", REFUSED)


# ---------------------------------------------------------------------------------------------
# JPEG


def jpeg_plain() -> Case:
    """Baseline: a JPEG with only its JFIF header."""
    return Case("jpeg-plain", _jpeg(), JPEG, "nothing hidden: the search must find nothing here",
                hides=False)


def jpeg_exif_gps() -> Case:
    """A phone photo: EXIF Artist, Copyright, XPAuthor (UTF-16), owner, comment and GPS IFD."""
    return Case("jpeg-exif-gps", _exif_jpeg(), JPEG, "APP1 EXIF IFD0, Exif IFD and GPS IFD")


def jpeg_exif_orientation() -> Case:
    """A photo taken with the phone on its side: Orientation 6 must be kept, the rest dropped."""
    return Case("jpeg-exif-orientation", _exif_jpeg(6), JPEG,
                "APP1 EXIF with Orientation 6, Artist and GPS")


def jpeg_exif_thumbnail() -> Case:
    """EXIF with an IFD1 thumbnail: a second JPEG with its own EXIF and comment."""
    thumbnail = _jpeg(_segment(0xFE, f"By {NAME}".encode()), exif=_exif().tobytes(),
                      image=_picture(size=(8, 6)))
    exif = Image.Exif()
    exif[0x0112] = 1
    tiff = bytearray(exif.tobytes()[6:])
    order = "<" if tiff[:2] == b"II" else ">"
    (ifd0,) = struct.unpack(order + "I", tiff[4:8])
    (count,) = struct.unpack(order + "H", tiff[ifd0:ifd0 + 2])
    tiff += bytes(len(tiff) % 2)
    ifd1 = len(tiff)
    next_at = ifd0 + 2 + 12 * count
    tiff[next_at:next_at + 4] = struct.pack(order + "I", ifd1)
    start = ifd1 + 2 + 2 * 12 + 4
    tiff += struct.pack(order + "H", 2)
    tiff += struct.pack(order + "HHII", 0x0201, 4, 1, start)  # JPEGInterchangeFormat
    tiff += struct.pack(order + "HHII", 0x0202, 4, 1, len(thumbnail))  # ...Length
    tiff += struct.pack(order + "I", 0) + thumbnail
    return Case("jpeg-exif-thumbnail", _jpeg(_segment(0xE1, b"Exif\0\0" + bytes(tiff))), JPEG,
                "APP1 EXIF IFD1 thumbnail JPEG that carries EXIF and COM")


def jpeg_two_exif_segments() -> Case:
    """Two APP1 EXIF segments: the first holds only an orientation, the second the name and GPS."""
    first = Image.Exif()
    first[0x0112] = 1
    data = _jpeg(_segment(0xE1, first.tobytes()), _segment(0xE1, _exif().tobytes()))
    return Case("jpeg-two-exif-segments", data, JPEG, "second APP1 EXIF segment")


def jpeg_xmp() -> Case:
    """XMP in APP1, and an Extended XMP APP1 segment, both naming the author."""
    extended = b"http://ns.adobe.com/xmp/extension/\0" + b"0" * 32 + struct.pack(">II", 64, 0)
    data = _jpeg(_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + _xmp()),
                 _segment(0xE1, extended + f"<extended>{NAME}</extended>".encode()))
    return Case("jpeg-xmp", data, JPEG, "APP1 XMP and Extended XMP")


def jpeg_iptc() -> Case:
    """Photoshop IPTC (APP13): By-line and Contact."""
    def dataset(number: int, value: str) -> bytes:
        return b"\x1c\x02" + bytes([number]) + struct.pack(">H", len(value)) + value.encode()

    iptc = dataset(80, NAME) + dataset(118, EMAIL)
    block = b"8BIM\x04\x04\0\0" + struct.pack(">I", len(iptc)) + iptc + bytes(len(iptc) % 2)
    data = _jpeg(_segment(0xED, b"Photoshop 3.0\0" + block))
    return Case("jpeg-iptc", data, JPEG, "APP13 Photoshop IPTC 2:80 By-line, 2:118 Contact")


def jpeg_comment() -> Case:
    """A JPEG comment (COM) segment."""
    return Case("jpeg-comment", _jpeg(_segment(0xFE, f"Photo by {NAME}".encode())), JPEG,
                "COM segment")


def jpeg_icc_profile() -> Case:
    """An ICC profile (APP2) whose description names the author."""
    profile = _icc_profile(f"Calibrated for {NAME}")
    data = _jpeg(_segment(0xE2, b"ICC_PROFILE\0\x01\x01" + profile))
    return Case("jpeg-icc-profile", data, JPEG, "APP2 ICC_PROFILE 'desc' tag")


def jpeg_app11_jumbf() -> Case:
    """APP11 JUMBF (where C2PA 'content credentials' live) with the author's identity."""
    box = f'{{"author": "{NAME}", "email": "{EMAIL}"}}'.encode()
    jumbf = b"JP\0\x01\0\0\0\x01" + struct.pack(">I", len(box) + 8) + b"json" + box
    return Case("jpeg-app11-jumbf", _jpeg(_segment(0xEB, jumbf)), JPEG, "APP11 JUMBF box")


def jpeg_app15_private() -> Case:
    """A private APP15 segment, and an APP12 'Ducky' segment, naming the author."""
    data = _jpeg(_segment(0xEF, f"private:{NAME}".encode()),
                 _segment(0xEC, b"Ducky\0\x01\0\x04\0\0\0\x64" + EMAIL.encode()))
    return Case("jpeg-app15-private", data, JPEG, "APP15 and APP12 private data")


def jpeg_second_image_after_eoi() -> Case:
    """A second JPEG (with EXIF and GPS) after the first one's end, as phones store previews."""
    return Case("jpeg-second-image-after-eoi", _jpeg(after=_exif_jpeg()), JPEG,
                "a whole EXIF JPEG after EOI")


def jpeg_bytes_after_eoi() -> Case:
    """Trailing bytes after EOI (as some phones append their own records)."""
    return Case("jpeg-bytes-after-eoi", _jpeg(after=f"SEFH {NAME} {EMAIL}".encode()), JPEG,
                "text after EOI")


def jpeg_comment_between_scans() -> Case:
    """A progressive JPEG with a COM segment hidden between two scans, after the first SOS."""
    data = _jpeg(progressive=True)
    second_scan = data.index(b"\xff\xda", data.index(b"\xff\xda") + 2)
    data = data[:second_scan] + _segment(0xFE, NAME.encode()) + data[second_scan:]
    return Case("jpeg-comment-between-scans", data, JPEG, "COM between progressive scans")


def jpeg_restart_markers() -> Case:
    """A JPEG with restart markers in its scan, and EXIF with GPS."""
    data = _save(_picture(), "JPEG", exif=_exif().tobytes(), subsampling=0,
                 restart_marker_blocks=1)
    return Case("jpeg-restart-markers", data, JPEG, "DRI/RSTn in the scan; APP1 EXIF")


def jpeg_cmyk() -> Case:
    """A CMYK JPEG (Adobe APP14 header needed to read it) with EXIF and GPS."""
    return Case("jpeg-cmyk", _jpeg(image=_picture("CMYK"), exif=_exif().tobytes()), JPEG,
                "CMYK with APP14 Adobe; APP1 EXIF")


def jpeg_truncated() -> Case:
    """A JPEG cut off in the middle of its image data."""
    data = _exif_jpeg()
    return Case("jpeg-truncated", data[:len(data) - 40], JPEG, "last 40 bytes (and EOI) missing",
                REFUSED)


# ---------------------------------------------------------------------------------------------
# PNG


def png_plain() -> Case:
    """Baseline: a PNG with only image chunks."""
    return Case("png-plain", _png(), PNG, "nothing hidden: the search must find nothing here",
                hides=False)


def png_text() -> Case:
    """tEXt chunks: Author and Description."""
    info = PngInfo()
    info.add_text("Author", NAME)
    info.add_text("Description", f"Screenshot by {NAME} <{EMAIL}>")
    return Case("png-text", _png(pnginfo=info), PNG, "tEXt Author, Description")


def png_ztxt() -> Case:
    """A compressed text chunk (zTXt)."""
    info = PngInfo()
    info.add_text("Author", f"{NAME} <{EMAIL}>", zip=True)
    return Case("png-ztxt", _png(pnginfo=info), PNG, "zTXt Author (zlib)")


def png_itxt() -> Case:
    """International text chunks (iTXt): one compressed, one with the name as translated key."""
    info = PngInfo()
    info.add_itxt("Author", NAME, lang="en-GB", tkey="Auteur", zip=True)
    info.add_itxt("Comment", "made for the course", lang="en", tkey=NAME)
    return Case("png-itxt", _png(pnginfo=info), PNG, "iTXt compressed text; translated keyword")


def png_exif() -> Case:
    """An eXIf chunk with Artist and GPS."""
    return Case("png-exif", _png(exif=_exif().tobytes()), PNG, "eXIf Artist, GPS")


def png_private_chunk() -> Case:
    """A private ancillary chunk (prVt) holding the name."""
    return Case("png-private-chunk", _png(_chunk(b"prVt", f"{NAME}\0{EMAIL}".encode())), PNG,
                "private ancillary chunk prVt")


def png_palette_name() -> Case:
    """A suggested palette (sPLT) whose name is the author's."""
    splt = NAME.encode() + b"\0\x08" + b"\xff\0\0\xff\xff\xff"  # one 8-bit entry, frequency
    return Case("png-palette-name", _png(_chunk(b"sPLT", splt)), PNG, "sPLT palette name")


def png_icc_profile() -> Case:
    """iCCP: the profile's name and its description both name the author."""
    iccp = NAME.encode() + b"\0\0" + zlib.compress(_icc_profile(f"Calibrated for {NAME}"))
    return Case("png-icc-profile", _png(_chunk(b"iCCP", iccp)), PNG,
                "iCCP profile name and compressed 'desc' tag")


def png_time() -> Case:
    """tIME: when the picture was last changed (not in the allowlist)."""
    stamp = struct.pack(">HBBBBB", 2026, 11, 1, 10, 0, 0)
    return Case("png-time", _png(_chunk(b"tIME", stamp)), PNG, "tIME chunk (no name)")


def png_chunk_after_iend() -> Case:
    """A well-formed tEXt chunk after IEND."""
    after = _chunk(b"tEXt", b"Author\0" + NAME.encode())
    return Case("png-chunk-after-iend", _png(after=after), PNG, "tEXt after IEND", EITHER)


def png_bytes_after_iend() -> Case:
    """Plain bytes after IEND."""
    return Case("png-bytes-after-iend", _png(after=f"{NAME} {EMAIL}".encode()), PNG,
                "text after IEND", EITHER)


def png_indexed() -> Case:
    """An indexed-colour PNG (PLTE, tRNS must stay for it to look right) with a zTXt chunk."""
    info = PngInfo()
    info.add_text("Author", NAME, zip=True)
    image = _picture("P")
    return Case("png-indexed", _png(image=image, pnginfo=info, transparency=0), PNG,
                "palette image with tRNS; zTXt Author")


def png_bad_crc() -> Case:
    """A tEXt chunk naming the author whose CRC is wrong."""
    chunk = bytearray(_chunk(b"tEXt", b"Author\0" + NAME.encode()))
    chunk[-1] ^= 0xFF
    return Case("png-bad-crc", _png(bytes(chunk)), PNG, "tEXt with a bad CRC", EITHER)


def png_truncated() -> Case:
    """A PNG cut off inside its image data, with no IEND."""
    data = png_text().data
    return Case("png-truncated", data[:data.index(b"IDAT") + 20], PNG, "cut inside IDAT",
                REFUSED)


# ---------------------------------------------------------------------------------------------
# Polyglots and files of no accepted kind


def polyglot_jpeg_png() -> Case:
    """A JPEG followed by a whole PNG (with a tEXt name): a different picture per reader."""
    data = _jpeg(after=png_text().data)
    return Case("polyglot-jpeg-png", data, None, "JPEG, then a PNG after EOI", EITHER)


def polyglot_png_jpeg() -> Case:
    """A PNG whose private chunk holds a whole JPEG with EXIF and GPS."""
    return Case("polyglot-png-jpeg", _png(_chunk(b"jpGe", _exif_jpeg())), None,
                "PNG with an EXIF JPEG inside a private chunk", EITHER)


def empty() -> Case:
    """Zero bytes."""
    return Case("empty", b"", None, "zero-length", REFUSED, hides=False)


def gif() -> Case:
    """A GIF (not an accepted kind) with a comment naming the author."""
    data = _save(_picture("P"), "GIF", comment=NAME.encode())
    return Case("gif", data, None, "GIF comment extension", REFUSED)


def noise() -> Case:
    """Bytes that are no kind of file."""
    data = bytes((n * 37 + 11) % 256 for n in range(2048))
    return Case("noise", data, None, "no magic number", REFUSED, hides=False)


BUILDERS = (
    pdf_plain, pdf_info_dictionary, pdf_info_encoded, pdf_catalogue_xmp, pdf_page_xmp,
    pdf_annotation_author, pdf_outline, pdf_embedded_file, pdf_file_attachment_annotation,
    pdf_image_exif, pdf_image_xmp, pdf_image_icc_profile, pdf_thumbnail, pdf_piece_info,
    pdf_open_action_javascript, pdf_names_javascript, pdf_launch_action, pdf_link_to_home_folder,
    pdf_form_field, pdf_xfa_form, pdf_layer_name, pdf_orphan_object, pdf_incremental_update_info,
    pdf_incremental_old_revision, pdf_comment_lines, pdf_bytes_after_eof, pdf_html_polyglot,
    pdf_html_only, pdf_truncated, pdf_encrypted,
    docx_plain, docx_core_properties, docx_app_properties, docx_custom_properties,
    docx_comment_author, docx_people, docx_tracked_changes, docx_attached_template,
    docx_document_variables, docx_hyperlink_home_folder, docx_custom_xml, docx_photo_exif,
    docx_png_text, docx_thumbnail, docx_embedded_ole, docx_embedded_package, docx_glossary,
    docx_unknown_part, docx_zip_comment, docx_zip_extra_fields, docx_member_named,
    docx_duplicate_member, docx_macros, docx_bytes_before_zip, docx_declared_size_lie,
    docx_zip_bomb, docx_truncated, office_encrypted,
    jpeg_plain, jpeg_exif_gps, jpeg_exif_orientation, jpeg_exif_thumbnail, jpeg_two_exif_segments,
    jpeg_xmp, jpeg_iptc, jpeg_comment, jpeg_icc_profile, jpeg_app11_jumbf, jpeg_app15_private,
    jpeg_second_image_after_eoi, jpeg_bytes_after_eoi, jpeg_comment_between_scans,
    jpeg_restart_markers, jpeg_cmyk, jpeg_truncated,
    png_plain, png_text, png_ztxt, png_itxt, png_exif, png_private_chunk, png_palette_name,
    png_icc_profile, png_time, png_chunk_after_iend, png_bytes_after_iend, png_indexed,
    png_bad_crc, png_truncated,
    polyglot_jpeg_png, polyglot_png_jpeg, empty, gif, noise,
)


@functools.cache
def cases() -> tuple[Case, ...]:
    """Every crafted file, built once."""
    built = tuple(build() for build in BUILDERS)
    assert len({case.id for case in built}) == len(built), "case ids must be unique"
    return built


# ---------------------------------------------------------------------------------------------
# Files that show the name where a reader sees it: the cleaner keeps such text, and
# `prepare(...).text` must contain it so the app can warn the trainee before markers see it.


def named_in_text() -> tuple[Case, ...]:
    def annotation(contents: str) -> bytes:
        return _pdf(page=b"/Annots [6 0 R] ", objects={
            6: (b"<< /Type /Annot /Subtype /Text /Rect [72 600 92 620] /T (Reviewer) "
                b"/Contents " + _literal(contents) + b" >>")})

    header = f"{_XML}<w:hdr {_NS}>{_paragraph(f'Essay by {NAME}')}</w:hdr>"
    footer = f"{_XML}<w:ftr {_NS}>{_paragraph(f'{NAME}, page 1')}</w:ftr>"
    footnotes = (f"{_XML}<w:footnotes {_NS}>"
                 '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
                 '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
                 '<w:continuationSeparator/></w:r></w:p></w:footnote><w:footnote w:id="1">'
                 f"{_paragraph(f'Interview notes taken by {NAME}.')}</w:footnote></w:footnotes>")
    return (
        Case("pdf-page-text", _pdf(text=f"{VISIBLE} by {NAME}"), PDF, "page text"),
        Case("pdf-annotation-contents", annotation(f"{NAME}: check this paragraph"), PDF,
             "a comment's /Contents"),
        Case("docx-body", _docx(_paragraph(f"Written by {NAME}")), DOCX, "a body paragraph"),
        Case("docx-header", _docx(sect='<w:headerReference w:type="default" r:id="rId4"/>',
                                  parts={"word/header1.xml": header},
                                  rels=[("rId4", _REL + "header", "header1.xml")]),
             DOCX, "the page header"),
        Case("docx-footer", _docx(sect='<w:footerReference w:type="default" r:id="rId4"/>',
                                  parts={"word/footer1.xml": footer},
                                  rels=[("rId4", _REL + "footer", "footer1.xml")]),
             DOCX, "the page footer"),
        Case("docx-footnote", _docx('<w:p><w:r><w:t>Interview</w:t></w:r><w:r>'
                                    '<w:footnoteReference w:id="1"/></w:r></w:p>',
                                    parts={"word/footnotes.xml": footnotes},
                                    rels=[("rId4", _REL + "footnotes", "footnotes.xml")]),
             DOCX, "a footnote"),
        Case("docx-comment-text", _docx(**_commented(f"{NAME} wrote this part.", "Reviewer")),
             DOCX, "a comment's text (its author is someone else)"),
    )
