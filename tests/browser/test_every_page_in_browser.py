"""Every page each demo account can reach by following links passes axe, no link is broken, no
page scrolls sideways on a 375-pixel-wide phone, and no page says "1 marks" or "..".

The demo data holds work at every assessment state, a cohort, organisations, audit entries and
mail, so following every link from each role's home page visits the pages that role uses.
Lesson pages are left to test_real_content_in_browser (they are many and the same template),
and so are the review pages of each lesson and scenario (test_content_review_in_browser).
"""

import re
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

from lms.courses.content import load_programme
from lms.courses.services import sync_programme
from lms.demo import DEMO_PASSWORD, load_demo
from lms.extensions import db
from tests.browser.test_accounts_in_browser import sign_in

pytestmark = pytest.mark.browser
COURSES = Path(__file__).resolve().parents[2] / "courses"
LESSON = re.compile(r"^/modules/[^/]+/[^/]+(/check)?$|^/staff/content/[^/]+/review/")
NOT_PAGES = re.compile(
    r"^/(sign-out|attachments/|static/)|\.(csv|pdf|json)$|/evidence/\d+$|/receipt\.txt$")
LIMIT = 120  # far above any role's page count today; a crawl that hits it fails
DESKTOP = {"width": 1280, "height": 720}  # Playwright's default viewport
PHONE = {"width": 375, "height": 740}
# "1 marks": a count of one before a plural noun. ".." that is not an ellipsis.
ONE_PLURAL = re.compile(r"(?<![\d.,])\b1 (?:marks|pieces|submissions|files|days|working days|hours|"
                        r"minutes|months|words|credits|lessons|questions|trainees|people|markers|"
                        r"cohorts|organisations|modules|characters|attempts|pages|browsers)\b")
DOUBLE_STOP = re.compile(r"(?<!\.)\.\s?\.(?!\.)")

# The element that sticks out furthest past the right edge of the window, skipping anything
# inside a box that scrolls or clips on its own (a wide table in .table-scroll is fine).
# null when the page is no wider than the window.
WIDEST = r"""() => {
  const limit = window.innerWidth;
  if (document.documentElement.scrollWidth <= limit) return null;
  // Clipped by an ancestor that scrolls or hides overflow. An absolutely positioned element
  // escapes every ancestor up to the positioned one it is placed against.
  const clipped = el => {
    let position = getComputedStyle(el).position;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (position === 'fixed') return false;
      const style = getComputedStyle(p);
      if (position === 'absolute' && style.position === 'static') continue;
      if (style.overflowX !== 'visible') return true;
      position = style.position;
    }
    return false;
  };
  // How far right an element reaches: its box, or its content when that spills out of it.
  const reach = el => {
    const box = el.getBoundingClientRect();
    const spills = getComputedStyle(el).overflowX === 'visible' ? el.scrollWidth : 0;
    return Math.max(box.right, box.left + spills);
  };
  const describe = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className.trim()
       ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  let worst = null, right = limit + 0.5;
  for (const el of document.body.querySelectorAll('*')) {
    const r = reach(el);
    if (r < right - 0.5 || clipped(el)) continue;
    // Furthest wins; at the same reach the innermost element (a cell, not its table) does.
    if (r > right + 0.5 || (worst && worst.contains(el))) {
      worst = el;
      right = Math.max(r, right);
    }
  }
  const path = [];
  for (let el = worst; el && el !== document.body && path.length < 4; el = el.parentElement) {
    path.unshift(describe(el));
  }
  return {scrollWidth: document.documentElement.scrollWidth, limit: limit,
          element: path.join(' > ') || 'unknown element', right: Math.round(right),
          text: worst ? (worst.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 60) : ''};
}"""


@pytest.fixture
def demo(app):
    with app.app_context():
        sync_programme(load_programme(COURSES))
        db.session.commit()
        load_demo()
        db.session.commit()


def _links(page, origin: str) -> list[str]:
    # Links inside emails in the outbox are for their recipients, not for the admin reading.
    hrefs = page.eval_on_selector_all("a[href]:not(.mail a)", "els => els.map(e => e.href)")
    found = []
    for href in hrefs:
        url, _fragment = urldefrag(href)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not NOT_PAGES.search(parts.path) and not LESSON.match(parts.path):
            found.append(path)
    return found


def sideways_scroll(page) -> str | None:
    """At phone width, say what makes the page scroll sideways, or None if nothing does."""
    page.set_viewport_size(PHONE)
    try:
        found = page.evaluate(WIDEST)
    finally:
        page.set_viewport_size(DESKTOP)
    if found is None:
        return None
    return (f"{found['scrollWidth']}px wide at {found['limit']}px; furthest out: "
            f"{found['element']} reaching {found['right']}px ({found['text']!r})")


