"""A lean ReportLab flowable for long, plain-text documents such as a CPD record.

ReportLab's Paragraph parses markup, re-measures every word each time it wraps, and its text
object encodes and escapes every character in Python as it draws; a record of 2,000 entries
(about 800 pages) took six seconds of CPU that way. TextBlock takes plain text runs (a font and
the words in it), breaks lines itself, measures each distinct word once per document and gives
each character its glyph code once: the same record takes well under a second. Text is never
parsed as markup, so nothing a person typed needs escaping for ReportLab (the PDF string
escaping is done here).

Pages break between lines. A heading line and the first line of a paragraph never end a page
(no heading left alone, no orphan line), and space before a line is dropped at the top of a
page, as a Paragraph's would be. Lines are ranged left; there is no justification, kerning,
hyphenation or right-to-left text (Paragraph has none of the last three without extras).
"""

from dataclasses import dataclass
from typing import NamedTuple

from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import Flowable

KEEP_AT_MOST = 8  # lines moved to the next page to keep a heading with its text
Run = tuple[str, str]  # (font name, text); text is split into words on whitespace


@dataclass(frozen=True)
class TextStyle:
    """The size, line height and spacing of one kind of line."""

    size: float
    leading: float
    space_before: float = 0
    indent: float = 0


class Line(NamedTuple):
    """One laid-out line: runs of (font, text) drawn one after another."""

    runs: tuple[tuple[str, str], ...]
    style: TextStyle
    space_before: float
    keep_with_next: bool

    @property
    def height(self) -> float:
        return self.space_before + self.style.leading


class WordCache:
    """Word widths and glyph codes for one document, each distinct word worked out once."""

    def __init__(self):
        self._widths: dict[str, dict[str, float]] = {}
        self._known: dict[str, set[str]] = {}
        self._first_subset: dict[str, dict[int, str]] = {}  # code points to escaped codes
        self._beyond: dict[str, set[str]] = {}  # characters in the font's later subsets
        self._numbers: dict[float, str] = {}
        self._doc = None

    def widths(self, font: str) -> dict[str, float]:
        """Return the font's table of word widths at size 1 (a space is always in it)."""
        table = self._widths.get(font)
        if table is None:
            table = self._widths[font] = {" ": stringWidth(" ", font, 1)}
        return table

    def add(self, font: str, word: str) -> float:
        """Measure a word not yet in the font's table, and remember it."""
        width = self.widths(font)[word] = stringWidth(word, font, 1)
        return width

    def codes(self, font: str, text: str, doc) -> list[tuple[int, str]]:
        """The text as (font subset, escaped glyph codes) chunks, the way ReportLab's ttfonts
        module documents drawing with a TrueType font (subsets are numbered per document).

        Each character is given its code once; after that a line is one str.translate."""
        if self._doc is None:
            self._doc = doc
        elif doc is not self._doc:  # glyph codes belong to one PDF document
            raise ValueError("a WordCache serves one document; make a new one for each")
        known = self._known.setdefault(font, set())
        table = self._first_subset.setdefault(font, {})
        beyond = self._beyond.setdefault(font, set())
        if not known.issuperset(text):
            ttf = getFont(font)
            # In order of appearance: codes are handed out in order, and a record must give
            # the same bytes every time (a set's order changes from run to run).
            for char in dict.fromkeys(text):
                if char not in known:
                    known.add(char)
                    ((subset, raw),) = ttf.splitString(char, doc)
                    if subset:
                        beyond.add(char)
                    else:
                        table[ord(char)] = escapePDF(raw)
        if beyond.isdisjoint(text):
            return [(0, text.translate(table))]
        return [(subset, escapePDF(raw)) for subset, raw in getFont(font).splitString(text, doc)]

    def number(self, value: float) -> str:
        """A number as PDF operators write it."""
        text = self._numbers.get(value)
        if text is None:
            text = self._numbers[value] = fp_str(value)
        return text


def text_operators(cache: WordCache, doc, lines: list[Line], top: float) -> str:
    """Return the PDF operators that draw laid-out lines, the first line's top at top.

    ReportLab's text object encodes and escapes every character of every line in Python; this
    translates a line at once. Each line ends with T* (next line down), so most lines need no
    position of their own."""
    out = ["0 g BT"]  # black, whatever colour the canvas was left in
    font_now = subset_now = cursor = None
    for line in lines:
        style = line.style
        top -= line.space_before
        # The baseline sits so that ascenders and descenders stay inside the line's height.
        x, y = style.indent, top - style.leading * 0.78
        top -= style.leading
        if not line.runs:
            continue
        if cursor is None or abs(cursor[0] - x) > 0.01 or abs(cursor[1] - y) > 0.01:
            out.append(f"1 0 0 1 {cache.number(x)} {cache.number(y)} Tm")
        for font, run in line.runs:
            if font_now != (font, style.size, style.leading):
                font_now, subset_now = (font, style.size, style.leading), None
                size = f"{cache.number(style.size)} Tf {cache.number(style.leading)} TL"
            chunks = cache.codes(font, run, doc)
            for subset, codes in chunks:
                if subset != subset_now:
                    subset_now = subset
                    out.append(f"{getFont(font).getSubsetInternalName(subset, doc)} {size}")
                out.append(f"({codes}) Tj")
        out.append("T*")
        cursor = (x, y - style.leading)
    out.append("ET")
    return "\n".join(out)


