"""Rebuild a Word document from the parts needed to show it, with its people removed.

Kept: the body, styles, numbering, settings, fonts table, theme, headers, footers, foot- and
endnotes, comments, and images that are PNG or JPEG (themselves rebuilt by the image cleaner).
Left behind: custom XML, people, glossary, embedded objects and fonts, thumbnails, custom
properties, and any part we do not know. Core and app properties are replaced by empty ones.
Relationships to dropped parts go, and so do external ones but web links (an attached template
at C:\\Users\\<name>\\..., a linked image, a mail-merge source). Author attributes, revision
session ids and document variables are removed from the XML that stays."""

import html
import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException

from lms.uploads.archive import open_archive, read_member
from lms.uploads.images import clean_jpeg, clean_png
from lms.uploads.kinds import JPEG, PNG, sniff
from lms.uploads.refused import Refused

_WORD_PARTS = re.compile(
    r"^word/(document|styles|stylesWithEffects|numbering|settings|fontTable|webSettings"
    r"|footnotes|endnotes|comments|commentsExtended|commentsIds|commentsExtensible"
    r"|(header|footer)\d+|theme/theme\d+)\.xml$")
_MEDIA = re.compile(r"^word/media/[^/]+$")
_RELS = re.compile(r"^(?:(.*)/)?_rels/([^/]*)\.rels$")
_TEXT_PARTS = re.compile(
    r"^word/(document|(header|footer)\d+|footnotes|endnotes|comments)\.xml$")

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_OFFICE_DOCUMENT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                    "officeDocument")
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_WEB = ("http://", "https://", "mailto:")

CORE = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        b'xmlns:dcterms="http://purl.org/dc/terms/" '
        b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>')
APP = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
       b'extended-properties"/>')
_PROPS = {"docProps/core.xml": CORE, "docProps/app.xml": APP}

_PEOPLE = re.compile(rb'\s(w(?:14|15)?:(?:author|initials|userId|providerId))="[^"]*"')
_RSID = re.compile(rb'\sw:rsid\w*="[^"]*"')
_SETTINGS_DROP = re.compile(
    rb"<w:(attachedTemplate|docVars|rsids|mailMerge|documentProtection|writeProtection)\b"
    rb"(?:[^>]*/>|.*?</w:\1>)", re.S)
_FONT_EMBEDS = re.compile(rb"<w:embed(?:Regular|Bold|Italic|BoldItalic)\b[^>]*/>")

UNKNOWN_IMAGE = ("This Word document contains an image in a format we cannot check for hidden "
                 "details such as the author or a photo's location (only PNG and JPEG images "
                 "can be checked). Export the document as PDF, or replace the image with a PNG "
                 "or JPEG, and upload it again.")
BAD_XML = ("This Word document is damaged: part of it could not be read. Save it again and "
           "upload the new copy.")


def clean_docx(data: bytes) -> tuple[bytes, str]:
    """Return (the rebuilt document, the text a reader sees, comments and alt text included)."""
    archive, members = open_archive(data)
    with archive:
        kept = {info.filename: info for info in members if _keep(info.filename)}
        parts: dict[str, bytes] = {}
        renamed: dict[str, str] = {}  # a picture's file name can be the author's name
        for name, info in kept.items():
            body = read_member(archive, info)
            if _MEDIA.match(name):
                kind, image = _clean_image(body)
                renamed[name] = f"word/media/image{len(renamed) + 1}.{kind}"
                parts[renamed[name]] = image
            elif name.startswith("word/"):
                parts[name] = _clean_word_xml(name, body)
        for name in _PROPS:
            parts[name] = _PROPS[name]
        for name, info in kept.items():  # relationships last: they point at what was kept
            if _RELS.match(name):
                source = _rels_source(name)
                if source == "" or source in parts:
                    parts[name] = _clean_rels(read_member(archive, info), source, parts,
                                              renamed)
        if "[Content_Types].xml" not in kept or "word/document.xml" not in parts:
            raise Refused(BAD_XML)
        parts["[Content_Types].xml"] = _clean_content_types(
            read_member(archive, kept["[Content_Types].xml"]), parts)
    text = "\n".join(_text(parts[name]) for name in sorted(parts) if _TEXT_PARTS.match(name))
    return _zip(parts), text


def _keep(name: str) -> bool:
    return bool(name == "[Content_Types].xml" or name in _PROPS or _WORD_PARTS.match(name)
                or _MEDIA.match(name) or _RELS.match(name))


def _clean_image(body: bytes) -> tuple[str, bytes]:
    kind = sniff(body)
    if kind == JPEG:
        return "jpeg", clean_jpeg(body)
    if kind == PNG:
        return "png", clean_png(body)
    raise Refused(UNKNOWN_IMAGE)