def wording_problems(text: str) -> list[str]:
    """Counts that disagree with their noun, and doubled full stops, with a little context."""
    return [text[max(0, m.start() - 30):m.end() + 10].replace("\n", " ")
            for pattern in (ONE_PLURAL, DOUBLE_STOP) for m in pattern.finditer(text)]


def crawl(page, axe, origin: str, too_wide: dict[str, str] | None = None,
          wording: dict[str, list[str]] | None = None) -> dict[str, int]:
    """Breadth-first from the home page; return the status of every page visited.

    Each page is also measured at phone width (pages that scroll sideways go into too_wide)
    and read for "1 marks" and ".." (into wording).
    """
    seen, queue, statuses = {"/"}, deque(["/"]), {}
    while queue:
        path = queue.popleft()
        response = page.goto(path)
        statuses[path] = response.status
        assert len(statuses) <= LIMIT, f"more than {LIMIT} pages: {sorted(statuses)}"
        if response.status != 200:
            continue
        axe.check(page)
        if too_wide is not None and (problem := sideways_scroll(page)):
            too_wide[path] = problem
        if wording is not None and (problems := wording_problems(page.inner_text("main"))):
            wording[path] = problems
        for link in _links(page, origin):
            key = link.split("?")[0] if "?page=" not in link else link
            if key not in seen:
                seen.add(key)
                queue.append(link)
    return statuses


@pytest.mark.parametrize("email, at_least", [
    ("trainee@example.org", ["/programme", "/assessments"]),
    ("advocate@example.org", ["/cpd", "/cpd/entries/", "/cpd/leave/new"]),
    ("marker@example.org", ["/marking"]),
    ("moderator@example.org", ["/staff/assessments", "/staff/content"]),
    ("examiner@example.org", ["/staff/content", "/moderation/"]),  # the sample, its scripts
    ("orgadmin@example.org", []),
    ("admin@example.org", ["/admin/users", "/admin/audit"]),
])
def test_every_page_a_role_can_reach_passes_axe(page, axe, live_server, demo, email, at_least):
    sign_in(page, axe, email, DEMO_PASSWORD)
    page.wait_for_url(lambda url: "/sign-in" not in url)
    too_wide: dict[str, str] = {}
    wording: dict[str, list[str]] = {}
    statuses = crawl(page, axe, live_server, too_wide, wording)
    broken = {path: status for path, status in statuses.items() if status != 200}
    assert broken == {}, f"links that do not lead to a page for {email}: {broken}"
    assert not too_wide, (f"pages that scroll sideways on a 375px phone for {email}:\n"
                           + "\n".join(f"{path}: {why}" for path, why in too_wide.items()))
    assert not wording, f"pages whose wording reads wrongly for {email}: {wording}"
    missing = [p for p in at_least if not any(v.startswith(p) for v in statuses)]
    assert missing == [], f"{email} never reached {missing}; visited {sorted(statuses)}"
    assert len(statuses) >= 3


def test_the_phone_width_check_catches_a_page_that_scrolls_sideways(browser):
    """The check must be able to fail, and the site's stylesheet must be what makes it pass."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    css = (Path(__file__).resolve().parents[2] / "lms/static/css/main.css").read_text()
    head = "<!doctype html><meta name=viewport content='width=device-width'>"
    table = ("<table><caption class=visually-hidden>Candidates</caption><tr>"
             + "<td>Candidate&nbsp;number&nbsp;0042</td>" * 11
             + "<td><button>Agree<span class=visually-hidden> mark</span></button></td>"
             + "</tr></table>")
    boxed = f"<div class=table-scroll role=region aria-label=Wide tabindex=0>{table}</div>"
    word = f"<p class=lead>{'x' * 200}</p>"
    try:
        page.set_content(f"{head}<style>{css}</style><main><h1>Wide</h1>{table}</main>")
        problem = sideways_scroll(page)
        assert problem is not None and "tr > td" in problem, problem
        assert "Agree mark" in problem
        assert page.viewport_size == DESKTOP  # the crawl goes on at desktop width

        page.set_content(f"{head}<main>{word}</main>")  # one unbroken word, no stylesheet
        assert "main > p.lead" in (sideways_scroll(page) or "")
        # A scrolling box alone is not enough: hidden text placed against the page escapes it.
        static = ".table-scroll { position: static; }"
        page.set_content(f"{head}<style>{css}{static}</style><main>{boxed}</main>")
        assert "span.visually-hidden" in (sideways_scroll(page) or "")

        page.set_content(f"{head}<style>{css}</style><main>{word}{boxed}</main>")
        assert sideways_scroll(page) is None
    finally:
        context.close()


def test_the_wording_check_catches_one_marks_and_double_full_stops():
    assert wording_problems("Tolerance 1 marks. Waiting: 1 pieces of work")
    assert wording_problems("Note: agreed by phone.. Thanks")
    assert wording_problems("Granted: see note. .")
    assert wording_problems("Tolerance 1 mark. 21 marks, 11 lessons, 0.1 marks. Wait...") == []
