from lms.courses.render import open_jurisdiction, render_markdown, sanitise

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
