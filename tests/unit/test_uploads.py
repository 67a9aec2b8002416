"""Files are checked by content and cleaned once, at upload, on an allowlist."""

import io
import tracemalloc
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from lms.uploads import DOCX, JPEG, PDF, PNG, Refused, prepare, room_for
from tests import filekit

NAME = "Jordan Ellis"


def test_a_pdf_loses_its_author_and_title_but_keeps_its_text():
    original = filekit.pdf(author=NAME)
    assert NAME.encode() in original
    prepared = prepare(original)
    assert prepared.kind == PDF and NAME.encode() not in prepared.cleaned
    reader = PdfReader(io.BytesIO(prepared.cleaned))
    assert not (reader.metadata or {}).get("/Author")
    assert filekit.VISIBLE in reader.pages[0].extract_text()
    assert filekit.VISIBLE in prepared.text


def test_a_word_document_loses_its_people_but_keeps_its_words():
    prepared = prepare(filekit.docx(NAME))
    with zipfile.ZipFile(io.BytesIO(prepared.cleaned)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    assert not any(NAME.encode() in body for body in parts.values())
    assert filekit.VISIBLE.encode() in parts["word/document.xml"]
    assert b'w:author="Author"' in parts["word/document.xml"]
    assert prepared.kind == DOCX and filekit.VISIBLE in prepared.text


@pytest.mark.parametrize("make, kind", [(filekit.jpeg, JPEG), (filekit.png, PNG)])
def test_an_image_loses_its_exif_and_text_but_still_opens(make, kind):
    original = make(NAME)
    assert NAME.encode() in original
    prepared = prepare(original)
    assert prepared.kind == kind and NAME.encode() not in prepared.cleaned
    with Image.open(io.BytesIO(prepared.cleaned)) as image:
        image.load()
        assert image.size == (8, 8)
        kept = dict(image.getexif())
    # A photo keeps only its orientation, so it still opens the right way up for the marker.
    assert kept == ({0x0112: 6} if kind == JPEG else {})
    assert prepared.text == ""


def test_files_that_cannot_be_cleaned_are_refused_with_a_reason():
    def reason(data: bytes) -> str:
        with pytest.raises(Refused) as refused:
            prepare(data)
        return refused.value.reason

    assert "damaged" in reason(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF")
    assert "password" in reason(filekit.pdf(password="secret"))
    assert "damaged" in reason(filekit.png(NAME)[:40])
    assert "damaged" in reason(b"\xff\xd8\xff\xe0\x00")
    assert "empty" in reason(b"")
    assert "must be a PDF" in reason(b"<html><script>alert(1)</script></html>")
    assert "larger than" in reason(b"%PDF-" + b"0" * (10 * 1024 * 1024))


def _zip_bomb(declared_mb: int) -> bytes:
    """A Word document with a part of zeros that unpacks to `declared_mb` megabytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            zeros = b"\0" * (1024 * 1024)
            for _ in range(declared_mb):
                member.write(zeros)
    return out.getvalue()


def test_a_word_document_that_unpacks_to_a_gigabyte_is_refused_before_it_is_read():
    bomb = _zip_bomb(200)
    assert len(bomb) < 1024 * 1024  # small on the wire
    tracemalloc.start()
    try:
        with pytest.raises(Refused) as refused:
            prepare(bomb)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "unpacks to far more" in refused.value.reason
    assert peak < 20 * 1024 * 1024


def test_attachments_per_piece_of_work_are_limited_in_number_and_total_size():
    assert room_for([1, 2], 3, max_files=3, max_total_bytes=100) is None
    assert "up to 3 files" in room_for([1, 2, 3], 1, max_files=3, max_total_bytes=100)
    assert "add up to" in room_for([60 * 2**20], 30 * 2**20, max_files=5,
                                   max_total_bytes=80 * 2**20)


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from([PDF, DOCX, PNG, JPEG]), cut=st.integers(0, 4000),
       noise=st.binary(max_size=64))
def test_a_damaged_file_is_refused_never_crashes(kind, cut, noise):
    """Whatever the bytes, preparing gives a file or a Refused reason: never another error."""
    whole = {PDF: filekit.pdf(author=NAME), DOCX: filekit.docx(NAME),
             PNG: filekit.png(NAME), JPEG: filekit.jpeg(NAME)}[kind]
    damaged = whole[:cut] + noise + whole[cut + len(noise):]
    try:
        prepared = prepare(damaged)
    except Refused as refused:
        assert refused.reason.endswith(".")
        return
    assert isinstance(prepared.cleaned, bytes)
