from sqlalchemy import func, select

from certificates.keys import generate_private_key, private_key_to_multibase
from lms import create_app
from lms.auth.models import User
from lms.extensions import db
from tests.conftest import csrf_token, sign_in


def test_security_headers_on_every_kind_of_response(client):
    for path in ("/", "/sign-in", "/no-such-page", "/healthz"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_post_without_csrf_token_is_refused_and_changes_nothing(app, client, create_user):
    admin = create_user("admin")
    sign_in(client, admin)
    response = client.post("/admin/users/new", data={"name": "Eve", "email": "eve@example.org",
                                                     "roles": ["admin"]})
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1


def test_sign_in_without_csrf_token_is_refused(client, create_user):
    user = create_user("trainee")
    response = client.post("/sign-in", data={"email": user.email, "password": "x"})
    assert response.status_code == 400


def test_error_pages_explain_and_leak_nothing(client, create_user):
    response = client.get("/admin/users/999999")
    assert response.status_code == 302  # anonymous: sign in first
    sign_in(client, create_user("admin"))
    response = client.get("/admin/users/999999")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "Page not found" in body and "Traceback" not in body


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(tmp_path):
    broken = create_app({"TESTING": True, "SECRET_KEY": "x",
                         "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite"})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setenv("LMS_ENV", "production")
    monkeypatch.delenv("LMS_SECRET_KEY", raising=False)
    try:
        create_app()
    except RuntimeError as error:
        assert "LMS_SECRET_KEY" in str(error)
    else:
        raise AssertionError("production started without a secret key")


def test_production_marks_cookies_secure_and_refuses_demo_data(monkeypatch):
    monkeypatch.setenv("LMS_ENV", "production")
    monkeypatch.setenv("LMS_SECRET_KEY", "a-real-secret-from-the-environment")
    monkeypatch.setenv("LMS_SIGNING_KEY", private_key_to_multibase(generate_private_key()))
    monkeypatch.setenv("LMS_RATELIMIT_STORAGE_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("LMS_QUEUE_URL", "redis://127.0.0.1:6379/0")
    monkeypatch.setenv("LMS_SINGLE_MACHINE", "1")  # the in-memory SQLite database below
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["DEMO_DATA_ALLOWED"] is False
    assert app.config["MAIL_BACKEND"] == "smtp"


def test_csrf_token_is_on_every_form(client, create_user):
    sign_in(client, create_user("admin", "moderator"))
    for page in ("/admin/users/new", "/admin/organisations/new", "/admin/cohorts/new",
                 "/account/password"):
        body = client.get(page).get_data(as_text=True)
        assert body.count("<form") == body.count('name="csrf_token"') or csrf_token(client, page)
