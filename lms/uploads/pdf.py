"""Rebuild a PDF from its pages and their resources, and nothing else.

A new document is made from the pages alone, so everything the old catalogue pointed at stays
behind: the information dictionary, XMP, outlines (bookmarks), embedded files, forms, scripts,
open actions and page labels. Each page keeps only the keys needed to draw it; its resources are
walked and cleaned: image streams lose their metadata and JPEG images are rebuilt by the image
cleaner (EXIF, GPS), colour profiles become the plain device colour space (a profile's
description can name its maker), JPEG 2000 images are refused (their metadata boxes cannot be
checked here), and any /Metadata or /PieceInfo anywhere is dropped. Links keep only a web
address; comments keep only their text, which the caller checks for the author's name, never
their author."""

import io
from urllib.parse import urlsplit

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from lms.uploads.images import clean_jpeg
from lms.uploads.refused import DAMAGED, Refused

MAX_PAGES = 300

PAGE_KEYS = {"/Type", "/Parent", "/Resources", "/MediaBox", "/CropBox", "/BleedBox", "/TrimBox",
             "/ArtBox", "/Contents", "/Rotate", "/Group", "/UserUnit"}
RESOURCE_KEYS = {"/Font", "/XObject", "/ExtGState", "/ColorSpace", "/Pattern", "/Shading",
                 "/ProcSet"}
IMAGE_KEYS = {"/Type", "/Subtype", "/Width", "/Height", "/ColorSpace", "/BitsPerComponent",
              "/Filter", "/DecodeParms", "/Decode", "/ImageMask", "/Mask", "/SMask",
              "/Interpolate", "/Intent", "/Length", "/SMaskInData", "/Matte"}
FORM_KEYS = {"/Type", "/Subtype", "/FormType", "/BBox", "/Matrix", "/Resources", "/Group",
             "/Length", "/Filter", "/DecodeParms"}
DROP_ANYWHERE = {"/Metadata", "/PieceInfo", "/LastModified"}
COMMENT_KINDS = {"/Text", "/FreeText", "/Highlight", "/Underline", "/StrikeOut", "/Squiggly",
                 "/Square", "/Circle", "/Line", "/Ink"}
COMMENT_KEYS = {"/Rect", "/QuadPoints", "/C", "/Name", "/InkList", "/L"}
WEB = {"http", "https", "mailto"}

ENCRYPTED = ("This PDF is protected with a password, so markers could not open it. Save a copy "
             "without a password and upload that.")
TOO_MANY_PAGES = f"This PDF has more than {MAX_PAGES} pages. Upload a shorter file."
JPEG_2000 = ("This PDF contains JPEG 2000 images, which we cannot check for hidden details "
             "such as the author. Print it to a new PDF (or export it again) and upload that.")


