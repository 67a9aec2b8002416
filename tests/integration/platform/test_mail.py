"""Mail goes through SMTP when configured (production), and is captured otherwise."""

import smtplib

from lms.extensions import db
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
    finally:
        app.config.update(old)
    [(smtp, message)] = FakeSMTP.sent
    assert (smtp.host, smtp.port, smtp.started_tls, smtp.logged_in) == (
        "smtp.example.ac.uk", 587, True, ("lms", "from-env"))
    assert message["To"] == "trainee@example.org"
    assert message["Subject"] == "Reset your password"
    assert outbox(app) == []  # sent, not captured


def test_outbox_backend_captures_instead_of_sending(app):
    with app.app_context():
        send_mail("trainee@example.org", "Hello", "Body")
        db.session.commit()
    [message] = outbox(app)
    assert (message.recipient, message.subject) == ("trainee@example.org", "Hello")
