"""The public check: a number and surname get the name, status, specialism and valid-until date
and nothing else; every failed check gets the same reply, byte for byte; it is throttled per
address and kept out of search engines and caches."""

import re
from datetime import date, timedelta

import pytest

from lms.accreditation import services
from lms.accreditation.models import RegisterEntry
from lms.auth.models import User
from lms.extensions import db
from lms.formatting import uk_date
from lms.organisations.models import Employment
from tests.conftest import csrf_token

TODAY = date.today()
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def advocate(app, create_user, org, *, name="Amira Haddad", specialism="modern_slavery",
             accredit=True, awarded_days=200, accredited_days=100):
    """A person on the register (awarded, employed by `org`, confirmed); their number."""
    person = create_user("advocate", name=name)
    with app.app_context():
        user = db.session.get(User, person.id)
        services.record_award(user, specialism, TODAY - timedelta(days=awarded_days),
                              actor=None)
        db.session.add(Employment(user_id=user.id, organisation_id=org.id,
                                  start_date=TODAY - timedelta(days=awarded_days + 100)))
        if accredit:
            services.decide_for_advocate(user, "accredit",
                                         TODAY - timedelta(days=accredited_days), actor=None,
                                         reason="Initial conditions met.")
        db.session.commit()
        return person, db.session.get(RegisterEntry, user.id).number


def decide(app, person, kind, reason="A concern is being looked into."):
    with app.app_context():
        services.decide_for_advocate(db.session.get(User, person.id), kind, TODAY, actor=None,
                                     reason=reason)
        db.session.commit()


def check(client, number, surname, token=None):
    token = token or csrf_token(client, "/check")
    return client.post("/check", data={"number": number, "surname": surname,
                                       "csrf_token": token})


@pytest.fixture
def org(create_organisation):
    return create_organisation("Harbour Light Advocacy", nation="scotland",
                               region="Highlands and Islands")


def test_a_match_answers_with_name_status_specialism_and_valid_until_and_nothing_else(
        app, client, create_user, org):
    person, number = advocate(app, create_user, org)
    with app.app_context():
        status = services.advocate_status_of(db.session.get(User, person.id), TODAY)
    # Typed as people type it: lower case, spaces for dashes, the surname in capitals.
    response = check(client, number.lower().replace("-", " "), "  HADDAD ")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "On the register" in page and "Amira Haddad" in page
    assert "<dt>Status</dt><dd>Accredited</dd>" in page
    assert "<dt>Specialism</dt><dd>Modern slavery (IMSA)</dd>" in page
    assert f"<dt>Valid until</dt><dd>{uk_date(status.valid_until)}</dd>" in page
    assert "Accredited: may practise as an Independent Modern Slavery Advocate." in page
    # Never where they work or where that is.
    for secret in ("Harbour Light", "Highlands", "Scotland", person.email):
        assert secret not in page


def test_every_failed_check_gets_the_same_reply_byte_for_byte(app, client, create_user, org):
    person, number = advocate(app, create_user, org)
    withheld, withheld_number = advocate(app, create_user, org, name="Dana Okafor")
    trainee = create_user("trainee", name="Tomasz Nowak")  # in training: no number yet
    with app.app_context():
        services.set_withheld(db.session.get(User, withheld.id), True, actor=None,
                              reason="At risk.")
        db.session.commit()
    token = csrf_token(client, "/check")  # one visitor, one session, one form
    other = "IMSA-2345-6789" if number != "IMSA-2345-6789" else "IMSA-3456-789A"
    attempts = {
        "wrong number": (other, "Haddad"),
        "wrong surname": (number, "Hadad"),
        "withheld entry": (withheld_number, "Okafor"),
        "not on the register": (other, trainee.name.split()[-1]),
        "malformed number": ("IMSA-12", "Haddad"),
        "number from another person": (withheld_number, "Haddad"),
    }
    replies = {what: check(client, *typed, token=token) for what, typed in attempts.items()}
    first = replies["wrong number"]
    assert first.status_code == 200 and "No match" in first.get_data(as_text=True)
    for what, reply in replies.items():
        assert reply.status_code == 200, what
        assert reply.data == first.data, f"{what} differs from a wrong number"
        assert reply.headers["Content-Length"] == first.headers["Content-Length"]
    page = first.get_data(as_text=True)
    assert "IMSA-2345" not in page and "Haddad" not in page  # nothing typed comes back
    # The form comes back empty, ready for the next check with the same token.
    assert re.search(r"<input[^>]*name=\"number\"[^>]*value=\"\">", page)
    assert CSRF_RE.search(page).group(1) == token
    # The right number and surname from that same visitor still answers.
    assert "Amira Haddad" in check(client, number, "Haddad", token=token).get_data(
        as_text=True)


