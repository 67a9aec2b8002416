"""Sessions end on the server, sign-in limits cannot lock out a named person, resets look alike."""

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from lms.audit.models import AuditEvent
from lms.extensions import db, limiter
from tests.conftest import PASSWORD, csrf_token, outbox, post_form, sign_in

NEW_PASSWORD = "lighthouse tea orbit 42"
VICTIM_HOME = "203.0.113.7"
ATTACKER = "198.51.100.66"


def signed_in(client) -> bool:
    response = client.get("/account/password")
    return response.status_code == 200


def replay(app, cookie_value: str):
    """Return a new browser that presents a copied session cookie."""
    thief = app.test_client()
    thief.set_cookie("lms_session", cookie_value)
    return thief


def session_cookie(client) -> str:
    return client.get_cookie("lms_session").value


def attempt(client, email, password, address):
    token = csrf_token(client)
    return client.post("/sign-in", data={"email": email, "password": password,
                                         "csrf_token": token},
                       environ_base={"REMOTE_ADDR": address})


def audit(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def user_sessions(app, user_id):
    from lms.auth.models import UserSession

    with app.app_context():
        return db.session.scalars(select(UserSession).where(UserSession.user_id == user_id)
                                  .order_by(UserSession.id)).all()


@pytest.fixture
def fast_passwords(monkeypatch):
    """Check passwords without scrypt: these tests count attempts, not hashing."""
    monkeypatch.setattr("lms.auth.services.check_password",
                        lambda password_hash, password: password == PASSWORD)


# Sessions ---------------------------------------------------------------------------------


def test_a_session_cookie_replayed_after_sign_out_is_signed_out(app, client, create_user):
    sign_in(client, create_user("trainee"))
    copied = session_cookie(client)
    assert signed_in(replay(app, copied))
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    assert not signed_in(client)
    assert not signed_in(replay(app, copied))


def test_sign_in_opens_a_session_record_holding_only_a_hash(app, client, create_user):
    user = create_user("trainee")
    sign_in(client, user)
    [record] = user_sessions(app, user.id)
    assert record.ended_at is None and record.last_seen_at is not None
    assert record.user_agent.startswith("Werkzeug/")  # the test client's
    with client.session_transaction() as session:
        cookie_token = session["_session_token"]
    assert record.token_hash == hashlib.sha256(cookie_token.encode()).hexdigest()
    assert record.token_hash != cookie_token and len(cookie_token) >= 43
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    [record] = user_sessions(app, user.id)
    assert record.ended_at is not None and record.ended_reason == "signed_out"


def test_signing_out_in_one_browser_leaves_the_others_signed_in(app, create_user):
    user = create_user("trainee")
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, user)
    sign_in(phone, user)
    laptop.post("/sign-out", data={"csrf_token": csrf_token(laptop, "/")})
    assert not signed_in(laptop) and signed_in(phone)


