"""Confirming CPD: the advocate names a confirmer, the confirmer answers once through an
emailed link that expires, and host organisations see their advocates' totals."""

import hashlib
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from lms.extensions import db
from tests.conftest import csrf_token, outbox, post_form, sign_in

LINK_RE = re.compile(r"https?://[^/\s]+/cpd/confirm/([A-Za-z0-9_-]+)")  # any site address
TODAY = date.today()
PRIVATE = "I practised a first meeting with a colleague playing a survivor"


@pytest.fixture
def advocate(create_user, app):
    from lms.cpd.models import CpdProfile

    user = create_user("advocate", email="ada@example.org", name="Ada Advocate")
    with app.app_context():
        db.session.add(CpdProfile(user_id=user.id, accredited_on=TODAY - timedelta(days=200)))
        db.session.commit()
    return user


@pytest.fixture
def make_entry(app):
    """Return a factory for a logged entry (or any status) of a person; it returns the id."""
    from lms.cpd.models import CpdEntry

    def factory(user, **fields):
        values = {"status": "logged", "title": "Safeguarding adults refresher",
                  "start": TODAY - timedelta(days=10), "minutes": 90,
                  "activity": "formal_training", "participatory": True,
                  "topics": ["safeguarding"], "what_happened": PRIVATE,
                  "what_i_learned": "How to pace a first meeting",
                  "how_practice_changes": "I now agree breaks at the start", **fields}
        with app.app_context():
            entry = CpdEntry(user_id=user.id, **values)
            db.session.add(entry)
            db.session.commit()
            return entry.id

    return factory


def entry_of(app, entry_id):
    from lms.cpd.models import CpdEntry

    with app.app_context():
        entry = db.session.get(CpdEntry, entry_id)
        db.session.expunge(entry)
        return entry


def requests_of(app, entry_id):
    from lms.cpd.models import CpdConfirmation

    with app.app_context():
        rows = db.session.scalars(select(CpdConfirmation).where(
            CpdConfirmation.entry_id == entry_id).order_by(CpdConfirmation.id)).all()
        db.session.expunge_all()
        return rows


CONFIRMER = {"name": "Sam Jones", "role": "Service manager", "organisation": "Northbridge",
             "email": "sam.jones@northbridge.example.org"}


def ask(client, entry_id, **changes):
    url = f"/cpd/entries/{entry_id}/confirmation"
    return post_form(client, url, {**CONFIRMER, **changes}, page=url)


def requested_link(app, client, advocate, entry_id, **changes) -> str:
    """Sign the advocate in, send a request, and return the path of the emailed link."""
    sign_in(client, advocate)
    response = ask(client, entry_id, **changes)
    assert response.status_code == 302, response.get_data(as_text=True)[:800]
    token = LINK_RE.search(outbox(app)[-1].body).group(1)
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account/password")})
    return f"/cpd/confirm/{token}"


def answer(client, path, **data):
    return client.post(path, data={"csrf_token": csrf_token(client, path),
                                   "version": _version(client, path), **data})


def _version(client, path):
    match = re.search(r'name="version"[^>]*value="(\d+)"', client.get(path).get_data(as_text=True))
    return match.group(1) if match else ""


# ---------------------------------------------------------------------------- asking


def test_a_request_with_missing_or_bad_fields_keeps_what_was_typed(app, client, advocate,
                                                                    make_entry):
    entry_id = make_entry(advocate)
    sign_in(client, advocate)
    response = ask(client, entry_id, role="", email="not-an-address")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Enter the confirmer&#39;s job title or role." in page
    assert "Enter an email address like name@example.org." in page
    assert 'value="Sam Jones"' in page and 'value="not-an-address"' in page
    assert requests_of(app, entry_id) == [] and outbox(app) == []


def test_a_request_over_a_limit_is_refused_at_the_field(app, client, advocate, make_entry):
    entry_id = make_entry(advocate)
    sign_in(client, advocate)
    response = ask(client, entry_id, name="S" * 201)
    assert response.status_code == 422
    assert "must be 200 characters or fewer" in response.get_data(as_text=True)
    assert requests_of(app, entry_id) == []


