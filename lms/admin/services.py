"""Administration writes beyond the account services: telling moderators about staff roles."""

from flask import render_template
from sqlalchemy import select

from lms.admin.permissions import MARKING_ROLES
from lms.auth.models import RoleGrant, User
from lms.extensions import db
from lms.links import external_for
from lms.mail.services import send_mail


def tell_moderators_of_grant(user: User, granted, *, actor, reason: str | None = None) -> int:
    """Email every active moderator that someone was given a role opening trainees' work.

    Return how many moderators were told; a grant of no such role tells no one."""
    granted = sorted(set(granted) & MARKING_ROLES)
    if not granted:
        return 0
    moderators = db.session.scalars(
        select(User).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.role == "moderator", User.active.is_(True), User.id != user.id)
        .order_by(User.id)).all()
    link = external_for("admin.user_detail", user_id=user.id)
    for moderator in moderators:
        body = render_template("admin/email/role_granted.txt", moderator=moderator, user=user,
                               granted=granted, actor=actor, reason=reason, link=link)
        send_mail(moderator.email, "Staff role granted: PG Cert in Independent Advocacy", body)
    return len(moderators)
