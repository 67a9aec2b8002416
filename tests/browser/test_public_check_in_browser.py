"""Someone with no account checks an advocate in Chromium on a 375-pixel phone: a valid number,
a wrong surname and a wrong number (those two replies byte-identical), then too many checks;
and browses the register of organisations. Axe on every page, nothing scrolls sideways."""

from datetime import date, timedelta

import pytest

from lms.extensions import db
from tests.browser.test_every_page_in_browser import PHONE, sideways_scroll

pytestmark = pytest.mark.browser
TODAY = date.today()


@pytest.fixture
def on_register(app, create_user, create_organisation):
    from lms.accreditation import services
    from lms.accreditation.models import RegisterEntry
    from lms.auth.models import User
    from lms.organisations.models import Employment

    org = create_organisation("Harbour Light Advocacy", nation="scotland",
                              region="Highlands and Islands")
    create_organisation("Clyde Survivor Network", status="conditions", nation="scotland",
                        region="Glasgow")
    person = create_user("advocate", name="Siobhan O'Neill")
    with app.app_context():
        user = db.session.get(User, person.id)
        services.record_award(user, "modern_slavery", TODAY - timedelta(days=200), actor=None)
        db.session.add(Employment(user_id=user.id, organisation_id=org.id,
                                  start_date=TODAY - timedelta(days=300)))
        services.decide_for_advocate(user, "accredit", TODAY - timedelta(days=100), actor=None,
                                     reason="Initial conditions met.")
        db.session.commit()
        return db.session.get(RegisterEntry, user.id).number


def submit_check(page, number, surname):
    """Type a check and send it with the keyboard; the reply's status and its bytes as the
    server sent them."""
    page.get_by_label("Accreditation number").fill(number)
    page.get_by_label("Surname").fill(surname)
    with page.expect_response(lambda r: r.request.method == "POST") as reply:
        page.get_by_label("Surname").press("Enter")
    body = reply.value.body()  # before the next navigation, which discards it
    page.wait_for_load_state()
    return reply.value.status, body


def look(page, axe):
    axe.check(page)
    assert sideways_scroll(page) is None, sideways_scroll(page)


def test_a_stranger_checks_an_advocate_and_is_throttled(app, page, axe, on_register,
                                                        monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_CHECK_LIMITS", "3 per minute; 100 per day")
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.get_by_role("navigation", name="Public register").get_by_role(
        "link", name="Check an advocate").click()
    page.get_by_role("heading", name="Check an advocate").wait_for()
    look(page, axe)

    submit_check(page, on_register.lower().replace("-", " "), "oneill")
    page.get_by_role("heading", name="On the register").wait_for()
    answer = page.locator("section.panel").inner_text()
    assert "Siobhan O'Neill" in answer and "Accredited" in answer
    assert "Modern slavery (IMSA)" in answer
    assert "Harbour Light" not in page.content() and "Highlands" not in page.content()
    look(page, axe)

    wrong_surname = submit_check(page, on_register, "O'Neil")
    page.get_by_role("heading", name="No match").wait_for()
    assert page.get_by_label("Surname").input_value() == ""  # nothing typed comes back
    look(page, axe)
    wrong_number = submit_check(page, "IMSA-2345-6789" if on_register != "IMSA-2345-6789"
                                else "IMSA-3456-789A", "O'Neill")
    page.get_by_role("heading", name="No match").wait_for()
    assert wrong_surname[0] == wrong_number[0] == 200
    assert wrong_surname[1] == wrong_number[1]
    assert b"No match" in wrong_number[1]

    throttled, _body = submit_check(page, on_register, "O'Neill")
    assert throttled == 429
    page.get_by_role("heading", name="Too many checks").wait_for()
    assert page.get_by_text("You can check again in 1 minute.").is_visible()
    look(page, axe)


def test_the_register_of_organisations_is_browsed_by_nation_and_region(page, axe,
                                                                       on_register):
    page.set_viewport_size(PHONE)
    page.goto("/")
    page.get_by_role("link", name="Accredited organisations").first.click()
    page.get_by_role("heading", name="Accredited organisations").wait_for()
    look(page, axe)
    page.get_by_role("navigation", name="Nations").get_by_role("link", name="Scotland").click()
    page.get_by_role("navigation", name="Regions of Scotland").get_by_role(
        "link", name="Glasgow").click()
    page.get_by_role("heading", name="Glasgow, Scotland: 1 organisation").wait_for()
    assert "Clyde Survivor Network" in page.locator("table").inner_text()
    assert "Harbour Light" not in page.locator("table").inner_text()
    assert "Siobhan" not in page.content()
    look(page, axe)
