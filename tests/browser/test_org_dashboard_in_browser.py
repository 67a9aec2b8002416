"""In real Chromium: an organisation admin reads the dashboard (its status, its advocates'
reasons behind a disclosure), then checks numbers in bulk on screen and as a CSV download.
Axe on each page; nothing scrolls sideways at 375 px; wide tables scroll in their own box."""

import csv
import re

import pytest

from tests.browser.test_accounts_in_browser import sign_in
from tests.browser.test_every_page_in_browser import sideways_scroll
from tests.integration.accreditation.dashkit import advocate_at, org_admin_of

pytestmark = pytest.mark.browser


@pytest.fixture
def northbridge(app, create_user, create_organisation):
    org = create_organisation("Northbridge Survivor Support")
    org_admin_of(app, create_user, org, email="manager@northbridge.example.org",
                 name="Morgan Manager")
    _, ada = advocate_at(app, create_user, org, "Ada Quinn", cpd_minutes=10 * 60)
    _, wren = advocate_at(app, create_user, org, "Wren Hidden", withheld=True)
    advocate_at(app, create_user, org, "Ben Ortiz", accredit=False)
    return {"org_id": org.id, "ada": ada, "wren": wren}


def phone_ok(page):
    assert sideways_scroll(page) is None, sideways_scroll(page)


def tables_scroll_in_their_own_box(page):
    tables = page.locator("main table")
    assert tables.count() > 0
    assert page.locator("main .table-scroll[role=region] > table").count() == tables.count()


def test_the_dashboard_and_a_bulk_check_with_its_csv(page, axe, northbridge, tmp_path):
    sign_in(page, axe, "manager@northbridge.example.org")
    page.get_by_role("link", name="Your organisation").click()
    page.get_by_role("heading", name="Northbridge Survivor Support", level=1).wait_for()
    assert page.get_by_role("heading", name="Accreditation: Accredited").is_visible()
    advocates = page.get_by_role("region", name="Advocates and trainees")
    ada = advocates.get_by_role("row", name=re.compile("Ada Quinn"))
    assert ada.get_by_text("10 hours of 20 hours").is_visible()
    reasons = ada.get_by_text("Employed by Northbridge Survivor Support, an accredited host")
    assert not reasons.is_visible()
    ada.get_by_text("All reasons").click()  # the disclosure opens with the full reasons
    assert reasons.is_visible()
    assert page.get_by_role("region", name="Expiring or due soon").is_visible()
    tables_scroll_in_their_own_box(page)
    axe.check(page)
    phone_ok(page)

    page.get_by_role("link", name="Check advocates' accreditation numbers in bulk").click()
    page.get_by_role("heading", name="Check accreditation numbers").wait_for()
    axe.check(page)
    phone_ok(page)
    page.get_by_role("button", name="Check numbers").click()  # nothing entered
    page.get_by_role("heading", name="There is a problem").wait_for()
    axe.check(page)

    typed = f"{northbridge['ada'].lower()}, {northbridge['wren']}\nIMSA-2222-3333\nnonsense"
    page.get_by_label("Accreditation numbers").fill(typed)
    page.get_by_role("button", name="Check numbers").click()
    page.get_by_role("heading", name="4 numbers checked").wait_for()
    answers = page.get_by_role("region", name="Answers")
    assert answers.get_by_role("row", name=re.compile("Wren Hidden")).is_visible()
    assert answers.get_by_text("No match").is_visible()
    assert answers.get_by_text("Not a valid number").is_visible()
    assert "?" not in page.url  # the numbers never go into the address
    tables_scroll_in_their_own_box(page)
    axe.check(page)
    phone_ok(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename.startswith("accreditation-check-")
    with open(download.value.path(), encoding="utf-8") as sheet:
        rows = list(csv.reader(sheet))
    assert rows[0][:4] == ["Number as typed", "Accreditation number", "Name", "Status"]
    assert [r[2] for r in rows[1:]] == ["Ada Quinn", "Wren Hidden", "", ""]
    assert [r[3] for r in rows[3:]] == ["No match", "Not a valid number"]

    page.goto(f"/organisations/{northbridge['org_id']}/check")
    recent = page.get_by_role("region", name="Recent checks")
    assert recent.get_by_role("row", name=re.compile("Morgan Manager")).count() == 2
    axe.check(page)
    phone_ok(page)
