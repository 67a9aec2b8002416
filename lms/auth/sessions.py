"""Server-side sessions: opened at sign-in, checked on every request, ended at sign-out.

The signed cookie holds the person's id (Flask-Login) and a random session token; the
user_sessions table holds only the token's SHA-256. Ending the record signs that cookie out, so a
copy of it is worthless after sign-out, a password change or "sign out everywhere".
"""

import hashlib
import secrets

from flask import current_app, request, session
from flask_login import login_user
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import lazyload

from lms.audit.services import record
from lms.auth.models import RoleGrant, User, UserSession
from lms.auth.rules import activity_due, session_is_live
from lms.db import utcnow
from lms.extensions import db

SESSION_KEY = "_session_token"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _this_token() -> str | None:
    token = session.get(SESSION_KEY)
    return token if isinstance(token, str) else None


def start_session(user: User) -> None:
    """Sign this browser in afresh: nothing carried over, a new session record and token."""
    session.clear()
    login_user(user)
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_digest(token),
                               user_agent=(request.user_agent.string or "")[:200]))
    session[SESSION_KEY] = token


def end_this_session(reason: str = "signed_out") -> None:
    """End this browser's session record (the view then clears the cookie)."""
    token = _this_token()
    if token is not None:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == _digest(token), UserSession.ended_at.is_(None))
            .values(ended_at=utcnow(), ended_reason=reason)
        )


def end_sessions(user: User, reason: str, *, keep_this_one: bool = False) -> int:
    """End a person's open sessions (all, or all but this browser's); return how many."""
    query = update(UserSession).where(UserSession.user_id == user.id,
                                      UserSession.ended_at.is_(None))
    token = _this_token() if keep_this_one else None
    if token is not None:
        query = query.where(UserSession.token_hash != _digest(token))
    result = db.session.execute(query.values(ended_at=utcnow(), ended_reason=reason))
    return result.rowcount


def end_other_sessions(user: User) -> int:
    """Sign the person out in every other browser, recording how many sessions ended."""
    ended = end_sessions(user, "signed_out_everywhere", keep_this_one=True)
    record("signed_out_everywhere", user, after={"sessions_ended": ended})
    return ended


def count_other_sessions(user: User) -> int:
    """Count the person's sessions that are still live in other browsers."""
    idle_since = utcnow() - current_app.permanent_session_lifetime
    query = select(func.count(UserSession.id)).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None),
        UserSession.last_seen_at > idle_since)
    token = _this_token()
    if token is not None:
        query = query.where(UserSession.token_hash != _digest(token))
    return db.session.scalar(query)


# The session, its person and their roles in one query (one row per role).
_SIGNED_IN = (
    select(User, UserSession.id, UserSession.ended_at, UserSession.last_seen_at, RoleGrant.role)
    .join(UserSession, UserSession.user_id == User.id)
    .outerjoin(RoleGrant, RoleGrant.user_id == User.id)
    .where(UserSession.token_hash == bindparam("token_hash"))
    .options(lazyload(User.role_grants))
)


def load_user(user_id: str) -> User | None:
    """Return the person this request's cookie signs in, if their session is still open."""
    token = _this_token()
    if token is None or not user_id.isdigit():
        return None
    rows = db.session.execute(_SIGNED_IN, {"token_hash": _digest(token)}).all()
    if not rows:
        return None
    user, session_id, ended_at, last_seen_at, _role = rows[0]
    now = utcnow()
    live = session_is_live(ended_at, last_seen_at, now, current_app.permanent_session_lifetime)
    if user.id != int(user_id) or not user.active or not live:
        return None
    user.note_roles_with_session(frozenset(row.role for row in rows if row.role is not None))
    if activity_due(last_seen_at, now):
        _note_activity(session_id, now)
    return user


def _note_activity(session_id: int, now) -> None:
    # Its own short transaction: most requests only read and never commit, and this write must
    # not commit (or be rolled back with) whatever the request itself does.
    with db.engine.begin() as connection:
        connection.execute(update(UserSession).where(UserSession.id == session_id)
                           .values(last_seen_at=now))