def test_advocates_cannot_confirm_their_own_cpd(app, client, advocate, make_entry):
    entry_id = make_entry(advocate)
    sign_in(client, advocate)
    response = ask(client, entry_id, email=" ADA@example.org ")
    assert response.status_code == 422
    assert "You cannot confirm your own CPD" in response.get_data(as_text=True)
    assert requests_of(app, entry_id) == [] and outbox(app) == []


def test_a_request_emails_a_single_use_link_and_keeps_only_its_hash(app, client, advocate,
                                                                    make_entry):
    from lms.audit.models import AuditEvent

    entry_id = make_entry(advocate)
    sign_in(client, advocate)
    assert ask(client, entry_id).status_code == 302
    [mail] = outbox(app)
    assert mail.recipient == CONFIRMER["email"]
    assert "Ada Advocate" in mail.subject and "Safeguarding adults refresher" in mail.body
    token = LINK_RE.search(mail.body).group(1)
    [request] = requests_of(app, entry_id)
    assert request.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in request.token_hash
    expires = TODAY + timedelta(days=14)
    assert request.expires_at.date() in (expires, expires + timedelta(days=1))
    page = client.get(f"/cpd/entries/{entry_id}/confirmation").get_data(as_text=True)
    assert "Waiting for an answer" in page and "Sam Jones" in page
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "cpd_confirmation_requested")).actor_id == advocate.id


def test_a_new_request_replaces_the_open_one(app, client, advocate, make_entry):
    entry_id = make_entry(advocate)
    first = requested_link(app, client, advocate, entry_id)
    second = requested_link(app, client, advocate, entry_id, name="Kim Lee",
                            email="kim@northbridge.example.org")
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200
    old, new = requests_of(app, entry_id)
    assert old.outcome == "superseded" and old.used_at is not None and new.used_at is None
    sign_in(client, advocate)
    page = client.get(f"/cpd/entries/{entry_id}/confirmation").get_data(as_text=True)
    assert "Replaced by a later request" in page


def test_only_your_own_logged_entries_can_be_sent(app, client, advocate, make_entry,
                                                  create_user):
    other = create_user("advocate")
    theirs = make_entry(other)
    draft = make_entry(advocate, status="draft")
    sign_in(client, advocate)
    assert client.get(f"/cpd/entries/{theirs}/confirmation").status_code == 404
    assert ask(client, theirs).status_code == 404
    response = ask(client, draft)
    assert response.status_code == 409
    assert "Only a logged entry" in response.get_data(as_text=True)
    assert requests_of(app, draft) == [] and outbox(app) == []


# ---------------------------------------------------------------------------- answering


def test_confirming_through_the_link_records_who_and_the_link_then_stops_working(
        app, client, advocate, make_entry):
    entry_id = make_entry(advocate)
    path = requested_link(app, client, advocate, entry_id)
    page = client.get(path).get_data(as_text=True)
    assert "Safeguarding adults refresher" in page and "1.5 hours" in page
    assert "Safeguarding" in page and "Yes (participatory)" in page
    assert 'value="Sam Jones"' in page and 'value="Service manager"' in page
    response = answer(client, path, outcome="confirmed", name="Samantha Jones",
                      role="Head of services")
    assert response.status_code == 200
    assert "Activity confirmed" in response.get_data(as_text=True)
    entry = entry_of(app, entry_id)
    assert entry.confirmed_at is not None
    assert (entry.confirmed_by_name, entry.confirmed_by_role, entry.confirmed_by_organisation) \
        == ("Samantha Jones", "Head of services", "Northbridge")
    [request] = requests_of(app, entry_id)
    assert request.outcome == "confirmed" and request.used_at is not None
    told = outbox(app)[-1]
    assert told.recipient == advocate.email and "confirmed" in told.body
    gone = client.get(path)
    assert gone.status_code == 410 and "no longer works" in gone.get_data(as_text=True)
    again = client.post(path, data={"csrf_token": csrf_token(client, "/sign-in"),
                                    "outcome": "queried", "comment": "x", "name": "A",
                                    "role": "B", "version": "2"})
    assert again.status_code == 410
    assert requests_of(app, entry_id)[0].outcome == "confirmed"