def test_a_status_change_shows_on_the_very_next_check(app, client, create_user, org):
    person, number = advocate(app, create_user, org)
    assert "<dd>Accredited</dd>" in check(client, number, "Haddad").get_data(as_text=True)
    decide(app, person, "suspend")
    page = check(client, number, "Haddad").get_data(as_text=True)
    assert "<dd>Accreditation suspended</dd>" in page
    assert "<dt>Valid until</dt><dd>Not valid now</dd>" in page
    assert "may not practise as an accredited advocate" in page
    assert "A concern is being looked into" not in page  # the reason is not the public's
    decide(app, person, "lift", reason="Resolved.")
    assert "<dd>Accredited</dd>" in check(client, number, "Haddad").get_data(as_text=True)


def test_a_withheld_entry_shown_again_answers_again(app, client, create_user, org):
    person, number = advocate(app, create_user, org)
    with app.app_context():
        services.set_withheld(db.session.get(User, person.id), True, actor=None, reason="x")
        db.session.commit()
    assert "No match" in check(client, number, "Haddad").get_data(as_text=True)
    with app.app_context():
        services.set_withheld(db.session.get(User, person.id), False, actor=None, reason="x")
        db.session.commit()
    assert "Amira Haddad" in check(client, number, "Haddad").get_data(as_text=True)


def test_a_lapsed_accreditation_shows_as_lapsed(app, client, create_user, create_organisation):
    org = create_organisation(status="accredited")
    # Accredited over a year and a grace period ago, with no CPD logged since.
    person, number = advocate(app, create_user, org, awarded_days=600, accredited_days=500)
    page = check(client, number, "Haddad").get_data(as_text=True)
    assert "<dd>Accreditation lapsed</dd>" in page
    assert "No longer accredited: the accreditation was not kept up to date." in page
    assert "Not valid now" in page


def test_another_specialism_shows_qualified_in_it(app, client, create_user, org):
    _person, number = advocate(app, create_user, org, name="Rosa Díaz-Fernández",
                               specialism="domestic_abuse", accredit=False)
    assert number.startswith("IDVA-")
    page = check(client, number, "diaz fernandez").get_data(as_text=True)
    assert "<dd>Qualified: domestic abuse (IDVA)</dd>" in page
    assert "<dt>Specialism</dt><dd>Domestic abuse (IDVA)</dd>" in page


def test_missing_details_are_asked_for_at_the_field_and_nothing_is_looked_up(client):
    response = check(client, "IMSA-2345-6789", "")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter the advocate&#39;s surname." in page and "No match" not in page
    assert 'value="IMSA-2345-6789"' in page  # what was typed stays


def test_check_pages_are_kept_out_of_search_engines_and_caches(app, client, create_user, org):
    _person, number = advocate(app, create_user, org)
    token = csrf_token(client, "/check")
    for response in (client.get("/check"), check(client, number, "Haddad", token),
                     check(client, "nothing", "Haddad", token)):
        page = response.get_data(as_text=True)
        assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
        assert response.headers["Cache-Control"] == "no-store"
        assert '<meta name="robots" content="noindex, nofollow">' in page


def test_checks_are_throttled_per_address_with_a_page_saying_when_to_try_again(
        app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_CHECK_LIMITS", "3 per minute; 100 per day")
    token = csrf_token(client, "/check")
    replies = [check(client, "IMSA-2345-6789", "Haddad", token) for _ in range(4)]
    assert [r.status_code for r in replies] == [200, 200, 200, 429]
    throttled = replies[-1]
    page = throttled.get_data(as_text=True)
    assert "Too many checks" in page and "You can check again in 1 minute." in page
    assert 0 < int(throttled.headers["Retry-After"]) <= 60
    assert throttled.headers["X-Robots-Tag"] == "noindex, nofollow"
    # Another address is not held back, and the form itself can still be read.
    other = client.post("/check", data={"number": "IMSA-2345-6789", "surname": "Haddad",
                                        "csrf_token": token},
                        environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200
    assert client.get("/check").status_code == 200


def test_the_daily_limit_says_how_long_to_wait(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_CHECK_LIMITS", "50 per minute; 2 per day")
    token = csrf_token(client, "/check")
    replies = [check(client, "IMSA-2345-6789", "Haddad", token) for _ in range(3)]
    assert replies[-1].status_code == 429
    page = replies[-1].get_data(as_text=True)
    assert "hours)" in page and int(replies[-1].headers["Retry-After"]) > 3600


def test_every_failed_check_does_the_same_database_work(app, create_user, org):
    from lms.accreditation import public
    from tests.integration.courses.test_query_counts import count_queries

    person, number = advocate(app, create_user, org)
    withheld, withheld_number = advocate(app, create_user, org, name="Dana Okafor")
    with app.app_context():
        services.set_withheld(db.session.get(User, withheld.id), True, actor=None, reason="x")
        db.session.commit()
    work = {}
    for what, typed in {"wrong number": ("IMSA-2345-6789", "Haddad"),
                        "wrong surname": (number, "Hadad"),
                        "withheld entry": (withheld_number, "Okafor"),
                        "malformed number": ("12", "Haddad")}.items():
        with app.app_context(), count_queries(app) as statements:
            assert public.check(*typed, TODAY) is None, what
        work[what] = statements
    assert all(statements == work["wrong number"] for statements in work.values()), work
    assert len(work["wrong number"]) == 1  # one lookup by number, nothing more
