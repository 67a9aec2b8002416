"""Real files of each accepted kind, with a name hidden in their metadata, for upload tests."""

import io
import zipfile

from PIL import Image
from pypdf import PdfWriter
from reportlab.pdfgen import canvas

VISIBLE = "Safety plan for the first meeting"


def pdf(author: str | None = None, password: str | None = None, text: str = VISIBLE) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    if author:
        page.setAuthor(author)
        page.setTitle(f"Draft by {author}")
    page.drawString(72, 720, text)
    page.save()
    if not password:
        return buffer.getvalue()
    writer = PdfWriter(clone_from=io.BytesIO(buffer.getvalue()))
    writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx(author: str) -> bytes:
    """A minimal Word document with the author in its properties and on a tracked change."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="xml" ContentType="application'
            '/xml"/></Types>'))
        archive.writestr("docProps/core.xml", (
            '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
            'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
            "</cp:coreProperties>"))
        archive.writestr("docProps/app.xml", (
            f"<Properties><Company>{author} Consulting</Company><Pages>1</Pages></Properties>"))
        archive.writestr("word/document.xml", (
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:body><w:ins w:id="1" w:author="{author}" w:date="2026-11-01T10:00:00Z"><w:r>'
            f"<w:t>{VISIBLE}</w:t></w:r></w:ins></w:body></w:document>"))
    return out.getvalue()


def jpeg(author: str) -> bytes:
    image = Image.new("RGB", (8, 8), (200, 30, 30))
    exif = Image.Exif()
    exif[0x013B] = author  # Artist
    exif[0x0112] = 6       # Orientation: taken with the phone on its side
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=f"Photo by {author}".encode())
    return out.getvalue()


def png(author: str) -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", author)
    info.add_itxt("Description", f"Scan made by {author}")
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 30, 200)).save(out, "PNG", pnginfo=info)
    return out.getvalue()
