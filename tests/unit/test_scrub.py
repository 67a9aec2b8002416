"""Anonymous markers get files without the author's name in their properties."""

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from lms.assessments.scrub import DOCX, JPEG, PDF, PNG, ScrubError, problem, scrub
from tests import filekit

NAME = "Jordan Ellis"


def test_a_pdf_loses_its_author_and_title_but_keeps_its_text():
    original = filekit.pdf(author=NAME)
    assert NAME.encode() in original
    cleaned = scrub(original, PDF)
    assert NAME.encode() not in cleaned
    reader = PdfReader(io.BytesIO(cleaned))
    assert not (reader.metadata or {}).get("/Author")
    assert filekit.VISIBLE in reader.pages[0].extract_text()


def test_a_word_document_loses_its_people_but_keeps_its_words():
    original = filekit.docx(NAME)
    cleaned = scrub(original, DOCX)
    with zipfile.ZipFile(io.BytesIO(cleaned)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    assert not any(NAME.encode() in body for body in parts.values())
    assert filekit.VISIBLE.encode() in parts["word/document.xml"]
    assert b'w:author="Author"' in parts["word/document.xml"]
    assert b"<Pages>1</Pages>" in parts["docProps/app.xml"]


@pytest.mark.parametrize("make, kind", [(filekit.jpeg, JPEG), (filekit.png, PNG)])
def test_an_image_loses_its_exif_and_text_but_still_opens(make, kind):
    original = make(NAME)
    assert NAME.encode() in original
    cleaned = scrub(original, kind)
    assert NAME.encode() not in cleaned
    with Image.open(io.BytesIO(cleaned)) as image:
        image.load()
        assert image.size == (8, 8)
        kept = dict(image.getexif())
    # A photo keeps only its orientation, so it still opens the right way up for the marker.
    assert kept == ({0x0112: 6} if kind == JPEG else {})


def test_files_that_cannot_be_cleaned_are_refused_with_a_reason():
    with pytest.raises(ScrubError):
        scrub(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF", PDF)
    assert "password" in problem(filekit.pdf(password="secret"), PDF)
    assert "damaged" in problem(filekit.png(NAME)[:40], PNG)
    assert "damaged" in problem(b"\xff\xd8\xff\xe0\x00", JPEG)
    assert problem(filekit.pdf(), PDF) is None


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from([PDF, DOCX, PNG, JPEG]), cut=st.integers(0, 4000),
       noise=st.binary(max_size=64))
def test_a_damaged_file_is_refused_never_crashes(kind, cut, noise):
    """Whatever the bytes, cleaning gives a file or a ScrubError: never another error."""
    whole = {PDF: filekit.pdf(author=NAME), DOCX: filekit.docx(NAME),
             PNG: filekit.png(NAME), JPEG: filekit.jpeg(NAME)}[kind]
    damaged = whole[:cut] + noise + whole[cut + len(noise):]
    try:
        cleaned = scrub(damaged, kind)
    except ScrubError:
        return
    assert isinstance(cleaned, bytes)


def test_visible_text_reads_pages_and_word_headers_but_not_images():
    from lms.assessments.scrub import visible_text

    assert "Plan by Jo Bloggs" in visible_text(filekit.pdf(text="Plan by Jo Bloggs"), PDF)
    assert filekit.VISIBLE in visible_text(filekit.docx(NAME), DOCX)
    assert visible_text(filekit.png(NAME), PNG) == ""
    assert visible_text(b"%PDF-1.4 damaged", PDF) == ""