def test_changing_the_password_ends_every_other_session_and_renews_this_one(app, create_user):
    user = create_user("trainee")
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, user)
    sign_in(phone, user)
    laptop_before = session_cookie(laptop)
    phone_before = session_cookie(phone)
    response = post_form(laptop, "/account/password", {
        "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert signed_in(laptop)
    assert not signed_in(phone)
    # A copy of either cookie from before the change is no good afterwards.
    assert not signed_in(replay(app, laptop_before))
    assert not signed_in(replay(app, phone_before))


def test_sign_out_everywhere_else_ends_the_other_sessions(app, create_user):
    user = create_user("trainee")
    laptop, phone, library = app.test_client(), app.test_client(), app.test_client()
    for browser in (laptop, phone, library):
        sign_in(browser, user)
    page = laptop.get("/account/password").get_data(as_text=True)
    assert "signed in on 2 other browsers" in page
    response = post_form(laptop, "/account/sign-out-everywhere", {})
    assert response.status_code == 302
    assert signed_in(laptop)
    assert not signed_in(phone) and not signed_in(library)
    [event] = audit(app, "signed_out_everywhere")
    assert event.actor_id == user.id and event.after == {"sessions_ended": 2}


def test_a_session_works_only_for_the_person_it_was_opened_for(app, client, create_user):
    mine, theirs = create_user("trainee"), create_user("admin")
    sign_in(client, mine)
    serializer = app.session_interface.get_signing_serializer(app)
    data = serializer.loads(session_cookie(client))
    data["_user_id"] = theirs.get_id()  # as if the signing key had leaked
    forged = replay(app, serializer.dumps(data))
    assert not signed_in(forged)


def test_activity_is_noted_at_most_every_few_minutes(app, client, create_user):
    from lms.auth.models import UserSession
    from lms.db import utcnow

    user = create_user("trainee")
    sign_in(client, user)

    def set_last_seen(moment):
        with app.app_context():
            db.session.execute(update(UserSession).values(last_seen_at=moment))
            db.session.commit()

    a_minute_ago = utcnow() - timedelta(minutes=1)
    set_last_seen(a_minute_ago)
    assert signed_in(client)
    [record] = user_sessions(app, user.id)
    assert record.last_seen_at == a_minute_ago  # no write for every request

    set_last_seen(utcnow() - timedelta(minutes=10))
    assert signed_in(client)
    [record] = user_sessions(app, user.id)
    assert utcnow() - record.last_seen_at < timedelta(minutes=1)


def test_a_session_left_idle_longer_than_its_lifetime_ends(app, client, create_user):
    from lms.auth.models import UserSession
    from lms.db import utcnow

    sign_in(client, create_user("trainee"))
    idle = timedelta(seconds=app.config["PERMANENT_SESSION_LIFETIME"]) + timedelta(minutes=1)
    with app.app_context():
        db.session.execute(update(UserSession).values(last_seen_at=utcnow() - idle))
        db.session.commit()
    assert not signed_in(client)


# Sign-in limits ---------------------------------------------------------------------------


def test_an_attacker_cannot_lock_out_the_person_they_name(app, create_user, fast_passwords):
    victim = create_user("trainee")
    attacker = app.test_client()
    answers = [attempt(attacker, victim.email, f"guess-{n:04d}-xyz", ATTACKER).status_code
               for n in range(60)]
    assert answers[:5] == [401] * 5 and set(answers[5:]) == {429}
    # The attacker's address is throttled even with the right password...
    assert attempt(attacker, victim.email, PASSWORD, ATTACKER).status_code == 429
    # ...but the person signing in from their own address is not locked out.
    home = app.test_client()
    assert attempt(home, victim.email, PASSWORD, VICTIM_HOME).status_code == 302


def test_account_and_address_together_are_throttled_after_five_failures(app, create_user,
                                                                          fast_passwords):
    user = create_user("trainee")
    office = app.test_client()
    for _ in range(5):
        assert attempt(office, user.email, "mistyped-pass", "192.0.2.10").status_code == 401
    assert attempt(office, user.email, PASSWORD, "192.0.2.10").status_code == 429
    # The same address may still sign in to another account, and the account elsewhere.
    other = create_user("trainee")
    assert attempt(office, other.email, PASSWORD, "192.0.2.10").status_code == 302
    assert attempt(app.test_client(), user.email, PASSWORD, "192.0.2.11").status_code == 302


def test_the_attackers_address_is_throttled_for_every_account(app, create_user, fast_passwords):
    attacker = app.test_client()
    for n in range(20):
        assert attempt(attacker, f"guess{n}@example.org", "x" * 12, ATTACKER).status_code == 401
    user = create_user("trainee")
    assert attempt(attacker, user.email, PASSWORD, ATTACKER).status_code == 429
    assert attempt(app.test_client(), user.email, PASSWORD, VICTIM_HOME).status_code == 302


def test_guessing_from_many_addresses_meets_the_per_account_limit(app, create_user,
                                                                  fast_passwords):
    """Default: 50 failures in 5 minutes across all addresses pause the account."""
    user = create_user("trainee")
    botnet = app.test_client()
    for n in range(45):
        assert attempt(botnet, user.email, "guess-guess", f"10.9.{n // 5}.1").status_code == 401
    home = app.test_client()
    assert attempt(home, user.email, PASSWORD, VICTIM_HOME).status_code == 302
    home.post("/sign-out", data={"csrf_token": csrf_token(home, "/")},
              environ_base={"REMOTE_ADDR": VICTIM_HOME})
    for _ in range(5):
        assert attempt(botnet, user.email, "guess-guess", "10.9.99.1").status_code == 401
    assert attempt(home, user.email, PASSWORD, VICTIM_HOME).status_code == 429


def test_limits_come_from_configuration(app, create_user, fast_passwords, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS", "2 per 15 minutes")
    user = create_user("trainee")
    client = app.test_client()
    for _ in range(2):
        assert attempt(client, user.email, "mistyped-pass", "192.0.2.20").status_code == 401
    assert attempt(client, user.email, PASSWORD, "192.0.2.20").status_code == 429


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(app, create_user, fast_passwords):
    client = app.test_client()
    for n in range(20):
        response = client.post("/sign-in", data={
            "email": f"guess{n}@example.org", "password": "x" * 12,
            "csrf_token": csrf_token(client)},
            environ_base={"REMOTE_ADDR": ATTACKER},
            headers={"X-Forwarded-For": f"192.0.2.{n}"})
        assert response.status_code == 401
    user = create_user("trainee")
    response = client.post("/sign-in", data={
        "email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)},
        environ_base={"REMOTE_ADDR": ATTACKER}, headers={"X-Forwarded-For": "192.0.2.200"})
    assert response.status_code == 429
    assert {event.ip_address for event in audit(app, "sign_in_failed")} == {ATTACKER}


def test_behind_trusted_proxies_the_forwarded_client_address_counts(app, create_user,
                                                                     fast_passwords):
    from lms import create_app

    proxied = create_app({"TESTING": True, "SECRET_KEY": "x", "PROXY_FIX": 2,
                          "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                          "RATELIMIT_STORAGE_URI": "memory://"})
    try:
        user = create_user("trainee")
        client = proxied.test_client()
        # A load balancer, then nginx: the client is the second address from the right.
        chain = {"X-Forwarded-For": "198.51.100.23, 10.0.0.2"}
        response = client.post("/sign-in", data={"email": user.email, "password": "wrong-1234",
                                                  "csrf_token": csrf_token(client)},
                               environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers=chain)
        assert response.status_code == 401
        [event] = audit(app, "sign_in_failed")
        assert event.ip_address == "198.51.100.23"
    finally:
        with proxied.app_context():
            db.engine.dispose()
        limiter.init_app(app)  # the session app goes back to its own store


# Forgot password --------------------------------------------------------------------------


def test_forgot_password_does_the_same_work_for_known_and_unknown_emails(
        app, client, create_user, monkeypatch):
    """Count the work each path does (no clock): a token made and hashed, the email rendered."""
    import lms.auth.services as services

    calls = []

    def spy(name, real):
        def wrapper(*args, **kwargs):
            calls.append(name if name != "render" else f"render {args[0]}")
            return real(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(services, "_token_digest", spy("hash token", services._token_digest))
    monkeypatch.setattr(services, "render_template", spy("render", services.render_template))
    monkeypatch.setattr(services, "record", spy("audit", services.record))
    known = create_user("trainee")
    inactive = create_user("trainee", active=False)

    work = {}
    for email in (known.email, "stranger@example.org", inactive.email):
        token = csrf_token(client, "/forgot-password")
        calls.clear()
        response = client.post("/forgot-password", data={"email": email, "csrf_token": token})
        assert response.status_code == 200
        work[email] = sorted(calls)
    assert work[known.email] == ["audit", "hash token", "render auth/email/reset.txt"]
    assert work["stranger@example.org"] == work[known.email]
    assert work[inactive.email] == work[known.email]
    assert [message.recipient for message in outbox(app)] == [known.email]
    assert len(audit(app, "password_link_not_sent")) == 2