def clean_pdf(data: bytes) -> tuple[bytes, str]:
    """Return (the rebuilt PDF, the text a reader sees on its pages and in its comments)."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise Refused(ENCRYPTED)
        pages = reader.pages
        if len(pages) > MAX_PAGES:
            raise Refused(TOO_MANY_PAGES)
        if not len(pages):
            raise Refused(DAMAGED)
        writer, texts, seen = PdfWriter(), [], set()
        for page in pages:
            comments = _clean_page(page, seen)
            texts.append(page.extract_text() or "")
            texts.extend(comments)
            writer.add_page(page)
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
    except Refused:
        raise
    except Exception as error:  # noqa: BLE001 - pypdf raises many kinds on hostile bytes
        # (read errors, unsupported filters, bad numbers, recursion): all mean "cannot be
        # rebuilt", which refuses the file. The property test feeds it damaged files.
        raise Refused(DAMAGED) from error
    return out.getvalue(), "\n".join(texts)


def _clean_page(page: DictionaryObject, seen: set[int]) -> list[str]:
    """Keep what draws the page; return the text of the comments kept on it."""
    annotations = page.get("/Annots")
    for key in list(page.keys()):
        if key not in PAGE_KEYS:
            del page[key]
    if "/Resources" in page:
        _clean(page["/Resources"], seen, resources=True)
    if "/Contents" in page:
        _clean(page["/Contents"], seen)
    kept, texts = ArrayObject(), []
    for ref in annotations.get_object() if annotations is not None else []:
        annotation = _rebuilt_annotation(ref.get_object())
        if annotation is not None:
            kept.append(annotation)
            if "/Contents" in annotation:
                texts.append(str(annotation["/Contents"]))
    if kept:
        page[NameObject("/Annots")] = kept
    return texts


def _clean(obj, seen: set[int], resources: bool = False) -> None:
    """Walk what a page draws with, dropping metadata and rebuilding images."""
    if isinstance(obj, IndirectObject):
        if obj.idnum in seen:
            return
        seen.add(obj.idnum)
        obj = obj.get_object()
    if isinstance(obj, ArrayObject):
        for index, item in enumerate(obj):
            if (device := _device_space(item)) is not None:
                obj[index] = device
            else:
                _clean(item, seen)
        return
    if not isinstance(obj, DictionaryObject):
        return
    subtype = obj.get("/Subtype")
    allowed = (RESOURCE_KEYS if resources else IMAGE_KEYS if subtype == "/Image"
               else FORM_KEYS if subtype == "/Form" and isinstance(obj, StreamObject) else None)
    for key in list(obj.keys()):
        if key in DROP_ANYWHERE or (allowed is not None and key not in allowed):
            del obj[key]
    if subtype == "/Image" and isinstance(obj, StreamObject):
        _clean_image_stream(obj)
    for key, value in list(obj.items()):
        if (device := _device_space(value)) is not None:
            obj[NameObject(key)] = device
        elif key not in ("/Parent", "/P"):
            _clean(value, seen, resources=key == "/Resources")


_DEVICE = {1: "/DeviceGray", 3: "/DeviceRGB", 4: "/DeviceCMYK"}


def _device_space(value) -> NameObject | None:
    """The device colour space for an ICC-based one: a profile's text can name its maker."""
    value = value.get_object() if isinstance(value, IndirectObject) else value
    if not (isinstance(value, ArrayObject) and len(value) == 2 and value[0] == "/ICCBased"):
        return None
    profile = value[1].get_object()
    components = int(profile.get("/N", 3)) if isinstance(profile, DictionaryObject) else 3
    return NameObject(_DEVICE.get(components, "/DeviceRGB"))


def _filters(stream: StreamObject) -> list[str]:
    value = stream.get("/Filter")
    if value is None:
        return []
    value = value.get_object()
    return [str(f) for f in value] if isinstance(value, ArrayObject) else [str(value)]


def _clean_image_stream(stream: StreamObject) -> None:
    filters = _filters(stream)
    if "/JPXDecode" in filters:
        raise Refused(JPEG_2000)
    if "/DCTDecode" in filters:
        jpeg = stream.get_data() if filters[-1] == "/DCTDecode" else None
        if jpeg is None:
            raise Refused(DAMAGED)
        stream._data = clean_jpeg(jpeg)  # the stored bytes: only DCTDecode from here on
        stream[NameObject("/Filter")] = NameObject("/DCTDecode")
        if "/DecodeParms" in stream:
            del stream["/DecodeParms"]
        if hasattr(stream, "decoded_self"):
            stream.decoded_self = None


def _numbers(value) -> ArrayObject:
    return ArrayObject(FloatObject(float(n)) for n in value.get_object())


def _rebuilt_annotation(annotation) -> DictionaryObject | None:
    """A link to a web address, or a comment with its text and place: nothing else."""
    if not isinstance(annotation, DictionaryObject) or "/Rect" not in annotation:
        return None
    subtype = annotation.get("/Subtype")
    rebuilt = DictionaryObject({NameObject("/Type"): NameObject("/Annot"),
                                NameObject("/Subtype"): NameObject(str(subtype)),
                                NameObject("/Rect"): _numbers(annotation["/Rect"])})
    if subtype == "/Link":
        action = (annotation.get("/A") or DictionaryObject()).get_object()
        uri = str(action.get("/URI", "")) if action.get("/S") == "/URI" else ""
        if urlsplit(uri).scheme.lower() not in WEB:
            return None
        rebuilt[NameObject("/Border")] = ArrayObject([NumberObject(0)] * 3)
        rebuilt[NameObject("/A")] = DictionaryObject({
            NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject(uri)})
        return rebuilt
    if subtype not in COMMENT_KINDS:
        return None
    for key in COMMENT_KEYS & set(annotation.keys()):
        value = annotation[key].get_object()
        if key == "/Name":
            rebuilt[NameObject(key)] = NameObject(str(value))
        elif key == "/InkList":
            rebuilt[NameObject(key)] = ArrayObject(_numbers(stroke) for stroke in value)
        else:
            rebuilt[NameObject(key)] = _numbers(value)
    if "/Contents" in annotation:
        rebuilt[NameObject("/Contents")] = TextStringObject(str(annotation["/Contents"]))
    return rebuilt
