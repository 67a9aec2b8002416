"""Deliver pending mail: claim each message so that several workers on several machines send
it once, send it by SMTP, and on failure try again later with a growing delay.

A claim is one UPDATE … WHERE status = 'pending', so of two workers only one sees a row
changed. A worker killed while sending leaves the message "sending"; after STALE_CLAIM it is
pending again, so a message may (rarely) go twice but is never lost."""

import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import or_, select, update

from lms.extensions import db
from lms.mail.models import OutboxMessage

MAX_ATTEMPTS = 8
STALE_CLAIM = timedelta(minutes=10)


def backoff(attempts: int) -> timedelta:
    """The wait before the next try: 1, 2, 4 … minutes, at most six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def smtp_send(recipient: str, subject: str, body: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = recipient
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


@dataclass
class Delivered:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def _release_stale_claims(now: datetime) -> None:
    db.session.execute(update(OutboxMessage).where(
        OutboxMessage.status == "sending", OutboxMessage.claimed_at < now - STALE_CLAIM,
    ).values(status="pending"))
    db.session.commit()


def claim(message_id: int, now: datetime) -> bool:
    """Take a pending message for this worker; False if another worker has it."""
    taken = db.session.execute(update(OutboxMessage).where(
        OutboxMessage.id == message_id, OutboxMessage.status == "pending",
    ).values(status="sending", claimed_at=now, attempts=OutboxMessage.attempts + 1))
    db.session.commit()
    return taken.rowcount == 1


def deliver_pending(now: datetime, *, send=None, batch: int = 100) -> Delivered:
    """Send the messages due now, each by exactly one worker; return what happened."""
    send = send or smtp_send
    _release_stale_claims(now)
    due = db.session.scalars(
        select(OutboxMessage.id).where(
            OutboxMessage.status == "pending",
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now))
        .order_by(OutboxMessage.id).limit(batch)).all()
    done = Delivered()
    for message_id in due:
        if not claim(message_id, now):
            continue
        message = db.session.get(OutboxMessage, message_id)
        try:
            send(message.recipient, message.subject, message.body)
        except (OSError, smtplib.SMTPException) as error:
            message.last_error = f"{type(error).__name__}: {error}"[:500]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = "failed"
                done.failed += 1
            else:
                message.status = "pending"
                message.next_attempt_at = now + backoff(message.attempts)
                done.retrying += 1
        else:
            message.status, message.sent_at, message.last_error = "sent", now, ""
            done.sent += 1
        db.session.commit()
    return done
