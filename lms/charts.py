"""Charts drawn on the server as accessible SVG from plain numbers: bars and distributions.

No script and no library: each chart is an image with a title and a description (role="img",
aria-labelledby), its numbers also in words, and the page puts a data table beside it as the
full alternative. A viewBox lets it shrink to a 375 px phone. Every piece of text is escaped.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from statistics import fmean, median, stdev

from markupsafe import Markup

from lms.formatting import plural

WIDTH = 400
INK = "#0b0c0c"  # text and axes: 19:1 on white
MUTED = "#505a5f"  # 7:1 on white
BAR = "#1d4f91"  # 8.6:1 on white, well over the 3:1 asked of graphics
MEAN = "#b00020"  # 6.6:1 on white
SPREAD = "#dbe4f0"  # a light wash behind the bars: decoration, never the only signal
FONT = 'font-family="system-ui, sans-serif" font-size="13"'
_SAFE_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


@dataclass(frozen=True)
class Spread:
    """How many values, their mean, sample standard deviation, median and range."""

    n: int
    mean: float | None
    sd: float | None  # needs two values
    median: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class Bin:
    low: int
    high: int  # inclusive
    count: int

    @property
    def label(self) -> str:
        return f"{self.low}–{self.high}"


def spread(values: Sequence[float]) -> Spread:
    """Return the count, mean, standard deviation, median and range of some numbers."""
    if not values:
        return Spread(0, None, None, None, None, None)
    return Spread(len(values), fmean(values), stdev(values) if len(values) > 1 else None,
                  median(values), min(values), max(values))


def number(value: float | None, places: int = 1) -> str:
    """Show a number to a fixed number of places, dropping a trailing .0 (58.0 -> 58)."""
    if value is None:
        return "none"
    shown = f"{value:,.{places}f}"
    return shown[:-(places + 1)] if places and shown.endswith("." + "0" * places) else shown


def spread_words(stats: Spread, noun: str = "mark", unit: str = "") -> str:
    """Describe a spread in a sentence: '12 marks; mean 58.3; standard deviation 9.1; ...'."""
    parts = [plural(stats.n, noun)]
    if stats.n:
        parts.append(f"mean {number(stats.mean)}{unit}")
        if stats.sd is not None:
            parts.append(f"standard deviation {number(stats.sd)}{unit}")
        parts.append(f"median {number(stats.median)}{unit}")
        parts.append(f"range {number(stats.low)} to {number(stats.high)}{unit}")
    return "; ".join(parts)


def short_words(stats: Spread, unit: str = "") -> str:
    """Say a spread in few characters, for the chart itself: 'n 12 · mean 58.3 · SD 9.1'."""
    if not stats.n:
        return "n 0"
    parts = [f"n {stats.n:,}", f"mean {number(stats.mean)}{unit}"]
    if stats.sd is not None:
        parts.append(f"SD {number(stats.sd)}{unit}")
    parts.append(f"range {number(stats.low)}–{number(stats.high)}{unit}")
    return " · ".join(parts)


def bins(values: Sequence[float], *, low: int = 0, high: int = 100, width: int = 10) -> list[Bin]:
    """Count values in bins of a width from low; the last bin takes the top value (90–100)."""
    if width <= 0 or high <= low:
        raise ValueError("bins need a positive width and high above low")
    starts = list(range(low, high, width))
    if len(starts) > 1 and high - starts[-1] < width and (high - low) % width:
        starts.pop()  # a short last bin joins the one before it
    edges = [*starts[1:], high + 1]
    counts = [0] * len(starts)
    for value in values:
        if not low <= value <= high:
            raise ValueError(f"{value!r} is outside {low} to {high}")
        counts[next(i for i, edge in enumerate(edges) if value < edge)] += 1
    return [Bin(start, edge - 1, count) for start, edge, count in zip(starts, edges, counts,
                                                                       strict=True)]


def _text(value) -> str:
    return escape(str(value), quote=True)


def _open(chart_id: str, height: int, title: str, description: str) -> list[str]:
    if not _SAFE_ID.match(chart_id):
        raise ValueError(f"chart id {chart_id!r} must be letters, digits, - or _")
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} '
            f'{height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
            f'focusable="false" id="{chart_id}">',
            f'<title id="{chart_id}-title">{_text(title)}</title>',
            f'<desc id="{chart_id}-desc">{_text(description)}</desc>']


def _short(label: str, limit: int = 20) -> str:
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"


def bar_chart(bars: Sequence[tuple[str, float]], *, title: str, chart_id: str,
              unit: str = "", places: int = 1) -> Markup:
    """Draw labelled horizontal bars (hours by month, entries by type): one row a bar."""
    if any(value < 0 for _, value in bars):
        raise ValueError("bars cannot be negative")
    top = max((value for _, value in bars), default=0) or 1
    row, left, right = 28, 150, 56
    height = max(row * len(bars) + 16, 40)
    words = "; ".join(f"{label}: {number(value, places)}{unit}" for label, value in bars)
    svg = _open(chart_id, height, title, words or "No data.")
    svg.append(f'<g {FONT} fill="{INK}">')
    for i, (label, value) in enumerate(bars):
        y = 8 + i * row
        length = (WIDTH - left - right) * value / top
        svg.append(f'<text x="{left - 8}" y="{y + 18}" text-anchor="end">'
                   f'{_text(_short(str(label)))}</text>')
        svg.append(f'<rect x="{left}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" '
                   f'fill="{BAR}"/>')
        svg.append(f'<text x="{left + length + 6:.1f}" y="{y + 18}">'
                   f'{_text(number(value, places) + unit)}</text>')
    if not bars:
        svg.append(f'<text x="{WIDTH / 2}" y="26" text-anchor="middle">No data yet.</text>')
    svg.append(f'<line x1="{left}" y1="4" x2="{left}" y2="{height - 4}" stroke="{INK}"/>')
    svg.append("</g></svg>")
    return Markup("".join(svg))  # noqa: S704 - every text above went through _text


def distribution_chart(values: Sequence[float], *, title: str, chart_id: str, low: int = 0,
                       high: int = 100, width: int = 10, noun: str = "mark",
                       unit: str = "") -> Markup:
    """Draw a histogram of values with the mean marked and one standard deviation shaded."""
    counted, stats = bins(values, low=low, high=high, width=width), spread(values)
    left, right, top, plot_h = 36, 12, 30, 150
    height = top + plot_h + 44
    plot_w = WIDTH - left - right
    most = max((b.count for b in counted), default=0) or 1
    step = plot_w / len(counted)

    def x_of(value: float) -> float:  # where a value falls, matching the bins' columns
        i = next((i for i, b in enumerate(counted) if value < b.high + 1), len(counted) - 1)
        b = counted[i]
        return left + step * (i + min(value - b.low, b.high + 1 - b.low) / (b.high + 1 - b.low))

    words = spread_words(stats, noun, unit)
    description = words + ". " + "; ".join(f"{b.label}: {b.count}" for b in counted) + "."
    svg = _open(chart_id, height, title, description)
    svg.append(f'<g {FONT} fill="{INK}">')
    svg.append(f'<text x="{left}" y="16">{_text(short_words(stats, unit))}</text>')
    if stats.sd is not None:
        a, b = max(stats.mean - stats.sd, low), min(stats.mean + stats.sd, high + 1)
        svg.append(f'<rect x="{x_of(a):.1f}" y="{top}" width="{x_of(b) - x_of(a):.1f}" '
                   f'height="{plot_h}" fill="{SPREAD}"/>')
    for i, b in enumerate(counted):
        bar_h = plot_h * b.count / most
        x = left + i * step
        svg.append(f'<rect x="{x + 2:.1f}" y="{top + plot_h - bar_h:.1f}" width="{step - 4:.1f}" '
                   f'height="{bar_h:.1f}" fill="{BAR}"/>')
        if b.count:
            svg.append(f'<text x="{x + step / 2:.1f}" y="{top + plot_h - bar_h - 4:.1f}" '
                       f'text-anchor="middle">{b.count}</text>')
        svg.append(f'<text x="{x + step / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
                   f'font-size="11" fill="{MUTED}">{_text(b.low)}</text>')
    svg.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{WIDTH - right}" '
               f'y2="{top + plot_h}" stroke="{INK}"/>')
    svg.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="{INK}"/>')
    svg.append(f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="11" '
               f'fill="{MUTED}">{most}</text>')
    if stats.mean is not None:
        mx = x_of(stats.mean)
        svg.append(f'<line x1="{mx:.1f}" y1="{top - 4}" x2="{mx:.1f}" y2="{top + plot_h}" '
                   f'stroke="{MEAN}" stroke-width="3" stroke-dasharray="6 3"/>')
        svg.append(f'<text x="{mx:.1f}" y="{top + plot_h + 34}" text-anchor="middle" '
                   f'fill="{MEAN}">mean {_text(number(stats.mean))}</text>')
    svg.append("</g></svg>")
    return Markup("".join(svg))  # noqa: S704 - every text above went through _text
