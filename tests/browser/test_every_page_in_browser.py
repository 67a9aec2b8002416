"""Every page each demo account can reach by following links passes axe, and no link is broken.

The demo data holds work at every assessment state, a cohort, organisations, audit entries and
mail, so following every link from each role's home page visits the pages that role uses.
Lesson pages are left to test_real_content_in_browser (they are many and the same template).
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
LESSON = re.compile(r"^/modules/[^/]+/[^/]+(/check)?$")
NOT_PAGES = re.compile(r"^/(sign-out|attachments/|static/)|\.csv$|/receipt\.txt$")
LIMIT = 120  # far above any role's page count today; a crawl that hits it fails


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


def crawl(page, axe, origin: str) -> dict[str, int]:
    """Breadth-first from the home page; return the status of every page visited."""
    seen, queue, statuses = {"/"}, deque(["/"]), {}
    while queue:
        path = queue.popleft()
        response = page.goto(path)
        statuses[path] = response.status
        assert len(statuses) <= LIMIT, f"more than {LIMIT} pages: {sorted(statuses)}"
        if response.status != 200:
            continue
        axe.check(page)
        for link in _links(page, origin):
            key = link.split("?")[0] if "?page=" not in link else link
            if key not in seen:
                seen.add(key)
                queue.append(link)
    return statuses


@pytest.mark.parametrize("email, at_least", [
    ("trainee@example.org", ["/programme", "/assessments"]),
    ("marker@example.org", ["/marking"]),
    ("moderator@example.org", ["/staff/assessments", "/staff/content"]),
    ("examiner@example.org", ["/staff/content", "/moderation/"]),  # the sample, its scripts
    ("orgadmin@example.org", []),
    ("admin@example.org", ["/admin/users", "/admin/audit"]),
])
def test_every_page_a_role_can_reach_passes_axe(page, axe, live_server, demo, email, at_least):
    sign_in(page, axe, email, DEMO_PASSWORD)
    page.wait_for_url(lambda url: "/sign-in" not in url)
    statuses = crawl(page, axe, live_server)
    broken = {path: status for path, status in statuses.items() if status != 200}
    assert broken == {}, f"links that do not lead to a page for {email}: {broken}"
    missing = [p for p in at_least if not any(v.startswith(p) for v in statuses)]
    assert missing == [], f"{email} never reached {missing}; visited {sorted(statuses)}"
    assert len(statuses) >= 3