def _clean_word_xml(name: str, body: bytes) -> bytes:
    body = _RSID.sub(b"", _PEOPLE.sub(_anonymous_person, body))
    if name == "word/settings.xml":
        body = _SETTINGS_DROP.sub(b"", body)
    elif name == "word/fontTable.xml":
        body = _FONT_EMBEDS.sub(b"", body)
    return body


def _anonymous_person(match: re.Match) -> bytes:
    attribute = match.group(1)
    if attribute.endswith((b"userId", b"providerId")):
        return b""
    value = b"A" if attribute.endswith(b"initials") else b"Author"
    return b" " + attribute + b'="' + value + b'"'


def _rels_source(rels_name: str) -> str:
    """The part a relationships file belongs to ('' for the package itself)."""
    folder, base = _RELS.match(rels_name).groups()
    return posixpath.join(folder or "", base) if base != "" else ""


def _parse(body: bytes) -> ElementTree.Element:
    try:  # no DTDs, entities or external references: a part is data, never instructions
        return SafeElementTree.fromstring(body)
    except (ElementTree.ParseError, DefusedXmlException) as error:
        raise Refused(BAD_XML) from error


def _clean_rels(body: bytes, source: str, parts: dict[str, bytes],
                renamed: dict[str, str]) -> bytes:
    """Keep relationships to kept parts, and external ones only if they are web links."""
    root = _parse(body)
    folder = posixpath.dirname(source)
    out = ElementTree.Element(f"{{{_REL_NS}}}Relationships")
    for rel in root.findall(f"{{{_REL_NS}}}Relationship"):
        target, kind = rel.get("Target", ""), rel.get("Type", "")
        if rel.get("TargetMode") == "External":
            if kind != _HYPERLINK or not target.lower().startswith(_WEB):
                continue
        else:
            resolved = posixpath.normpath(target.lstrip("/") if target.startswith("/")
                                          else posixpath.join(folder, target))
            if resolved in renamed:
                resolved = renamed[resolved]
                rel.set("Target", posixpath.relpath(resolved, folder or "."))
            if resolved not in parts:
                continue
            if source == "" and kind != _OFFICE_DOCUMENT and resolved not in _PROPS:
                continue
        ElementTree.SubElement(out, f"{{{_REL_NS}}}Relationship", {
            k: v for k, v in rel.attrib.items() if k in ("Id", "Type", "Target", "TargetMode")})
    return _serialise(out, _REL_NS)


def _clean_content_types(body: bytes, parts: dict[str, bytes]) -> bytes:
    root = _parse(body)
    out = ElementTree.Element(f"{{{_CT_NS}}}Types")
    defaults = {entry.get("Extension", "").lower() for entry in root
                if entry.tag == f"{{{_CT_NS}}}Default"}
    for extension, content_type in (("png", PNG), ("jpeg", JPEG)):  # renamed pictures
        if extension not in defaults:
            ElementTree.SubElement(out, f"{{{_CT_NS}}}Default",
                                   {"Extension": extension, "ContentType": content_type})
    for entry in root:
        if entry.tag == f"{{{_CT_NS}}}Default" or (
                entry.tag == f"{{{_CT_NS}}}Override"
                and entry.get("PartName", "").lstrip("/") in parts):
            ElementTree.SubElement(out, entry.tag, {
                k: v for k, v in entry.attrib.items()
                if k in ("Extension", "PartName", "ContentType")})
    return _serialise(out, _CT_NS)


def _serialise(root: ElementTree.Element, namespace: str) -> bytes:
    ElementTree.register_namespace("", namespace)
    return (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            + ElementTree.tostring(root, encoding="utf-8", xml_declaration=False))


_PARAGRAPH_END = re.compile(rb"</w:p>|<w:br/>|<w:tab/>")
_ALT_TEXT = re.compile(rb'\s(?:descr|title)="([^"]*)"')
_TAG = re.compile(rb"<[^>]+>")


def _text(xml: bytes) -> str:
    alt = b"\n".join(_ALT_TEXT.findall(xml))
    words = _TAG.sub(b"", _PARAGRAPH_END.sub(b"\n", xml))
    return html.unescape((words + b"\n" + alt).decode("utf-8", "replace"))


_EPOCH = (1980, 1, 1, 0, 0, 0)


def _zip(parts: dict[str, bytes]) -> bytes:
    """A fresh archive: no comment, no extra fields, no timestamps from the author's machine."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in ["[Content_Types].xml", *sorted(n for n in parts if n != "[Content_Types]"
                                                    ".xml")]:
            target.writestr(zipfile.ZipInfo(name, _EPOCH), parts[name],
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
