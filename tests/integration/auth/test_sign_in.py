from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.extensions import db
from tests.conftest import CSRF_RE, PASSWORD, csrf_token, sign_in


def events(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_sign_in_lands_on_home_and_is_audited(app, client, create_user):
    user = create_user("trainee", name="Tamsin Reade")
    response = sign_in(client, user)
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Welcome, Tamsin Reade" in page and "Your programme" in page
    [event] = events(app, "signed_in")
    assert event.actor_id == user.id and event.ip_address == "127.0.0.1"


def test_wrong_password_unknown_account_and_inactive_account_get_the_same_answer(
        app, client, create_user):
    active = create_user("trainee")
    inactive = create_user("trainee", active=False)
    answers = set()
    for email, password in [(active.email, "wrong-password-123"), ("nobody@example.org", PASSWORD),
                            (inactive.email, PASSWORD)]:
        response = client.post("/sign-in", data={"email": email, "password": password,
                                                 "csrf_token": csrf_token(client)})
        assert response.status_code == 401
        body = response.get_data(as_text=True)
        answers.add(CSRF_RE.sub("", body.replace(email, "EMAIL")))
        assert "email address or password is not right" in body
    assert len(answers) == 1
    assert len(events(app, "sign_in_failed")) == 3


def test_session_is_fresh_after_sign_in(client, create_user):
    user = create_user("trainee")
    client.get("/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "attacker-chosen"
    sign_in(client, user)
    with client.session_transaction() as session:
        assert "planted" not in session


def test_session_cookie_flags(client, create_user):
    sign_in(client, create_user("trainee"))
    cookie = client.get_cookie("lms_session")
    assert cookie.http_only and cookie.same_site == "Lax"


def test_sign_out_needs_post_and_ends_the_session(client, create_user):
    sign_in(client, create_user("trainee"))
    assert client.get("/sign-out").status_code == 405
    response = client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302
    assert client.get("/account/password").headers["Location"].startswith("/sign-in")


def test_next_parameter_only_goes_to_this_site(client, create_user):
    user = create_user("admin")
    token = csrf_token(client)
    response = client.post("/sign-in?next=https://evil.example/", data={
        "email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    response = client.post("/sign-in?next=/admin/users", data={
        "email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/admin/users"


def test_sign_in_is_throttled_per_account(client, create_user):
    user = create_user("trainee")
    for _ in range(5):
        response = client.post("/sign-in", data={"email": user.email, "password": "wrong-guess-00",
                                                 "csrf_token": csrf_token(client)})
        assert response.status_code == 401
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD,
                                             "csrf_token": csrf_token(client)})
    assert response.status_code == 429
    body = response.get_data(as_text=True)
    assert "Wait 15 minutes" in body
    assert user.email not in body or "not right" not in body
    # Another account from the same address can still sign in.
    other = create_user("trainee")
    assert sign_in(client, other).status_code == 302


def test_sign_in_is_throttled_per_address(client, create_user):
    for n in range(20):
        client.post("/sign-in", data={"email": f"guess{n}@example.org", "password": "x" * 12,
                                      "csrf_token": csrf_token(client)})
    user = create_user("trainee")
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD,
                                             "csrf_token": csrf_token(client)})
    assert response.status_code == 429


def test_successful_sign_ins_do_not_count_towards_the_limit(client, create_user):
    user = create_user("trainee")
    for _ in range(8):
        sign_in(client, user)
        client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
