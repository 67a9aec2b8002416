"""Send mail through SMTP, or capture it in the outbox in development and tests."""

import smtplib
from email.message import EmailMessage

from flask import current_app

from lms.extensions import db
from lms.mail.models import OutboxMessage


def send_mail(recipient: str, subject: str, body: str) -> None:
    """Send one plain-text message (captured in the outbox unless the SMTP backend is set)."""
    config = current_app.config
    if config["MAIL_BACKEND"] != "smtp":
        db.session.add(OutboxMessage(recipient=recipient, subject=subject, body=body))
        return
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
