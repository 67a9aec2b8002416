"""The certificate PDFs: what a reader sees, what the QR code holds, and what the file says."""

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import stringWidth

from certificates.documents import (
    advocate_accreditation_pdf,
    cpd_statement_pdf,
    module_completion_pdf,
    organisation_accreditation_pdf,
    transcript_pdf,
)
from certificates.fonts import BOLD, REGULAR
from certificates.pdf import MARGIN, qr_widget
from certificates.printed import ISSUER, printed, printed_fields
from tests.unit.certificates import samples

DOCUMENTS = [
    (samples.module_completion, module_completion_pdf),
    (samples.transcript, transcript_pdf),
    (samples.advocate_accreditation, advocate_accreditation_pdf),
    (samples.organisation_accreditation, organisation_accreditation_pdf),
    (samples.cpd_statement, cpd_statement_pdf),
]
KINDS = [make.__name__ for make, _ in DOCUMENTS]


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def squashed(text: str) -> str:
    """Text without whitespace, so words a cell wrapped read whole again."""
    return "".join(text.split())


def rectangles(reader: PdfReader, page: int) -> set[tuple[float, ...]]:
    """Every rectangle the page draws, as (x, y, width, height)."""
    operations = ContentStream(reader.pages[page].get_contents(), reader).operations
    return {tuple(float(value) for value in operands)
            for operands, operator in operations if operator == b"re"}


def qr_squares(url: str) -> set[tuple[float, ...]]:
    """The dark runs of the QR code for an address, as the PDF writes them."""
    group = qr_widget(url).draw()
    return {tuple(float(fp_str(v)) for v in (shape.x, shape.y, shape.width, shape.height))
            for shape in group.contents if shape.fillColor is not None}


@pytest.fixture(scope="module", params=DOCUMENTS, ids=KINDS)
def document(request):
    make, render = request.param
    facts = make()
    return facts, render(facts), render


def test_each_document_shows_its_title_holder_issuer_code_and_verify_address(document):
    facts, pdf, _ = document
    text = read(pdf).pages[0].extract_text()
    shown = printed(facts)
    for words in (ISSUER, "K7QX-9FD3-M2PA", "https://example.org/verify/K7QX-9FD3-M2PA",
                  "Page 1 of 1"):
        assert words in text
    for words in (shown.title, shown.holder):  # a title may wrap
        assert squashed(words) in squashed(text)


def test_every_printed_field_is_on_the_pdf_so_the_verify_page_matches_it(document):
    facts, pdf, _ = document
    text = squashed("".join(page.extract_text() for page in read(pdf).pages))
    shown = printed(facts)
    rows = shown.table.rows if shown.table else ()
    for label, value in printed_fields(facts):
        if label in {"Document", "Issued by", "Verify at", "Verification code", "Note"}:
            assert squashed(value) in text
        elif label not in {row[0] for row in rows}:
            assert squashed(label) in text and squashed(value) in text, (label, value)
    for cell in (cell for row in rows for cell in row):  # a table row prints as cells
        assert squashed(cell) in text


def test_each_document_names_title_author_subject_language_and_issue_date(document):
    facts, pdf, _ = document
    reader = read(pdf)
    shown = printed(facts)
    assert reader.metadata.title == f"{shown.title}: {shown.holder}"
    assert reader.metadata.author == ISSUER
    assert reader.metadata.subject == shown.subject
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.metadata["/CreationDate"].startswith("D:20260701")


def test_each_document_embeds_every_font_it_uses(document):
    _, pdf, _ = document
    for page in read(pdf).pages:
        fonts = page["/Resources"]["/Font"].values()
        assert fonts
        for font in fonts:
            font = font.get_object()
            assert font["/Subtype"] == "/TrueType", font["/BaseFont"]
            assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_the_qr_code_on_the_page_holds_the_verify_address(document):
    _, pdf, _ = document
    drawn = rectangles(read(pdf), 0)
    squares = qr_squares(samples.VERIFY_URL)
    assert len(squares) > 50
    assert squares <= drawn
    assert not qr_squares("https://example.org/verify/K7QX-9FD3-M2PB") <= drawn


def test_the_same_facts_give_the_same_bytes_and_other_facts_do_not(document):
    facts, pdf, render = document
    assert render(facts) == pdf
    assert render(replace(facts, issued_on=facts.issued_on.replace(day=2))) != pdf
    assert render(replace(facts, code="K7QX-9FD3-M2PB")) != pdf


def test_a_document_refuses_facts_of_another_kind():
    with pytest.raises(TypeError, match="expected ModuleCompletion facts, not Transcript"):
        module_completion_pdf(samples.transcript())


def test_a_transcript_says_it_is_not_the_award_certificate():
    text = read(transcript_pdf(samples.transcript())).pages[0].extract_text()
    assert "Transcript of module results" in text
    assert "not the university's award" in text


@pytest.fixture(scope="module")
def long_transcript() -> PdfReader:
    return read(transcript_pdf(samples.transcript(count=24)))


