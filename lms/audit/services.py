"""Write audit records (flush only; the request commits)."""

from flask import has_request_context, request
from flask_login import current_user

from lms.audit.models import AuditEvent
from lms.extensions import db


def record(
    action: str,
    subject=None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    reason: str | None = None,
    actor=None,
    detail: str | None = None,
) -> AuditEvent:
    """Record that an actor did something to a subject."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        subject_type=type(subject).__name__ if subject is not None else None,
        subject_id=getattr(subject, "id", None),
        before=before,
        after=after,
        reason=reason,
        detail=detail,
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event
