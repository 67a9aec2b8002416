"""Revocation (final), suspension and lifting a suspension: recorded on the certificate with who,
when and why, audited, and emailed to the holder. Nothing is deleted. Each write names the
version the member of staff saw, so two people acting at once get a conflict, not a lost update.
Services flush; the request commits."""

from flask import render_template

from lms.audit.services import record
from lms.certs.models import KINDS, Certificate
from lms.db import utcnow
from lms.links import external
from lms.mail.services import send_mail


class StaleCertificate(Exception):
    """The certificate changed since the form was opened; nothing was written."""


class Refused(Exception):
    """An action the certificate's state does not allow, with the message to show."""


def _snapshot(certificate: Certificate) -> dict:
    return {"revoked_at": certificate.revoked_at.isoformat() if certificate.revoked_at else None,
            "revoked_reason": certificate.revoked_reason,
            "suspended_at": (certificate.suspended_at.isoformat()
                             if certificate.suspended_at else None),
            "suspended_reason": certificate.suspended_reason}


def _check(certificate: Certificate, seen_version: int) -> None:
    if certificate.version != seen_version:
        raise StaleCertificate()
    if certificate.revoked_at is not None:
        raise Refused("This certificate is revoked: revocation is final.")


def _tell_holder(certificate: Certificate, action: str, reason: str) -> None:
    holder = certificate.user
    if holder is None:  # an organisation's certificate: its admins are told by staff
        return
    link = external("/verify/" + certificate.code)
    send_mail(holder.email, f"Your {KINDS[certificate.kind].lower()} certificate has been "
              f"{action}", render_template("certs/email/status.txt", person=holder,
                                           certificate=certificate, action=action,
                                           reason=reason, link=link, kind=KINDS[certificate.kind]))


def revoke(certificate: Certificate, seen_version: int, reason: str, *, actor) -> None:
    """Revoke a certificate for good, with the reason shown on the verify page."""
    _check(certificate, seen_version)
    before = _snapshot(certificate)
    certificate.revoked_at, certificate.revoked_by_id = utcnow(), actor.id
    certificate.revoked_reason = reason.strip()
    _finish(certificate, "certificate_revoked", before, reason, actor, "revoked")


def suspend(certificate: Certificate, seen_version: int, reason: str, *, actor) -> None:
    """Suspend a certificate until the suspension is lifted."""
    _check(certificate, seen_version)
    if certificate.suspended_at is not None:
        raise Refused("This certificate is already suspended.")
    before = _snapshot(certificate)
    certificate.suspended_at, certificate.suspended_by_id = utcnow(), actor.id
    certificate.suspended_reason = reason.strip()
    _finish(certificate, "certificate_suspended", before, reason, actor, "suspended")


def lift(certificate: Certificate, seen_version: int, reason: str, *, actor) -> None:
    """Lift a suspension; the audit log keeps when it was suspended and why."""
    _check(certificate, seen_version)
    if certificate.suspended_at is None:
        raise Refused("This certificate is not suspended.")
    before = _snapshot(certificate)
    certificate.suspended_at, certificate.suspended_by_id = None, None
    certificate.suspended_reason = ""
    _finish(certificate, "certificate_suspension_lifted", before, reason, actor,
            "reinstated (its suspension was lifted)")


def _finish(certificate, action, before, reason, actor, words) -> None:
    from lms.extensions import db

    db.session.flush()  # the version check: UPDATE ... WHERE version = seen
    record(action, certificate, actor=actor, before=before, after=_snapshot(certificate),
           reason=reason.strip())
    _tell_holder(certificate, words, reason.strip())