def test_a_query_needs_a_comment_and_does_not_confirm(app, client, advocate, make_entry):
    entry_id = make_entry(advocate)
    path = requested_link(app, client, advocate, entry_id)
    response = answer(client, path, outcome="queried", comment="  ", name="Sam Jones",
                      role="Service manager")
    assert response.status_code == 422
    assert "Say what you are querying" in response.get_data(as_text=True)
    response = answer(client, path, outcome="queried", name="Sam Jones", role="Service manager",
                      comment="I think this was a half-day session, not 1.5 hours.")
    assert response.status_code == 200 and "Query sent" in response.get_data(as_text=True)
    assert entry_of(app, entry_id).confirmed_at is None
    [request] = requests_of(app, entry_id)
    assert request.outcome == "queried" and "half-day" in request.comment
    assert "half-day session" in outbox(app)[-1].body
    assert client.get(path).status_code == 410


def test_the_advocate_cannot_answer_their_own_link(app, client, advocate, make_entry):
    entry_id = make_entry(advocate)
    path = requested_link(app, client, advocate, entry_id)
    sign_in(client, advocate)
    response = client.get(path)
    assert response.status_code == 403
    assert "You cannot confirm your own CPD" in response.get_data(as_text=True)
    response = client.post(path, data={"csrf_token": csrf_token(client, "/account/password"),
                                       "outcome": "confirmed", "name": "Ada", "role": "Me",
                                       "version": "1"})
    assert response.status_code == 403
    assert entry_of(app, entry_id).confirmed_at is None
    assert requests_of(app, entry_id)[0].used_at is None


def test_an_unanswered_choice_is_refused_at_the_field(app, client, advocate, make_entry):
    entry_id = make_entry(advocate)
    path = requested_link(app, client, advocate, entry_id)
    response = answer(client, path, name="Sam Jones", role="")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Choose whether you confirm this activity or query it." in page
    assert "Enter your job title or role." in page
    assert requests_of(app, entry_id)[0].used_at is None


def test_an_expired_link_confirms_nothing(app, client, advocate, make_entry):
    from lms.cpd.models import CpdConfirmation

    entry_id = make_entry(advocate)
    path = requested_link(app, client, advocate, entry_id)
    token_page = csrf_token(client, "/sign-in")
    with app.app_context():
        request = db.session.scalar(select(CpdConfirmation))
        request.expires_at = request.requested_at - timedelta(minutes=1)
        db.session.commit()
    assert client.get(path).status_code == 410
    response = client.post(path, data={"csrf_token": token_page, "outcome": "confirmed",
                                       "name": "Sam", "role": "Manager", "version": "1"})
    assert response.status_code == 410
    assert entry_of(app, entry_id).confirmed_at is None


def test_an_unknown_link_is_gone(client):
    response = client.get("/cpd/confirm/not-a-real-token")
    assert response.status_code == 410
    assert "This link no longer works" in response.get_data(as_text=True)


def test_reflections_are_shown_only_when_the_advocate_shares_them(app, client, advocate,
                                                                  make_entry):
    private = make_entry(advocate)
    shared = make_entry(advocate, shared_with_employer=True, what_happened="Shared *notes* here")
    private_path = requested_link(app, client, advocate, private)
    shared_path = requested_link(app, client, advocate, shared)
    page = client.get(private_path).get_data(as_text=True)
    assert PRIVATE not in page and "keeps their reflection on this activity private" in page
    page = client.get(shared_path).get_data(as_text=True)
    assert "Shared <em>notes</em> here" in page and "How to pace a first meeting" in page


