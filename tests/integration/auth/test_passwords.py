import re
from datetime import timedelta

from sqlalchemy import select, update

from lms.auth.models import PasswordToken, User
from lms.db import utcnow
from lms.extensions import db
from tests.conftest import CSRF_RE, PASSWORD, csrf_token, outbox, post_form, sign_in

NEW_PASSWORD = "lighthouse tea orbit 42"
LINK_RE = re.compile(r"https?://[^/\s]+(/set-password/\S+)")


def request_reset(client, email):
    return client.post("/forgot-password", data={"email": email, "csrf_token": csrf_token(
        client, "/forgot-password")})


def last_link(app):
    return LINK_RE.search(outbox(app)[-1].body).group(1)


def set_password(client, path, password=NEW_PASSWORD, confirm=None):
    return client.post(path, data={"password": password, "confirm": confirm or password,
                                   "csrf_token": csrf_token(client, "/forgot-password")})


def test_forgot_password_never_reveals_whether_an_account_exists(app, client, create_user):
    user = create_user("trainee")
    known = request_reset(client, user.email).get_data(as_text=True)
    unknown = request_reset(client, "stranger@example.org").get_data(as_text=True)
    assert CSRF_RE.sub("", known.replace(user.email, "X")) == CSRF_RE.sub(
        "", unknown.replace("stranger@example.org", "X"))
    assert [m.recipient for m in outbox(app)] == [user.email]


def test_reset_link_sets_password_once_and_signs_in_with_it(app, client, create_user):
    user = create_user("trainee")
    request_reset(client, user.email)
    path = last_link(app)
    assert set_password(client, path).headers["Location"] == "/sign-in"
    assert sign_in(client, user, NEW_PASSWORD).status_code == 302
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    assert client.get(path).status_code == 410  # single use
    assert set_password(client, path, "another password 99").status_code == 410
    with app.app_context():
        assert db.session.get(User, user.id).password_hash != user.password_hash


def test_an_expired_link_does_nothing(app, client, create_user):
    user = create_user("trainee")
    request_reset(client, user.email)
    path = last_link(app)
    with app.app_context():
        db.session.execute(update(PasswordToken).values(expires_at=utcnow() - timedelta(
            seconds=1)))
        db.session.commit()
    response = client.get(path)
    assert response.status_code == 410
    assert "This link no longer works" in response.get_data(as_text=True)
    assert set_password(client, path).status_code == 410
    assert sign_in(client, user, PASSWORD).status_code == 302  # old password still works


def test_a_new_link_cancels_the_previous_one(app, client, create_user):
    user = create_user("trainee")
    request_reset(client, user.email)
    first = last_link(app)
    request_reset(client, user.email)
    assert client.get(first).status_code == 410
    assert client.get(last_link(app)).status_code == 200


def test_weak_or_mismatched_passwords_are_explained_and_change_nothing(app, client, create_user):
    user = create_user("trainee")
    request_reset(client, user.email)
    path = last_link(app)
    body = set_password(client, path, "qwerty123456").get_data(as_text=True)
    assert "too common" in body and "There is a problem" in body
    body = set_password(client, path, NEW_PASSWORD, "something else entirely").get_data(
        as_text=True)
    assert "do not match" in body
    with app.app_context():
        token = db.session.scalar(select(PasswordToken))
        assert token.used_at is None


def test_changing_password_signs_out_every_other_session(app, create_user):
    user = create_user("trainee")
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, user)
    sign_in(phone, user)
    response = post_form(laptop, "/account/password", {
        "current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert laptop.get("/account/password").status_code == 200
    assert phone.get("/account/password").headers["Location"].startswith("/sign-in")


def test_change_password_requires_the_current_one(client, create_user):
    sign_in(client, create_user("trainee"))
    body = post_form(client, "/account/password", {
        "current": "not-my-password", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
    }).get_data(as_text=True)
    assert "current password is not right" in body