def test_a_twelve_module_transcript_fits_on_one_page():
    reader = read(transcript_pdf(samples.transcript(count=12)))
    assert len(reader.pages) == 1
    assert "Module 12: advocacy" in reader.pages[0].extract_text()


def test_a_longer_transcript_runs_over_pages_each_with_code_qr_and_page_number(long_transcript):
    pages = long_transcript.pages
    assert len(pages) == 2
    text = squashed("".join(page.extract_text() for page in pages))
    for n in range(1, 25):
        assert squashed(f"Module {n}: advocacy") in text
    squares = qr_squares(samples.VERIFY_URL)
    for number, page in enumerate(pages, start=1):
        page_text = page.extract_text()
        assert f"Page {number} of 2" in page_text
        assert "K7QX-9FD3-M2PA" in page_text and ISSUER in page_text
        assert squares <= rectangles(long_transcript, number - 1)
    continued = "Transcript of module results: Alex Morgan (continued)"
    assert continued not in pages[0].extract_text()
    assert continued in pages[1].extract_text()
    assert pages[1].extract_text().startswith("Module\nCredits\nMark\nResult\n")  # repeated


def test_names_beyond_latin_1_print_and_read_back():
    facts = samples.advocate_accreditation(holder_name="Ștefan Nguyễn Thị Đoàn")
    text = read(advocate_accreditation_pdf(facts)).pages[0].extract_text()
    assert "Ștefan Nguyễn Thị Đoàn" in text


def test_markup_and_control_characters_in_a_name_print_as_text():
    facts = samples.module_completion(holder_name="Sam <b>O'Neil</b> & Co\x07")
    text = read(module_completion_pdf(facts)).pages[0].extract_text()
    assert "Sam <b>O'Neil</b> & Co" in text


def text_runs(reader: PdfReader):
    """Each line of text on each page, with where it starts and how wide it is."""
    for page in reader.pages:
        runs = []

        def visit(text, cm, tm, font, size, runs=runs):
            text = text.strip()
            if text:
                name = BOLD if "Bold" in font["/BaseFont"] else REGULAR
                runs.append((text, cm[4] + tm[4] * cm[0], stringWidth(text, name, size)))

        page.extract_text(visitor_text=visit)
        yield from runs


LONG_WORD = "Wolfeschlegelsteinhausenbergerdorff" * 4


@pytest.mark.parametrize(("name", "title"), [
    (" ".join(["Maria-Théa Ó Súilleabháin"] * 12), " ".join(["Safeguarding adults"] * 30)),
    (LONG_WORD, LONG_WORD + " and " + LONG_WORD),
])
def test_long_names_and_titles_wrap_inside_the_page(name, title):
    facts = samples.module_completion(holder_name=name, module_title=title)
    reader = read(module_completion_pdf(facts))
    text = squashed("".join(page.extract_text() for page in reader.pages))
    assert squashed(name) in text and squashed(title) in text
    runs = list(text_runs(reader))
    assert len(runs) > 20
    for run, left, width in runs:
        assert left >= MARGIN - 1 and left + width <= A4[0] - MARGIN + 1, run


def test_long_module_titles_and_results_wrap_inside_a_transcript_page():
    modules = tuple(replace(samples.transcript_module(n), title=f"{n} " + LONG_WORD,
                            result="Pass with distinction after a resit in the summer")
                    for n in range(1, 4))
    reader = read(transcript_pdf(samples.transcript(modules=modules)))
    text = squashed("".join(page.extract_text() for page in reader.pages))
    assert squashed(f"3 {LONG_WORD}") in text
    for run, left, width in text_runs(reader):
        assert left >= MARGIN - 1 and left + width <= A4[0] - MARGIN + 1, run


def test_a_long_verify_address_wraps_in_the_footer_and_the_qr_code_holds_it_whole():
    url = ("https://certificates.bakhita-centre.example.org/verify/K7QX-9FD3-M2PA"
           "?lang=en-GB&from=printed-certificate")
    reader = read(module_completion_pdf(samples.module_completion(verify_url=url)))
    text = reader.pages[0].extract_text()
    assert url not in text and squashed(url) in squashed(text)  # on two lines
    assert qr_squares(url) <= rectangles(reader, 0)
    for run, left, width in text_runs(reader):
        assert left >= MARGIN - 1 and left + width <= A4[0] - MARGIN + 1, run


def test_a_long_name_on_a_continued_page_is_cut_short_inside_the_page():
    name = "Maria-Théa Ó Súilleabháin Nguyễn " * 6
    reader = read(transcript_pdf(samples.transcript(count=24, holder_name=name)))
    second = reader.pages[1].extract_text()
    assert "Transcript of module results: Maria-Théa" in second
    assert "… (continued)" in second
    for run, left, width in text_runs(reader):
        assert left >= MARGIN - 1 and left + width <= A4[0] - MARGIN + 1, run
