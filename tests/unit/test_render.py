import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.courses.render import (
    USER_TAGS,
    open_jurisdiction,
    render_markdown,
    render_user_markdown,
    sanitise,
)

LESSONS = {("m", "a"), ("other", "b")}


def render(text):
    return render_markdown(text, module="m", lessons=LESSONS)


def test_callouts_become_labelled_notes():
    html = render('!!! tip "Practice tip"\n    Go with the person.\n').html
    assert '<div class="callout callout-tip" role="note">' in html
    assert '<p class="callout-title">Practice tip</p>' in html


def test_jurisdiction_blocks_fold_and_the_readers_own_opens():
    html = render('!!! jurisdiction scotland "Scotland"\n    Scots law.\n\n    Source: X.\n\n'
                  '!!! jurisdiction northern-ireland "Northern Ireland"\n    NI law.\n'
                  '\n    Source: Y.\n').html
    assert '<details class="jurisdiction" data-jurisdiction="scotland">' in html
    assert "<summary>Scotland</summary>" in html
    opened = open_jurisdiction(html, "scotland")
    assert 'data-jurisdiction="scotland" open>' in opened
    assert 'data-jurisdiction="northern_ireland">' in opened  # others stay folded


def test_lesson_links_become_relative_urls_and_unknown_ones_are_listed():
    rendered = render("[a](lesson:a) [b](lesson:other/b) [c](lesson:nope)")
    assert 'href="../m/a"' in rendered.html and 'href="../other/b"' in rendered.html
    assert rendered.unresolved == ["nope"]


def test_scripts_event_handlers_and_javascript_urls_are_removed():
    dirty = ('<p onclick="steal()">hi</p><script>steal()</script>'
             '<a href="javascript:steal()">x</a><img src=x onerror=steal()>')
    clean = sanitise(dirty)
    assert "onclick" not in clean and "<script" not in clean
    assert "javascript:" not in clean and "onerror" not in clean
    assert render(dirty).stripped


def test_tables_footnotes_and_plain_text():
    rendered = render("| A | B |\n|---|---|\n| 1 | 2 |\n\nText[^1].\n\n[^1]: Note.\n")
    assert '<th scope="col">A</th>' in rendered.html
    assert 'class="footnote"' in rendered.html
    assert not rendered.stripped
    assert "Text" in rendered.text and "<" not in rendered.text


TAG = re.compile(r"<(/?)([^\s>/]*)([^>]*)>")
SAFE_HREF = re.compile(r' href="(?:https?://|mailto:)[^"<>]*"')


def assert_user_safe(html: str) -> None:
    """Every tag is on the users' allowlist, and the only attribute is a safe link target."""
    for closing, name, attributes in TAG.findall(html):
        assert name in USER_TAGS, html
        assert not attributes or (name == "a" and not closing and SAFE_HREF.fullmatch(attributes))
    assert "<script" not in html.lower() and "<img" not in html.lower()


@pytest.mark.parametrize("text", [
    "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](&#106;avascript:alert(1))",
    "[x](<javascript:alert(1)>)", "[x](vbscript:msgbox(1))", "[x](file:///etc/passwd)",
    "<javascript:alert(1)>", "<JAVASCRIPT:alert(1)>", "[x]: javascript:alert(1)\n\n[x]",
    "<script>alert(1)</script>", "<SCRIPT src=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>", "![x](https://evil.example/pixel.png)",
    "![x](javascript:alert(1))", '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<data:text/html,<script>alert(1)</script>>", "[x](/relative) [y](#top)",
    '[x](https://ok.example/" onmouseover="alert(1))', '<https://ok.example/"onmouseover="x>',
    "```html\n<script>alert(1)</script>\n```", "<svg onload=alert(1)>", "*<iframe src=x>*",
    "<!-- <script>alert(1)</script> -->", "<style>body{display:none}</style>",
])
def test_users_markdown_carries_no_script_event_handler_or_unsafe_link(text):
    html = render_user_markdown(text)
    assert_user_safe(html)
    assert not re.search(r"(javascript|vbscript|data|file):", " ".join(SAFE_HREF.findall(html)))


def test_users_markdown_keeps_formatting_safe_links_and_shifts_headings():
    html = render_user_markdown("# Plan\n\n## Steps\n\n- **Meet** [weekly](https://example.org/a?b=1)"
                                "\n- <mailto:lead@example.org>\n\n```python\nx < 1\n```\n")
    assert "<h4>Plan</h4>" in html and "<h5>Steps</h5>" in html
    assert '<a href="https://example.org/a?b=1">weekly</a>' in html
    assert '<a href="mailto:lead@example.org">' in html and "<strong>Meet</strong>" in html
    assert "<pre><code>x &lt; 1\n</code></pre>" in html  # no language class
    assert_user_safe(html)


PIECES = ["[", "]", "(", ")", "](", "<", ">", "!", "*", "_", "`", "#", "-", "\n", " ", "&#", ";",
          "javascript:", "data:", "http://x", "mailto:", "script", "img", " onerror=", '"', "a"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_whatever_a_user_types_renders_inside_the_allowlist(text):
    assert_user_safe(render_user_markdown.__wrapped__(text))
