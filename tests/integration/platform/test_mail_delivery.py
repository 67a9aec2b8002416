"""Mail is recorded with the change that causes it and delivered afterwards by a worker: mail
for a rolled-back change is never sent, mail is never lost while the server is down, and two
workers send each message once."""

import smtplib
from datetime import timedelta

from sqlalchemy import select

from lms.db import utcnow
from lms.extensions import db
from lms.mail import delivery
from lms.mail.delivery import MAX_ATTEMPTS, claim, deliver_pending
from lms.mail.models import OutboxMessage
from lms.mail.services import send_mail


def _smtp(app):
    """Switch the app to the SMTP backend for one test (mail pending, not captured)."""
    old = app.config["MAIL_BACKEND"]
    app.config["MAIL_BACKEND"] = "smtp"
    return old


def _messages():
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


class Server:
    """A mail server that can be down, recording what it accepts."""

    def __init__(self, down=False):
        self.down, self.accepted = down, []

    def __call__(self, recipient, subject, body):
        if self.down:
            raise ConnectionRefusedError(111, "Connection refused")
        self.accepted.append((recipient, subject))


def test_mail_for_a_rolled_back_change_is_never_sent(app):
    old, server = _smtp(app), Server()
    try:
        with app.app_context():
            send_mail("trainee@example.org", "Your marks", "Released")
            db.session.rollback()  # the change that caused it failed
            assert deliver_pending(utcnow(), send=server).sent == 0
            assert _messages() == []
    finally:
        app.config["MAIL_BACKEND"] = old
    assert server.accepted == []


def test_mail_waits_while_the_server_is_down_and_goes_when_it_returns(app):
    old, server = _smtp(app), Server(down=True)
    now = utcnow()
    try:
        with app.app_context():
            send_mail("trainee@example.org", "Your marks", "Released")
            db.session.commit()
            assert deliver_pending(now, send=server).retrying == 1
            [message] = _messages()
            assert (message.status, message.attempts) == ("pending", 1)
            assert "Connection refused" in message.last_error
            assert message.next_attempt_at == now + timedelta(minutes=1)
            server.down = False
            assert deliver_pending(now + timedelta(seconds=30), send=server).sent == 0  # waits
            assert deliver_pending(now + timedelta(minutes=1), send=server).sent == 1
            [message] = _messages()
            assert (message.status, message.attempts, message.last_error) == ("sent", 2, "")
    finally:
        app.config["MAIL_BACKEND"] = old
    assert server.accepted == [("trainee@example.org", "Your marks")]


def test_a_message_the_server_keeps_refusing_is_marked_failed_not_dropped(app):
    old, server = _smtp(app), Server(down=True)
    now = utcnow()
    try:
        with app.app_context():
            send_mail("trainee@example.org", "Your marks", "Released")
            db.session.commit()
            for attempt in range(MAX_ATTEMPTS):
                deliver_pending(now + timedelta(days=attempt), send=server)
            [message] = _messages()
            assert (message.status, message.attempts) == ("failed", MAX_ATTEMPTS)
    finally:
        app.config["MAIL_BACKEND"] = old


def test_two_workers_send_each_message_once(app):
    old = _smtp(app)
    sent = []
    now = utcnow()

    def send_while_another_worker_runs(recipient, subject, body):
        sent.append(recipient)
        if len(sent) == 1:  # a second worker starts while the first is sending
            deliver_pending(now, send=lambda r, s, b: sent.append(r))

    try:
        with app.app_context():
            for n in range(4):
                send_mail(f"person{n}@example.org", "Notice", "Text")
            db.session.commit()
            deliver_pending(now, send=send_while_another_worker_runs)
            assert {m.status for m in _messages()} == {"sent"}
            first = _messages()[0].id
            assert claim(first, now) is False  # a sent message cannot be claimed again
    finally:
        app.config["MAIL_BACKEND"] = old
    assert sorted(sent) == [f"person{n}@example.org" for n in range(4)]


def test_a_worker_killed_while_sending_leaves_the_message_to_be_sent_again(app):
    old, server = _smtp(app), Server()
    now = utcnow()
    try:
        with app.app_context():
            send_mail("trainee@example.org", "Your marks", "Released")
            db.session.commit()
            [message] = _messages()
            assert claim(message.id, now)  # then the worker dies before sending
            assert deliver_pending(now + timedelta(minutes=5), send=server).sent == 0
            assert deliver_pending(now + delivery.STALE_CLAIM + timedelta(minutes=1),
                                   send=server).sent == 1
    finally:
        app.config["MAIL_BACKEND"] = old
    assert len(server.accepted) == 1


def test_a_commit_with_mail_asks_the_queue_and_a_rollback_does_not(app):
    import lms.tasks

    lms.tasks.huey.flush()
    old = _smtp(app)
    try:
        with app.app_context():
            send_mail("trainee@example.org", "Rolled back", "No")
            db.session.rollback()
            assert lms.tasks.huey.pending_count() == 0
            send_mail("trainee@example.org", "Committed", "Yes")
            db.session.commit()
            assert lms.tasks.huey.pending_count() == 1
    finally:
        app.config["MAIL_BACKEND"] = old
        lms.tasks.huey.flush()


def test_the_queued_task_delivers_through_the_app(app, monkeypatch):
    import lms.tasks

    server = Server()
    monkeypatch.setattr(delivery, "smtp_send", server)
    monkeypatch.setattr(lms.tasks, "_app", app)
    old = _smtp(app)
    try:
        with app.app_context():
            send_mail("trainee@example.org", "Your marks", "Released")
            db.session.commit()
        done = lms.tasks.deliver_mail.call_local()
    finally:
        app.config["MAIL_BACKEND"] = old
        lms.tasks.huey.flush()
    assert done.sent == 1 and server.accepted == [("trainee@example.org", "Your marks")]


def test_a_request_that_sends_mail_succeeds_with_the_mail_server_unreachable(
        app, client, create_user, monkeypatch):
    """Forgot-password used to talk SMTP inside the request: now the page answers and the
    message waits in the outbox for the worker."""
    from tests.conftest import csrf_token

    def unreachable(*args, **kwargs):
        raise smtplib.SMTPConnectError(421, "down")

    monkeypatch.setattr(smtplib, "SMTP", unreachable)
    person = create_user("trainee")
    old = _smtp(app)
    try:
        response = client.post("/forgot-password", data={
            "email": person.email, "csrf_token": csrf_token(client, "/forgot-password")})
    finally:
        app.config["MAIL_BACKEND"] = old
        import lms.tasks

        lms.tasks.huey.flush()
    assert response.status_code in (200, 302)
    with app.app_context():
        [message] = _messages()
    assert (message.recipient, message.status) == (person.email, "pending")


def test_admins_never_read_mail_going_to_real_people(app, client, create_user):
    """Mail sent through the server carries set-password links: the outbox page counts it
    but never shows it."""
    from tests.conftest import sign_in

    old = _smtp(app)
    try:
        with app.app_context():
            send_mail("trainee@example.org", "Set your password", "https://x/set/SECRET")
            db.session.commit()
    finally:
        app.config["MAIL_BACKEND"] = old
        import lms.tasks

        lms.tasks.huey.flush()
    with app.app_context():
        send_mail("someone@example.org", "Captured", "Kept for development")
        db.session.commit()
    sign_in(client, create_user("admin"))
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "SECRET" not in page and "Set your password" not in page
    assert "Captured" in page and "1 waiting, 0 sent, 0 failed" in page
