"""One page frame for every certificate, laid out from what printed() says it prints.

Each page has the issuer and "Page N of M" at the top (a page taken out of a transcript shows),
and at the foot the verification code, the verify address and a QR code for it; later pages say
whose document continues on them. The body is the title, a lead sentence, the fields, a table if
the document has one, and notes.

The same facts give the same bytes: ReportLab runs in invariant mode (no random document id, no
clock), and the creation date is the issue day. Nothing a person typed is read as markup.
"""

import io
import itertools
import re
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    PageTemplate,
    Paragraph,
    TableStyle,
)
from reportlab.platypus import Table as TableFlowable

from certificates.facts import Certificate
from certificates.fonts import BOLD, REGULAR, font_files
from certificates.printed import ISSUER, Printed, Table, printed

MARGIN = 20 * mm
QR_SIZE = 26 * mm
FOOT = 12 * mm  # the bottom of the QR code and of the page number
HEADER_HEIGHT = 12 * mm
CONTINUED = 9 * mm  # the line under the header on later pages
FOOTER_HEIGHT = FOOT + QR_SIZE + 7 * mm
URL_LINES = 3  # a longer address is cut with an ellipsis; the QR code always holds it whole
GREY = colors.HexColor("#505a5f")
RULE = colors.HexColor("#b1b4b6")
SHADE = colors.HexColor("#f3f2f1")
CELL_SIZE = 10.5
CELL_PADDING = 6  # ReportLab's table cells' left and right padding
CREATOR = "PG Cert in independent advocacy: learning platform"

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    """Text without control characters, which no font can draw."""
    return _CONTROL.sub("", text.replace("\t", " ").replace("\n", " "))


def _markup(text: str) -> str:
    """Text safe inside ReportLab's paragraph markup."""
    return escape(_clean(text))


def qr_widget(url: str) -> QrCodeWidget:
    """Return the QR code for a verify address, as every certificate draws it."""
    return QrCodeWidget(url, barWidth=QR_SIZE, barHeight=QR_SIZE, barLevel="M")


def qr_runs(url: str) -> list[tuple[float, float, float, float]]:
    """The dark runs of a verify address's QR code, (x, y, width, height) as qr_widget draws
    them, for the canvas to draw straight: a Drawing of the widget's shapes cost several times
    the rest of the certificate."""
    widget = qr_widget(url)
    widget.qr.make()
    border = widget.barBorder
    box = QR_SIZE / (widget.qr.getModuleCount() + border * 2.0)
    runs = []
    for row_number, row in enumerate(widget.qr.modules):
        column = 0
        for dark, cells in itertools.groupby(map(bool, row)):
            count = len(list(cells))
            if dark:
                runs.append(((column + border) * box, QR_SIZE - (row_number + border + 1) * box,
                             count * box, box))
            column += count
    return runs


def _styles() -> dict[str, ParagraphStyle]:
    # No squeezing of spaces to fit a word on a line: lines stay inside their width.
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=11, leading=15, spaceAfter=8,
                          spaceShrinkage=0)
    cell = ParagraphStyle("cell", body, fontSize=CELL_SIZE, leading=14, spaceAfter=0)
    return {
        "body": body,
        "title": ParagraphStyle("title", body, fontName=BOLD, fontSize=20, leading=25,
                                spaceBefore=4, spaceAfter=10),
        "caption": ParagraphStyle("caption", body, fontName=BOLD, fontSize=13, leading=17,
                                  spaceBefore=14, spaceAfter=6),
        "note": ParagraphStyle("note", body, fontSize=10, leading=14, spaceBefore=6),
        "cell": cell,
        "label": ParagraphStyle("label", cell, fontName=BOLD),
    }


