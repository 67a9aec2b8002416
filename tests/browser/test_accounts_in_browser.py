import re

import pytest

from tests.conftest import PASSWORD, outbox

pytestmark = pytest.mark.browser


def sign_in(page, axe, email, password=PASSWORD):
    page.goto("/sign-in")
    axe.check(page)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_and_sign_out(page, axe, create_user):
    user = create_user("trainee", name="Tamsin Reade")
    sign_in(page, axe, user.email, "not-the-password")
    assert page.get_by_role("alert").is_visible()
    axe.check(page)  # the error state is accessible too
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Welcome, Tamsin Reade").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Sign out").click()
    page.get_by_text("You have signed out.").wait_for()
    axe.check(page)
    page.goto("/account/password")
    assert "/sign-in" in page.url


def test_keyboard_user_reaches_main_content_with_the_skip_link(page, axe):
    page.goto("/sign-in")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_set_password_from_the_emailed_link(app, page, axe, visit, create_user):
    create_user("admin", email="admin@example.org")
    sign_in(page, axe, "admin@example.org")
    visit("/admin/users/new")
    page.get_by_label("Full name").fill("Kofi Mensah")
    page.get_by_label("Email address").fill("kofi@example.org")
    page.get_by_label("Trainee advocate").check()
    page.get_by_role("button", name="Create account").click()
    page.get_by_text("Account created for Kofi Mensah").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Sign out").click()

    link = re.search(r"https?://\S+/set-password/\S+", outbox(app)[-1].body).group(0)
    page.goto(link)
    axe.check(page)
    page.get_by_label("New password", exact=True).fill("password1234")
    page.get_by_label("Confirm new password").fill("password1234")
    page.get_by_role("button", name="Set password").click()
    page.get_by_text("This password is too common").first.wait_for()
    axe.check(page)
    page.get_by_label("New password", exact=True).fill("lighthouse tea orbit 42")
    page.get_by_label("Confirm new password").fill("lighthouse tea orbit 42")
    page.get_by_role("button", name="Set password").click()
    page.get_by_text("Your password is set").wait_for()
    sign_in(page, axe, "kofi@example.org", "lighthouse tea orbit 42")
    page.get_by_role("heading", name="Welcome, Kofi Mensah").wait_for()
    axe.check(page)


def test_admin_imports_a_cohort_roster(page, axe, visit, create_user, create_organisation,
                                       create_cohort, tmp_path):
    create_organisation("Glenview Community Trust", nation="scotland")
    cohort = create_cohort()
    create_user("admin", email="admin@example.org")
    sign_in(page, axe, "admin@example.org")
    for path in ("/admin/", "/admin/users", "/admin/organisations", "/admin/cohorts",
                 f"/admin/cohorts/{cohort.id}", "/admin/audit", "/admin/outbox",
                 "/account/password"):
        visit(path)
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email,organisation,specialism,jurisdiction\n"
                   "Kofi Mensah,kofi@example.org,Glenview Community Trust,Modern slavery,"
                   "Scotland\nNo Email,,Glenview Community Trust,Stalking,Scotland\n")
    visit(f"/admin/cohorts/{cohort.id}/import")
    page.get_by_label("Roster file (CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_text("Row 3:").wait_for()
    axe.check(page)
    good = tmp_path / "good.csv"
    good.write_text("name,email,organisation,specialism,jurisdiction\n"
                    "Kofi Mensah,kofi@example.org,Glenview Community Trust,Modern slavery,"
                    "Scotland\nAnn Lee,ann@example.org,,Stalking,Northern Ireland\n")
    page.get_by_label("Roster file (CSV)").set_input_files(str(good))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("heading", name="Check before you import").wait_for()
    axe.check(page)
    page.get_by_role("button", name="Import 2 people").click()
    page.get_by_text("Imported 2 people").wait_for()
    axe.check(page)
    assert page.get_by_role("cell", name="Ann Lee", exact=True).is_visible()
    page.get_by_role("link", name="Ann Lee", exact=True).click()
    axe.check(page)


def test_every_role_home_and_error_pages_pass_axe(page, axe, visit, create_user,
                                                  create_organisation):
    create_organisation()
    for role in ("trainee", "marker", "moderator", "examiner", "org_admin"):
        user = create_user(role)
        sign_in(page, axe, user.email)
        visit("/")
        page.get_by_role("button", name="Sign out").click()
    visit("/no-such-page", status=404)
    visit("/set-password/not-a-token", status=410)
    visit("/forgot-password")
