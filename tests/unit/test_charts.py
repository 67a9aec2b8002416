"""Server-drawn SVG charts: valid XML, the right numbers, everything escaped, accessible."""

import xml.etree.ElementTree as ET

import defusedxml.ElementTree
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lms.charts import Bin, bar_chart, bins, distribution_chart, number, spread, spread_words

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup) -> ET.Element:
    return defusedxml.ElementTree.fromstring(str(markup))


def texts(root: ET.Element) -> list[str]:
    return [t.text for t in root.iter(f"{SVG}text")]


def test_spread_gives_count_mean_standard_deviation_and_range():
    stats = spread([40, 50, 60, 70])
    assert (stats.n, stats.mean, stats.median, stats.low, stats.high) == (4, 55, 55, 40, 70)
    assert round(stats.sd, 2) == 12.91  # sample standard deviation (n - 1)
    assert spread([64]).sd is None and spread([]).mean is None
    assert spread_words(stats) == ("4 marks; mean 55; standard deviation 12.9; median 55; "
                                   "range 40 to 70")
    assert spread_words(spread([64])) == "1 mark; mean 64; median 64; range 64 to 64"
    assert spread_words(spread([])) == "0 marks"
    assert spread_words(spread([1.5, 2.5]), "hour", " h").startswith("2 hours; mean 2 h")


@pytest.mark.parametrize(("value", "shown"), [(58.0, "58"), (58.25, "58.2"), (58.35, "58.4"),
                                              (1234.5, "1,234.5"), (None, "none")])
def test_numbers_are_shown_without_a_trailing_point_nought(value, shown):
    assert number(value) == shown


def test_marks_fall_in_bands_of_ten_with_100_in_the_top_band():
    counted = bins([0, 9, 10, 49, 50, 89, 90, 100])
    assert [b.label for b in counted][-2:] == ["80–89", "90–100"]
    assert [b.count for b in counted] == [2, 1, 0, 0, 1, 1, 0, 0, 1, 2]
    assert bins([7], low=0, high=100, width=7)[-1] == Bin(91, 100, 0)  # a short bin is merged
    with pytest.raises(ValueError):
        bins([101])


@given(st.lists(st.integers(0, 100), max_size=60), st.integers(1, 30))
def test_bins_count_every_value_once(values, width):
    counted = bins(values, width=width)
    assert sum(b.count for b in counted) == len(values)
    assert counted[0].low == 0 and counted[-1].high == 100
    assert all(a.high + 1 == b.low for a, b in zip(counted, counted[1:], strict=False))


def test_a_distribution_is_an_accessible_image_with_its_numbers_in_words():
    root = parse(distribution_chart([40, 50, 60, 70, 71], title="Morgan Marker's marks",
                                    chart_id="marker-1"))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("viewBox") == "0 0 400 224" and root.get("width") is None  # it shrinks
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == "marker-1-title marker-1-desc"
    assert (title.get("id"), desc.get("id")) == ("marker-1-title", "marker-1-desc")
    assert title.text == "Morgan Marker's marks"
    assert desc.text.startswith("5 marks; mean 58.2; standard deviation 13.3;")
    assert "70–79: 2" in desc.text and "90–100: 0" in desc.text
    shown = texts(root)
    assert shown[0] == "n 5 · mean 58.2 · SD 13.3 · range 40–71"
    assert "mean 58.2" in shown and shown.count("2") == 2  # the 70s bar and the axis top
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#1d4f91"]
    assert len(bars) == 10
    heights = [float(r.get("height")) for r in bars]
    assert heights[7] == max(heights) and heights[4] == heights[7] / 2 and heights[0] == 0


def test_an_empty_distribution_still_draws_and_says_so():
    root = parse(distribution_chart([], title="No marks", chart_id="empty"))
    assert root.find(f"{SVG}desc").text.startswith("0 marks.")
    assert not [t for t in texts(root) if t.startswith("mean")]


def test_bars_are_drawn_to_scale_with_their_values():
    root = parse(bar_chart([("January", 3), ("February", 7.5), ("March", 0)],
                           title="CPD hours by month", chart_id="cpd-months", unit=" h"))
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert widths[1] == max(widths) and widths[2] == 0 and round(widths[0] / widths[1], 2) == 0.4
    assert {"January", "7.5 h", "0 h"} <= set(texts(root))
    assert root.find(f"{SVG}desc").text == "January: 3 h; February: 7.5 h; March: 0 h"
    assert "No data yet." in texts(parse(bar_chart([], title="None", chart_id="none")))
    with pytest.raises(ValueError):
        bar_chart([("Refund", -1)], title="Bad", chart_id="bad")


def test_every_text_is_escaped_and_ids_are_checked():
    hostile = '<script>alert("x")</script> & Sons'
    for markup in (distribution_chart([50], title=hostile, chart_id="d"),
                   bar_chart([(hostile, 1)], title=hostile, chart_id="b")):
        assert "<script" not in str(markup)
        root = parse(markup)  # still well-formed XML
        assert root.find(f"{SVG}title").text == hostile
    assert '<script>alert("x")</script> &…' not in texts(parse(bar_chart([(hostile, 1)],
                                                                        title="t", chart_id="b")))
    with pytest.raises(ValueError):
        distribution_chart([], title="t", chart_id='x" onload="alert(1)')