def test_an_edit_after_the_confirmer_opened_the_entry_changes_nothing(app, client, advocate,
                                                                      make_entry):
    from lms.cpd.models import CpdEntry

    entry_id = make_entry(advocate)
    path = requested_link(app, client, advocate, entry_id)
    seen = _version(client, path)
    token = csrf_token(client, path)
    with app.app_context():  # the advocate edits the entry in another tab
        db.session.get(CpdEntry, entry_id).minutes = 480
        db.session.commit()
    response = client.post(path, data={"csrf_token": token, "version": seen,
                                       "outcome": "confirmed", "name": "Sam Jones",
                                       "role": "Service manager"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "The advocate changed this entry after you opened it" in page
    assert "8 hours" in page  # the entry as it is now
    assert entry_of(app, entry_id).confirmed_at is None
    assert requests_of(app, entry_id)[0].used_at is None
    assert answer(client, path, outcome="confirmed", name="Sam Jones",
                  role="Service manager").status_code == 200  # read again, then confirmed
    assert entry_of(app, entry_id).confirmed_at is not None


def test_a_withdrawn_entry_cannot_be_confirmed(app, client, advocate, make_entry):
    from lms.cpd.models import CpdEntry
    from lms.db import utcnow

    entry_id = make_entry(advocate)
    path = requested_link(app, client, advocate, entry_id)
    seen, token = _version(client, path), csrf_token(client, path)
    with app.app_context():
        entry = db.session.get(CpdEntry, entry_id)
        entry.status, entry.withdrawn_at, entry.withdrawn_reason = "withdrawn", utcnow(), "Dup"
        db.session.commit()
    response = client.post(path, data={"csrf_token": token, "version": seen,
                                       "outcome": "confirmed", "name": "S", "role": "M"})
    assert response.status_code == 409
    assert "can no longer be confirmed" in response.get_data(as_text=True)
    assert entry_of(app, entry_id).confirmed_at is None


# ---------------------------------------------------------------------------- organisations


@pytest.fixture
def host(app, create_organisation, create_user, advocate):
    """An organisation employing the advocate and an org admin, plus another organisation."""
    from lms.organisations.models import Employment

    org, other = create_organisation("Northbridge"), create_organisation("Southgate")
    org_admin = create_user("org_admin", email="sam.jones@northbridge.example.org",
                            name="Sam Jones")
    stranger = create_user("org_admin")
    with app.app_context():
        db.session.add_all([
            Employment(user_id=advocate.id, organisation_id=org.id, job_title="IMSA",
                       start_date=TODAY - timedelta(days=400)),
            Employment(user_id=org_admin.id, organisation_id=org.id,
                       start_date=TODAY - timedelta(days=400)),
            Employment(user_id=stranger.id, organisation_id=other.id,
                       start_date=TODAY - timedelta(days=400))])
        db.session.commit()
    return {"org": org, "other": other, "admin": org_admin, "stranger": stranger}


def test_org_admins_see_their_advocates_totals_but_no_reflections(app, client, advocate,
                                                                  make_entry, host):
    make_entry(advocate)
    make_entry(advocate, minutes=120, activity="pastoral_supervision", participatory=False)
    make_entry(advocate, status="draft", minutes=600)  # a draft never counts
    sign_in(client, host["admin"])
    page = client.get(f"/organisations/{host['org'].id}/cpd").get_data(as_text=True)
    assert "Ada Advocate" in page
    assert "3.5 hours of 20 hours" in page  # 1.5 + 2
    assert "1.5 hours of 10 hours" in page and "2 hours of 6 hours" in page
    assert "Not yet met" in page
    assert PRIVATE not in page and "How to pace" not in page
    response = client.get(f"/organisations/{host['org'].id}/cpd.csv")
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "Requirement met" in text.splitlines()[0]
    assert "Ada Advocate,IMSA," in text and ",3.5,20,1.5,10,2,6," in text
    assert text.strip().endswith(",No") and PRIVATE not in text


def test_another_organisations_admin_is_refused(app, client, host):
    sign_in(client, host["stranger"])
    assert client.get(f"/organisations/{host['org'].id}/cpd").status_code == 403
    assert client.get(f"/organisations/{host['org'].id}/cpd.csv").status_code == 403
    assert client.get("/organisations/99999/cpd").status_code == 404


def test_an_org_admin_named_as_confirmer_confirms_from_the_dashboard(app, client, advocate,
                                                                     make_entry, host):
    entry_id = make_entry(advocate)
    requested_link(app, client, advocate, entry_id)  # addressed to the org admin's email
    sign_in(client, host["admin"])
    page = client.get(f"/organisations/{host['org'].id}/cpd").get_data(as_text=True)
    assert "Waiting for your confirmation" in page
    url = f"/organisations/{host['org'].id}/cpd/entries/{entry_id}"
    assert PRIVATE not in client.get(url).get_data(as_text=True)
    response = answer(client, url, outcome="confirmed", name="Sam Jones", role="Manager")
    assert response.status_code == 302
    entry = entry_of(app, entry_id)
    assert entry.confirmed_by_name == "Sam Jones" and entry.confirmed_at is not None
    assert client.get(url).status_code == 404  # answered: nothing left to confirm


def test_an_org_admin_never_confirms_their_own_entry(app, client, make_entry, host):
    from lms.cpd.models import CpdConfirmation
    from lms.db import utcnow

    own = make_entry(host["admin"])
    with app.app_context():  # addressed to themself (the request form refuses this anyway)
        db.session.add(CpdConfirmation(entry_id=own, name="Sam", role="M", email=host[
            "admin"].email, token_hash="0" * 64, expires_at=utcnow() + timedelta(days=3)))
        db.session.commit()
    sign_in(client, host["admin"])
    page = client.get(f"/organisations/{host['org'].id}/cpd").get_data(as_text=True)
    assert "Waiting for your confirmation" not in page
    url = f"/organisations/{host['org'].id}/cpd/entries/{own}"
    assert client.get(url).status_code == 404
    assert answer(client, url, outcome="confirmed", name="S", role="M").status_code == 404
    assert entry_of(app, own).confirmed_at is None


def test_the_organisation_page_queries_do_not_grow_with_advocates(app, client, create_user,
                                                                  make_entry, host):
    from lms.organisations.models import Employment

    def add_advocates(n):
        for _ in range(n):
            person = create_user("advocate")
            for _ in range(3):
                make_entry(person)
            with app.app_context():
                db.session.add(Employment(user_id=person.id, organisation_id=host["org"].id,
                                          start_date=TODAY - timedelta(days=30)))
                db.session.commit()

    sign_in(client, host["admin"])
    url = f"/organisations/{host['org'].id}/cpd"

    def count():
        seen = []
        with app.app_context():
            engine = db.engine
        listen = lambda *args: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listen)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listen)
        return len(seen)

    add_advocates(2)
    few = count()
    add_advocates(8)
    assert count() == few


def test_the_summary_csv_never_carries_a_formula(app, client, create_user, make_entry, host):
    from lms.organisations.models import Employment

    sly = create_user("advocate", name='=HYPERLINK("http://x.example","click")')
    with app.app_context():
        db.session.add(Employment(user_id=sly.id, organisation_id=host["org"].id,
                                  start_date=TODAY - timedelta(days=30)))
        db.session.commit()
    sign_in(client, host["admin"])
    text = client.get(f"/organisations/{host['org'].id}/cpd.csv").get_data(as_text=True)
    assert "\"'=HYPERLINK(" in text
    # No accreditation date yet: the year is counted as on the advocate's own CPD page.
    assert "No accreditation date recorded" not in text and ",0,20," in text


def test_the_confirmation_link_is_throttled_per_address(app, client):
    usual = app.config["CPD_CONFIRM_LIMIT_PER_ADDRESS"]
    app.config["CPD_CONFIRM_LIMIT_PER_ADDRESS"] = "3 per minute"
    try:
        codes = [client.get(f"/cpd/confirm/guess-{n}").status_code for n in range(4)]
    finally:
        app.config["CPD_CONFIRM_LIMIT_PER_ADDRESS"] = usual
    assert codes == [410, 410, 410, 429]