def layout(style: TextStyle, runs: list[Run], width: float, cache: WordCache,
           heading: bool = False) -> list[Line]:
    """Break one paragraph into lines no wider than width, cutting words longer than a line."""
    limit = (width - style.indent) / style.size  # work at size 1: no multiplying per word
    lines: list[list[tuple[str, list[str]]]] = []
    current: list[tuple[str, list[str]]] = []
    used = 0.0
    for font, text in runs:
        widths = cache.widths(font)
        space = widths[" "]
        words: list[str] = []
        current.append((font, words))
        for word in text.split():
            size = widths.get(word)
            if size is None:
                size = cache.add(font, word)
            if used and used + space + size > limit:
                lines.append(current)
                words, used = [], 0.0
                current = [(font, words)]
            elif used:
                used += space
            if size > limit:  # the line is empty here: a word this long always starts one
                pieces = _cut(word, font, limit, cache)
                for piece in pieces[:-1]:
                    words.append(piece)
                    lines.append(current)
                    words = []
                    current = [(font, words)]
                word = pieces[-1]
                size = cache.add(font, word)
            words.append(word)
            used += size
    lines.append(current)
    count = len(lines)
    return [Line(runs=_joined(runs_), style=style,
                 space_before=style.space_before if n == 0 else 0,
                 keep_with_next=(heading and n == count - 1) or (n == 0 and count > 1))
            for n, runs_ in enumerate(lines)]


def _joined(runs: list[tuple[str, list[str]]]) -> tuple[tuple[str, str], ...]:
    """A line's words as runs of text, one run per change of font."""
    joined: list[list[str]] = []
    for font, words in runs:
        if not words:
            continue
        text = " ".join(words)
        if not joined:
            joined.append([font, text])
        elif joined[-1][0] == font:
            joined[-1][1] += " " + text
        else:
            joined.append([font, " " + text])
    return tuple((font, text) for font, text in joined)


def _cut(word: str, font: str, limit: float, cache: WordCache) -> list[str]:
    """Cut a word too long for a line into pieces that fit (a URL, a pasted reference)."""
    widths = cache.widths(font)
    pieces, start, used = [], 0, 0.0
    for n, char in enumerate(word):
        char_width = widths.get(char)
        if char_width is None:
            char_width = cache.add(font, char)
        if used + char_width > limit and n > start:
            pieces.append(word[start:n])
            start, used = n, 0.0
        used += char_width
    pieces.append(word[start:])
    return pieces


class TextBlock(Flowable):
    """Paragraphs of plain text runs, laid out once and split between lines across pages.

    paragraphs are (style, runs, heading) triples; a heading keeps with the line after it.
    The pieces of a split keep the lines laid out for the first width: every frame of the
    record is the same width."""

    def __init__(self, paragraphs: list[tuple[TextStyle, list[Run], bool]], words: WordCache,
                 lines: list[Line] | None = None):
        super().__init__()
        self._paragraphs = paragraphs
        self._words = words
        self._lines = lines
        self._width = None
        self.height = None
        if paragraphs:
            self._space_before = paragraphs[0][0].space_before
        else:
            self._space_before = lines[0].space_before if lines else 0

    def getSpaceBefore(self) -> float:
        return self._space_before

    def _layout(self, width: float) -> list[Line]:
        lines: list[Line] = []
        for style, runs, heading in self._paragraphs:
            lines.extend(layout(style, runs, width, self._words, heading))
        return lines

    def wrap(self, availWidth, availHeight):
        if self._lines is None or (self._paragraphs and self._width != availWidth):
            self._lines, self._width = self._layout(availWidth), availWidth
            self.height = None
        if self.height is None:
            # The frame adds the first line's space before (and drops it at a page's top).
            self.height = sum(line.height for line in self._lines) - self._space_before
        return availWidth, self.height

    def split(self, availWidth, availHeight):
        self.wrap(availWidth, availHeight)
        lines, used, fits = self._lines, -self.getSpaceBefore(), 0
        for line in lines:
            if used + line.height > availHeight + 1e-6:
                break
            used += line.height
            fits += 1
        if fits == len(lines):  # only by rounding, as the frame found it too tall: split anyway
            fits -= 1
        # Move the break back past lines that keep with the next, but never more than a few
        # lines, so a chain of headings can never stop the page from filling.
        least = max(fits - KEEP_AT_MOST, 0)
        while fits > least and lines[fits - 1].keep_with_next:
            fits -= 1
        if not fits:
            return []
        rest = [lines[fits]._replace(space_before=0), *lines[fits + 1:]]
        return [TextBlock([], self._words, lines[:fits]), TextBlock([], self._words, rest)]

    def draw(self):
        top = self.height + self._space_before
        self.canv.addLiteral(text_operators(self._words, self.canv._doc, self._lines, top))