def _grid(rows: list[list[Paragraph]], widths: tuple[float, ...], header: bool) -> TableFlowable:
    table = TableFlowable(rows, colWidths=widths, repeatRows=1 if header else 0,
                          splitInRow=1, hAlign="LEFT")
    shaded = (0, 0), (-1, 0) if header else (0, -1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # not Helvetica, which is not embedded
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("BACKGROUND", *shaded, SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def _fields(shown: Printed, style: dict, width: float) -> TableFlowable:
    rows = [[Paragraph(_markup(label), style["label"]), Paragraph(_markup(value), style["cell"])]
            for label, value in shown.fields]
    return _grid(rows, (52 * mm, width - 52 * mm), header=False)


def _column_width(texts: list[str]) -> float:
    """Room for the widest cell of a short column, bold as its header is, within limits."""
    widest = max(stringWidth(_clean(text), BOLD, CELL_SIZE) for text in texts)
    return min(max(widest + 2 * CELL_PADDING + 2, 18 * mm), 40 * mm)


def _table(table: Table, style: dict, width: float) -> list:
    # The first column (a module, a type of activity) takes what the others leave.
    others = [_column_width([header, *(row[n] for row in table.rows)])
              for n, header in enumerate(table.headers) if n]
    widths = (width - sum(others), *others)
    rows = [[Paragraph(_markup(text), style["label"]) for text in table.headers]]
    rows += [[Paragraph(_markup(text), style["cell"]) for text in row] for row in table.rows]
    # A caption never ends a page: it starts the next one unless a few rows fit under it.
    return [CondPageBreak(30 * mm), Paragraph(_markup(table.caption), style["caption"]),
            _grid(rows, widths, header=True)]


def _story(shown: Printed, width: float) -> list:
    style = _styles()
    story = [Paragraph(_markup(shown.title), style["title"]),
             Paragraph(_markup(shown.lead), style["body"]),
             _fields(shown, style, width)]
    if shown.table:
        story += _table(shown.table, style, width)
    story += [Paragraph(_markup(note), style["note"]) for note in shown.notes]
    return story


def _url_lines(url: str, font: str, size: float, width: float) -> list[str]:
    """The address cut between characters into lines that fit (it has no spaces to wrap at)."""
    lines, line = [], ""
    for char in _clean(url):
        if line and stringWidth(line + char, font, size) > width:
            lines.append(line)
            line = ""
        line += char
    lines.append(line)
    if len(lines) > URL_LINES:
        last = lines[URL_LINES - 1]
        while last and stringWidth(last + "…", font, size) > width:
            last = last[:-1]
        lines = [*lines[:URL_LINES - 1], last + "…"]
    return lines


def _fit(text: str, ending: str, font: str, size: float, width: float) -> str:
    """Text and its ending on one line, the text cut short with an ellipsis if need be."""
    text = _clean(text)[:300]  # a line never holds more, so trimming stays cheap
    if stringWidth(text + ending, font, size) <= width:
        return text + ending
    while text and stringWidth(text + "…" + ending, font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…" + ending


def _header(canvas: Canvas, shown: Printed, number: int, count: int) -> None:
    width, height = A4
    top = height - MARGIN
    canvas.setFont(BOLD, 11)
    canvas.setFillColor(GREY)
    canvas.drawString(MARGIN, top - 11, ISSUER)
    canvas.setFont(REGULAR, 9)
    canvas.drawRightString(width - MARGIN, top - 11, f"Page {number} of {count}")
    canvas.setStrokeColor(RULE)
    canvas.line(MARGIN, top - HEADER_HEIGHT + 4 * mm, width - MARGIN, top - HEADER_HEIGHT + 4 * mm)
    if number > 1:
        canvas.setFont(BOLD, 10)
        canvas.setFillColor(colors.black)
        line = _fit(f"{shown.title}: {shown.holder}", " (continued)", BOLD, 10, width - 2 * MARGIN)
        canvas.drawString(MARGIN, top - HEADER_HEIGHT - 10, line)


def _footer(canvas: Canvas, shown: Printed) -> None:
    width = A4[0]
    text_width = width - 2 * MARGIN - QR_SIZE - 6 * mm
    canvas.setStrokeColor(RULE)
    canvas.line(MARGIN, FOOTER_HEIGHT - 3 * mm, width - MARGIN, FOOTER_HEIGHT - 3 * mm)
    canvas.setFillColor(colors.black)
    y = FOOT + QR_SIZE - 9
    for font, size, text in (
            (REGULAR, 9, "Verification code"), (BOLD, 16, shown.code),
            (REGULAR, 9, "Check this document at")):
        canvas.setFont(font, size)
        canvas.drawString(MARGIN, y, text)
        y -= size + 6
    canvas.setFont(BOLD, 9)
    for line in _url_lines(shown.verify_url, BOLD, 9, text_width):
        canvas.drawString(MARGIN, y, line)
        y -= 12
    canvas.saveState()
    canvas.translate(width - MARGIN - QR_SIZE, FOOT)
    canvas.setFillColor(colors.black)
    for x, y, run_width, run_height in qr_runs(shown.verify_url):
        canvas.rect(x, y, run_width, run_height, stroke=0, fill=1)
    canvas.restoreState()


def counted_pages_canvas(created: str, decorate, after_page=None):
    """A canvas class that holds each page until the page count is known, then calls
    `decorate(canvas, number, count)` on it (headers, footers, "Page N of M") and, once it is
    written, `after_page(canvas)`. `created` is the fixed creation date the PDF states."""

    class CountedPagesCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.setDateFormatter(lambda *_: created)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            count = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                decorate(self, number, count)
                super().showPage()
                if after_page:
                    after_page(self)
            super().save()

    return CountedPagesCanvas


def _page_frame(shown: Printed):
    """A canvas class that draws the header and footer once the page count is known."""

    def decorate(canvas, number: int, count: int) -> None:
        _header(canvas, shown, number, count)
        _footer(canvas, shown)

    return counted_pages_canvas(f"D:{shown.issued_on:%Y%m%d}000000+00'00'", decorate)


def certificate_pdf(facts: Certificate) -> bytes:
    """Return the A4 PDF for a certificate's facts (the same bytes for the same facts)."""
    font_files()
    shown = printed(facts)
    out = io.BytesIO()
    doc = BaseDocTemplate(
        out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_HEIGHT, bottomMargin=FOOTER_HEIGHT + 2 * mm,
        title=_clean(f"{shown.title}: {shown.holder}"), author=ISSUER, subject=shown.subject,
        creator=CREATOR, lang="en-GB", invariant=1, initialFontName=REGULAR,
        initialFontSize=10)
    # No padding, so the body lines up with the header and footer. Later pages start lower,
    # under a line saying whose document continues there.
    first = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="first",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    later = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height - CONTINUED, id="later",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="first", frames=[first], autoNextPageTemplate="later"),
                          PageTemplate(id="later", frames=[later])])
    doc.build(_story(shown, doc.width), canvasmaker=_page_frame(shown))
    return out.getvalue()
