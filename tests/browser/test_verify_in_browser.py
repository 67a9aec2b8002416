"""Someone given a code checks it in Chromium, without an account: the verify page for each
status and for an unknown code, axe-clean, and nothing scrolls sideways at 375 px."""

from datetime import timedelta

import pytest

from tests.browser.test_accounts_in_browser import sign_in
from tests.browser.test_every_page_in_browser import sideways_scroll
from tests.certkit import TODAY, create_certificate  # noqa: F401

pytestmark = pytest.mark.browser


def uk(day) -> str:
    return f"{day.day} {day:%B %Y}"


def check(page, axe):
    axe.check(page)
    assert sideways_scroll(page) is None, sideways_scroll(page)


@pytest.mark.parametrize(("state", "words"), [
    ("valid", "This certificate is genuine and valid."),
    ("expired", f"It was valid until {uk(TODAY - timedelta(days=30))}."),
    ("suspended", f"suspended since {uk(TODAY - timedelta(days=2))}"),
    ("revoked", f"revoked on {uk(TODAY - timedelta(days=3))}"),
])
def test_a_code_typed_into_the_form_shows_the_certificate_and_its_status(
        page, axe, create_certificate, state, words):  # noqa: F811
    code = create_certificate("advocate_accreditation", state=state).code
    page.goto("/verify")
    check(page, axe)
    page.get_by_label("Verification code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Check certificate").click()
    page.wait_for_url(f"**/verify/{code}")
    status = page.locator("#status")
    assert status.locator("h2").inner_text() == f"Status: {state.capitalize()}"
    assert words in status.inner_text()
    assert "IMSA-7K3Q-9XFD" in page.locator("dl").inner_text()
    check(page, axe)


def test_an_unknown_code_says_so_and_offers_the_form_again(page, axe):
    response = page.goto("/verify/K7QX-9FD3-M2PA")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "No certificate has this code"
    assert page.get_by_label("Verification code").input_value() == "K7QX-9FD3-M2PA"
    check(page, axe)


def test_an_empty_code_is_an_error_at_the_field(page, axe):
    page.goto("/verify")
    page.get_by_role("button", name="Check certificate").click()
    assert page.get_by_role("alert").is_visible()
    assert "Enter the verification code" in page.locator("#code-error").inner_text()
    check(page, axe)


def test_the_holder_downloads_the_open_badge_from_their_certificates(page, axe, create_user,
                                                                   create_certificate):  # noqa: F811
    holder = create_user("trainee", email="holder@example.org")
    code = create_certificate("module_completion", holder=holder).code
    sign_in(page, axe, "holder@example.org")
    page.wait_for_url(lambda url: "/sign-in" not in url)
    page.goto("/certificates")
    check(page, axe)
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download Open Badge credential for {code} (JSON)").click()
    assert download.value.suggested_filename == f"credential-{code}.json"
