"""Account writes: create people, grant roles, issue and redeem password links, sign in."""

import hashlib
import secrets
from datetime import timedelta
from types import SimpleNamespace

from flask import current_app, render_template
from sqlalchemy import select

from lms.audit.services import record
from lms.auth.models import PasswordToken, RoleGrant, User
from lms.auth.passwords import check_password, hash_password
from lms.auth.sessions import end_sessions
from lms.db import utcnow
from lms.extensions import db
from lms.links import external_for
from lms.mail.services import send_mail

TOKEN_HOURS = {"invite": "INVITE_TOKEN_HOURS", "reset": "RESET_TOKEN_HOURS"}


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_user(name: str, email: str, roles=(), *, actor=None, invite: bool = True) -> User:
    """Create an account and (by default) email a link to set its password."""
    user = User(name=name.strip(), email=normalise_email(email))
    user.role_grants = [RoleGrant(role=role, granted_by_id=getattr(actor, "id", None))
                        for role in sorted(set(roles))]
    db.session.add(user)
    db.session.flush()
    record("account_created", user, after={"email": user.email, "roles": sorted(roles)},
           actor=actor)
    if invite:
        send_password_link(user, "invite")
    return user


def set_roles(user: User, roles, *, actor, reason: str | None = None) -> None:
    """Replace a person's roles, recording the change."""
    before = sorted(user.roles)
    wanted = set(roles)
    user.role_grants = [g for g in user.role_grants if g.role in wanted] + [
        RoleGrant(role=role, granted_by_id=actor.id) for role in sorted(wanted - user.roles)
    ]
    if before != sorted(wanted):
        record("roles_changed", user, before={"roles": before}, after={"roles": sorted(wanted)},
               actor=actor, reason=reason)


def set_active(user: User, active: bool, *, actor, reason: str | None = None) -> None:
    """Deactivate or reactivate an account; deactivation also ends its sessions."""
    if user.active == active:
        return
    user.active = active
    user.deactivated_at = None if active else utcnow()
    if not active:
        end_sessions(user, "deactivated")
    record("account_reactivated" if active else "account_deactivated", user,
           before={"active": not active}, after={"active": active}, actor=actor, reason=reason)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    """Return a fresh random link token and its digest (what the database keeps)."""
    token = secrets.token_urlsafe(32)
    return token, _token_digest(token)


def _expire_open_tokens(user_id: int | None, now) -> None:
    for old in db.session.scalars(
        select(PasswordToken).where(
            PasswordToken.user_id == user_id,
            PasswordToken.used_at.is_(None),
            PasswordToken.expires_at > now,
        )
    ):
        old.expires_at = now


def issue_password_token(user: User, purpose: str) -> str:
    """Create a single-use link token, expiring any earlier unused ones; return the raw token."""
    now = utcnow()
    _expire_open_tokens(user.id, now)
    token, digest = _new_token()
    hours = current_app.config[TOKEN_HOURS[purpose]]
    db.session.add(PasswordToken(user_id=user.id, token_hash=digest,
                                 purpose=purpose, expires_at=now + timedelta(hours=hours)))
    return token


def _password_email(user, purpose: str, token: str) -> tuple[str, str]:
    """Return the subject and body of a set-password email."""
    link = external_for("auth.set_password", token=token)
    hours = current_app.config[TOKEN_HOURS[purpose]]
    subject = ("Set up your account" if purpose == "invite" else "Reset your password")
    body = render_template(f"auth/email/{purpose}.txt", user=user, link=link, hours=hours)
    return subject + ": PG Cert in Independent Advocacy", body


def send_password_link(user: User, purpose: str) -> None:
    """Email a set-password link: an invitation for new people, a reset for others."""
    token = issue_password_token(user, purpose)
    subject, body = _password_email(user, purpose, token)
    send_mail(user.email, subject, body)
    record("password_link_sent", user, detail=purpose)


def request_password_reset(email: str) -> None:
    """Email a reset link to an active account; for any other address do the same work unseen."""
    user = find_user_by_email(email)
    if user is not None and user.active:
        send_password_link(user, "reset")
        return
    # Look up open links, make and hash a token and render the email as for a real account, so
    # the answer takes as long and does not reveal which addresses have accounts; send nothing.
    # (An inactive account's open links are expired too, which is right in any case.)
    _expire_open_tokens(user.id if user else None, utcnow())
    token, _digest = _new_token()
    _password_email(user or SimpleNamespace(name=""), "reset", token)
    record("password_link_not_sent", user, detail=normalise_email(email)[:254])


def find_valid_token(token: str) -> PasswordToken | None:
    """Return the unused, unexpired token record for a raw token, or None."""
    found = db.session.scalar(
        select(PasswordToken).where(PasswordToken.token_hash == _token_digest(token))
    )
    if found is None or found.used_at is not None or found.expires_at <= utcnow():
        return None
    if not found.user.active:
        return None
    return found


def redeem_password_token(found: PasswordToken, password: str) -> User:
    """Set the password from a link, use the link up, and end every session."""
    user = found.user
    found.used_at = utcnow()
    change_password(user, password, action="password_set_from_link", actor=user)
    return user


def change_password(user: User, password: str, *, action: str = "password_changed",
                    actor=None) -> None:
    """Set a new password and end every session (the view may start a new one for itself)."""
    user.password_hash = hash_password(password)
    end_sessions(user, action)
    record(action, user, actor=actor or user)


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, recording the attempt either way."""
    user = find_user_by_email(email)
    ok = check_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        record("sign_in_failed", user, actor=user, detail=normalise_email(email)[:254])
        return None
    user.last_sign_in_at = utcnow()
    record("signed_in", user, actor=user)
    return user
