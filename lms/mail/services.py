"""Record mail in the outbox, in the same transaction as the change that causes it.

With the SMTP backend the message is "pending" and a worker delivers it once the transaction
commits (lms/mail/delivery.py, run by the queue in lms/tasks.py); with the outbox backend
(development and tests) it is "captured" and never sent. Nothing talks to the mail server
inside a request, so a slow or failing server never turns a release of marks into an error."""

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from lms.extensions import db
from lms.mail.models import OutboxMessage


def send_mail(recipient: str, subject: str, body: str) -> None:
    """Record one plain-text message; it goes out only if the current transaction commits."""
    smtp = current_app.config["MAIL_BACKEND"] == "smtp"
    db.session.add(OutboxMessage(recipient=recipient, subject=subject, body=body,
                                 status="pending" if smtp else "captured"))
    if smtp:
        db.session.info["mail_pending"] = True


@event.listens_for(Session, "after_commit")
def _deliver_after_commit(session) -> None:
    """Once mail is safely committed, ask a worker to deliver it now."""
    if session.info.pop("mail_pending", False):
        from lms.tasks import enqueue_delivery

        enqueue_delivery()


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_mail(session) -> None:
    session.info.pop("mail_pending", None)
