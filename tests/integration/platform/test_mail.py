"""Mail goes through SMTP when configured (production), and is captured otherwise."""

import smtplib

import pytest

from lms.db import utcnow
from lms.extensions import db
from lms.mail.delivery import deliver_pending
from lms.mail.services import send_mail
from tests.conftest import outbox


class FakeSMTP:
    sent: list = []

    def __init__(self, host, port, timeout):
        self.host, self.port = host, port
        self.started_tls = self.logged_in = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        self.started_tls = True

    def login(self, user, password):
        self.logged_in = (user, password)

    def send_message(self, message):
        FakeSMTP.sent.append((self, message))


def test_smtp_backend_sends_with_tls_and_login(app, monkeypatch):
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    FakeSMTP.sent = []
    settings = {"MAIL_BACKEND": "smtp", "MAIL_SERVER": "smtp.example.ac.uk", "MAIL_PORT": 587,
                "MAIL_USE_TLS": True, "MAIL_USERNAME": "lms", "MAIL_PASSWORD": "from-env"}
    old = {k: app.config[k] for k in settings}
    app.config.update(settings)
    try:
        with app.app_context():
            send_mail("trainee@example.org", "Reset your password", "Follow the link.")
            db.session.commit()
            assert FakeSMTP.sent == []  # nothing goes inside the request: a worker sends it
            deliver_pending(utcnow())
    finally:
        app.config.update(old)
    [(smtp, message)] = FakeSMTP.sent
    assert (smtp.host, smtp.port, smtp.started_tls, smtp.logged_in) == (
        "smtp.example.ac.uk", 587, True, ("lms", "from-env"))
    assert message["To"] == "trainee@example.org"
    assert message["Subject"] == "Reset your password"
    assert [m.status for m in outbox(app)] == ["sent"]


def test_outbox_backend_captures_instead_of_sending(app):
    with app.app_context():
        send_mail("trainee@example.org", "Hello", "Body")
        db.session.commit()
    [message] = outbox(app)
    assert (message.recipient, message.subject) == ("trainee@example.org", "Hello")
    assert message.status == "captured"


def test_emailed_links_follow_the_port_make_run_serves_on(app, tmp_path, monkeypatch, create_user):
    from lms import create_app
    from lms.auth.models import User
    from lms.auth.services import send_password_link
    from lms.config import Config

    monkeypatch.delenv("LMS_EXTERNAL_URL", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    assert Config(str(tmp_path)).EXTERNAL_URL == "http://127.0.0.1:5000"
    monkeypatch.setenv("PORT", "8123")
    assert Config(str(tmp_path)).EXTERNAL_URL == "http://127.0.0.1:8123"
    monkeypatch.setenv("LMS_EXTERNAL_URL", "https://advocacy.example.ac.uk")
    assert Config(str(tmp_path)).EXTERNAL_URL == "https://advocacy.example.ac.uk"
    monkeypatch.setenv("PORT", "eighty")
    with pytest.raises(ValueError, match="PORT must be a port number"):
        Config(str(tmp_path))

    # An app built from the environment alone (as `make run` builds it) links to that port.
    monkeypatch.delenv("LMS_EXTERNAL_URL")
    monkeypatch.setenv("PORT", "8123")
    served = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                         "SECRET_KEY": "test", "MAIL_BACKEND": "outbox"})
    person = create_user("trainee")
    try:
        with served.app_context(), served.test_request_context():
            send_password_link(db.session.get(User, person.id), "reset")
            db.session.commit()
    finally:
        with served.app_context():
            db.engine.dispose()  # its own pool: close it now, not when it is collected
    [message] = outbox(app)
    assert "http://127.0.0.1:8123/set-password/" in message.body


def test_the_outbox_makes_links_clickable_and_filters_by_recipient_and_subject(
        app, client, create_user):
    from tests.conftest import sign_in

    sign_in(client, create_user("admin"))
    with app.app_context():
        send_mail("kofi@example.org", "Set up your account",
                  "Hello <Kofi>,\n\nSet your password: http://localhost/set-password/abc-123.\n")
        send_mail("ann@example.org", "Reset your password", "Go to http://localhost/reset/x")
        send_mail("kofi@example.org", "Staff role granted", "See http://localhost/admin/users/9")
        db.session.commit()

    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "3 messages." in page
    assert ('<a href="http://localhost/set-password/abc-123">'
            'http://localhost/set-password/abc-123</a>.') in page  # the full stop left outside
    assert "Hello &lt;Kofi&gt;," in page  # the body is still text, not markup

    page = client.get("/admin/outbox?recipient=KOFI@").get_data(as_text=True)
    assert "2 messages match." in page
    assert "Set up your account" in page and "Staff role granted" in page
    assert "Reset your password" not in page
    assert 'value="KOFI@"' in page  # the filter keeps what was typed

    page = client.get("/admin/outbox?recipient=kofi&subject=set+up").get_data(as_text=True)
    assert "1 message matches." in page and "Staff role granted" not in page
    page = client.get("/admin/outbox?subject=100%25").get_data(as_text=True)
    assert "No mail matches." in page  # % is a character to find, not a wildcard

    response = client.get("/admin/outbox?recipient=" + "k" * 300)
    assert response.status_code == 422
    assert "must be 254 characters or fewer" in response.get_data(as_text=True)
