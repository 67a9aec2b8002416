"""A trainee finds their certificates, opens the accessible view of a transcript and the
certificate of a module, and a moderator suspends one, in a real browser: axe finds nothing
and no page scrolls sideways on a 375 px phone."""

import pytest

from tests.browser.test_accounts_in_browser import sign_in
from tests.browser.test_every_page_in_browser import sideways_scroll
from tests.integration.certs.conftest import (  # noqa: F401  (fixtures used below)
    certificates,
    cohort,
    enrol,
    kit,
    release_mark,
    trainee,
)

pytestmark = pytest.mark.browser


def check(page, axe):
    axe.check(page)
    assert sideways_scroll(page) is None, sideways_scroll(page)


def test_a_holder_reads_their_certificates_and_a_moderator_suspends_one(
        app, page, axe, trainee, cohort, create_user):  # noqa: F811
    release_mark(app, trainee, cohort, "law", "scenario", 70)
    release_mark(app, trainee, cohort, "law", "essay", 60)
    app.test_cli_runner().invoke(args=["certificates", "issue", "--cohort", cohort.name])
    [module] = certificates(app, kind="module_completion")
    [transcript] = certificates(app, kind="transcript")

    sign_in(page, axe, trainee.email)
    page.get_by_role("link", name="Certificates").click()
    page.get_by_role("heading", name="Certificates", exact=True).wait_for()
    check(page, axe)
    assert module.code in page.inner_text("main") and transcript.code in page.inner_text("main")

    page.get_by_role("link", name=f"View as a web page ({transcript.code})").click()
    page.get_by_role("heading", name="Transcript of module results").wait_for()
    check(page, axe)
    assert page.get_by_role("cell", name="64%").is_visible()

    page.goto(f"/certificates/{module.code}")
    page.get_by_role("heading", name="Certificate of module completion").wait_for()
    check(page, axe)

    lead = create_user("moderator", email="lead@example.org", name="Morag Lead")
    page.context.clear_cookies()
    sign_in(page, axe, lead.email)
    page.goto("/staff/certificates")
    page.get_by_role("heading", name="Certificates issued").wait_for()
    check(page, axe)
    page.get_by_role("link", name=module.code).click()
    page.get_by_role("button", name="Suspend").click()
    page.get_by_role("heading", name="There is a problem").wait_for()
    check(page, axe)
    page.get_by_label("Why is the certificate suspended?").fill("Marks under appeal review.")
    page.get_by_role("button", name="Suspend").click()
    page.get_by_text("The certificate is suspended.").wait_for()
    check(page, axe)
